"""Benchmark: the full set of documents of one department, then of N departments in a row.

python bench/render.py [N] [--profile]      (N default 100)
python bench/render.py --engines [--keep]    (PDF engines compared on the 部门决算)

A department's full set is what seed 001 gives: the 部门整体 self-evaluation (自评表 in xlsx
and docx, 自评报告 in docx, pdf and html), its eight projects (项目自评表 xlsx and docx each,
汇总表 xlsx and docx) and the 部门决算 publication (xlsx, docx, pdf, html): 27 files.
Goals: a Word document under 0.3 s; the full set under 1.5 s with the default number of
processes (``jobs=0``: the render chooses), never slower than one process.

The machine may be loaded by other work, so beside each figure the bench prints references
measured in the same run: the same tables written with python-docx alone (what any Word
writer pays), and the PDF engine (Typst; WeasyPrint with ``JIXIAO_PDF_ENGINE=weasyprint``)
laying out a one-page document (what any PDF costs). Their
ratios to the full set say how far it is from the limit whatever the load. CPU seconds of
this process (and its workers) are printed too; they depend less on the load than the wall
clock. ``--profile`` prints cProfile's top lines for one full set in one process;
``--engines`` times WeasyPrint against Typst (see :func:`engines`).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pdfplumber

from jixiao import api
from jixiao.check.accounts.checks import AccountsReport, check_file
from jixiao.frameworks.catalog import builtin
from jixiao.render import _workers, accounts_doc, render_pairs, shutdown
from jixiao.render.context import Pair
from jixiao.render.documents import build_context, plan
from jixiao.render.template_store import Templates

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "jixiao" / "examples"
DEPARTMENT = EXAMPLES / "score-001-xinxiang-2024-department.yaml"
PROJECTS = EXAMPLES / "score-001-xinxiang-2024-projects.yaml"
ACCOUNTS = EXAMPLES / "accounts-001-xinxiang-2024.yaml"


def department(i: int) -> tuple[list[Pair], AccountsReport]:
    """Seed 001's submissions and accounts under the name of department ``i``."""
    name = f"示例市第{i}号部门"
    pairs = []
    for path in (DEPARTMENT, PROJECTS):
        for original in api.load_submissions(path):
            sub = original.model_copy(update={"department": name})
            pairs.append(Pair(sub, api.score(sub, file=str(path)), str(path)))
    checked = check_file(ACCOUNTS)
    acc = checked.accounts.model_copy(update={"department": name})
    return pairs, replace(checked, accounts=acc)


def full_set(i: int, out: Path, jobs: int = 0) -> int:
    pairs, loaded = department(i)
    extra = [accounts_doc.plan(loaded, pairs)]
    result = render_pairs(pairs, out, catalog=builtin(), extra_docs=extra, jobs=jobs)
    return len(result.files)


