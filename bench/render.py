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
writer pays), and WeasyPrint laying out a one-page document (what any PDF costs). Their
ratios to the full set say how far it is from the limit whatever the load. CPU seconds of
this process (and its workers) are printed too; they depend less on the load than the wall
clock. ``--profile`` prints cProfile's top lines for one full set in one process;
``--engines`` times WeasyPrint against Typst (see :func:`engines`).
"""

from __future__ import annotations

import base64
import cProfile
import io
import os
import pstats
import re
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jixiao import api
from jixiao.frameworks.catalog import builtin
from jixiao.render import _workers, accounts_doc, render_pairs, shutdown
from jixiao.render.context import Pair
from jixiao.render.documents import build_context, plan
from jixiao.render.template_store import Templates

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "jixiao" / "examples"
DEPARTMENT = EXAMPLES / "score-001-xinxiang-2024-department.yaml"
PROJECTS = EXAMPLES / "score-001-xinxiang-2024-projects.yaml"
ACCOUNTS = EXAMPLES / "accounts-001-xinxiang-2024.yaml"


def department(i: int) -> tuple[list[Pair], accounts_doc.Loaded]:
    """Seed 001's submissions and accounts under the name of department ``i``."""
    name = f"示例市第{i}号部门"
    pairs = []
    for path in (DEPARTMENT, PROJECTS):
        for original in api.load_submissions(path):
            sub = original.model_copy(update={"department": name})
            pairs.append(Pair(sub, api.score(sub, file=str(path)), str(path)))
    loaded = accounts_doc.read(ACCOUNTS)
    acc = loaded.accounts.model_copy(update={"department": name})
    return pairs, accounts_doc.Loaded(acc, loaded.findings, loaded.file)


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
    """The reference of a PDF: WeasyPrint lays out and writes a one-page document (fonts
    and stylesheet already loaded, as in the render)."""
    from weasyprint import HTML

    from jixiao.render import pdf_out

    html = (
        "<h2>部门决算</h2><p>本年收入合计 741.64 万元。</p>"
        "<table><tr><th>项目</th><td class='num'>1.00</td></tr></table>"
    )
    sheets = [pdf_out.stylesheet()]
    HTML(string=html).write_pdf(io.BytesIO(), stylesheets=sheets, font_config=pdf_out.font_config())


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
# ``--engines``: the 22-page 部门决算 publication laid out by WeasyPrint (the engine of
# jixiao) and by Typst (the ``typst`` package, when installed). The Typst source is a rough
# translation of the same HTML (headings, paragraphs, tables with spans and repeated
# headers, charts, landscape pages, page numbers, a table of contents with page numbers):
# close enough to time the engine on the same content, not a finished document.

_TYP_ESCAPE = re.compile(r'([\\#*_`$@<>\[\]~/"=\-+])')
SANS = '("Noto Sans CJK SC",)'
_MARGIN = "(top: 22mm, bottom: 22mm, left: 22mm, right: 20mm)"
_HEADING = {"h1": "19pt", "h2": "13.5pt", "h3": "12pt", "h4": "11.5pt"}


def _typ_text(el: Any) -> str:
    parts = [_TYP_ESCAPE.sub(r"\\\1", el.text or "")]
    for child in el:
        parts.append(" \\ " if child.tag == "br" else _typ_text(child))
        parts.append(_TYP_ESCAPE.sub(r"\\\1", child.tail or ""))
    return "".join(parts).replace("\n", " ")


def _typ_cell(cell: Any, head: bool) -> str:
    cls = (cell.get("class") or "").split()
    args = [f"{k}: {cell.get(k)}" for k in ("colspan", "rowspan") if cell.get(k)]
    text = _typ_text(cell)
    if head:
        args += ['fill: rgb("#eef1f5")', "align: center + horizon"]
        return f'table.cell({", ".join(args)})[#text(font: {SANS}, weight: "bold")[{text}]]'
    align = "right" if "num" in cls else "center" if {"c", "name"} & set(cls) else "left"
    args.append(f"align: {align} + horizon")
    body = f'#text(weight: "bold")[{text}]' if "b" in cls else text
    return f"table.cell({', '.join(args)})[{body}]"


