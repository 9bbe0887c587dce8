"""Numbers as the documents write them, and as jixiao computes with them.

Every amount, rate and score is a :class:`decimal.Decimal`; ``float`` never enters.

* ``Money``  -- an amount in 万元 unless a field says otherwise.
* ``Rate``   -- a ratio as a fraction: 0.9125 means 91.25%.
* ``Score``  -- points (分), usually out of a weight.

Rounding is 四舍五入 (ROUND_HALF_UP) at the end of a computation; a framework may ask for
another rounding of scores (whole points, truncation), see :class:`Rounding`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from jixiao.core import limits
from jixiao.core.findings import quoted

#: Below this many characters a Decimal's text cannot hold more than 28 digits (its text
#: writes every digit), so the digit count need not be taken apart.
_SHORT_TEXT = 29


def _sane(value: Decimal) -> Decimal:
    """Refuse what no computation of ours yields: text such as '999…9' quoted in a file.

    Computed values (scores, rates) also pass here, so the bounds are the Decimal
    context's 28 digits and twice the input exponent, not the tighter input limits.
    NumberFormatError is a ValueError: pydantic reports it with the field's place.

    Runs on every Decimal field of every model validated, so the usual case (a finite
    number of a few digits) is decided by two cheap tests before the exact ones.
    """
    if value.is_finite():
        if not value:
            return value
        bound = 2 * limits.LIMITS.number_exponent
        if -bound <= value.adjusted() <= bound and (
            len(str(value)) < _SHORT_TEXT or len(value.as_tuple().digits) <= 28
        ):
            return value
    if not value.is_finite() or len(value.as_tuple().digits) > 28:
        raise NumberFormatError(f"“{quoted(value)}”不是有效的数值（位数过多或不是有限数）")
    raise NumberFormatError(f"“{quoted(value)}”的数量级超出范围")


#: Every Decimal field of the models: quoted text such as '999…9' is checked like a number;
#: serialised as a plain string, it keeps every digit through JSON.
Dec = Annotated[
    Decimal,
    AfterValidator(_sane),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
]
Money = Dec
Rate = Dec
Score = Dec

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
#: Half a cent: a figure printed to two decimals (an amount in 万元, a score) stands for any
#: value less than this away; two such figures agree when they differ by less.
HALF_CENT = Decimal("0.005")


def tail_tolerance(n_terms: int) -> Decimal:
    """The rounding tail (尾差) allowed between a sum and ``n_terms`` printed terms: each term
    rounded to the cent is off by at most half a cent, so n × 0.005. Callers count the printed
    total as a term where it is itself rounded (parts + 1)."""
    return HALF_CENT * n_terms


#: 1, 0.1, 0.01 … : the quantum of each number of decimal places (built once).
_STEPS = tuple(Decimal(1).scaleb(-p) for p in range(12))


def _step(places: int) -> Decimal:
    return _STEPS[places] if 0 <= places < len(_STEPS) else Decimal(1).scaleb(-places)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """四舍五入 ``value`` to ``places`` decimal places."""
    return quantized(value, _step(places))


def quantized(value: Decimal, step: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` rounded to ``step`` in a context wide enough for its digits: a huge value is
    rounded exactly, not refused by the default 28-digit context."""
    try:
        return value.quantize(step, rounding=rounding)
    except InvalidOperation:
        if not value.is_finite():
            raise
    digits = value.adjusted() - int(step.as_tuple().exponent) + 2
    return value.quantize(step, rounding=rounding, context=Context(prec=max(28, digits)))


class RoundingMode(StrEnum):
    half_up = "half_up"  # 四舍五入
    down = "down"  # 截断 (truncate towards zero)


_ROUNDINGS = {RoundingMode.half_up: ROUND_HALF_UP, RoundingMode.down: ROUND_DOWN}


