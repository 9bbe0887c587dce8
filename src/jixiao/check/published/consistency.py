"""Whole-document consistency: the report's year, heading numbers, quantities stated twice,
and the scores a report's text states (指标N分，得M分; 总分 and its parts; 等级)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from jixiao.check.published.claims import NUM, _number, amounts
from jixiao.core.findings import Finding, Location, finding
from jixiao.core.numbers import ZERO, plain
from jixiao.model.document import PublishedDocument
from jixiao.model.framework import GradeBand, grade_for
from jixiao.read.published import synonyms
from jixiao.read.published.flow import Sentence, clean

# -- the report's year ------------------------------------------------------------------------
#: Phrases that describe the evaluated year's own data: a different year there is a slip.
#: The report's own title may carry a short unit name before it (…局部门整体绩效自评报告).
_OWN = re.compile(
    r"(20\d\d)\s*年度?\s*(?:我单位|我部门|本单位|本部门|[^\s，。；、：:（）()\d]{0,8}?部门整体绩效自评报告)"
)


def check_years(sentences: list[Sentence], year: int | None, name: str) -> Iterator[Finding]:
    if year is None:
        return
    for s in sentences:
        for m in _OWN.finditer(s.text):
            if int(m.group(1)) != year:
                yield finding(
                    "year-mismatch",
                    s.location(name, m.group(0), m.start()),
                    printed=m.group(1),
                    expected=year,
                )


# -- heading numbers --------------------------------------------------------------------------
_CN = "一二三四五六七八九十"


def _cn_value(text: str) -> int | None:
    if not text or any(c not in _CN for c in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN.index(tens) + 1) * 10 + (_CN.index(ones) + 1 if ones else 0)
    return _CN.index(text) + 1 if len(text) == 1 else None


def _cn_text(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    if n < 20:
        return "十" + _CN[n % 10 - 1] if n % 10 else "十"
    tens, ones = divmod(n, 10)
    return _CN[tens - 1] + "十" + (_CN[ones - 1] if ones else "")


_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(r"^第([一二三四五六七八九十]+)部分")),
    ("cn", re.compile(r"^([一二三四五六七八九十]+)、")),
    ("paren-cn", re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")),
    ("num", re.compile(r"^(\d{1,2})[、.．](?!\d)")),
    ("paren-num", re.compile(r"^[（(](\d{1,2})[)）]")),
    ("circled", re.compile(r"^([①-⑳])")),
)
_ORDER = [s for s, _ in _STYLES]


def _value(style: str, token: str) -> int | None:
    if style in ("part", "cn", "paren-cn"):
        return _cn_value(token)
    if style in ("paren-num", "num"):
        return int(token)
    return ord(token) - ord("①") + 1


def _shown(style: str, n: int) -> str:
    if style == "part":
        return f"第{_cn_text(n)}部分"
    if style == "cn":
        return f"{_cn_text(n)}、"
    if style == "paren-cn":
        return f"（{_cn_text(n)}）"
    if style == "paren-num":
        return f"({n})"
    if style == "num":
        return f"{n}、"
    return chr(ord("①") + n - 1)


#: Only short paragraphs are headings; a long one ("一、贯彻…。二、加强…") is prose: it keeps
#: its style's count but neither restarts lower levels nor is reported.
HEADING_LENGTH = 60
#: Arabic numbers ("1、", "1.") restart lower levels but are too freely used to be reported.
_UNREPORTED = {"num"}


def _enumerators(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """The enumerators of a paragraph: at its start, and after a colon ("1、来源：（1）…")."""
    starts = [0] + [m.end() for m in re.finditer(r"[：:]\s*", text)]
    for start in starts:
        for style, pattern in _STYLES:
            m = pattern.match(text[start:])
            if m:
                yield style, m
                break


def check_numbering(doc: PublishedDocument, name: str) -> Iterator[Finding]:
    """Heading numbers of one style must count up by one under the same parent; a count
    restarts at 1, and a heading of a higher style restarts the lower ones."""
    last: dict[str, int] = {}
    for para in doc.paragraphs():
        text = clean(para.text)
        heading = len(text) <= HEADING_LENGTH
        for style, m in _enumerators(text):
            n = _value(style, m.group(1))
            if n is None:
                continue
            prev = last.get(style)
            where = Location(file=name, line=para.line, quote=text[:40])
            if not heading:
                last[style] = n  # a paragraph of prose keeps the count but restarts nothing
                break
            if style not in _UNREPORTED and n != 1:
                if prev is not None and n == prev:
                    yield finding("numbering-duplicate", where, printed=_shown(style, n))
                elif n != (prev or 0) + 1:
                    expected = _shown(style, (prev or 0) + 1)
                    yield finding("numbering-gap", where, printed=_shown(style, n), expected=expected)
            last[style] = n
            for lower in _ORDER[_ORDER.index(style) + 1 :]:
                last.pop(lower, None)


# -- the same quantity stated twice -----------------------------------------------------------
def check_conflicts(sentences: list[Sentence], name: str) -> Iterator[Finding]:
    """A quantity named by one of a group's labels must have one value in the document."""
    seen: dict[str, tuple[Decimal, Sentence, str]] = {}
    reported: set[tuple[str, Decimal]] = set()
    for s in sentences:
        for a in amounts(s.text):
            for group, labels in synonyms.groups("conflicts"):
                if a.label not in labels:
                    continue
                first = seen.get(group)
                if first is None:
                    seen[group] = (a.wan, s, a.text)
                elif first[0] != a.wan and (group, a.wan) not in reported:
                    reported.add((group, a.wan))
                    other = first[1].location(name, first[2])
                    yield finding(
                        "claim-conflict",
                        s.location(name, a.text, a.start),
                        printed=a.text,
                        expected=first[2],
                        what=group,
                        other=f"第{other.line}行" if other.line else (other.quote or ""),
                    )


