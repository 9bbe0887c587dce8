"""What each figure of a claim refers to, and whether that is certain.

A check may call a figure wrong only when every number it uses is bound with certainty:

* a change ("比上年增加38.97万元，增长168.7%") is measured against the base its own clause
  names ("比上年累计支出285万元"), else against the one amount of this year (本年) its
  clause states, else — for a clause that opens with the comparison ("；比2019年决算数减少
  …") — the one such amount of the clause before, else the amount the document states
  under the same name (``Quantities``) when it states one value only;
* a share ("占36.4%") against the base it names when the document states that quantity
  once, else the total of the list it belongs to ("X万元，其中：…" also across sentences),
  else — when the shares of the list add up to 100% — the sum of the listed parts;
* a list of parts against its total when the parts exceed it, or when they are a complete
  breakdown (``BREAKDOWNS``).

Anything else is left alone: a miss is better than a false error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from jixiao.core.numbers import (
    HUNDRED,
    ZERO,
    Interval,
    amount_slack,
    half_unit,
    interval_sum,
    rounding_interval,
)
from jixiao.read.published.flow import Sentence
from jixiao.read.published.statements.parse import Clause, Figure, Role, Statement, parse, squeeze
from jixiao.read.published.statements.unit import document_unit, in_unit

#: More figures than this in one clause is a table run into text: nothing in it is bound.
MAX_FIGURES = 40

#: Breakdowns that are complete by definition: the parts of the key add up to it.
BREAKDOWNS = {"基本支出": ("人员经费", "公用经费")}

_BRACKETED = re.compile(r"[（(][^（）()]{0,60}[)）]")
_QUOTES = re.compile(r"[“”\"'‘’「」《》]")
_YEAR = re.compile(r"\d{4}年度?")
_ENUM = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[①-⑳])")
_LEADING = (
    "本年度", "本年", "全年", "我院", "我校", "我单位", "本单位", "我局", "本局", "我部门", "本部门",
    "本级", "其中", "经比较", "单位",
)  # fmt: skip
_TRAILING = (
    "均为",
    "各为",
    "各是",
    "共计",
    "达到",
    "为",
    "是",
    "达",
    "共",
    "约",
    "各",
    "中",
)
#: The words of a name that say which figure of a quantity it is ("支出决算", "预算数").
_ROLE_NAME = re.compile(r"(?:支出)?(?:决算|预算)数?$")
#: A line that opens a section of higher rank than a list item ("七、", "第二部分").
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")


_NAME_LENGTH = 80


@lru_cache(maxsize=8192)
def canonical(label: str) -> str:
    """The name a label gives a quantity, without year, speaker, numbering and fillers:
    "2016年度我院支出合计为" -> "支出合计"."""
    # A name is short: only the words just before the amount can be it (and the loop
    # below stays cheap whatever the input).
    text = _QUOTES.sub("", _BRACKETED.sub("", squeeze(label)[-_NAME_LENGTH:]))
    years = list(_YEAR.finditer(text))
    if years:
        text = text[years[-1].end() :]
    changed = True
    while changed and text:
        changed = False
        m = _ENUM.match(text)
        if m:
            text, changed = text[m.end() :], True
        for word in _LEADING:
            if text.startswith(word):
                text, changed = text[len(word) :], True
        for word in _TRAILING:
            if text.endswith(word) and len(text) > len(word):
                text, changed = text[: -len(word)], True
        text = text.strip(",，:：、")
    return text


def names_for(base: str) -> list[str]:
    """A named base and the other ways documents write the same total."""
    name = canonical(base)
    out = [name]
    if name.startswith("总") and len(name) > 1:
        out += [name[1:] + "合计", name[1:] + "总计", name[1:] + "总额"]
    return out


@dataclass
class Quantities:
    """Amounts of this year the document states under a name, in 万元 (a group "收、支总计
    各是A,B万元" is one tuple)."""

    values: dict[str, set[tuple[Decimal, ...]]] = field(default_factory=dict)

    def add(self, name: str, values: tuple[Decimal, ...]) -> None:
        if name:
            self.values.setdefault(name, set()).add(values)

    def one(self, names: Iterable[str], size: int = 1) -> tuple[Decimal, ...] | None:
        """The value the document gives under any of ``names``, if it gives exactly one."""
        found: set[tuple[Decimal, ...]] = set()
        for name in names:
            found |= {tuple(v.normalize() for v in vs) for vs in self.values.get(name, ())}
        if len(found) != 1:
            return None
        (value,) = found
        if len(value) == 1:
            return value * size
        return value if len(value) == size else None


# -- the document read as statements ---------------------------------------------------------
@dataclass
class ListedPart:
    """A listed part: its figure and the sentence it is in."""

    key: int
    figure: Figure
    name: str


@dataclass
class Listing:
    """A total and the parts listed after its 其中 (in the same sentence or after it)."""

    head: Figure | None
    head_key: int
    head_name: str
    parts: list[ListedPart] = field(default_factory=list)
    shares: list[tuple[int, Figure, Figure]] = field(default_factory=list)  # key, part, share
    nested: bool = False
    style: str | None = None  # numbering of the first part: later parts are numbered alike
    parts_total: list[Bound | None] = field(default_factory=list)  # computed once, see _parts_total


@dataclass
class Reading:
    """The statements of a document, the quantities it names and its lists."""

    statements: list[Statement]
    quantities: Quantities
    listings: list[Listing]
    listing_of: dict[tuple[int, int], Listing]  # (sentence, figure start) of a share -> its list
    index: dict[tuple[int, int], int] = field(default_factory=dict)  # a Sentence's position
    unit: str | None = None  # the document's unit of amounts (statements.unit)
    sums: dict[int, list[SumClaim]] | None = None  # listed_sums by sentence, built on first use

    def index_of(self, sentence: Sentence) -> int | None:
        return self.index.get((id(sentence.unit), sentence.start))


def read_sentences(sentences: list[Sentence]) -> Reading:
    """The Reading of a document's sentences (see :mod:`jixiao.read.published.flow`)."""
    reading = read([s.text for s in sentences])
    reading.index = {(id(s.unit), s.start): i for i, s in enumerate(sentences)}
    return reading


@lru_cache(maxsize=1024)
def read_one(text: str) -> Reading:
    """The Reading of one sentence on its own; several checks read each sentence, and a
    Reading is not changed once made (``sums`` is filled in once, the same each time)."""
    return read([text])


def read(texts: list[str]) -> Reading:
    """Parse every sentence of a document (in order) into a Reading."""
    statements = [parse(t) for t in texts]
    quantities = Quantities()
    for st in statements:
        for c in st.clauses:
            stem = ""
            for g in _groups(c.figures):
                first = g[0]
                name = canonical(first.name)
                if not stem and first.is_money:
                    # "三公经费支出预算为18万元，支出决算为6.28万元": the second is of the same
                    # quantity as the first; its name is the first's without its role
                    match = _ROLE_NAME.search(name)
                    stem = name[: match.start()] if match and match.start() else ""
                elif stem and _ROLE_NAME.fullmatch(name):
                    name = stem + name
                if first.role is Role.current and first.is_money and not first.aside:
                    quantities.add(name, tuple(f.wan for f in g))
    listings: list[Listing] = []
    open_list: Listing | None = None
    for i, st in enumerate(statements):
        if open_list is not None:
            if _opens_with_marker(st.text):
                open_list.nested = True  # a breakdown of the last part, not one more part
            elif _continues(st, open_list):
                _collect(open_list, i, st, 0)
            else:
                open_list = None
        listed = next((c for c in st.clauses if c.marker >= 0), None)  # the first list only
        if listed is not None:
            head = _head(listed)
            if head is None and listed is st.clauses[0] and _opens_with_marker(st.text) and i > 0:
                head = _only_current(statements[i - 1])
            # without a total the list is still read: its shares may add up to 100%
            name = canonical(head.name) if head is not None else ""
            listing = Listing(head=head, head_key=i, head_name=name)
            _collect(listing, i, st, listed.marker)
            listings.append(listing)
            figures = st.figures
            if not figures or figures[-1].start < listed.marker:
                open_list = listing
        elif st.clauses and st.clauses[0].subject.endswith("中") and st.clauses[0].figures:
            # "…支出决算中，因公出国(境)费…，占…": the total is named, not stated here
            listing = Listing(head=None, head_key=i, head_name=canonical(st.clauses[0].subject))
            _collect(listing, i, st, 0)
            listings.append(listing)
    listing_of = {(key, share.start): li for li in listings for key, _, share in li.shares}
    return Reading(statements, quantities, listings, listing_of, unit=document_unit(texts))


def _groups(figures: Iterable[Figure]) -> list[list[Figure]]:
    out: dict[int, list[Figure]] = {}
    for f in figures:
        out.setdefault(f.group, []).append(f)
    return list(out.values())


def _head(clause: Clause) -> Figure | None:
    """The total a list marker breaks down: the one amount of this year before it."""
    before = [
        f
        for f in clause.figures
        if f.start < clause.marker and f.is_money and not f.aside and f.role is Role.current
    ]
    if len(before) != 1 or before[0].size != 1:
        return None
    return before[0]


def _only_current(st: Statement) -> Figure | None:
    """The one amount of this year a sentence states ("X万元。其中：…")."""
    found = [f for f in st.figures if f.is_money and not f.aside and f.role is Role.current]
    if len(found) != 1 or found[0].size != 1:
        return None
    return found[0]


def _opens_with_marker(text: str) -> bool:
    return squeeze(text).startswith(_MARKERS)


_MARKERS = ("其中", "主要用于", "具体是", "分别是", "分别为")
_STYLE = re.compile(r"^\s*(?:([（(])[一二三四五六七八九十]+[)）]|([（(])\d+[)）]|(\d+)[、.．]|([①-⑳]))")


def _style(text: str) -> str:
    """The kind of numbering a sentence opens with: "（一）", "(1)", "1.", "①" or none."""
    m = _STYLE.match(text)
    if m is None:
        return ""
    return ["（一）", "(1)", "1.", "①"][next(i for i, g in enumerate(m.groups()) if g)]


def _continues(st: Statement, listing: Listing) -> bool:
    """Whether a sentence after "其中：" is one more listed part: it opens with a name and
    an amount of this year, numbered as the first part was, and is not a new section."""
    if not st.clauses or _SECTION.match(st.text):
        return False
    first = st.clauses[0]
    if not first.figures:
        return False
    f = first.figures[0]
    if not (f.is_money and f.role is Role.current and not f.aside and f.size == 1):
        return False
    style = _style(st.text)
    if listing.style is None:
        listing.style = style
    return style == listing.style


def _collect(listing: Listing, key: int, st: Statement, after: int) -> None:
    """Add the parts and shares of ``st`` after offset ``after`` to ``listing``."""
    figures = [f for f in st.figures if f.start >= after and not f.aside]
    last = max((f.start for f in figures), default=-1)
    if any(st.text.find(marker, after + 1, last) >= 0 for marker in _MARKERS):
        listing.nested = True  # a breakdown inside the breakdown
    last_part: Figure | None = None
    for f in figures:
        if f.is_money and f.role is Role.current and f.size == 1:
            listing.parts.append(ListedPart(key, f, canonical(f.name)))
            last_part = f
        elif f.role is Role.share and last_part is not None and last_part.clause == f.clause:
            listing.shares.append((key, last_part, f))
            last_part = None
        elif f.is_money:
            last_part = None


# -- bindings -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bound:
    """A value a check may use, with where it came from (for the message)."""

    interval: Interval
    value: Decimal
    text: str


def bound(value: Decimal, text: str, interval: Interval | None = None) -> Bound:
    return Bound(interval or rounding_interval(value), value, text)


@dataclass(frozen=True)
class ChangeClaim:
    """ "增加X，增长Y%": the change, its rate and the base the rate is measured against."""

    change: Figure
    rate: Figure
    previous: Bound | None
    current: Bound | None


def changes(reading: Reading, index: int) -> Iterator[ChangeClaim]:
    """Every change with its rate in sentence ``index``, bound to its base when certain."""
    st = reading.statements[index]
    for ci, clause in enumerate(st.clauses):
        figures = list(clause.figures)
        if len(figures) > MAX_FIGURES:
            continue
        for pos, rate in enumerate(figures):
            if rate.role is not Role.change_rate:
                continue
            change = _partner(figures, pos)
            if change is None:
                continue
            previous = _stated_base(figures, change)
            current = None if previous is not None else _current(reading, st, ci, change)
            if current is not None:
                lo, hi = current.interval
                c_lo, c_hi = rounding_interval(change.wan)
                if change.direction > 0:
                    interval = (lo - c_hi, hi - c_lo)
                    value = current.value - change.wan
                else:
                    interval = (lo + c_lo, hi + c_hi)
                    value = current.value + change.wan
                previous = Bound(interval, value, current.text)
            yield ChangeClaim(change, rate, previous, current)


def _partner(figures: list[Figure], pos: int) -> Figure | None:
    """The change amount a rate goes with: the figures just before its list are a change
    list of the same length ("各减少A,B万元，各下降p%、q%"), in the same slot."""
    rate = figures[pos]
    j = pos - rate.member - 1
    if j < 0:
        return None
    f = figures[j]
    if f.role is not Role.change or not f.is_money or f.size != rate.size or f.member != f.size - 1:
        return None
    return figures[j - f.size + 1 + rate.member]


def _stated_base(figures: list[Figure], change: Figure) -> Bound | None:
    """ "比上年累计支出285万元下降34万元": the base the clause states just before the change."""
    i = next(k for k, f in enumerate(figures) if f is change) - change.member
    if i <= 0:
        return None
    f = figures[i - 1]
    if f.start < change.start - len(change.label):
        return None  # only a base in the change's own words: "比上年累计支出285万元下降34万元"
    if f.role is Role.previous and f.is_money and f.size == 1 and not f.aside:
        return bound(f.wan, f.written)
    if f.role is Role.budget and f.is_money and f.size == 1 and not f.aside and _compares(change.label):
        return bound(f.wan, f.written)
    return None


def _compares(label: str) -> bool:
    return any(w in label for w in ("比", "较", "相比"))


def _currents(clause: Clause, before: int) -> list[list[Figure]]:
    return [
        g
        for g in _groups(clause.figures)
        if g[0].start < before and g[0].role is Role.current and g[0].is_money and not g[0].aside
    ]


def _current(reading: Reading, st: Statement, ci: int, change: Figure) -> Bound | None:
    clause = st.clauses[ci]
    own = _currents(clause, change.start)
    if own:
        return _one(own, change)
    if ci > 0 and _opens_with_comparison(clause.text):
        if len(st.clauses[ci - 1].figures) > MAX_FIGURES:
            return None
        prior = _currents(st.clauses[ci - 1], len(st.text))
        return _one(prior, change) if prior else None
    subject = _subject_of(change, clause)
    if not subject:
        return None
    values = reading.quantities.one([subject], change.size)
    if values is None:
        return None
    value = values[change.member]
    return bound(value, f"{subject} {in_unit(value, reading.unit)}")


def _one(groups: list[list[Figure]], change: Figure) -> Bound | None:
    if len(groups) != 1:
        return None
    g = groups[0]
    if len(g) == 1:
        return bound(g[0].wan, f"{canonical(g[0].name) or '本年'} {g[0].written}")
    if len(g) == change.size:
        f = g[change.member]
        return bound(f.wan, f"{canonical(g[0].name) or '本年'} {f.written}")
    return None


def _opens_with_comparison(text: str) -> bool:
    head = squeeze(text)[:6]
    return head.startswith(("比", "较", "与", "同比", "相比", "对比"))


def _subject_of(change: Figure, clause: Clause) -> str:
    """The quantity a change is of: its own label up to the comparison or the verb
    ("公务接待费支出决算增加" -> "公务接待费支出决算"), else the clause's opening words."""
    label = squeeze(change.name)
    cut = len(label)
    for word in ("比", "较", "与", "同比", "相比"):
        at = label.find(word)
        if at >= 0:
            cut = min(cut, at)
    for word in ("增加", "减少", "增长", "下降", "降低", "上升"):
        at = label.find(word)
        if at >= 0:
            cut = min(cut, at)
    name = canonical(label[:cut])
    if name:
        return name
    opening = squeeze(clause.subject)
    for word in ("比", "较", "与", "同比", "相比"):
        at = opening.find(word)
        if at >= 0:
            opening = opening[:at]
    return canonical(opening)


# -- shares --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShareClaim:
    part: Figure
    share: Figure
    base: Bound | None


def shares(reading: Reading, index: int) -> Iterator[ShareClaim]:
    """Every share of sentence ``index`` with its part, bound to its base when certain."""
    st = reading.statements[index]
    for clause in st.clauses:
        figures = list(clause.figures)
        if len(figures) > MAX_FIGURES:
            continue
        for pos, share in enumerate(figures):
            if share.role is not Role.share or pos == 0 or share.size != 1:
                continue
            part = figures[pos - 1]
            if not part.is_money or part.role is not Role.current or part.aside or part.size != 1:
                continue
            yield ShareClaim(part, share, _share_base(reading, index, share))


def _share_base(reading: Reading, index: int, share: Figure) -> Bound | None:
    listing = reading.listing_of.get((index, share.start))
    if share.base:
        values = reading.quantities.one(names_for(share.base))
        if values is not None:
            return bound(values[0], f"{share.base} {in_unit(values[0], reading.unit)}")
        if listing is not None and listing.head is not None and _same_total(share.base, listing.head_name):
            return _head_bound(listing)
    elif listing is not None:
        if listing.head is not None:
            return _head_bound(listing)
        values = reading.quantities.one([listing.head_name]) if listing.head_name else None
        if values is not None:
            return bound(values[0], f"{listing.head_name} {in_unit(values[0], reading.unit)}")
    if listing is not None:
        return _parts_total(listing, reading.unit)
    return None


def _same_total(base: str, head: str) -> bool:
    names = names_for(base)
    return head in names or any(n and (n in head or head.endswith(n)) for n in names)


def _head_bound(listing: Listing) -> Bound:
    head = listing.head
    assert head is not None
    return bound(head.wan, f"{listing.head_name or '合计'} {head.written}")


def _parts_total(listing: Listing, unit: str | None) -> Bound | None:
    if not listing.parts_total:
        listing.parts_total.append(_sum_of_parts(listing, unit))
    return listing.parts_total[0]


def _sum_of_parts(listing: Listing, unit: str | None) -> Bound | None:
    """The sum of the listed parts, when the list's shares add up to 100% (so the parts are
    the whole) and every share names the same base or none."""
    shares_ = [s for _, _, s in listing.shares]
    if len(shares_) < 2 or listing.nested or len({s.base for s in shares_}) != 1 or not _whole(listing):
        return None
    parts = [p for _, p, _ in listing.shares]
    intervals = [rounding_interval(p.wan) for p in parts]
    total = sum((p.wan for p in parts), ZERO)
    return Bound(interval_sum(intervals), total, f"各项合计 {in_unit(total, unit)}")


# -- sums of listed parts --------------------------------------------------------------------------
@dataclass(frozen=True)
class SumClaim:
    head: Figure
    name: str
    parts: list[Figure]
    head_key: int


def listed_sums(reading: Reading) -> Iterator[SumClaim]:
    """Lists whose parts must add up to their total: their shares add up to 100% (the
    document says the parts are the whole), or they are a complete breakdown of it
    (基本支出 = 人员经费 + 公用经费). Parts that merely exceed the total prove nothing:
    lists often classify the same money twice."""
    for listing in reading.listings:
        head = listing.head
        if head is None or listing.nested or len(listing.parts) < 2:
            continue
        parts = [p.figure for p in listing.parts]
        total = sum((p.wan for p in parts), ZERO)
        slack = amount_slack([p.wan for p in parts] + [head.wan])
        names = {p.name for p in listing.parts}
        breakdown = any(
            listing.head_name.endswith(whole) and names == set(kinds) for whole, kinds in BREAKDOWNS.items()
        )
        bases = {s.base for _, _, s in listing.shares}
        named = all(not b or _same_total(b, listing.head_name) for b in bases)
        if (breakdown or (_whole(listing) and named)) and abs(total - head.wan) > slack:
            yield SumClaim(head, listing.head_name, parts, listing.head_key)


def sums_at(reading: Reading, index: int) -> list[SumClaim]:
    """The listed sums whose total is in sentence ``index``: the lists of the whole
    document are judged once, not once per sentence."""
    if reading.sums is None:
        reading.sums = {}
        for claim in listed_sums(reading):
            reading.sums.setdefault(claim.head_key, []).append(claim)
    return reading.sums.get(index, [])


def _whole(listing: Listing) -> bool:
    """Every part has a share and the shares add up to 100%."""
    shares_ = [s for _, _, s in listing.shares]
    if len(shares_) != len(listing.parts):
        return False
    printed = sum((s.value for s in shares_), ZERO)
    return abs(printed - HUNDRED) <= sum((half_unit(s.value) for s in shares_), ZERO)


# -- completion stated with the difference from the budget --------------------------------------
@dataclass(frozen=True)
class CompletionClaim:
    """ "支出总计X万元…；完成年初预算P%，决算数大于预算数D万元": the budget is X ∓ D."""

    rate: Figure
    actual: Figure
    difference: Figure
    budget: Bound


def completions(reading: Reading, index: int) -> Iterator[CompletionClaim]:
    """Completion rates whose budget is given only as its difference from the actual
    amount, bound when the sentence states one amount of this year and no budget."""
    st = reading.statements[index]
    figures = st.figures
    if len(figures) > MAX_FIGURES or any(f.role in (Role.budget, Role.adjusted) for f in figures):
        return
    actual = _only_current(st)
    if actual is None:
        return
    for clause in st.clauses:
        rates = [f for f in clause.figures if f.role is Role.completion and f.size == 1]
        gaps = [
            f
            for f in clause.figures
            if f.role is Role.change
            and f.is_money
            and f.size == 1
            and "预算" in f.label
            and "决算" in f.label
        ]
        if len(rates) != 1 or len(gaps) != 1 or actual.start > rates[0].start:
            continue
        gap = gaps[0]
        lo, hi = rounding_interval(actual.wan)
        g_lo, g_hi = rounding_interval(gap.wan)
        if gap.direction > 0:  # 决算数大于预算数: budget = actual − D
            interval, value = (lo - g_hi, hi - g_lo), actual.wan - gap.wan
        else:
            interval, value = (lo + g_lo, hi + g_hi), actual.wan + gap.wan
        if interval[0] > 0:
            yield CompletionClaim(
                rates[0], actual, gap, Bound(interval, value, f"预算数 {actual.written} ∓ {gap.written}")
            )
