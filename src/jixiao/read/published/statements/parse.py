"""A sentence as statements: clauses, the figures in them, and the role of each figure.

"2023年度“三公”经费支出决算为62.07万元，完成全年预算84.82万元的73.2%，比上年决算数增加
38.97万元，增长168.7%；比2019年决算数减少24.87万元，降低28.6%。" reads as two clauses
(split at ；。); in the first, 62.07 is this year's amount (本年), 84.82 a budget (预算,
inside "完成…的"), 38.97 a change (增减额) and 168.7% its rate (增减率). A figure's role
comes from the words before it in its segment (the text since the last ，：), never from
its distance to another number.

Every pattern here is linear: numbers are read by one greedy scan, roles by substring
tests on short labels.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from jixiao.core.numbers import MONEY_UNITS
from jixiao.read.published import synonyms
from jixiao.read.published.statements.script import normalise


class Role(StrEnum):
    current = "本年"
    previous = "上年"
    budget = "预算"
    adjusted = "调整后预算"
    change = "增减额"
    change_rate = "增减率"
    share = "占比"
    completion = "完成率"
    other = "其他"


#: A number as written: digits with thousands commas and decimals. One greedy pass, no
#: alternative way to match the same digits, so a long run of digits costs linear time.
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_UNITS = ("万元", "亿元", "元", "%", "％")
_LIST_SEPARATORS = ",，、和及与"
_CLAUSE_END = "；;。！？!?"
_SEGMENT_END = "，,：:"
_OPEN = "（([【"
_CLOSE = "）)]】"

_UP = ("增加", "增长", "上升", "提高", "增支", "超支", "多支", "增幅", "大于", "超出")
_DOWN = ("减少", "下降", "降低", "节约", "减支", "压减", "少支", "降幅", "减幅", "下降了", "减少了", "小于")
#: Kinds of funds whose names hold "预算" without being a budget figure.
_FUNDS = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算")
_VERBS = tuple(sorted(_UP + _DOWN, key=len, reverse=True))
_COMPARE = re.compile(r"(?<!占)[比较]|同比|相比|对比")
_ACTUAL = ("决算", "执行", "实际", "支出数")
_ADJUSTED = synonyms.words("adjusted_words")
_COMPLETION = ("完成", "执行率", "执行进度", "达成率")
_LIST_MARKERS = ("其中", "主要用于", "具体是", "分别是", "分别为")


@dataclass(frozen=True, slots=True)
class Figure:
    """An amount or a percentage of a sentence with its role.

    ``start``/``end`` are offsets in the sentence text (``end`` after the unit); ``label``
    the words before it in its segment; ``name`` the part of the label after any earlier
    figure or 、 of the segment (what the amount is of); ``base`` for a share the named base ("总支出" of
    "占总支出的45.46%"); ``group``/``member`` place it in a list sharing one label
    ("各减少1267.86,2570.97万元"); ``aside`` when it stands in brackets."""

    value: Decimal
    unit: str
    text: str
    start: int
    end: int
    role: Role
    label: str
    name: str = ""
    direction: int = 0
    base: str = ""
    aside: bool = False
    clause: int = 0
    group: int = 0
    member: int = 0
    size: int = 1

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    @property
    def wan(self) -> Decimal:
        """The amount in 万元, keeping the precision it was written with."""
        return self.value * MONEY_UNITS[self.unit] if self.is_money else self.value

    @property
    def written(self) -> str:
        return f"{self.text}{self.unit}"


@dataclass(frozen=True, slots=True)
class Clause:
    """Text between ；。 with its figures; ``subject`` the words it opens with."""

    text: str
    start: int
    end: int
    figures: tuple[Figure, ...]
    subject: str
    compared: bool
    marker: int  # offset in the sentence of a list marker (其中…), -1 if none


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence parsed: its clauses, in order. ``text`` is the sentence as read (simplified
    characters, see :mod:`.script`); ``positions`` map its offsets to the source's."""

    text: str
    clauses: tuple[Clause, ...]
    positions: tuple[int, ...] = ()

    def source(self, offset: int) -> int:
        """The offset in the source sentence of ``offset`` in ``text``."""
        if not self.positions:
            return offset
        return self.positions[min(max(offset, 0), len(self.positions) - 1)]

    @property
    def figures(self) -> list[Figure]:
        return [f for c in self.clauses for f in c.figures]


