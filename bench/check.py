"""Benchmark: check 10,000 synthetic departments' final accounts (部门决算).

Each department is built consistently from random detail (10 to 20 项 of the catalog, an
economic breakdown of 8 to 20 款, “三公” figures, 年初预算), with rounding tails at about
seed 001's rate; one in five gets one printed figure changed so that the rules have errors
to report. Every department is checked with the standard rule set
(data findings + 73 rules), as ``jixiao check`` does after reading. Departments are built
one by one and dropped after their check; only the checking is timed.

Prints departments per second, the peak memory one check allocates (tracemalloc) and the
process's peak RSS. Goal: at least 1,000 departments per second on one core.

    python bench/check.py [N] [--workers K]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

from jixiao.accounts.build import build_accounts
from jixiao.accounts.check import check
from jixiao.accounts.classification import economic_catalog, function_catalog
from jixiao.accounts.model import Accounts
from jixiao.accounts.rules import builtin_rules

_SHARED = ("30212", "30217", "30231", "31013")  # kept out: they are tied to the “三公” table


def _cents(rnd: random.Random, low: int, high: int) -> Decimal:
    """An amount in 万元. One in five has four decimals (kept from 元 before rounding), so the
    printed sums show rounding tails at about the rate seed 001 does (8 in its tables)."""
    units = rnd.randint(low, high)
    if rnd.random() < 0.8:
        units -= units % 100  # a whole number of 百元: exact at 0.01 万元
    return Decimal(units) / 10000


def department(i: int) -> Accounts:
    rnd = random.Random(i)
    items3 = [c for c in function_catalog().names if len(c) == 7]
    econ5 = [c for c in economic_catalog().names if len(c) == 5 and c not in _SHARED]
    items = {
        c: (_cents(rnd, 0, 3_000_000), _cents(rnd, 0, 800_000))
        for c in rnd.sample(items3, rnd.randint(10, 20))
    }
    total = sum(b for b, _ in items.values()) * 10000
    codes = rnd.sample(econ5, rnd.randint(8, 20))
    cuts = sorted(rnd.randint(0, int(total)) for _ in range(len(codes) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, int(total)], strict=True)]
    economic = {c: Decimal(p) / 10000 for c, p in zip(codes, parts, strict=True)}
    actual = {"vehicle_running": _cents(rnd, 0, 50_000), "reception": _cents(rnd, 0, 10_000)}
    budget = {k: v + _cents(rnd, 0, 5_000) for k, v in actual.items()}
    opening = _cents(rnd, 0, 100_000)
    acc = build_accounts(
        department=f"测试部门{i:05d}",
        year=2024,
        items=items,
        economic=economic,
        three_public_budget=budget,
        three_public_actual=actual,
        opening=opening,
        closing=opening + _cents(rnd, 0, 100_000),
        initial_budget={c: (b + p) * Decimal("0.95") for c, (b, p) in items.items()},
    )
    if i % 5 == 0:  # one printed figure changed
        data = acc.model_dump()
        row = rnd.choice(data["expense"]["rows"])
        row["total"] = (row.get("total") or Decimal(0)) + Decimal("1.00")
        acc = Accounts.model_validate(data)
    return acc


def _check_range(start: int, stop: int, step: int = 1) -> tuple[float, int, int, float]:
    """Build and check departments start, start + step, … < stop; only the checking is timed.

    Departments are built one at a time and dropped after their check (10,000 built ones
    would hold over 1 GB). Returns (seconds spent checking, departments with an error,
    findings, CPU seconds spent checking)."""
    rules = builtin_rules()
    spent = cpu = 0.0
    errors = findings = 0
    for i in range(start, stop, step):
        acc = department(i)
        t0, c0 = time.perf_counter(), time.process_time()
        report = check(acc, rules=rules)
        spent += time.perf_counter() - t0
        cpu += time.process_time() - c0
        findings += len(report.findings)
        errors += any(f.severity == "error" for f in report.findings)
    return spent, errors, findings, cpu


def _peak_memory(count: int) -> int:
    """The largest extra memory one check allocates (tracemalloc), over ``count`` departments."""
    rules = builtin_rules()
    peak = 0
    tracemalloc.start()
    for i in range(count):
        acc = department(i)
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        check(acc, rules=rules)
        peak = max(peak, tracemalloc.get_traced_memory()[1] - before)
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1: one core)")
    args = parser.parse_args()
    builtin_rules()  # load and compile the rule set once, outside the timing
    check(department(0))  # and warm the caches (catalogs, templates)

    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as pool:
            parts = list(
                pool.map(
                    _check_range,
                    list(range(args.workers)),
                    [args.n] * args.workers,
                    [args.workers] * args.workers,
                )
            )
        # the workers check side by side: the slowest one's checking time is the elapsed time
        elapsed = max(p[0] for p in parts)
        errors = sum(p[1] for p in parts)
        findings = sum(p[2] for p in parts)
        cpu = sum(p[3] for p in parts)  # per CPU-second: all the workers' CPU time
    else:
        elapsed, errors, findings, cpu = _check_range(0, args.n)

    rate = args.n / elapsed
    procs = f"{args.workers} process{'es' if args.workers > 1 else ''}"
    print(
        f"checked {args.n:,} departments in {elapsed:.2f} s of checking: {rate:,.0f} departments/s ({procs}, "
        f"{os.cpu_count()} CPUs; building the synthetic data is not counted)"
    )
    # on a shared machine the wall clock counts the time other processes hold the CPU
    print(f"CPU time of the checking: {cpu:.2f} s: {args.n / cpu:,.0f} departments per CPU-second")
    print(
        f"departments with an error: {errors:,} (expected {len(range(0, args.n, 5)):,}); "
        f"findings: {findings:,}"
    )
    peak = _peak_memory(min(args.n, 1000))
    print(
        f"peak memory of one check (tracemalloc, over {min(args.n, 1000):,} departments): "
        f"{peak / 1024:.0f} KiB"
    )
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("goal ≥ 1,000 departments/s:", "met" if rate >= 1000 else "NOT met")


if __name__ == "__main__":
    main()