def _typ_table(table: Any) -> str:
    cls = (table.get("class") or "").split()
    cols = [c.get("style", "").replace("width:", "").strip() or "1fr" for c in table.iter("col")]
    if not cols:
        cols = ["1fr"] * sum(int(c.get("colspan") or 1) for c in table.find(".//tr"))
    size = "7pt" if "basic" in cls else "7.5pt" if "accounts" in cls else "9pt"
    parts = []
    if (thead := table.find("thead")) is not None:
        parts.append("table.header(" + ", ".join(_typ_cell(c, True) for tr in thead for c in tr) + ")")
    for body in table.findall("tbody") or [table]:
        parts += [_typ_cell(c, c.tag == "th") for tr in body.findall("tr") for c in tr]
    return (
        f"#block[#set text(size: {size})\n#set par(leading: 0.3em, first-line-indent: 0em, justify: false)\n"
        f'#table(columns: ({", ".join(cols)},), stroke: 0.6pt + rgb("#222"), inset: (x: 1mm, y: 0.6mm),\n'
        + ",\n".join(parts)
        + ")]"
    )


def _typ_block(el: Any, out: list[str], folder: Path) -> None:
    tag, cls = el.tag, set((el.get("class") or "").split())
    if tag in ("section", "div", "header", "body"):
        if tag == "section" and cls & {"part", "accounts-table", "findings"}:
            out.append("#pagebreak(weak: true)")
        if el.get("id"):
            out.append(f'#metadata("") <{el.get("id")}>')
        if "wide" in cls:
            out.append("#set page(flipped: true, margin: (top: 13mm, bottom: 14mm, x: 15mm))")
        for child in el:
            _typ_block(child, out, folder)
        if "wide" in cls:
            out.append(
                "#set page(flipped: false, margin: (top: 22mm, bottom: 22mm, left: 22mm, right: 20mm))"
            )
        if cls & {"toc", "cover"}:
            out.append("#pagebreak(weak: true)")
    elif tag in ("h1", "h2", "h3", "h4"):
        size = (
            "14pt"
            if "table-title" in cls
            else {"h1": "19pt", "h2": "13.5pt", "h3": "12pt", "h4": "11.5pt"}[tag]
        )
        align = "center" if cls & {"part-title", "table-title"} else "left"
        label = f" <{el.get('id')}>" if el.get("id") else ""
        out.append(
            "#block(above: 4mm, below: 2mm, sticky: true)"
            f'[#set text(font: {SANS}, size: {size}, weight: "bold")\n'
            f"#align({align})[{_typ_text(el)}]]{label}"
        )
    elif tag == "p":
        text = _typ_text(el)
        if "table-meta" in cls:
            spans = [_typ_text(s) for s in el.findall("span")]
            out.append(f"#text(size: 9pt)[{spans[0]} #h(1fr) {spans[-1]}]")
        elif cls & {"toc-part", "toc-item"}:
            target = el.find("a").get("href")[1:]
            indent = "2em" if "toc-item" in cls else "0em"
            out.append(
                f"#block(above: 1mm, below: 1mm)[#h({indent}){text} #box(width: 1fr, repeat[.]) "
                f"#context counter(page).at(<{target}>).first()]"
            )
        elif cls & {"table-no", "note"} or text.strip():
            out.append(f"#par(first-line-indent: (amount: 2em, all: true))[{text}]")
    elif tag == "figure":
        png = base64.b64decode(el.find("img").get("src").split(",", 1)[1])
        name = f"chart{len(list(folder.glob('chart*.png')))}.png"
        (folder / name).write_bytes(png)
        out.append(f'#block(breakable: false)[#align(center)[#image("{name}", width: 150mm)]]')
    elif tag == "table":
        out.append(_typ_table(el))
    else:
        for child in el:
            _typ_block(child, out, folder)


