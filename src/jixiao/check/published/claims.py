"""Arithmetic claims of a report's running text, recognised by their wording and checked.

Each checker reads sentences (see :mod:`jixiao.read.published.flow`) and reports Findings:

* shares: "A万元，占B%" against the sentence's total (or the named base "占支出合计的B%");
* completion: "预算为A万元，支出决算为B万元，完成预算的C%";
* rates: "预算执行率为C%" against the labelled amounts before it (synonyms.yaml);
* changes: "增加/减少X万元，增长/下降Y%" against the amount of this year;
* sums: "…共计T万元" against the amounts listed before it.

A printed percentage agrees when it lies within what the printed (rounded) amounts allow,
so rounding never raises an error. "完成预算的0%" with a zero budget is the accepted
convention.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.findings import Finding, finding
from jixiao.core.numbers import (
    MONEY_UNITS,
    ZERO,
    money_text,
    percent_possible,
    percent_text,
    plain,
    round_half_up,
    rounding_interval,
    tail_tolerance,
)
from jixiao.read.published import synonyms
from jixiao.read.published.flow import Sentence
from jixiao.read.published.statements import bind
from jixiao.read.published.statements.bind import Reading, canonical
from jixiao.read.published.statements.parse import Figure, Role, parse, verb_of

#: A number as printed. It never starts inside another number (the lookbehinds) and never
#: gives back digits once taken (possessive quantifiers), so a search over a long run of
#: digits is linear, not quadratic: 40,000 digits took minutes before.
NUM = r"(?<!\d)(?<!\d,)(?<!\d\.)(\d++(?:,\d{3})*+(?:\.\d++)?+)"
AMOUNT = re.compile(NUM + r"\s*(万元|亿元|元)")
PERCENT = re.compile(NUM + r"\s*[%％]")
_TO_WAN = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}
_DELIMS = "，,。；;：:、（）()\n"
_FILLERS = re.compile(r"(为|是|均为|各为|共|达|达到|约|合计为|总额为)$")
_PREFIX = re.compile(r"^(\d{4}\s*年度?|我单位|我部门|本单位|本部门|其中|全年共|共)+")


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount found in a sentence, converted to 万元, with the label before it."""

    value: Decimal
    unit: str
    text: str
    start: int
    end: int
    label: str

    @property
    def wan(self) -> Decimal:
        return self.value * _TO_WAN[self.unit]


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


#: How far back a number's label is looked for; real labels are a few words.
LABEL_CHARS = 80


def label_before(text: str, start: int) -> str:
    """The words that name a number: back to the previous delimiter (at most
    :data:`LABEL_CHARS` back, so that text without delimiters stays linear), fillers removed."""
    stop = max(0, start - LABEL_CHARS)
    window = text[stop:start]
    label = window[max(window.rfind(d) for d in _DELIMS) + 1 :].strip()
    label = _FILLERS.sub("", label).strip()
    return _PREFIX.sub("", label).strip()


def amounts(text: str) -> list[Amount]:
    out = []
    for m in AMOUNT.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "."):
            continue
        out.append(
            Amount(
                _number(m.group(1)), m.group(2), m.group(0), m.start(), m.end(), label_before(text, m.start())
            )
        )
    return out


def _places(number_text: str) -> int:
    return len(number_text.split(".")[1]) if "." in number_text else 0


def percent_agrees(num: Decimal, den: Decimal, printed: Decimal, places: int) -> bool:
    """Whether ``printed`` % (written with ``places`` decimals) can be num/den: the
    amounts anywhere inside their rounding intervals (:func:`percent_possible`)."""
    shown = printed.quantize(Decimal(1).scaleb(-places)) if places >= 0 else printed
    return percent_possible(rounding_interval(num), rounding_interval(den), shown)


def pct(num: Decimal, den: Decimal, places: int = 2) -> str:
    if den == 0:
        return "0%"
    return percent_text(num / den, max(places, 2))


# -- shares --------------------------------------------------------------------------------
_SHARE = re.compile(
    NUM + r"\s*(万元|亿元|元)?[^，,；;。\d]{0,30}?[，,]\s*(?:完成[^，,；;。]{0,12}?[，,]\s*)?"
    r"占(?P<base>[^，,；;。0-9]{0,20}?的)?\s*" + NUM + r"\s*[%％]"
)


