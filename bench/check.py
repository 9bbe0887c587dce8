"""Benchmark: check 10,000 synthetic departments' final accounts (部门决算).

Each department is built consistently from random detail (10 to 20 项 of the catalog, an
economic breakdown of 8 to 20 款, “三公” figures, 年初预算), with rounding tails at about
seed 001's rate; one in five gets one printed figure changed so that the rules have errors
to report. Every department is checked with the standard rule set
(data findings + 73 rules), as ``jixiao check`` does after reading. Departments are built
one by one and dropped after their check; only the checking is timed.

Beside the figure, the same run times a reference on the same departments: a bare loop
evaluating the same sums, that is the cells each rule instance reads on its two sides
(recorded beforehand, outside the timing) added up and compared, with the rounding
tolerance of their count. It is timed department by department, interleaved with the
real checks, so both see the same load; the ratio is the figure to compare between runs.

Prints departments per second, the reference and the ratio, the peak memory one check
allocates (tracemalloc) and the process's peak RSS. Goal: at least 1,500 departments per
second on one core. ``--profile`` prints the top lines of a cProfile of the checks.

    python bench/check.py [N] [--workers K] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import resource
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from functools import cache
from typing import ClassVar

from jixiao.check.accounts.checks import check
from jixiao.check.formulas.ruleset import RuleSet, builtin_rules
from jixiao.core.batch import many_inputs
from jixiao.derive.accounts.build import build_accounts
from jixiao.model import accounts_grid as gridmod
from jixiao.model.accounts import Accounts
from jixiao.model.accounts_grid import TableGrid
from jixiao.model.classification import economic_catalog, economic_classes, function_catalog

GOAL = 1_500
_SHARED = ("30212", "30217", "30231", "31013")  # kept out: they are tied to the “三公” table


def _cents(rnd: random.Random, low: int, high: int) -> Decimal:
    """An amount in 万元. One in five has four decimals (kept from 元 before rounding), so the
    printed sums show rounding tails at about the rate seed 001 does (8 in its tables)."""
    units = rnd.randint(low, high)
    if rnd.random() < 0.8:
        units -= units % 100  # a whole number of 百元: exact at 0.01 万元
    return Decimal(units) / 10000


@cache
def _ECONOMIC_SECTIONS() -> list[str]:  # a constant, computed once
    """The 款 of the economic catalog whose 类 公开06表 prints (the ones a department's basic
    expenditure is broken down by), less those tied to the “三公” table."""
    catalog, kinds = economic_catalog(), economic_classes()
    return [c for c in catalog.names if len(c) == 5 and c not in _SHARED and catalog.parent(c) in kinds]


def department(i: int) -> Accounts:
    rnd = random.Random(i)
    items3 = [c for c in function_catalog().names if len(c) == 7]
    econ5 = _ECONOMIC_SECTIONS()
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


# -- the reference: the same sums in a bare loop ------------------------------------------
class _Cells(dict):  # type: ignore[type-arg]
    """A row whose reads are recorded (only to find, before the timing, what a rule reads)."""

    log: ClassVar[list[Decimal]] = []

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        value = dict.get(self, key, default)
        if value is not None and value.__class__ is Decimal:
            _Cells.log.append(value)
        return value


class _Sums(dict):  # type: ignore[type-arg]
    """A table's sums of children: reading one records the children it adds up."""

    def __init__(self, found: dict, terms: dict) -> None:  # type: ignore[type-arg]
        super().__init__(found)
        self.terms = terms

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        value = dict.get(self, key, default)
        if value is not None:
            _Cells.log.extend(self.terms.get(key, ()))
        return value


class _Recording(TableGrid):
    __slots__ = ()

    def child_sums(self, column: str) -> dict[str, tuple[Decimal, int]]:
        found = TableGrid.child_sums(self, column)
        terms: dict[str, list[Decimal]] = {}
        for code, parent in self.parents_of().items():
            value = dict.get(self.rows[code], column)
            if parent is not None and value is not None:
                terms.setdefault(parent, []).append(value)
        return _Sums(found, terms)


def _recording(grid: dict[str, TableGrid]) -> dict[str, TableGrid]:
    out: dict[str, TableGrid] = {}
    for tid, table in grid.items():
        copy = _Recording(table.id, table.catalog)
        for key, cells in table.rows.items():
            copy.add(key, _Cells(cells), coded=key in table.codes)
        out[tid] = copy
    return out


