"""Benchmark: score N synthetic submissions on one core; print submissions/s and peak memory.

python bench/score.py [N]      (default 10,000; goal: at least 2,000 per second)
"""

from __future__ import annotations

import random
import resource
import sys
import time
from decimal import Decimal

from jixiao import api
from jixiao.model.submission import Submission
from jixiao.score.engine import Scorer

LEVELS = {
    "产出指标/数量指标": 25,
    "产出指标/质量指标": 25,
    "效益指标/社会效益指标": 30,
    "满意度指标/服务对象满意度指标": 10,
}


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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(20241126)
    raw = [synthetic(i, rng) for i in range(n)]
    t0 = time.perf_counter()
    subs = [Submission.model_validate(r) for r in raw]
    t1 = time.perf_counter()
    fw = api.catalog().get("national-2020-project")
    assert fw is not None
    scorer = Scorer(fw)
    findings = 0
    for sub in subs:
        findings += len(scorer.evaluate(sub).findings)
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    leaves = sum(len(s.indicators) for s in subs)
    print(f"submissions: {n}  (indicators: {leaves}, findings: {findings})")
    print(f"validate: {n / (t1 - t0):,.0f} submissions/s")
    print(f"score:    {n / (t2 - t1):,.0f} submissions/s  ({(t2 - t1) * 1e3 / n:.3f} ms each)")
    print(f"total:    {n / (t2 - t0):,.0f} submissions/s (validate + score, one core)")
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