def check_shares(sentence: Sentence, name: str, known: Reading) -> Iterator[Finding]:
    index = known.index_of(sentence)
    if index is None:
        return
    text, st = sentence.text, known.statements[index]
    for claim in bind.shares(known, index):
        part, share, base = claim.part, claim.share, claim.base
        if base is None:  # 无法确定基数: nothing is claimed
            continue
        if percent_possible(rounding_interval(part.wan), base.interval, share.value):
            continue
        label = canonical(part.name) or "该项"
        start, end = st.source(part.start), st.source(share.end)
        yield finding(
            "percent-mismatch",
            sentence.location(name, text[start:end], start),
            printed=f"{share.text}%",
            expected=pct(part.wan, base.value),
            what=f"{label}所占比例",
            numerator=f"{label} {part.written}",
            denominator=base.text,
        )
    for total in bind.sums_at(known, index):
        head = total.head
        places = max(_places(f.text) for f in (head, *total.parts))
        summed = sum((f.wan for f in total.parts), ZERO) / MONEY_UNITS[head.unit]
        yield finding(
            "sum-mismatch",
            sentence.location(name),
            printed=head.text,
            expected=f"{round_half_up(summed, places)}",
            what=total.name or "合计",
            parts=" + ".join(f.text for f in total.parts),
        )


# -- completion "预算为A，决算为B，完成预算的C%" ------------------------------------------------
_COMPLETION = re.compile(r"完成(?:年初)?预算(?:数)?的\s*" + NUM + r"\s*[%％]")


def check_completion(sentence: Sentence, name: str) -> Iterator[Finding]:
    text = sentence.text
    reading = bind.read_one(text)
    st = reading.statements[0]
    for claim in bind.completions(reading, 0):
        actual, rate = claim.actual, claim.rate
        if percent_possible(rounding_interval(actual.wan), claim.budget.interval, rate.value):
            continue
        start, end = st.source(rate.start), st.source(claim.difference.end)
        yield finding(
            "percent-mismatch",
            sentence.location(name, text[start:end], start),
            printed=f"{rate.text}%",
            expected=pct(actual.wan, claim.budget.value),
            what="完成预算的比例",
            numerator=f"决算数 {actual.written}",
            denominator=f"预算数 {plain(claim.budget.value)}万元（由差额 {claim.difference.written} 推出）",
        )
    for m in _COMPLETION.finditer(text):
        found = amounts(text[: m.start()])
        spent = next((a for a in reversed(found) if re.search(r"决算|执行", a.label)), None)
        if spent is None:
            continue
        budget = next(
            (a for a in reversed(found) if a.start < spent.start and "预算" in a.label),
            None,
        )
        if budget is None:
            continue
        printed = _number(m.group(1))
        if not percent_agrees(spent.wan, budget.wan, printed, _places(m.group(1))):
            yield finding(
                "percent-mismatch",
                sentence.location(name, m.group(0), m.start()),
                printed=f"{m.group(1)}%",
                expected=pct(spent.wan, budget.wan),
                what="完成预算的比例",
                numerator=f"{spent.label} {plain(spent.wan)}",
                denominator=f"{budget.label} {plain(budget.wan)}",
            )


# -- named rates "预算执行率为C%" -------------------------------------------------------------
def check_rates(sentence: Sentence, name: str, known: Reading | None = None) -> Iterator[Finding]:
    """A named rate ("预算执行率为91.25%") against the two amounts it is computed from
    (``synonyms.yaml``), each bound with certainty: the one figure before the rate in its
    sentence (after the same rate named earlier) whose name holds the spec's words, else
    the one such figure of the sentence before. Two candidates of different value: silent."""
    index = known.index_of(sentence) if known is not None else None
    if known is None or index is None:
        known, index = bind.read_one(sentence.text), 0
    st = known.statements[index]
    figures = [f for c in st.clauses for f in c.figures]
    earlier, earlier_text = _previous_sentence(sentence)
    for spec in synonyms.rates():
        named = re.compile(re.escape(spec["rate"]) + r"\s*(?:为|是|达到|达)?\s*$")
        since = 0
        for k, rate in enumerate(figures):
            if rate.is_money or not named.search(rate.label):
                continue
            window = [f for f in figures[since:k] if f.is_money]
            since = k + 1
            num = _operand(window, earlier, spec["numerator"])
            den = _operand(window, earlier, spec["denominator"], exclude=num)
            if num is None or den is None:
                continue
            printed = rate.value
            if percent_possible(rounding_interval(num.wan), rounding_interval(den.wan), printed):
                continue
            where = st.source(rate.start)
            fixed = _unit_fix(num, den, printed)
            if fixed is not None:
                wrong = fixed
                if any(f is wrong for f in window):
                    at: int | None = st.source(wrong.start)
                    written = sentence.text[st.source(wrong.start) : st.source(wrong.end)]
                else:
                    at, written = None, earlier_text(wrong)
                yield finding(
                    "unit-suspicious",
                    sentence.location(name, written, at),
                    printed=written,
                    expected=f"{plain(wrong.value)}万元",
                )
                continue
            yield finding(
                "percent-mismatch",
                sentence.location(name, sentence.text[where : st.source(rate.end)], where),
                printed=f"{rate.text}%",
                expected=pct(num.wan, den.wan),
                what=spec["rate"],
                numerator=f"{_named(num)} {plain(num.wan)}",
                denominator=f"{_named(den)} {plain(den.wan)}",
            )