class Rounding(BaseModel):
    """How a framework rounds scores: ``places`` decimals, ``mode`` half-up or truncation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    places: int = Field(default=2, ge=0, le=10)
    mode: RoundingMode = RoundingMode.half_up

    def apply(self, value: Decimal) -> Decimal:
        return quantized(value, _step(self.places), _ROUNDINGS[self.mode])

    def describe(self) -> str:
        how = "四舍五入" if self.mode is RoundingMode.half_up else "截断"
        return f"{how}保留{self.places}位小数" if self.places else f"{how}取整"


#: Roundings tried when a printed score matches neither the rule nor the framework's rounding.
ALTERNATIVE_ROUNDINGS = (
    Rounding(places=2),
    Rounding(places=1),
    Rounding(places=0),
    Rounding(places=2, mode=RoundingMode.down),
    Rounding(places=1, mode=RoundingMode.down),
    Rounding(places=0, mode=RoundingMode.down),
)


def money_text(value: Decimal) -> str:
    """An amount in 万元 as printed: two decimals, 四舍五入 (512.3 -> '512.30')."""
    return f"{round_half_up(value, 2)}"


def percent_of(rate: Decimal, places: int = 2) -> Decimal:
    """A fraction as the percentage printed with ``places`` decimals, 四舍五入: 0.8765 -> 87.65."""
    return round_half_up(rate * HUNDRED, places)


def percent_text(rate: Decimal, places: int = 2) -> str:
    """0.8765 -> '87.65%'."""
    return f"{percent_of(rate, places)}%"


def plain(value: Decimal) -> str:
    """A Decimal without exponent and without trailing zeros ('97', '3.68')."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class Comparator(StrEnum):
    """How a target reads: ≥ (正向), ≤ (反向), = (等于)."""

    at_least = "at_least"
    at_most = "at_most"
    equal = "equal"


COMPARATOR_SIGN = {Comparator.at_least: "≥", Comparator.at_most: "≤", Comparator.equal: "="}


class NumberFormatError(ValueError):
    """Text that should be a number but is not; the message is Chinese and user-facing."""


# Units whose values convert into one another (to 万元).
MONEY_UNITS = {"元": Decimal("0.0001"), "万元": ONE, "亿元": Decimal(10000)}

_PREFIX = [
    ("不低于", Comparator.at_least),
    ("不少于", Comparator.at_least),
    ("不小于", Comparator.at_least),
    ("大于等于", Comparator.at_least),
    ("不高于", Comparator.at_most),
    ("不超过", Comparator.at_most),
    ("不多于", Comparator.at_most),
    ("不大于", Comparator.at_most),
    ("小于等于", Comparator.at_most),
    (">=", Comparator.at_least),
    ("<=", Comparator.at_most),
    ("≥", Comparator.at_least),
    ("≧", Comparator.at_least),
    ("⩾", Comparator.at_least),
    ("＞", Comparator.at_least),
    (">", Comparator.at_least),
    ("≤", Comparator.at_most),
    ("≦", Comparator.at_most),
    ("⩽", Comparator.at_most),
    ("＜", Comparator.at_most),
    ("<", Comparator.at_most),
    ("＝", Comparator.equal),
    ("=", Comparator.equal),
]
_SUFFIX = [
    ("及以上", Comparator.at_least),
    ("以上", Comparator.at_least),
    ("及以下", Comparator.at_most),
    ("以下", Comparator.at_most),
    ("以内", Comparator.at_most),
]
_SPACED_DIGITS = re.compile(r"\d[\s\u3000]+\d")
_LEADING_NUMBER = re.compile(r"^([+-]?[\d.,]+)(.*)$")
_UNIT = re.compile(r"%|‰|[\u4e00-\u9fffA-Za-z/·²³]+")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_LETTER_O = re.compile(r"^[OoＯｏ](?![A-Za-z])")
#: Words float() would read as numbers; in a target or actual cell they are mistakes.
_NOT_FINITE = frozenset({"nan", "inf", "infinity", "snan"})
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，－＋", "0123456789.%,-+")


