"""Scale run: a province's year, read from files, scored and checked on one core.

    python bench/scale.py [--departments N] [--folder DIR]   (default 10,000 departments)

Each department gets three files, written into a temporary folder (or ``--folder``) before
the timing: its department self-evaluation (部门整体支出绩效自评, 自评.json: the 2024
department example of the project with the department's own name, amounts and completion
values), its 8 project self-evaluations (项目.json, one file of 8 submissions as in
``bench/score.py``) and its final accounts (决算.json, built as in ``bench/check.py``). The
files are JSON on one line, as a system sending submissions in bulk (or the web
application, for its jobs) writes them.

Then, timed, every file is read, scored or checked and dropped, one after another, through
the functions ``jixiao score`` and ``jixiao check`` stream many files with
(``api.score_files``, ``api.check_accounts_files``). Prints the total time, the time per
department, the share of reading / scoring / checking, and the peak memory (max RSS) after
a tenth of the departments and at the end: the two are the same when memory is flat.

The same work spread over the web application's task workers: bench/scale_web.py.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from jixiao import api
from jixiao.core.batch import many_inputs

sys.path.insert(0, str(Path(__file__).parent))
import check as check_bench
import score as score_bench

EXAMPLE = Path(api.__file__).parent / "examples" / "score-001-xinxiang-2024-department.yaml"
PROJECTS = 8


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write(path: Path, data: object) -> None:
    path.write_text(json.dumps(api.plain(data), ensure_ascii=False), encoding="utf-8")


def _department(template: dict, i: int, rnd: random.Random) -> dict:
    """The example department with its own name, amounts and completion values."""
    data = json.loads(json.dumps(api.plain(template), ensure_ascii=False))
    data["department"] = f"测试部门{i:05d}"
    figures = data.get("figures", {})
    scale = Decimal(rnd.randint(50, 200)) / 100
    for name, value in list(figures.items()):
        figures[name] = format((Decimal(value) * scale).quantize(Decimal("0.01")), "f")
    for entry in data.get("indicators", []):
        actual = entry.get("actual")
        if isinstance(actual, str) and actual.endswith("%") and actual[:-1].replace(".", "").isdigit():
            entry["actual"] = f"{rnd.randint(80, 100)}%"
    data.pop("stated", None)  # the printed total would no longer hold
    return data


def generate(folder: Path, departments: int) -> int:
    """Write every department's three files; returns the bytes written."""
    template = api.read_data(EXAMPLE)
    assert isinstance(template, dict)
    rnd = random.Random(20241130)
    rng = random.Random(20241126)
    size = 0
    for i in range(departments):
        where = folder / f"d{i:05d}"
        where.mkdir(parents=True, exist_ok=True)
        _write(where / "自评.json", _department(template, i, rnd))
        projects = []
        for k in range(PROJECTS):
            p = score_bench.synthetic(i * PROJECTS + k, rng)
            p["department"] = f"测试部门{i:05d}"
            p["project"] = f"项目{k + 1}"
            projects.append(p)
        _write(where / "项目.json", {"submissions": projects})
        _write(where / "决算.json", api.accounts_data(check_bench.department(i)))
        size += sum(f.stat().st_size for f in where.iterdir())
    return size


def run(folder: Path, departments: int) -> None:
    frameworks = api.catalog()
    rules = api.accounts_rules()
    tenth = max(1, departments // 10)
    submissions = reports = findings = errors = unreadable = 0
    scoring = checking = 0.0
    rss_tenth = 0.0
    start = time.perf_counter()
    cpu_start = time.process_time()
    with many_inputs():  # as ``jixiao score``/``check`` run over many files
        for i in range(departments):
            where = folder / f"d{i:05d}"
            t0 = time.perf_counter()
            pair = [where / "自评.json", where / "项目.json"]
            for _path, result in api.score_files(pair, frameworks=frameworks):
                if isinstance(result, api.InputError):
                    unreadable += 1
                    continue
                submissions += len(result)
                for evaluation in result:
                    findings += len(evaluation.findings)
                    errors += api.has_errors(evaluation.findings)
            t1 = time.perf_counter()
            for _path, report in api.check_accounts_files([where / "决算.json"], rules=rules):
                if isinstance(report, api.InputError):
                    unreadable += 1
                    continue
                reports += 1
                findings += len(report.findings)
                errors += api.has_errors(report.findings)
            t2 = time.perf_counter()
            scoring += t1 - t0
            checking += t2 - t1
            if i + 1 == tenth:
                rss_tenth = _rss_mb()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(
        f"departments: {departments:,}; files read: {departments * 3:,} "
        f"({submissions:,} submissions scored, {reports:,} final accounts checked, {unreadable} unreadable)"
    )
    print(f"findings: {findings:,}; documents with an error: {errors:,}")
    print(
        f"total: {elapsed:,.1f} s ({elapsed * 1e3 / departments:.1f} ms per department; "
        f"CPU {cpu:,.1f} s: {departments / cpu:,.0f} departments per CPU-second)"
    )
    print(
        f"  reading and scoring the self-evaluations: {scoring:,.1f} s "
        f"({submissions / scoring:,.0f} submissions/s, reading included)"
    )
    print(
        f"  reading and checking the final accounts: {checking:,.1f} s "
        f"({reports / checking:,.0f} departments/s, reading included)"
    )
    print(
        f"peak memory (max RSS): {rss_tenth:,.0f} MB after {tenth:,} departments, "
        f"{_rss_mb():,.0f} MB after {departments:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--departments", type=int, default=10_000)
    parser.add_argument(
        "--folder", type=Path, help="write the files here and keep them (default: a temp folder)"
    )
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="jixiao-scale-"))
    try:
        t0 = time.perf_counter()
        size = generate(folder, args.departments)
        print(
            f"generated {args.departments * 3:,} files ({size / 1e6:,.0f} MB) in {folder} "
            f"in {time.perf_counter() - t0:,.0f} s (not counted)"
        )
        run(folder, args.departments)
    finally:
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