# -- scores stated in the text ----------------------------------------------------------------
_WEIGHT_SCORE = re.compile(r"指标\s*" + NUM + r"\s*分[，,]\s*得\s*" + NUM + r"\s*分")
_TOTAL_SCORE = re.compile(r"总分值?\s*" + NUM + r"\s*分[，,]\s*(?:自评)?得分\s*" + NUM + r"\s*分")
# A level and its weight and score: "产出指标25分，得分25分", also the level named for the
# budget's execution ("预算执行情况10分，得分8.86分").
_LEVEL_PAIR = re.compile(
    r"([\u4e00-\u9fff]{1,12}(?:指标|执行情况|执行率))\s*" + NUM + r"\s*分[，,]\s*得分\s*" + NUM + r"\s*分"
)
_SCORE_IS = re.compile(r"得分(?:为)?\s*" + NUM + r"\s*分")
_PART_SCORE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:一项)?得分\s*" + NUM + r"\s*分")


@cache
def _grade_said(names: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern of 评价等级为… followed by one of the grade names ``names``."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"评价等级为\s*[“\"「]?(" + alternatives + ")")


def check_score_claims(
    sentences: list[Sentence], name: str, grades: tuple[GradeBand, ...] | None
) -> Iterator[Finding]:
    """Scores and grades the text states against each other. ``grades`` are the bands of
    the report's framework; None when they cannot be bound (the stated grade is then not
    checked)."""
    grade_said = _grade_said(tuple(g.name for g in grades)) if grades else None
    stated_total: tuple[Decimal, Sentence] | None = None
    weight_total: Decimal | None = None
    for s in sentences:
        text = s.text
        for m in _WEIGHT_SCORE.finditer(text):
            weight, score = _number(m.group(1)), _number(m.group(2))
            if score > weight:
                yield finding(
                    "score-above-weight",
                    s.location(name, m.group(0), m.start()),
                    printed=plain(score),
                    expected=plain(weight),
                )
        total = _TOTAL_SCORE.search(text)
        if total:
            stated_total = (_number(total.group(2)), s)
            weight_total = _number(total.group(1))
            pairs = [(_number(p.group(2)), _number(p.group(3))) for p in _LEVEL_PAIR.finditer(text)]
            yield from _level_sums(s, name, weight_total, stated_total[0], pairs)
        elif stated_total is not None and stated_total[1].unit is s.unit and _LEVEL_PAIR.search(text):
            pairs = [(_number(p.group(2)), _number(p.group(3))) for p in _LEVEL_PAIR.finditer(text)]
            yield from _level_sums(s, name, weight_total, stated_total[0], pairs)
        said = _SCORE_IS.search(text)
        grade = grade_said.search(text) if grade_said and grades else None
        if said and grade and grades:
            score = _number(said.group(1))
            expected = grade_for(grades, score)
            if expected != grade.group(1):
                yield finding(
                    "grade-mismatch",
                    s.location(name, grade.group(0), grade.start()),
                    printed=grade.group(1),
                    expected=expected,
                    score=plain(score),
                )
        if said and not total:
            stated_total, weight_total = (_number(said.group(1)), s), None
        if "其中" in text and stated_total is not None and stated_total[1] is not s:
            parts = [_number(p.group(2)) for p in _PART_SCORE.finditer(text)]
            if len(parts) >= 2 and not _LEVEL_PAIR.search(text):
                summed = sum(parts, ZERO)
                if summed != stated_total[0]:
                    yield finding(
                        "score-claim-sum",
                        s.location(name),
                        printed=plain(stated_total[0]),
                        expected=plain(summed),
                        what="总分",
                    )


def _level_sums(
    s: Sentence,
    name: str,
    weight_total: Decimal | None,
    score_total: Decimal,
    pairs: list[tuple[Decimal, Decimal]],
) -> Iterator[Finding]:
    if len(pairs) < 2:
        return
    weights = sum((w for w, _ in pairs), ZERO)
    scores = sum((x for _, x in pairs), ZERO)
    if weight_total is not None and weights != weight_total:
        yield finding(
            "score-claim-sum",
            s.location(name),
            printed=plain(weight_total),
            expected=plain(weights),
            what="总分值",
        )
    if scores != score_total:
        yield finding(
            "score-claim-sum",
            s.location(name),
            printed=plain(score_total),
            expected=plain(scores),
            what="自评得分",
        )


def level_score_claims(sentences: list[Sentence]) -> dict[str, tuple[Decimal, Decimal, Sentence]]:
    """Level-1 weights and scores the text states ("效益指标 30分，得分30分"), by name."""
    out: dict[str, tuple[Decimal, Decimal, Sentence]] = {}
    for s in sentences:
        for p in _LEVEL_PAIR.finditer(s.text):
            name = re.sub(r"^(其中|以及|和)", "", p.group(1))
            out.setdefault(name, (_number(p.group(2)), _number(p.group(3)), s))
    return out
