"""Check a department's own 情况说明 text against its tables.

The text is split into its sections (一、… 十三、) and read with the same sentence templates
that write it (explain.yaml). Every figure a template captures is compared with what the
tables (and the narrative data) give: a mismatch is an error; a rate that contradicts the
other figures of its own sentence, when the data lacks the base, is an error too; a figure
the data cannot confirm is a note. Figures no template reads are listed, sentence by
sentence, as unchecked notes — nothing is passed over in silence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.core.findings import Finding, Location, finding
from jixiao.core.numbers import HUNDRED, round_half_up
from jixiao.derive.accounts import statements
from jixiao.derive.accounts.sentence_templates import (
    DerivedInSentence,
    Missing,
    SentenceTemplate,
    catalog,
    format_value,
    normalize,
    parse_number,
)
from jixiao.model.accounts import Accounts

_HEADING = re.compile(r"(十三|十二|十一|十|九|八|七|六|五|四|三|二|一)、([^，。；：、（）\d]{2,30}?说明)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:%|万元|个|人次|辆|台|分|项)?")

SLOT_LABELS = {
    "year": "年度",
    "previous_year": "上一年度",
    "income_sum": "收入总计",
    "expense_sum": "支出总计",
    "direction": "增减方向",
    "change": "增减额",
    "trend": "增减方向",
    "rate": "比率",
    "total": "合计",
    "amount": "金额",
    "share": "占比",
    "budget": "预算数",
    "actual": "决算数",
    "differs": "决算数与预算数是否有差异",
    "basic": "基本支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "personnel_items": "人员经费主要包括的科目",
    "public_items": "公用经费主要包括的科目",
    "count": "个数",
    "funds": "涉及资金",
    "groups": "团组数",
    "persons": "人次",
    "held": "公务用车保有量",
    "equipment": "大型设备数",
    "score": "自评得分",
    "index": "序号",
    "general": "一般公共预算支出",
    "fund": "政府性基金预算支出",
    "capital": "国有资本经营预算支出",
    "goods": "货物支出",
    "works": "工程支出",
    "services": "服务支出",
    "sme": "授予中小企业合同金额",
    "sme_share": "授予中小企业合同金额占比",
    "small": "授予小微企业合同金额",
    "small_share": "授予小微企业合同金额占比",
    "abroad": "因公出国（境）费",
    "abroad_rate": "因公出国（境）费完成预算比例",
    "abroad_share": "因公出国（境）费占比",
    "vehicle": "公务用车购置及运行费",
    "vehicle_rate": "公务用车购置及运行费完成预算比例",
    "vehicle_share": "公务用车购置及运行费占比",
    "reception": "公务接待费",
    "reception_rate": "公务接待费完成预算比例",
    "reception_share": "公务接待费占比",
}
_NUMBER_KINDS = {"money", "money_plain", "pct", "pct_plain", "count", "year"}


@dataclass(frozen=True)
class _Span:
    section: str | None
    start: int
    end: int


class _Text:
    """The normalized text, with the way back to lines of the original."""

    def __init__(self, text: str, file: str | None) -> None:
        self.original = text
        self.norm, self.index = normalize(text)
        self.file = file
        # positions of line breaks and full stops, searched by bisection: a lookup per
        # match must not rescan the text (20 MB with many numbers took minutes)
        self._breaks = [m.start() for m in re.finditer("\n", text)]
        self._stops = [m.start() for m in re.finditer("。", self.norm)]

    def line(self, pos: int) -> int:
        if not self.index:
            return 1
        orig = self.index[min(pos, len(self.index) - 1)]
        return bisect_left(self._breaks, orig) + 1

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """[left, right) of the sentence (ending with its 。) around [start, end)."""
        i = bisect_left(self._stops, start)
        left = self._stops[i - 1] + 1 if i else 0
        j = bisect_left(self._stops, end)
        right = self._stops[j] + 1 if j < len(self._stops) else len(self.norm)
        return left, right

    def sentence_at(self, start: int, end: int) -> str:
        """The sentence around [start, end) in the normalized text (at most 80 characters)."""
        left, right = self.sentence_bounds(start, end)
        text = self.norm[left:right]
        return text if len(text) <= 80 else text[:78] + "…"

    def where(self, start: int, end: int, quote: str | None = None) -> Location:
        return Location(file=self.file, line=self.line(start), quote=quote or self.sentence_at(start, end))


def sections(norm: str) -> list[_Span]:
    """The sections of the text by their headings; one unnamed section when it has none."""
    heads = [(m.group(1), m.start(), m.end()) for m in _HEADING.finditer(norm)]
    if not heads:
        return [_Span(None, 0, len(norm))]
    out = []
    for i, (sid, _start, end) in enumerate(heads):
        stop = heads[i + 1][1] if i + 1 < len(heads) else len(norm)
        out.append(_Span(sid, end, stop))
    return out


def check_text(
    acc: Accounts, text: str, *, file: str | None = None, missing: dict[int, str] | None = None
) -> list[Finding]:
    """Findings on the 情况说明 ``text`` of ``acc``. ``missing``, when given, receives for
    each ``accounts-text-unverifiable`` Finding (by ``id``) the datum the data lacks, for a
    caller that groups them (the audit) without reading the message back."""
    doc = _Text(text, file)
    findings: list[Finding] = []
    covered: list[tuple[int, int]] = []
    spans = sections(doc.norm)
    cat = catalog()
    for span in spans:
        templates = cat.of_section(span.section) if span.section else list(cat.sentences.values())
        for sentence in templates:
            for m in sentence.pattern.finditer(doc.norm, span.start, span.end):
                findings += _check_match(acc, sentence, m, doc, covered, missing)
    findings += _unchecked(doc, spans, covered)
    found = {s.section for s in spans if s.section}
    if len(found) >= 3:
        for sid, title in cat.sections:
            if sid not in found:
                findings.append(
                    finding("accounts-text-missing-section", Location(file=file), section=f"{sid}、{title}")
                )
    return findings


# --------------------------------------------------------------------------- one sentence


def _dashes(text: str) -> str:
    return re.sub(r"[—–－\-]+", "-", text).replace('"', "“")


def _resolve(
    acc: Accounts, sentence: SentenceTemplate, groups: dict[str, str | None]
) -> tuple[Any, str | None, bool]:
    """(key, expected printed name, found-by-name) of a keyed sentence; key None when the
    sentence is not keyed; ``...`` (Ellipsis) when a keyed sentence names nothing known."""
    sid = sentence.id
    if sid in ("income_part",):
        return groups["source"], None, True
    if sid in ("expense_part",):
        return groups["part"], None, True
    if sid == "assets_vehicle":
        return groups["category"], None, True
    if sid == "general_class":
        name = groups["class_name"] or ""
        for code in statements.general_classes(acc):
            if statements.class_label(acc, code) == name:
                return code, None, True
        amount = _num("money", groups.get("amount"))
        for code in statements.general_classes(acc):
            if (statements.values("general_class", acc, code) or {})["amount"] == amount:
                return code, statements.class_label(acc, code), False
        return ..., None, False
    if sid == "general_item":
        names = (groups["class_name"], groups["section_name"], groups["item_name"])
        candidates = statements.general_items(acc)
        for code in candidates:
            if statements.item_names(acc, code) == names:
                return code, None, True
        actual = _num("money", groups.get("actual"))
        budget = _num("money", groups.get("budget"))
        same_class = [c for c in candidates if statements.row_name(acc, c[:3]) == names[0]]
        for pool in (same_class, candidates):
            hits = [c for c in pool if (statements.values("general_item", acc, c) or {})["actual"] == actual]
            if len(hits) > 1:
                hits = [c for c in hits if _budget_of(acc, c) == budget] or hits
            if len(hits) == 1:
                return hits[0], None, False
        return ..., None, False
    if sid == "performance_project":
        name = _dashes(groups.get("name") or "")
        for i, project in enumerate(acc.narrative.performance.projects):
            if _dashes(project.name) == name:
                return i, None, True
        return None, None, False
    return None, None, True


def _budget_of(acc: Accounts, code: str) -> Decimal | None:
    item = acc.narrative.initial_budget.items.get(code)
    return item.budget if item is not None else None


def _num(kind: str, text: str | None) -> Any:
    if text is None:
        return None
    return parse_number(kind, text)


def _full_item_name(acc: Accounts, code: str) -> str:
    c, s, i = statements.item_names(acc, code)
    return f"{c}（类）{s}（款）{i}（项）"


def _check_match(  # noqa: PLR0917 - the match, where it is, and the two outputs
    acc: Accounts,
    sentence: SentenceTemplate,
    m: re.Match[str],
    doc: _Text,
    covered: list[tuple[int, int]],
    missing: dict[int, str] | None,
) -> list[Finding]:
    groups = m.groupdict()
    out: list[Finding] = []
    slots = sentence.slots()
    # everything the template matched is checked, except its free-text slots (a reason may
    # hold figures of its own)
    free = sorted(
        m.span(s.name) for s in slots if s.kind in ("text", "names") and groups.get(s.name) is not None
    )
    pos = m.start()
    for start, end in free:
        covered.append((pos, start))
        pos = max(pos, end)
    covered.append((pos, m.end()))
    key, expected_name, by_name = _resolve(acc, sentence, groups)
    where = doc.where(m.start(), m.end())
    if key is ...:
        printed = "".join(
            f"{groups[n]}（{lv}）"
            for n, lv in (("class_name", "类"), ("section_name", "款"), ("item_name", "项"))
            if groups.get(n)
        )
        return [finding("accounts-text-unknown-item", where, printed=printed or m.group(0)[:30])]
    if sentence.id == "general_item" and not by_name and isinstance(key, str):
        printed = f"{groups['class_name']}（类）{groups['section_name']}（款）{groups['item_name']}（项）"
        out.append(finding("accounts-text-name", where, printed=printed, expected=_full_item_name(acc, key)))
    elif sentence.id == "general_class" and not by_name and expected_name:
        out.append(
            finding(
                "accounts-text-name",
                where,
                printed=f"{groups['class_name']}（类）",
                expected=f"{expected_name}（类）",
            )
        )
    vals = statements.values(sentence.id, acc, key)
    if vals is None:
        return out
    if vals.get("_claim") is False:
        out.append(
            finding(
                "accounts-text-mismatch",
                where,
                printed=f"“{m.group(0)[:40]}”",
                expected="删去或改写此句",
                what=vals.get("_what", ""),
            )
        )
        return out
    printed_values = {
        s.name: _num(s.kind, groups.get(s.name)) if s.kind in _NUMBER_KINDS else groups.get(s.name)
        for s in slots
    }
    context = _context(acc, sentence, key)
    for slot in slots:
        captured = groups.get(slot.name)
        if captured is None or slot.kind in ("text", "name") or slot.name not in vals:
            continue
        if slot.kind in ("income_source", "expense_part", "vehicle"):
            continue
        expected = vals[slot.name]
        what = f"{context}{SLOT_LABELS.get(slot.name, slot.name)}"
        slot_where = doc.where(*m.span(slot.name), quote=where.quote)
        if isinstance(expected, Missing):
            out.append(_unverifiable(slot_where, captured, expected.what, missing))
            continue
        internal = isinstance(expected, DerivedInSentence)
        if internal:
            expected = expected.fn(printed_values)
            if expected is None and slot.kind not in ("pct", "pct_plain"):
                continue
        if expected is None and slot.kind not in ("pct", "pct_plain"):
            out.append(_unverifiable(slot_where, captured, SLOT_LABELS.get(slot.name, slot.name), missing))
            continue
        ok, shown = _same(slot.kind, captured, expected)
        if not ok:
            code = "accounts-text-inconsistent" if internal else "accounts-text-mismatch"
            if slot.kind == "names":
                code = "accounts-text-name"
            out.append(
                finding(
                    code,
                    slot_where,
                    printed=captured,
                    expected=shown,
                    what=what,
                )
            )
    return out


def _unverifiable(where: Location, printed: str, what: str, missing: dict[int, str] | None) -> Finding:
    found = finding("accounts-text-unverifiable", where, printed=printed, what=what)
    if missing is not None:
        missing[id(found)] = what
    return found


def _context(acc: Accounts, sentence: SentenceTemplate, key: Any) -> str:
    if sentence.id == "general_item" and isinstance(key, str):
        return f"“{statements.item_names(acc, key)[2]}”的"
    if sentence.id == "general_class" and isinstance(key, str):
        return f"“{statements.class_label(acc, key)}”类的"
    if sentence.id == "performance_project" and isinstance(key, int):
        return f"项目“{acc.narrative.performance.projects[key].name}”的"
    if sentence.id in ("income_part", "expense_part", "assets_vehicle") and key:
        return f"“{key}”的"
    return ""


def _same(kind: str, captured: str, expected: Any) -> tuple[bool, str]:
    """Whether the printed ``captured`` says ``expected``; and how ``expected`` is written."""
    if kind in ("money", "money_plain"):
        value = round_half_up(Decimal(expected), 2)
        return parse_number(kind, captured) == value, format_value("money", value)
    if kind in ("pct", "pct_plain"):
        printed = parse_number(kind, captured)
        if expected is None:
            return printed == 0, "0%"
        places = _places(captured.rstrip("%"))
        value = round_half_up(Decimal(expected) * HUNDRED, max(places, 0))
        return printed == value, format_value("pct", expected)
    if kind in ("count", "year"):
        return int(captured) == int(expected), str(expected)
    if kind == "names":
        printed_names = {n for n in captured.split("、") if n}
        return printed_names == set(expected), "、".join(expected)
    return captured == expected, str(expected)


def _places(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


# --------------------------------------------------------------------------- unchecked


def _unchecked(doc: _Text, spans: Iterable[_Span], covered: list[tuple[int, int]]) -> list[Finding]:
    covered_positions: set[int] = set()
    for start, end in covered:
        covered_positions.update(range(start, end))
    by_sentence: dict[tuple[int, int], list[str]] = {}
    norm = doc.norm
    for span in spans:
        for m in _NUMBER.finditer(norm, span.start, span.end):
            start, end = m.span()
            if start in covered_positions:
                continue
            if start > 0 and (norm[start - 1].isdigit() or norm[start - 1] in ".图表"):
                continue  # inside another number, or a figure / table caption (图1)
            after = norm[end : end + 1]
            before = norm[start - 1 : start] if start else "。"
            if after in ("年", "月", "日", "号", "—", "-", "～", "~", "至"):
                continue  # a date or a period, not a figure
            if (
                not m.group(0)[-1:].isalpha()
                and after in ("、", ".")
                and before in ("。", "：", "；", "）", "")
            ):
                continue  # an enumerator: 1、 2.
            left, right = doc.sentence_bounds(start, end)
            by_sentence.setdefault((left, right), []).append(m.group(0))
    out = []
    for (left, right), numbers in sorted(by_sentence.items()):
        out.append(finding("accounts-text-unchecked", doc.where(left, right), numbers="、".join(numbers)))
    return out
