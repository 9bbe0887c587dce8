"""Benchmark: check 10,000 synthetic departments' final accounts (部门决算).

Each department is built consistently from random detail (10 to 20 项 of the catalog, an
economic breakdown of 8 to 20 款, “三公” figures), with real rounding tails; one in five
gets one printed figure changed so that the rules have errors to report. The accounts are
built first (not timed); then every department is checked with the standard rule set
(data findings + 73 rules), as ``jixiao check`` does after reading.

Prints departments per second and the peak memory of the checking (tracemalloc). Goal:
at least 1,000 departments per second.

    python bench/check.py [N] [--workers K]
"""

from __future__ import annotations

import argparse
import os
import random
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
    return Decimal(rnd.randint(low, high)) / 10000  # four decimals: printed figures have tails


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


def _check_many(accounts: list[Accounts]) -> tuple[int, int]:
    rules = builtin_rules()
    errors = 0
    findings = 0
    for acc in accounts:
        report = check(acc, rules=rules)
        findings += len(report.findings)
        errors += any(f.severity == "error" for f in report.findings)
    return errors, findings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1: one core)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    accounts = [department(i) for i in range(args.n)]
    built = time.perf_counter() - t0
    print(f"built {args.n} departments in {built:.1f} s (not timed below)")
    builtin_rules()  # load and compile the rule set once, outside the timing

    if args.workers > 1:
        chunks = [accounts[k :: args.workers] for k in range(args.workers)]
        t0 = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as pool:
            results = list(pool.map(_check_many, chunks))
        elapsed = time.perf_counter() - t0
        errors = sum(r[0] for r in results)
        findings = sum(r[1] for r in results)
        peak = None
    else:
        tracemalloc.start()
        t0 = time.perf_counter()
        errors, findings = _check_many(accounts)
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # tracemalloc slows Python down; time once more without it for the rate
        t0 = time.perf_counter()
        _check_many(accounts)
        elapsed = time.perf_counter() - t0

    rate = args.n / elapsed
    print(
        f"checked {args.n} departments in {elapsed:.2f} s: {rate:,.0f} departments/s "
        f"({args.workers} process{'es' if args.workers > 1 else ''}, {os.cpu_count()} CPUs)"
    )
    print(f"departments with an error: {errors} (expected {len(range(0, args.n, 5))}); findings: {findings}")
    if peak is not None:
        print(f"peak memory while checking (tracemalloc): {peak / 1024 / 1024:.1f} MiB")
    print("goal ≥ 1,000 departments/s:", "met" if rate >= 1000 else "NOT met")


if __name__ == "__main__":
    main()