@dataclass(frozen=True, slots=True)
class Measure:
    """A value as written in a target or actual cell.

    ``value`` is the number (a percentage is stored as a fraction, 90% -> 0.90) or None for
    text; ``unit`` is '%', '万元', '个', ... or '' ; ``comparator`` is the written ≥/≤/=, or
    None when the text carries none; ``text`` is the original writing.
    """

    text: str
    value: Decimal | None
    unit: str = ""
    comparator: Comparator | None = None

    @property
    def is_number(self) -> bool:
        return self.value is not None


def check_magnitude(value: Decimal, text: object = None) -> Decimal:
    """``value`` itself, or NumberFormatError when it is not finite or absurdly long or large.

    Read numbers pass through here so that ``1e-999999999`` or 5,000 digits, which would
    take gigabytes when printed or quantized, are refused where they are read
    (limits: ``number_digits``, ``number_exponent``).
    """

    def refused(why: str) -> NumberFormatError:  # the value quoted only when refused
        return NumberFormatError(f"“{quoted(value if text is None else text)}”{why}")

    if not value.is_finite():
        raise refused("不是有限的数值")
    lim = limits.LIMITS
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if value and not -lim.number_exponent <= value.adjusted() <= lim.number_exponent:
        raise refused(f"的数量级超出范围（应在 1e-{lim.number_exponent} 与 1e{lim.number_exponent} 之间）")
    if len(digits) > lim.number_digits or exponent < -(lim.number_digits + lim.number_exponent):
        raise refused(f"的位数过多（有效数字最多 {lim.number_digits} 位）")
    return value


#: a number written as digits with at most one decimal point, nothing around them
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def plain_number(text: str) -> Decimal | None:
    """``text`` as a Decimal when it is plain digits (an optional point, no sign, unit or
    blank) within every bound :func:`check_magnitude` tests: what the general parser would
    give it, read at once. None for anything else, which the caller reads the general way."""
    lim = limits.LIMITS
    if len(text) > lim.number_digits or not _PLAIN.fullmatch(text):
        return None
    value = Decimal(text)
    if value and not -lim.number_exponent <= value.adjusted() <= lim.number_exponent:
        return None
    return value


def to_decimal(raw: object) -> Decimal:
    """Convert a YAML/JSON/Excel scalar or a written number to Decimal, or raise NumberFormatError."""
    if isinstance(raw, Decimal):
        return check_magnitude(raw)
    if isinstance(raw, bool):
        raise NumberFormatError(f"“{raw}”不是数字")
    if isinstance(raw, int):
        if abs(raw) >= 10 ** (limits.LIMITS.number_exponent + 1):
            raise NumberFormatError(f"“{quoted(raw)}”的数量级超出范围")
        return Decimal(raw)
    if isinstance(raw, float):
        # Only reached from foreign callers; repr keeps the shortest faithful text.
        return check_magnitude(Decimal(repr(raw)))
    measure = parse_measure(str(raw))
    if measure.value is None:
        raise NumberFormatError(f"“{raw}”不是数字")
    return measure.value