def _named(f: Figure) -> str:
    """A figure's name as a finding shows it: its words without fillers and year."""
    return _PREFIX.sub("", _FILLERS.sub("", " ".join(f.name.split())).strip()).strip() or f.name


def _previous_sentence(sentence: Sentence) -> tuple[list[Figure], Callable[[Figure], str]]:
    """The amounts of the sentence before ``sentence`` in its paragraph, and how each is
    written there."""
    before = sentence.before(400).rstrip()
    cut = max(before[:-1].rfind(end) for end in "。！？") if before else -1
    text = before[cut + 1 :]
    st = parse(text)

    def written(f: Figure) -> str:
        return text[st.source(f.start) : st.source(f.end)]

    return [f for c in st.clauses for f in c.figures if f.is_money], written


def _operand(
    window: list[Figure], earlier: list[Figure], words: list[str], exclude: Figure | None = None
) -> Figure | None:
    """The one amount named by ``words``: in ``window`` (nearest the rate), else in
    ``earlier``; None when none is, or when two of different value are."""
    for figures in (window, earlier):
        found = [f for f in figures if f is not exclude and any(w in f.name for w in words)]
        if found:
            return found[-1] if len({f.wan for f in found}) == 1 else None
    return None


def _unit_fix(num: Figure, den: Figure, printed: Decimal) -> Figure | None:
    """The operand written in 元 with which the rate holds when it is read as 万元."""
    for wrong, other, as_num in ((num, den, True), (den, num, False)):
        if wrong.unit != "元" or other.unit != "万元":
            continue
        n, d = (wrong.value, other.wan) if as_num else (other.wan, wrong.value)
        if percent_possible(rounding_interval(n), rounding_interval(d), printed):
            return wrong
    return None


# -- changes on last year ---------------------------------------------------------------------
_CHANGE = re.compile(
    r"(增加|减少|增长|下降|降低|上升)\s*"
    + NUM
    + r"\s*(万元|亿元|元)[，,]\s*(增长|下降|减少|增加|降低|上升)\s*"
    + NUM
    + r"\s*[%％]"
)
_UP = ("增加", "增长", "上升")


def check_changes(sentence: Sentence, name: str, known: Reading | None = None) -> Iterator[Finding]:
    index = known.index_of(sentence) if known is not None else None
    if known is None or index is None:
        known, index = bind.read_one(sentence.text), 0
    text, st = sentence.text, known.statements[index]
    for claim in bind.changes(known, index):
        change, rate, previous = claim.change, claim.rate, claim.previous
        start, end = st.source(change.start), st.source(rate.end)
        where = sentence.location(name, text[start:end], start)
        amount_word, rate_word = verb_of(change.label), verb_of(rate.label)
        if change.direction != rate.direction:
            yield finding("change-direction", where, amount_word=amount_word, rate_word=rate_word)
            continue
        if previous is None or previous.interval[0] <= 0:  # 无法确定基数
            continue
        if percent_possible(rounding_interval(change.wan), previous.interval, rate.value):
            continue
        current = claim.current.text if claim.current is not None else f"（基数 {previous.text}）"
        yield finding(
            "change-mismatch",
            where,
            printed=f"{rate.text}%",
            expected=pct(change.wan, previous.value),
            current=current,
            direction=amount_word,
            change=change.written,
            verb=rate_word,
        )


# -- sums "…共计T万元" ------------------------------------------------------------------------
_TOTAL = re.compile(r"(共计|合计|总计|累计)\s*(?:为)?\s*" + NUM + r"\s*(万元|亿元|元)")
_BARE = re.compile(r"(?<=[\u4e00-\u9fff）)])\s*(\d+\.\d+)\s*(?=[，,、；;])")


