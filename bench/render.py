"""Benchmark: the full set of documents of one department, then of N departments in a row.

python bench/render.py [N]      (default 100)

A department's full set is what seed 001 gives: the 部门整体 self-evaluation (自评表 in xlsx
and docx, 自评报告 in docx, pdf and html), its eight projects (项目自评表 xlsx and docx each,
汇总表 xlsx and docx) and the 部门决算 publication (xlsx, docx, pdf, html): 27 files.
Goals: a Word document under 0.3 s, the full set under 2 s per department. The full set is
timed with jobs=1 (one process) and jobs=2 (files written by two worker processes).
Prints seconds and peak memory (Python allocations by tracemalloc, and the largest RSS).
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
        for original in api.load_submissions(path):
            sub = original.model_copy(update={"department": name})
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
    jobs = 2
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        files = full_set(0, out / "first", jobs=jobs)
        first = time.perf_counter() - start
        print(f"first full set (imports, fonts and templates loaded): {files} files in {first:.2f} s")

        for title, seconds in word_documents(out).items():
            print(f"  docx {title}: {seconds:.3f} s (slowest of its kind)")

        for j in (1, jobs):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                full_set(1, out / "one", jobs=j)
                times.append(time.perf_counter() - start)
            print(f"one department, full set, jobs={j}: {sorted(times)[1]:.2f} s (median of 3)")

        start = time.perf_counter()
        total = 0
        for i in range(1, n + 1):
            total += full_set(i, out / f"d{i % 5}", jobs=jobs)  # five folders, overwritten in turn
        elapsed = time.perf_counter() - start
        print(
            f"{n} departments in a row (jobs={jobs}): {total} files in {elapsed:.1f} s, "
            f"{elapsed / n:.2f} s per department"
        )

        # memory: Python's allocations during one department (in this process), and the
        # largest resident size of this process and of a worker
        tracemalloc.start()
        full_set(n + 1, out / "mem", jobs=1)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: {peak / 2**20:.1f} MiB allocated by Python for one department; "
        f"resident at most {own:.0f} MiB (this process), {workers:.0f} MiB (a worker)"
    )


if __name__ == "__main__":
    main(sys.argv)
