"""Scoring rules: each a small pure function of weight, target and actual (all Decimal).

They return the unrounded score; the engine rounds with the framework's setting. A rule
never returns more than the weight nor less than zero.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from jixiao.core.numbers import ONE, ZERO, Comparator
from jixiao.model.framework import Band, ReverseRule


def _clamp(value: Decimal, weight: Decimal) -> Decimal:
    return max(ZERO, min(value, weight))


def at_least(weight: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """正向指标: full weight when actual ≥ target, else weight × actual / target.

    ``target`` must be positive (a zero target is refused by the engine before this).
    """
    if actual >= target:
        return weight
    return _clamp(weight * actual / target, weight)


def at_most_ratio(weight: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """反向指标 (ratio): full weight when actual ≤ target, else weight × target / actual."""
    if actual <= target:
        return weight
    return _clamp(weight * target / actual, weight)


def at_most_linear(weight: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """反向指标 (linear): full when actual ≤ target; weight × (1 − (actual − target) / target);
    zero from actual ≥ 2 × target. With a zero target anything above it scores zero."""
    if actual <= target:
        return weight
    if target <= 0:
        return ZERO
    return _clamp(weight * (ONE - (actual - target) / target), weight)


def equal(weight: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """等于指标: with target 0, full when actual ≤ 0 else zero; otherwise as 正向."""
    if target == 0:
        return weight if actual <= 0 else ZERO
    if actual == target:
        return weight
    return at_least(weight, target, min(actual, target)) if actual < target else weight


def quantitative(
    weight: Decimal,
    target: Decimal,
    actual: Decimal,
    direction: Comparator,
    reverse: ReverseRule = ReverseRule.ratio,
) -> Decimal:
    """Dispatch on the direction (and, for 反向, the framework's reverse rule)."""
    if direction is Comparator.at_least:
        return at_least(weight, target, actual)
    if direction is Comparator.at_most:
        if reverse is ReverseRule.linear:
            return at_most_linear(weight, target, actual)
        return at_most_ratio(weight, target, actual)
    return equal(weight, target, actual)


@cache
def quantitative_text(direction: Comparator, reverse: ReverseRule = ReverseRule.ratio) -> str:
    """The rule in words, for Findings and documents."""
    if direction is Comparator.at_least:
        return "正向指标：达到指标值得满分，否则 分值×完成值/指标值"
    if direction is Comparator.at_most:
        if reverse is ReverseRule.linear:
            return "反向指标：不超过指标值得满分，否则 分值×(1−(完成值−指标值)/指标值)"
        return "反向指标：不超过指标值得满分，否则 分值×指标值/完成值"
    return "等于指标：等于指标值得满分"


def execution_rate(weight: Decimal, rate: Decimal) -> Decimal:
    """预算执行率: weight × rate, never above the weight nor below zero."""
    return _clamp(weight * rate, weight)


def in_band(weight: Decimal, score: Decimal, band: Band) -> bool:
    """Whether a qualitative ``score`` lies in ``band`` (fractions of ``weight``)."""
    if weight == 0:
        return score == 0
    return band.contains(score / weight)


def band_top(weight: Decimal, band: Band, step: Decimal = Decimal("0.01")) -> Decimal:
    """The highest score the band allows (one step below an exclusive upper bound)."""
    top = weight * band.high
    return top if band.high_inclusive else max(weight * band.low, top - step)


_NEGATIONS = ("不", "未", "无", "没有", "非")


def judgement(weight: Decimal, actual: str, target: str | None, pass_values: tuple[str, ...]) -> Decimal:
    """是否判断 (相关/合规/健全 …): full weight when the answer passes, zero otherwise.

    An answer passes when it equals the target, or is one of ``pass_values``; a negated
    answer ('不合规', '未公开') never passes.
    """
    answer = actual.strip()
    if any(answer.startswith(n) for n in _NEGATIONS):
        return ZERO
    if target and answer == target.strip():
        return weight
    return weight if answer in pass_values else ZERO


def deduction(weight: Decimal, per_case: Decimal, cases: int) -> Decimal:
    """扣分: per_case points off for each case found, down to zero (扣完为止)."""
    return _clamp(weight - per_case * cases, weight)
