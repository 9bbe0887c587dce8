"""What a document printed: scores, subtotals and rates as written, read into numbers.

A printed value is compared at the precision it was printed with; a score written as a
percentage is reported (``score-as-percent``) and converted with the indicator's weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jixiao.core.findings import Finding, Location, finding
from jixiao.core.numbers import (
    HALF_CENT,
    HUNDRED,
    Measure,
    NumberFormatError,
    parse_measure,
    percent_of,
    percent_text,
    plain,
)
from jixiao.model.submission import Written
from jixiao.score.results import IndicatorResult


def close(a: Decimal, b: Decimal) -> bool:
    """Two scores agree when they differ by less than half a hundredth."""
    return abs(a - b) < HALF_CENT


def rate_close(stated: Decimal, computed: Decimal, written: Written | None) -> bool:
    """A printed rate agrees when it equals the computed one at the printed precision."""
    places = percent_places(written)
    return percent_of(stated, places) == percent_of(computed, places)


def percent_places(written: Written | None) -> int:
    """Decimals of a printed percentage: '87.65%' -> 2, '100%' -> 0."""
    text = str(written or "").replace("%", "").replace("％", "")
    return len(text.split(".")[1]) if "." in text else 0


def text(value: Written | None) -> str | None:
    """A written value as text ('97', '≥90%'), None stays None."""
    if value is None or type(value) is str:
        return value
    return plain(value) if isinstance(value, Decimal) else str(value)


def as_fraction(measure: Measure, value: Decimal) -> Decimal:
    """A rate as a fraction: '87.65%' is one already; a bare 87.65 is read as a percentage."""
    if measure.unit == "%" or value <= 1:
        return value
    return value / HUNDRED


def _read(written: Written, where: Location, fld: str, what: str, findings: list[Finding]) -> Measure | None:
    """``written`` read as a number, or None with an ``invalid-number`` Finding."""
    try:
        measure = parse_measure(written)
    except NumberFormatError as exc:
        findings.append(finding("invalid-number", where.merged(field=fld), detail=str(exc)))
        return None
    if measure.value is None:
        detail = f"{what}“{written}”不是数字"
        findings.append(finding("invalid-number", where.merged(field=fld), detail=detail))
        return None
    return measure


def score(
    written: Written | None, weight: Decimal | None, where: Location, findings: list[Finding]
) -> Decimal | None:
    """A printed score as a number; one written as a percentage is reported and converted."""
    if written is None:
        return None
    measure = _read(written, where, "score", "得分", findings)
    if measure is None or measure.value is None:
        return None
    if measure.unit == "%":
        converted = measure.value * weight if weight is not None else None
        findings.append(
            finding(
                "score-as-percent",
                where.merged(field="score"),
                printed=str(written),
                expected=plain(converted) if converted is not None else "?",
                weight=plain(weight) if weight is not None else "?",
            )
        )
        return converted
    return measure.value


def rate(written: Written, where: Location, findings: list[Finding]) -> Decimal | None:
    """A printed 得分率 or 执行率 as a fraction."""
    measure = _read(written, where, "score_rate", "比率", findings)
    if measure is None or measure.value is None:
        return None
    return as_fraction(measure, measure.value)


def value_of(result: IndicatorResult) -> Decimal | None:
    """The printed score of an indicator: its own, else the sum of its children's."""
    if result.stated is not None:
        try:
            measure = parse_measure(result.stated)
        except NumberFormatError:
            return None
        if measure.value is None:
            return None
        if measure.unit == "%" and result.weight is not None:
            return measure.value * result.weight
        return measure.value
    if result.children:
        return sum_of(result.children)
    return None


def sum_of(results: Sequence[IndicatorResult]) -> Decimal | None:
    """Sum of the printed scores of ``results``, None when one is not printed."""
    total = Decimal(0)
    for r in results:
        value = value_of(r)
        if value is None:
            return None
        total += value
    return total


def rate_mismatch(
    written: Written, basis: Decimal, weight: Decimal, where: Location, findings: list[Finding]
) -> None:
    """Report a printed 得分率 that is not ``basis`` / ``weight``."""
    printed = rate(written, where, findings)
    if printed is None:
        return
    expected = basis / weight
    if not rate_close(printed, expected, written):
        findings.append(
            finding(
                "score-rate-mismatch",
                where.merged(field="score_rate"),
                printed=text(written),
                expected=percent_text(expected),
                score=plain(basis),
                weight=plain(weight),
            )
        )
