"""Benchmark: the full set of documents of one department, then of N departments in a row.

python bench/render.py [N]      (default 100)

A department's full set is what seed 001 gives: the 部门整体 self-evaluation (自评表 in xlsx
and docx, 自评报告 in docx, pdf and html), its eight projects (项目自评表 xlsx and docx each,
汇总表 xlsx and docx) and the 部门决算 publication (xlsx, docx, pdf, html): 31 files.
Goals: a Word document under 0.3 s, the full set under 2 s per department.
Prints seconds and peak memory (Python allocations by tracemalloc, and the process's RSS).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from jixiao import api
from jixiao.frameworks.catalog import builtin
from jixiao.render import accounts_doc, render_pairs
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
        for sub in api.load_submissions(path):
            sub = sub.model_copy(update={"department": name})
            pairs.append(Pair(sub, api.score(sub, file=str(path)), str(path)))
    loaded = accounts_doc.read(ACCOUNTS)
    acc = loaded.accounts.model_copy(update={"department": name})
    return pairs, accounts_doc.Loaded(acc, loaded.findings, loaded.file)


def full_set(i: int, out: Path, jobs: int = 1) -> int:
    pairs, loaded = department(i)
    extra = [accounts_doc.plan(loaded, pairs)]
    result = render_pairs(pairs, out, catalog=builtin(), extra_docs=extra, jobs=jobs)
    return len(result.files)


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


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        files = full_set(0, out / "first")
        first = time.perf_counter() - start
        print(f"first full set (imports, fonts and templates loaded): {files} files in {first:.2f} s")

        for title, seconds in word_documents(out).items():
            print(f"  docx {title}: {seconds:.3f} s (slowest of its kind)")

        tracemalloc.start()
        start = time.perf_counter()
        total = 0
        for i in range(1, n + 1):
            total += full_set(i, out / f"d{i % 5}")  # five folders, overwritten in turn
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} departments in a row: {total} files in {elapsed:.1f} s, {elapsed / n:.2f} s per department")
    print(f"peak memory: {peak / 2**20:.1f} MiB traced by Python, {rss:.0f} MiB resident (process maximum)")


if __name__ == "__main__":
    main(sys.argv)