def typst_source(html: str, folder: Path, shift: int = 0) -> str:
    """The HTML document as Typst source (its charts written into ``folder``); ``shift``
    changes every digit of the text (d -> d + shift mod 10), so that a compiler that keeps
    what it laid out before (Typst does) has every table to lay out again."""
    from lxml import html as lxml_html

    body = lxml_html.fromstring(html).find("body")
    digits = str.maketrans("0123456789", "".join(str((d + shift) % 10) for d in range(10)))
    for el in body.iter():
        el.text = el.text and el.text.translate(digits)
        el.tail = el.tail and el.tail.translate(digits)

    page = (
        f'#set page(paper: "a4", margin: {_MARGIN},\n'
        f"  footer: context align(center)[#text(font: {SANS}, size: 8.5pt)"
        "[第 #counter(page).display() 页 / 共 #counter(page).final().first() 页]])\n"
        '#set text(font: ("Noto Serif CJK SC",), size: 11.5pt, lang: "zh", region: "cn")\n'
        "#set par(justify: true, leading: 0.75em, spacing: 0.6em)\n"
    )
    out: list[str] = []
    _typ_block(body, out, folder)
    return page + "\n".join(out) + "\n"


def engines(out: Path) -> None:
    """The accounts publication of three departments laid out by WeasyPrint and by Typst."""
    from weasyprint import HTML

    from jixiao.render import html_out, pdf_out

    htmls = []
    for i in range(3):
        pairs, loaded = department(i)
        doc = accounts_doc.plan(loaded, pairs)
        htmls.append(
            html_out.render(doc, build_context(doc, with_findings=False, want_charts=True), inline_css=False)
        )
    pdf_out.warm_up()
    sheets, fonts = [pdf_out.stylesheet()], pdf_out.font_config()

    def weasy(html: str) -> int:
        document = HTML(string=html).render(stylesheets=sheets, font_config=fonts)
        document.write_pdf(out / "weasyprint.pdf")
        return len(document.pages)

    weasy(htmls[0])
    walls, cpus, pages = [], [], 0
    for html in htmls[::-1]:  # department 0 last, the one kept by --keep
        c, w = cpu(), time.perf_counter()
        pages = weasy(html)
        walls.append(time.perf_counter() - w)
        cpus.append(cpu() - c)
    wp = sorted(walls)[1]
    print(f"WeasyPrint: 部门决算, {pages} pages: {wp:.2f} s (median of 3; CPU {sorted(cpus)[1]:.2f} s)")
    try:
        import typst
    except ImportError:
        print("Typst: the typst package is not installed (pip install typst)")
        return
    sources = []
    for i, html in enumerate(htmls):
        folder = out / f"typst{i}"
        folder.mkdir()
        sources.append(folder / "accounts.typ")
        sources[-1].write_text(typst_source(html, folder, shift=i), encoding="utf-8")
    start = time.perf_counter()
    compiler = typst.Compiler(root=str(out))
    compiler.compile(input=str(sources[0]), output=str(out / "typst.pdf"))
    first = time.perf_counter() - start
    walls, cpus = [], []
    for source in sources[::-1]:  # every department once more: other digits, all laid out again
        c, w = cpu(), time.perf_counter()
        compiler.compile(input=str(source), output=str(out / "typst.pdf"))
        walls.append(time.perf_counter() - w)
        cpus.append(cpu() - c)
    ty = sorted(walls)[1]
    print(
        f"Typst {typst.__version__}: the same content: {ty:.2f} s (median of 3; CPU {sorted(cpus)[1]:.2f} s; "
        f"first compile with fonts {first:.2f} s); WeasyPrint / Typst: {wp / ty:.1f}"
    )
    if "--keep" in sys.argv:
        for name in ("weasyprint.pdf", "typst.pdf"):
            shutil.copy(out / name, Path.cwd() / f"engines-{name}")
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
        print(f"reference: WeasyPrint, a one-page document: {ref_pdf:.3f} s")

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