def check_sums(sentence: Sentence, name: str) -> Iterator[Finding]:
    text = sentence.text
    for m in _TOTAL.finditer(text):
        head = text[: m.start()]
        if "其中" in head or "占" in head:
            continue
        parts = [
            f.wan
            for f in parse(text).figures
            if f.end <= m.start()
            and f.is_money
            and f.role is Role.current
            and not f.aside
            and not _is_total(f.label)
        ]
        parts += [_number(b.group(1)) for b in _BARE.finditer(head) if not _inside(b.start(), head)]
        if len(parts) < 2:
            continue
        total = _number(m.group(2)) * _TO_WAN[m.group(3)]
        summed = sum(parts, ZERO)
        diff = abs(summed - total)
        if diff == 0:
            continue
        code = "sum-tail" if diff <= tail_tolerance(len(parts) + 1) else "sum-mismatch"
        yield finding(
            code,
            sentence.location(name, m.group(0), m.start()),
            printed=money_text(total),
            expected=money_text(summed),
            what=m.group(1),
            parts=" + ".join(plain(p) for p in parts),
        )


def _is_total(label: str) -> bool:
    return any(w in label for w in ("合计", "总计", "共计", "累计", "总额"))


def _inside(pos: int, text: str) -> bool:
    """Whether a bare number at ``pos`` is part of an amount with a unit (already counted)."""
    return bool(AMOUNT.match(text, pos))


# -- 全年预算 = 年初预算 + 调增 − 调减 ---------------------------------------------------------
_INITIAL = ("年初预算",)
_INCREASE = ("增加", "追加", "调增")
_DECREASE = ("减少", "调减", "追减")
_FULL_YEAR = synonyms.words("full_year_endings")


def check_budget_identity(sentence: Sentence, name: str, known: Reading | None = None) -> Iterator[Finding]:
    """A sentence giving the full-year budget with the initial budget and the adjustment
    before it: 全年预算数 = 年初预算数 + 调增 − 调减. The initial budget is the one amount so
    named before the total (in its sentence, else in the sentence before); the adjustments
    the amounts named by an increase or a decrease between the two. Wrong only when no
    choice of the printed amounts inside their rounding intervals makes the identity hold."""
    index = known.index_of(sentence) if known is not None else None
    if known is None or index is None:
        known, index = bind.read_one(sentence.text), 0
    st = known.statements[index]
    here = [f for c in st.clauses for f in c.figures if f.is_money]
    earlier, _ = _previous_sentence(sentence)
    for k, total in enumerate(here):
        name_ = _named(total)
        if not name_.endswith(_FULL_YEAR):
            continue
        before = [*earlier, *here[:k]]
        initials = [i for i, f in enumerate(before) if any(w in f.name for w in _INITIAL)]
        if not initials or len({before[i].wan for i in initials}) != 1:
            continue  # no initial budget, or two of different value: 无法确定基数
        initial = before[initials[-1]]
        after = before[initials[-1] + 1 :]
        up = [a for a in after if any(w in a.name for w in _INCREASE)]
        down = [a for a in after if any(w in a.name for w in _DECREASE)]
        if not up and not down:
            continue
        if len(up) + len(down) != len(after):
            continue  # an amount between them that is neither: not certain what it is
        low = rounding_interval(initial.wan)[0]
        high = rounding_interval(initial.wan)[1]
        for a in up:
            low, high = low + rounding_interval(a.wan)[0], high + rounding_interval(a.wan)[1]
        for a in down:
            low, high = low - rounding_interval(a.wan)[1], high - rounding_interval(a.wan)[0]
        t_low, t_high = rounding_interval(total.wan)
        if t_high < low or high < t_low:
            expected = initial.wan + sum((a.wan for a in up), ZERO) - sum((a.wan for a in down), ZERO)
            parts = " + ".join([plain(initial.wan), *(plain(a.wan) for a in up)])
            parts += "".join(f" − {plain(a.wan)}" for a in down)
            where = st.source(total.start)
            yield finding(
                "sum-mismatch",
                sentence.location(name, sentence.text[where : st.source(total.end)], where),
                printed=money_text(total.wan),
                expected=money_text(expected),
                what=name_,
                parts=f"{_named(initial)} + 调整：{parts}",
            )


# -- known quantities -------------------------------------------------------------------------
def known_quantities(sentences: list[Sentence]) -> Reading:
    """The document read as statements: its named quantities and lists (see statements)."""
    return bind.read_sentences(sentences)
