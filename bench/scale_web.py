"""Scale run over the web application's task workers: a province's year in PostgreSQL,
derived by ``jixiao worker`` processes side by side.

    python bench/scale_web.py [--departments N] [--workers W] [--shares S] [--again]

The same departments as ``bench/scale.py`` (each: its department self-evaluation, 8 project
self-evaluations and its final accounts, 10 submissions) are stored in a fresh PostgreSQL
database (``jixiao_scale``; JIXIAO_BENCH_DATABASE_URL as for bench/web.py) with no derived
result, as after an upgrade that changed the rules. Loading is not timed. Then, timed: the
re-derivation is queued as the application queues it (in S shares, ids modulo S) and W
``jixiao worker`` processes start and derive every submission (score or check it, store the
total, grade, counts and Findings). The run ends when no submission is left to derive.

Prints the total time, submissions and departments per second, the CPU time of the
workers and of PostgreSQL, and the workers' peak memory (VmHWM). Compare with
``bench/scale.py``, the same work from files in one process.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import check as check_bench
import scale
import score as score_bench
import web as web_bench
from jixiao import api


def _load(departments: int) -> int:
    """Bureau, departments and their submissions, stored stale (no derived result)."""
    from jixiao.web.models import Organisation, Submission

    template = api.read_data(scale.EXAMPLE)
    assert isinstance(template, dict)
    rnd, rng = random.Random(20241130), random.Random(20241126)
    K, S = Organisation.Kind, Submission.Kind
    bureau = Organisation.objects.create(name="某省财政厅", kind=K.PROVINCE)
    stored = 0
    step = 200
    for first in range(0, departments, step):
        last = min(departments, first + step)
        orgs = Organisation.objects.bulk_create(
            Organisation(name=f"测试部门{i:05d}", kind=K.DEPARTMENT, parent=bureau)
            for i in range(first, last)
        )
        rows = []
        for i, org in zip(range(first, last), orgs, strict=True):
            rows.append(
                Submission(
                    department=org, year=2024, kind=S.DEPARTMENT, data=scale._department(template, i, rnd)
                )
            )
            for k in range(scale.PROJECTS):
                p = score_bench.synthetic(i * scale.PROJECTS + k, rng)
                p["department"] = org.name
                p["project"] = f"项目{k + 1}"
                rows.append(
                    Submission(
                        department=org, year=2024, kind=S.PROJECT, project=p["project"], data=api.plain(p)
                    )
                )
            accounts = api.plain(api.accounts_data(check_bench.department(i)))
            rows.append(Submission(department=org, year=2024, kind=S.ACCOUNTS, data=accounts))
        Submission.objects.bulk_create(rows)
        stored += len(rows)
    return stored


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--departments", type=int, default=10_000)
    parser.add_argument(
        "--workers", type=int, default=2, help="jixiao worker processes (default 2: the cores)"
    )
    parser.add_argument("--shares", type=int, default=8, help="shares the work is queued in")
    parser.add_argument(
        "--again", action="store_true", help="derive the database of the last run again (no loading)"
    )
    args = parser.parse_args()
    server_url = os.environ.get("JIXIAO_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/")
    db = server_url + "jixiao_scale" if args.again else web_bench._database(server_url, "jixiao_scale")
    os.environ.update(
        JIXIAO_DATABASE_URL=db,
        JIXIAO_DATA_DIR=tempfile.mkdtemp(prefix="jixiao-scale-web-"),
        DJANGO_SETTINGS_MODULE="jixiao.web.settings",
        JIXIAO_REDERIVE_SHARES=str(args.shares),
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from jixiao.web import tasks, workflow

    t0 = time.perf_counter()
    if args.again:
        from django_tasks_db.models import DBTaskResult

        from jixiao.web.models import Submission

        DBTaskResult.objects.all().delete()
        stored = Submission.objects.update(derived_by="")
        args.departments = Submission.objects.values("department").distinct().count()
    else:
        stored = _load(args.departments)
    print(
        f"stored {stored:,} submissions of {args.departments:,} departments in PostgreSQL, all to derive, "
        f"in {time.perf_counter() - t0:,.0f} s (not counted)"
    )
    start = time.perf_counter()
    assert tasks.schedule_rederive(now=True)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "jixiao.cli.main", "worker", "--interval", "0.2"],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(args.workers)
    ]
    stale = workflow.stale()
    left = stored
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    try:
        while left:
            time.sleep(1)
            for w in workers:
                peaks[w.pid] = max(peaks.get(w.pid, 0), _status_kb(w.pid, "VmHWM"))
                cpu[w.pid] = web_bench._proc_cpu(w.pid)
            left = stale.count()
            if any(w.poll() is not None for w in workers):
                sys.exit("a worker stopped before the work was done")
        elapsed = time.perf_counter() - start
        # the workers' database connections are kept: their backends' CPU is the database's
        pg_cpu = sum(web_bench._proc_cpu(pid) for pid in web_bench._backends(db))
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(30)
    worker_cpu = sum(cpu.values())
    print(
        f"{args.workers} workers, {args.shares} shares: {stored:,} submissions derived and stored "
        f"in {elapsed:,.1f} s: "
        f"{stored / elapsed:,.0f} submissions/s, {args.departments / elapsed:,.1f} departments/s "
        f"({elapsed / args.departments * 1000:.1f} ms per department)"
    )
    print(
        f"CPU: workers {worker_cpu:,.1f} s ({worker_cpu / args.departments * 1000:.1f} ms per department), "
        f"PostgreSQL {pg_cpu:,.1f} s; cores: {os.cpu_count()}"
    )
    print("peak memory per worker (VmHWM): " + ", ".join(f"{kb / 1024:,.0f} MB" for kb in peaks.values()))


if __name__ == "__main__":
    main()
