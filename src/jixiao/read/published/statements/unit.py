"""The unit a document writes its amounts in: 元 or 万元.

Learned from what the document says of itself: a heading or table note "单位：元" /
"单位：万元", else the unit most of its written amounts carry ("123,456.70元"). A bare
number in the text is read in this unit; figures a finding names are shown in it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from jixiao.core.numbers import MONEY_UNITS, plain

_DECLARED = re.compile(r"单位\s*[:：]\s*(万元|元)")
_WRITTEN = re.compile(r"\d\s?(万元|亿元|元)")


def document_unit(texts: Iterable[str]) -> str | None:
    """ "元", "万元" (or "亿元"), or None when the document gives no amount at all."""
    declared: Counter[str] = Counter()
    written: Counter[str] = Counter()
    for text in texts:
        declared.update(m.group(1) for m in _DECLARED.finditer(text))
        written.update(m.group(1) for m in _WRITTEN.finditer(text))
    for counts in (declared, written):
        if counts:
            (unit, n), *rest = counts.most_common(2)
            if not rest or rest[0][1] < n:
                return unit
    return None


def in_unit(value_wan: Decimal, unit: str | None) -> str:
    """An amount held in 万元 written in ``unit`` (88.130039 万元 -> "881300.39元")."""
    if unit is None or unit not in MONEY_UNITS:
        unit = "万元"
    return f"{plain(value_wan / MONEY_UNITS[unit])}{unit}"