def cpu() -> float:
    """CPU seconds of this process, its waited-for children and the kept worker processes."""
    from jixiao import render

    t = os.times()
    total = t.user + t.system + t.children_user + t.children_system
    tick = os.sysconf("SC_CLK_TCK")
    for _, pool in render._POOL:
        for pid in list(pool._processes or ()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # not Linux, or gone
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def timed(fn: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of ``runs`` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        c, w = cpu(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(cpu() - c)
    return sorted(walls)[runs // 2], sorted(cpus)[runs // 2]


def word_documents(out: Path) -> dict[str, float]:
    """Seconds to write each Word document of department 0, context built beforehand."""
    from jixiao.render import docx_out

    pairs, loaded = department(0)
    docs = [*plan(pairs, builtin()), accounts_doc.plan(loaded, pairs)]
    times: dict[str, float] = {}
    for doc in docs:
        if "docx" not in doc.formats:
            continue
        ctx = build_context(doc, with_findings=False, want_charts=doc.kind in ("report", "accounts"))
        start = time.perf_counter()
        docx_out.write(doc, ctx, out / f"{doc.stem}.docx", Templates())
        times.setdefault(doc.title, 0.0)
        times[doc.title] = max(times[doc.title], time.perf_counter() - start)
    return times


def docx_tables(folder: Path) -> list[list[list[list[str]]]]:
    """The tables of every Word file in ``folder``: per file, per table, rows of cell texts."""
    from docx import Document

    return [
        [[[cell.text for cell in row.cells] for row in table.rows] for table in Document(str(path)).tables]
        for path in sorted(folder.glob("*.docx"))
    ]


def docx_reference(files: list[list[list[list[str]]]]) -> None:
    """The reference: the same tables (every cell's text) written with python-docx alone."""
    from docx import Document

    for tables in files:
        document = Document()
        for rows in tables:
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for row, texts in zip(table.rows, rows, strict=True):
                for cell, text in zip(row.cells, texts, strict=False):
                    cell.text = text
        document.save(io.BytesIO())


def pdf_reference() -> None:
    """The reference of a PDF: the PDF engine lays out and writes a one-page document (fonts
    and styles already loaded, as in the render)."""
    from jixiao.render import pdf_out

    html = (
        "<html><body><h2>部门决算</h2><p>本年收入合计 741.64 万元。</p>"
        "<table><tr><th>项目</th><td class='num'>1.00</td></tr></table></body></html>"
    )
    if pdf_out.engine() == "typst":
        import typst

        from jixiao.render import typst_out

        typst.compile(typst_out.source(html, {}).encode(), font_paths=typst_out.fonts(), pdf_tags=False)
        return
    from weasyprint import HTML

    sheets = [pdf_out.stylesheet()]
    HTML(string=html).write_pdf(io.BytesIO(), stylesheets=sheets, font_config=pdf_out.font_config())


def pdf_engine() -> str:
    from jixiao.render import pdf_out

    return {"typst": "Typst", "weasyprint": "WeasyPrint"}[pdf_out.engine()]


def profile(out: Path) -> None:
    """cProfile's top lines for one full set written in this process."""
    full_set(0, out / "warm", jobs=1)
    prof = cProfile.Profile()
    prof.enable()
    full_set(1, out / "profiled", jobs=1)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


# ----------------------------------------------------------------------- PDF engines
# ``--engines``: the 22-page 部门决算 publication of three departments laid out by WeasyPrint
# and by Typst (jixiao's two PDF engines, see jixiao.render.pdf_out), each from the same
# context, fonts and styles loaded beforehand.


def engines(out: Path) -> None:
    """The accounts publication of three departments laid out by WeasyPrint and by Typst."""
    from jixiao.render import pdf_out, typst_out

    docs = []
    for i in range(3):
        pairs, loaded = department(i)
        doc = accounts_doc.plan(loaded, pairs)
        docs.append((doc, build_context(doc, with_findings=False, want_charts=True)))
    pdf_out.write_weasyprint(*docs[0], out / "warm.pdf")
    typst_out.write(*docs[0], out / "warm.pdf")
    seconds = {}
    for name, write in (("WeasyPrint", pdf_out.write_weasyprint), ("Typst", typst_out.write)):
        walls, cpus = [], []
        for doc, ctx in docs[::-1]:  # department 0 last, the one kept by --keep
            c, w = cpu(), time.perf_counter()
            write(doc, ctx, out / f"{name}.pdf")
            walls.append(time.perf_counter() - w)
            cpus.append(cpu() - c)
        with pdfplumber.open(out / f"{name}.pdf") as pdf:
            pages = len(pdf.pages)
        seconds[name] = sorted(cpus)[1]
        print(
            f"{name}: 部门决算, {pages} pages: {sorted(walls)[1]:.2f} s "
            f"(median of 3; CPU {sorted(cpus)[1]:.2f} s)"
        )
    print(f"WeasyPrint / Typst (CPU): {seconds['WeasyPrint'] / seconds['Typst']:.1f}")
    if "--keep" in sys.argv:
        for name in ("WeasyPrint", "Typst"):
            shutil.copy(out / f"{name}.pdf", Path.cwd() / f"engines-{name.lower()}.pdf")
        print(f"written: engines-weasyprint.pdf, engines-typst.pdf in {Path.cwd()}")


def main(argv: list[str]) -> None:
    args = [a for a in argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if "--profile" in argv:
            profile(out)
            return
        if "--engines" in argv:
            engines(out)
            return
        start = time.perf_counter()
        files = full_set(0, out / "first")
        first = time.perf_counter() - start
        pairs, loaded = department(0)
        docs = [*plan(pairs, builtin()), accounts_doc.plan(loaded, pairs)]
        chosen = [(d, d.formats) for d in docs]
        workers = _workers(0, chosen)
        print(f"first full set (imports, fonts and templates loaded): {files} files in {first:.2f} s")
        print(f"default number of processes (jobs=0) here: {workers}; cores: {os.cpu_count()}")

        for title, seconds in word_documents(out).items():
            print(f"  docx {title}: {seconds:.3f} s (slowest of its kind)")

        # references, measured now, on this machine in its present state
        tables = docx_tables(out / "first")
        ref_docx, _ = timed(lambda: docx_reference(tables))
        ref_pdf, _ = timed(pdf_reference, runs=5)
        cells = sum(len(r) for f in tables for t in f for r in t)
        print(
            f"reference: the same {sum(len(f) for f in tables)} tables ({cells} cells) of the "
            f"{len(tables)} Word files written with python-docx alone: {ref_docx:.2f} s"
        )
        print(f"reference: {pdf_engine()}, a one-page document: {ref_pdf:.3f} s")

        results = {}
        for label, j in (("jobs=1", 1), (f"default (jobs=0: {workers} processes)", 0)):
            wall, cpu_s = timed(lambda j=j: full_set(1, out / "one", jobs=j))
            results[j] = wall
            print(
                f"one department, full set, {label}: {wall:.2f} s (median of 3; CPU {cpu_s:.2f} s); "
                f"{wall / ref_docx:.1f}x the python-docx reference, {wall / ref_pdf:.0f}x a one-page PDF"
            )
        print(f"default / one process: {results[0] / results[1]:.2f}")

        start = time.perf_counter()
        total = 0
        for i in range(1, n + 1):
            total += full_set(i, out / f"d{i % 5}")  # five folders, overwritten in turn
        elapsed = time.perf_counter() - start
        print(
            f"{n} departments in a row (default, worker processes kept): {total} files in {elapsed:.1f} s, "
            f"{elapsed / n:.2f} s per department"
        )

        # memory: Python's allocations during one department (in this process), and the
        # largest resident size of this process and of a worker
        tracemalloc.start()
        full_set(n + 1, out / "mem", jobs=1)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        shutdown()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: {peak / 2**20:.1f} MiB allocated by Python for one department; "
        f"resident at most {own:.0f} MiB (this process), {children:.0f} MiB (a worker)"
    )


if __name__ == "__main__":
    main(sys.argv)