def _depths(text: str) -> list[int]:
    """Bracket depth at each character (a stray closing bracket never goes below zero)."""
    depth, out = 0, []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        out.append(depth)
        if ch in _CLOSE and depth:
            depth -= 1
    return out


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of every number; "4125.49,4143.91" is two numbers."""
    out = []
    for m in _NUMBER.finditer(text):
        raw = m.group().rstrip(",")
        start = m.start()
        if start and text[start - 1] == ".":
            continue  # "1.2.3": the tail of something that is not a number
        if "," in raw and not _GROUPED.fullmatch(raw):
            pos = start
            for piece in raw.split(","):
                if piece:
                    out.append((pos, pos + len(piece), piece))
                pos += len(piece) + 1
            continue
        out.append((start, start + len(raw), raw))
    return out


def _unit_after(text: str, end: int) -> tuple[str, int]:
    i = end
    while i < len(text) and i < end + 3 and text[i] in " \u3000":
        i += 1
    for unit in _UNITS:
        if text.startswith(unit, i):
            return ("%" if unit == "％" else unit), i + len(unit)
    return "", end


def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def _segment_start(text: str, pos: int, floor: int) -> int:
    """Start of the segment holding ``pos``: after the last ，：not between two digits."""
    i = pos
    while i > floor:
        ch = text[i - 1]
        if ch in _SEGMENT_END and not (ch == "," and _between_digits(text, i - 1)):
            break
        i -= 1
    return i


def _between_digits(text: str, i: int) -> bool:
    return i > 0 and text[i - 1].isdigit() and text[i + 1 : i + 2].isdigit()


def _last_verb(label: str) -> tuple[str, int] | None:
    """The last change verb in ``label`` and its position."""
    best: tuple[str, int] | None = None
    for verb in _VERBS:
        at = label.rfind(verb)
        if at >= 0 and (best is None or at > best[1] or (at == best[1] and len(verb) > len(best[0]))):
            best = (verb, at)
    return best


def verb_of(label: str) -> str:
    """The change verb of a label ("比上年决算数增加" -> "增加"), or ""."""
    found = _last_verb(squeeze(label))
    return found[0] if found else ""


def _direction(verb: str) -> int:
    return 1 if verb in _UP else -1


def _share_base(label: str) -> str:
    at = label.rfind("占")
    base = label[at + 1 :]
    for word in ("比重", "比例", "的", "为", "约", "比"):
        base = base.removesuffix(word)
    return squeeze(base).removeprefix("比")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _role(label: str, unit: str, sentence_has_actual: bool) -> tuple[Role, int, str]:
    """Role, direction and (for a share) named base of a figure from its label."""
    text = squeeze(label).replace("比较", "")
    if unit == "%":
        if "占" in text:
            return Role.share, 0, _share_base(text)
        verb = _last_verb(text)
        if any(w in text for w in _COMPLETION) and (verb is None or "完成" in text[verb[1] :]):
            return Role.completion, 0, ""
        if verb is not None:
            return Role.change_rate, _direction(verb[0]), ""
        return Role.other, 0, ""
    if "占" in text:
        return Role.other, 0, ""  # the base of a share: "占年计划100500万元的112.29%"
    for word, direction in (("大于", 1), ("超出", 1), ("小于", -1)):
        if word in text:
            return Role.change, direction, ""  # "决算数大于预算数55.93万元": a difference
    tail = text.removesuffix("了").removesuffix("约").removesuffix("为")
    verb = _last_verb(tail)
    if verb is not None and verb[1] + len(verb[0]) == len(tail):
        return Role.change, _direction(verb[0]), ""
    compare = _COMPARE.search(text.replace("比较", ""))
    if compare is not None and verb is None:
        after = text[compare.end() :]
        return (Role.budget if "预算" in after else Role.previous), 0, ""
    if "预算" in _FUNDS.sub("", text) and (
        "完成" in text or (sentence_has_actual and not any(w in text for w in _ACTUAL))
    ):
        return (Role.adjusted if any(w in text for w in _ADJUSTED) else Role.budget), 0, ""
    if ("上年" in text or "去年" in text) and "结转" not in text and "结余" not in text:
        return Role.previous, 0, ""
    return Role.current, 0, ""


@lru_cache(maxsize=4096)
def parse(source: str) -> Statement:
    """Read one sentence into clauses and figures with their roles (a sentence read once
    per document, however many checks ask)."""
    text, positions = normalise(source)
    depths = _depths(text)
    raw: list[tuple[int, int, str, str, int]] = []  # start, number end, digits, unit, end
    for start, end, digits in _tokens(text):
        unit, after = _unit_after(text, end)
        raw.append((start, end, digits, unit, after))
    # A bare number listed before one with a unit shares that unit: "4125.49,4143.91万元".
    groups: list[list[int]] = []
    for i, item in enumerate(raw):
        if groups and _listed(text, raw[groups[-1][-1]], item):
            groups[-1].append(i)
        else:
            groups.append([i])
    sentence_has_actual = any(w in text for w in _ACTUAL)
    bounds = _clause_bounds(text)
    starts = [a for a, _ in bounds]
    figures: list[list[Figure]] = [[] for _ in bounds]
    for g, members in enumerate(groups):
        unit = raw[members[-1]][3]
        if not unit:
            continue
        first = raw[members[0]][0]
        ci = bisect_right(starts, first) - 1
        seg = _segment_start(text, first, bounds[ci][0])
        label = text[seg:first]
        prior = figures[ci][-1].end if figures[ci] else seg
        named = text[max(seg, prior) : first]
        named = named[named.rfind("、") + 1 :]
        role, direction, base = _role(label, "%" if unit == "%" else "元", sentence_has_actual)
        for k, i in enumerate(members):
            start, end, digits, own, after = raw[i]
            if own and own != unit:
                continue
            value = _decimal(digits)
            if value is None:
                continue
            figures[ci].append(
                Figure(
                    value=value,
                    unit=unit,
                    text=digits,
                    start=start,
                    end=after if own else end,
                    role=role,
                    label=label.strip(),
                    name=named.strip(),
                    direction=direction,
                    base=base,
                    aside=depths[start] > 0,
                    clause=ci,
                    group=g,
                    member=k,
                    size=len(members),
                )
            )
    clauses = []
    for ci, (a, b) in enumerate(bounds):
        body = text[a:b]
        first = figures[ci][0].start - a if figures[ci] else len(body)
        seg_end = next((i for i, ch in enumerate(body) if ch in _SEGMENT_END), len(body))
        subject = body[: min(first, seg_end)]
        markers = [body.find(m) for m in _LIST_MARKERS if m in body]
        clauses.append(
            Clause(
                text=body,
                start=a,
                end=b,
                figures=tuple(figures[ci]),
                subject=subject.strip(),
                compared=bool(_COMPARE.search(squeeze(body))),
                marker=a + min(markers) if markers else -1,
            )
        )
    return Statement(text, tuple(clauses), tuple(positions))


def _listed(text: str, before: tuple[int, int, str, str, int], item: tuple[int, int, str, str, int]) -> bool:
    """Whether ``item`` continues a list after ``before`` ("1267.86,2570.97万元", "23.51%、38.28%")."""
    gap = text[before[4] : item[0]].strip()
    if len(gap) != 1 or gap not in _LIST_SEPARATORS:
        return False
    return not before[3] or before[3] == item[3]


def _clause_bounds(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in _CLAUSE_END:
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return out