def parse_measure(raw: object) -> Measure:
    """Read every way the documents write a target or actual value.

    '90%', '≥90%', '≧90%', '90％', '≦10%', '100%以上', '1234.5万元', '7个', '49人' are
    numbers; '达标', '提升', '相关' are text (value None). Raises NumberFormatError for
    malformed numbers such as '9O%' or '1.2.3'.
    """
    if type(raw) is str:  # the usual case, first
        return _parse_text(raw.strip())
    if isinstance(raw, Decimal | int) and not isinstance(raw, bool):
        value = to_decimal(raw)
        return Measure(text=str(value), value=value)
    return _parse_text(str(raw).strip())


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> Measure:
    """parse_measure on text; cached, as the same writings recur in every submission."""
    s = text.translate(_FULLWIDTH)
    if s.strip().lstrip("+-").lower() in _NOT_FINITE:
        raise NumberFormatError(f"“{quoted(text)}”不是有效的数字")
    if _SPACED_DIGITS.search(s):
        raise NumberFormatError(f"“{text}”数字中间有空格")
    s = s.replace(" ", "").replace("\u3000", "")
    comparator: Comparator | None = None
    for prefix, comp in _PREFIX:
        if s.startswith(prefix):
            comparator, s = comp, s[len(prefix) :]
            break
    for suffix, comp in _SUFFIX:
        if s.endswith(suffix):
            comparator, s = comparator or comp, s[: -len(suffix)]
            break
    m = _LEADING_NUMBER.match(s)
    if not m:
        if comparator is not None:
            raise NumberFormatError(f"“{text}”有比较符号但没有数值")
        return Measure(text=text, value=None)
    number, unit = m.group(1), m.group(2)
    if _LETTER_O.match(unit):
        # '9O%' and '≥6O场' alike: a letter O typed for the digit 0 is never a unit.
        raise NumberFormatError(f"“{text}”中的“{unit[0]}”是字母，不是数字 0")
    if not _NUMBER.match(number):
        raise NumberFormatError(f"“{text}”不是有效的数字")
    if unit and not _UNIT.fullmatch(unit):
        raise NumberFormatError(f"“{text}”不是有效的数字")
    try:
        value = check_magnitude(Decimal(number.replace(",", "")), text)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise NumberFormatError(f"“{text}”不是有效的数字") from exc
    if unit == "%":
        value = value / HUNDRED
    elif unit == "‰":
        value, unit = value / Decimal(1000), "%"
    return Measure(text=text, value=value, unit=unit, comparator=comparator)


def convert_money(value: Decimal, unit: str, to: str = "万元") -> Decimal | None:
    """Convert between 元 / 万元 / 亿元; None when either unit is not money."""
    if unit not in MONEY_UNITS or to not in MONEY_UNITS:
        return None
    return value * MONEY_UNITS[unit] / MONEY_UNITS[to]


# -- what a printed (rounded) figure allows ------------------------------------------------
Interval = tuple[Decimal, Decimal]


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last digit ``value`` was written with: 43.2 -> 0.05, 19 -> 0.5.

    A Decimal keeps the exponent of its text (and of a unit conversion: 17000元 as
    Decimal('1.7000')万元), so the written precision travels with the number."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return ZERO
    return Decimal(5).scaleb(exponent - 1)


def rounding_interval(value: Decimal) -> Interval:
    """Every value that, rounded half-up to the digits shown, prints as ``value``.

    An amount written as zero is taken as exact: "0万元" says nothing was spent."""
    half = half_unit(value) if value else ZERO
    return value - half, value + half


def percent_possible(num: Interval, den: Interval, printed: Decimal) -> bool:
    """Whether some numerator and denominator within their intervals give ``printed`` %.

    This is the one tolerance of the audit's rates: a rate is wrong only when no choice of
    its amounts inside their rounding intervals, rounded half-up to the digits ``printed``
    shows, gives it. A zero denominator allows only 0% (the convention "完成预算的0%")."""
    low_num, high_num = max(num[0], ZERO), num[1]
    low_den, high_den = den
    if high_den <= 0:
        return printed == 0
    half = half_unit(printed)
    high = HUNDRED * high_num / low_den if low_den > 0 else None  # unbounded near zero
    low = HUNDRED * low_num / high_den
    return printed + half >= low and (high is None or printed - half <= high)


def amount_slack(values: list[Decimal]) -> Decimal:
    """How far a sum of printed amounts may lie from the sum of their true values."""
    return sum((half_unit(v) for v in values if v), ZERO)


def interval_sum(intervals: list[Interval]) -> Interval:
    return sum((i[0] for i in intervals), ZERO), sum((i[1] for i in intervals), ZERO)
