"""Benchmark: validate and score N synthetic submissions on one core, streamed.

    python bench/score.py [N] [--profile]     (default N 10,000; goal ≥ 2,500 per second)

Submissions are made, validated, scored and dropped one at a time, as ``jixiao score`` does
with many files, so the peak memory does not grow with N. Only validation and scoring are
timed.

Beside the figure, the same run times a reference on the same input: a bare loop doing the
same Decimal arithmetic as the scoring rules (each quantitative leaf's full-or-ratio score
clamped and rounded half-up, each qualitative score tested against its band, the execution
rate, every score rate, the level sums, the total, the grade, the printed scores compared),
with the numbers already read. It is timed submission by submission, interleaved with the
real work, so both see the same load on a shared machine; the ratio of the two is the figure
to compare between runs. ``--profile`` prints the top lines of a cProfile of the work.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import resource
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from jixiao import api
from jixiao.core.batch import many_inputs
from jixiao.model.submission import Submission
from jixiao.score.engine import Scorer

LEVELS = {
    "产出指标/数量指标": 25,
    "产出指标/质量指标": 25,
    "效益指标/社会效益指标": 30,
    "满意度指标/服务对象满意度指标": 10,
}
GOAL = 2_500


def synthetic(i: int, rng: random.Random) -> dict:
    """A submission of 20 indicators as departments fill them in: quantitative ones both ways
    (satisfaction always ≥), a qualitative one per level with the evaluator's score, the
    printed score on one in five (right or wrong), a reason for every shortfall."""
    indicators = []
    for parent, total in LEVELS.items():
        n = 5
        for k in range(n):
            weight = Decimal(total) / n
            target = rng.randint(1, 500)
            if k == 4:
                entry = {
                    "path": f"{parent}/定性{k}",
                    "weight": weight,
                    "rule": "qualitative",
                    "tier": "achieved",
                    "score": (weight * Decimal("0.9")).quantize(Decimal("0.01")),
                }
            else:
                sign = "≥" if k % 2 or "满意度" in parent else "≤"
                actual = rng.randint(0, 700)
                entry = {
                    "path": f"{parent}/指标{k}",
                    "weight": weight,
                    "target": f"{sign}{target}个",
                    "actual": f"{actual}个",
                    "score": str(weight) if k == 1 and i % 5 == 0 else None,
                    "deviation_reason": "说明",
                }
            indicators.append(entry)
    budget = Decimal(rng.randint(100, 100000)) / 100
    return {
        "department": f"单位{i}",
        "year": 2024,
        "framework": "national-2020-project",
        "figures": {"budget_total": budget, "spent": budget * Decimal("0.93")},
        "indicators": indicators,
        "stated": {"total": 95},
    }


# -- the reference: the same Decimal arithmetic, numbers already read ---------------------
CENT = Decimal("0.01")
RATE = Decimal("0.0001")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
EXECUTION_WEIGHT = Decimal(10)
BAND = (Decimal("0.8"), Decimal(1))  # the achieved tier
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (ZERO, "差"))

Item = tuple[str, Decimal, Decimal | None, Decimal | None, bool, Decimal | None]


def reference_input(raw: dict) -> tuple[list[Item], Decimal, Decimal, Decimal]:
    """What the reference loop starts from: each leaf's parent, weight, target, actual,
    direction and printed score as Decimals (read here, outside the timing)."""
    items: list[Item] = []
    for e in raw["indicators"]:
        parent = e["path"].rsplit("/", 1)[0]
        printed = Decimal(str(e["score"])) if e.get("score") is not None else None
        if "target" in e:
            target = Decimal(e["target"][1:].rstrip("个"))
            actual = Decimal(e["actual"].rstrip("个"))
            items.append((parent, e["weight"], target, actual, e["target"][0] == "≥", printed))
        else:
            items.append((parent, e["weight"], None, None, True, printed))
    figures = raw["figures"]
    return items, figures["budget_total"], figures["spent"], Decimal(raw["stated"]["total"])


def reference(items: list[Item], budget: Decimal, spent: Decimal, stated: Decimal) -> int:
    """The scoring's Decimal arithmetic in a bare loop; returns the differences found."""
    found = 0
    rate = spent / budget
    score = max(ZERO, min(EXECUTION_WEIGHT * rate, EXECUTION_WEIGHT)).quantize(CENT, ROUND_HALF_UP)
    levels: dict[str, Decimal] = {"预算执行率": score}
    (score / EXECUTION_WEIGHT).quantize(RATE, ROUND_HALF_UP)
    for parent, weight, target, actual, up, printed in items:
        if target is None or actual is None:  # qualitative: the evaluator's score in its band
            score = printed if printed is not None else weight
            if not BAND[0] <= score / weight <= BAND[1]:
                found += 1
        else:
            if up:
                raw = weight if actual >= target else weight * actual / target
            else:
                raw = weight if actual <= target else weight * target / actual
            score = max(ZERO, min(raw, weight)).quantize(CENT, ROUND_HALF_UP)
            if printed is not None and printed != score:
                found += 1
        (score / weight).quantize(RATE, ROUND_HALF_UP)
        levels[parent] = levels.get(parent, ZERO) + score
    tops: dict[str, Decimal] = {}
    for parent, score in levels.items():
        top = parent.split("/", 1)[0]
        tops[top] = tops.get(top, ZERO) + score
    total = sum(tops.values(), ZERO)
    (total / HUNDRED).quantize(RATE, ROUND_HALF_UP)
    grade = next(name for low, name in GRADES if total >= low)
    if abs(total - stated) >= Decimal("0.005") or not grade:
        found += 1
    return found


