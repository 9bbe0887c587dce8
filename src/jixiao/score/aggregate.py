"""Roll several projects' self-evaluations up into one, weighted by funds.

The rule of the Hubei form (notes 2 and 3): quantitative values are summed when absolute
and averaged with the fund amount as weight when relative (a rate); the score is then
computed on the aggregate ("先汇总完成数，再计算得分"). Qualitative scores are averaged
with the fund amount as weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jixiao.core.findings import InputError, Location, finding
from jixiao.core.numbers import COMPARATOR_SIGN, ZERO, Measure, parse_measure, plain
from jixiao.model.framework import RuleKind
from jixiao.model.submission import Entry, Submission


def fund_of(submission: Submission) -> Decimal | None:
    """A project's fund amount: its 全年预算数 (else its 执行数)."""
    return submission.figure("budget_total") or submission.figure("spent")


def weighted_mean(pairs: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ value × fund / Σ fund over (fund, value) pairs; None when the funds add up to 0."""
    funds = sum((f for f, _ in pairs), ZERO)
    if funds == 0:
        return None
    return sum((f * v for f, v in pairs), ZERO) / funds


def weighted_total(scored: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """A department figure from projects' totals, weighted by funds: (fund, total) pairs."""
    return weighted_mean(scored)


def _combine(values: list[tuple[Decimal, Measure]]) -> Measure:
    unit = values[0][1].unit
    relative = unit == "%"
    if relative:
        mean = weighted_mean([(f, m.value) for f, m in values if m.value is not None])
        value = mean if mean is not None else ZERO
    else:
        value = sum((m.value for _, m in values if m.value is not None), ZERO)
    comparator = values[0][1].comparator
    sign = COMPARATOR_SIGN[comparator] if comparator is not None else ""
    text = sign + (f"{plain(value * 100)}%" if relative else f"{plain(value)}{unit}")
    return Measure(text=text, value=value, unit=unit, comparator=comparator)


def aggregate(submissions: Sequence[Submission], *, project: str | None = None) -> Submission:
    """One submission from several of the same framework (e.g. a department's projects).

    Raises InputError when the projects use different frameworks or lack fund amounts.
    """
    if not submissions:
        raise InputError([finding("invalid-structure", Location(), detail="没有可汇总的项目")])
    frameworks = {s.framework for s in submissions}
    if len(frameworks) > 1:
        detail = f"汇总的项目使用了不同的指标体系：{'、'.join(sorted(frameworks))}"
        raise InputError([finding("invalid-structure", Location(), detail=detail)])
    funds = []
    for s in submissions:
        fund = fund_of(s)
        if fund is None:
            raise InputError(
                [finding("missing-field", Location(indicator=s.title), name="全年预算数（budget_total）")]
            )
        funds.append(fund)
    by_path: dict[str, list[tuple[Decimal, Entry]]] = {}
    for fund, s in zip(funds, submissions, strict=True):
        for e in s.indicators:
            by_path.setdefault(e.path, []).append((fund, e))
    entries = [_aggregate_entry(path, pairs) for path, pairs in by_path.items()]
    figures: dict[str, Decimal] = {}
    for s in submissions:
        for name, value in s.figures.items():
            figures[name] = figures.get(name, ZERO) + value
    first = submissions[0]
    return Submission(
        department=first.department,
        project=project,
        year=first.year,
        framework=first.framework,
        origin=first.origin,
        figures=figures,
        indicators=tuple(entries),
    )


def _aggregate_entry(path: str, pairs: list[tuple[Decimal, Entry]]) -> Entry:
    first = pairs[0][1]
    updates: dict[str, object] = {"score": None, "line": None, "score_rate": None}
    numeric = []
    for fund, e in pairs:
        actual = parse_measure(e.actual) if e.actual is not None else None
        if actual is not None and actual.value is not None:
            numeric.append((fund, actual))
    if first.rule is RuleKind.qualitative or first.tier is not None or not numeric:
        scored = [(f, parse_measure(e.score).value) for f, e in pairs if e.score is not None]
        mean = weighted_mean([(f, v) for f, v in scored if v is not None]) if scored else None
        updates["score"] = mean
    else:
        updates["actual"] = _combine(numeric).text
        targets = [(f, parse_measure(e.target)) for f, e in pairs if e.target is not None]
        if targets and targets[0][1].unit != "%":
            updates["target"] = _combine(targets).text if len(targets) == len(pairs) else first.target
    return first.model_copy(update=updates)