def reference_input(acc: Accounts, rules: RuleSet) -> list[tuple[list[Decimal], list[Decimal]]]:
    """The cells each rule instance reads on its left and its right side, in the order the
    check runs them (columns where the rule has nothing to read are skipped as it skips them)."""
    grid = gridmod.build(acc)
    rec = _recording(grid)
    out: list[tuple[list[Decimal], list[Decimal]]] = []
    log = _Cells.log
    for rule in rules.rules:
        rows = list(rule.domain(rec, None, None)) if rule.domain is not None else [None]
        dead = set()
        if rule.dollar_tables:
            printed = {c for c in rule.columns if any(grid[t].printed(c) for t in rule.dollar_tables if c)}
            dead = {c for c in rule.columns if c is not None and c not in printed}
        for row in rows:
            for column in rule.columns:
                if column in dead:
                    continue
                log.clear()
                rule.left(rec, row, column)
                left = list(log)
                log.clear()
                rule.right(rec, row, column)
                out.append((left, list(log)))
    log.clear()
    return out


_ZERO = Decimal(0)
_TOLERANCE = tuple(Decimal(n) * Decimal("0.005") for n in range(512))


def reference(instances: list[tuple[list[Decimal], list[Decimal]]]) -> int:
    """The same sums added up and compared, the tail tolerance tested: a bare loop."""
    differ = 0
    for left_terms, right_terms in instances:
        left = _ZERO
        for v in left_terms:
            left += v
        right = _ZERO
        for v in right_terms:
            right += v
        gap = abs(left - right)
        if gap and gap > _TOLERANCE[min(len(left_terms) + len(right_terms), 511)]:
            differ += 1
    return differ


def _check_range(start: int, stop: int, step: int = 1) -> tuple[float, int, int, float, float, float]:
    """Build and check departments start, start + step, … < stop; only the checking (and the
    reference beside it) is timed.

    Departments are built one at a time and dropped after their check (10,000 built ones
    would hold over 1 GB). Returns (seconds spent checking, departments with an error,
    findings, CPU seconds spent checking, seconds and CPU seconds spent by the reference)."""
    rules = builtin_rules()
    spent = cpu = ref = ref_cpu = 0.0
    errors = findings = 0
    with many_inputs():  # as ``jixiao check`` runs over many files
        for i in range(start, stop, step):
            acc = department(i)
            instances = reference_input(acc, rules)
            t0, c0 = time.perf_counter(), time.process_time()
            report = check(acc, rules=rules)
            t1, c1 = time.perf_counter(), time.process_time()
            reference(instances)
            ref += time.perf_counter() - t1
            ref_cpu += time.process_time() - c1
            spent += t1 - t0
            cpu += c1 - c0
            findings += len(report.findings)
            errors += any(f.severity == "error" for f in report.findings)
    return spent, errors, findings, cpu, ref, ref_cpu


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
    parser.add_argument("--profile", action="store_true", help="print the top lines of a cProfile")
    args = parser.parse_args()
    builtin_rules()  # load and compile the rule set once, outside the timing
    check(department(0))  # and warm the caches (catalogs, templates)
    if args.profile:
        _profile(min(args.n, 1000))
        return

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
        ref = max(p[4] for p in parts)
        ref_cpu = sum(p[5] for p in parts)
    else:
        elapsed, errors, findings, cpu, ref, ref_cpu = _check_range(0, args.n)

    rate = args.n / elapsed
    procs = f"{args.workers} process{'es' if args.workers > 1 else ''}"
    print(
        f"checked {args.n:,} departments in {elapsed:.2f} s of checking: {rate:,.0f} departments/s ({procs}, "
        f"{os.cpu_count()} CPUs; building the synthetic data is not counted)"
    )
    print(
        f"reference (bare loop, the same sums, same run): {args.n / ref:,.0f} departments/s; "
        f"checking takes {elapsed / ref:.1f}× the reference"
    )
    # on a shared machine the wall clock counts the time other processes hold the CPU
    print(
        f"CPU time of the checking: {cpu:.2f} s: {args.n / cpu:,.0f} departments per CPU-second; "
        f"reference {args.n / ref_cpu:,.0f}; ratio {cpu / ref_cpu:.1f}×"
    )
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
    verdict = "met" if rate >= GOAL else "NOT met (see the reference ratio: the machine may be loaded)"
    print(f"goal ≥ {GOAL:,} departments/s:", verdict)


def _profile(count: int) -> None:
    """The top lines of a cProfile of checking ``count`` departments (built beforehand)."""
    rules = builtin_rules()
    accounts = [department(i) for i in range(count)]
    profile = cProfile.Profile()
    with many_inputs():
        profile.enable()
        for acc in accounts:
            check(acc, rules=rules)
        profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