# -- the run --------------------------------------------------------------------------------
def stream(n: int) -> Iterator[dict]:
    rng = random.Random(20241126)
    for i in range(n):
        yield synthetic(i, rng)


def run(n: int) -> dict[str, float]:
    fw = api.catalog().get("national-2020-project")
    assert fw is not None
    scorer = Scorer(fw)
    clock, cpu = time.perf_counter, time.process_time
    validating = scoring = referencing = 0.0
    work_cpu = reference_cpu = 0.0
    findings = leaves = 0
    with many_inputs():  # as ``jixiao score`` runs over many files
        for raw in stream(n):
            ref_input = reference_input(raw)
            c0, t0 = cpu(), clock()
            sub = Submission.model_validate(raw)
            t1 = clock()
            evaluation = scorer.evaluate(sub)
            t2, c2 = clock(), cpu()
            reference(*ref_input)
            t3, c3 = clock(), cpu()
            validating += t1 - t0
            scoring += t2 - t1
            referencing += t3 - t2
            work_cpu += c2 - c0
            reference_cpu += c3 - c2
            findings += len(evaluation.findings)
            leaves += len(sub.indicators)
    return {
        "validate": validating,
        "score": scoring,
        "reference": referencing,
        "work_cpu": work_cpu,
        "reference_cpu": reference_cpu,
        "findings": findings,
        "leaves": leaves,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print the top lines of a cProfile")
    args = parser.parse_args()
    n = args.n
    run(min(n, 50))  # warm the caches (catalog, plan, parsed writings), outside the timing
    profile = cProfile.Profile() if args.profile else None
    if profile is not None:
        profile.enable()
    r = run(n)
    if profile is not None:
        profile.disable()
    validate, score, ref = r["validate"], r["score"], r["reference"]
    total = validate + score
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"submissions: {n:,}  (indicators: {r['leaves']:,}, findings: {r['findings']:,}; streamed)")
    print(f"validate: {n / validate:,.0f} submissions/s")
    print(f"score:    {n / score:,.0f} submissions/s  ({score * 1e3 / n:.3f} ms each)")
    print(f"total:    {n / total:,.0f} submissions/s (validate + score, one core)")
    print(
        f"reference (bare loop, same Decimal arithmetic, same run): {n / ref:,.0f} submissions/s; "
        f"scoring takes {score / ref:.1f}× the reference, validate + score {total / ref:.1f}×"
    )
    print(
        f"CPU time (what other processes take is not counted): validate + score "
        f"{n / r['work_cpu']:,.0f} submissions per CPU-second, reference "
        f"{n / r['reference_cpu']:,.0f}; ratio {r['work_cpu'] / r['reference_cpu']:.1f}×"
    )
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB")
    verdict = "met" if n / total >= GOAL else "NOT met (see the reference ratio: the machine may be loaded)"
    print(f"goal ≥ {GOAL:,}/s validate + score: {verdict}")
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
