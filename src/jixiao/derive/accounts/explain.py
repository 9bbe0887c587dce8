"""The 情况说明 computed from the tables, in the wording of seed 001 (sections 一 to 十三):
the sentences of :mod:`statements`, in the order and paragraphs of the published text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from jixiao.derive.accounts.sentence_templates import Missing, catalog
from jixiao.derive.accounts.statements import general_items, values
from jixiao.model.accounts import Accounts


@dataclass(frozen=True)
class ExplanationSection:
    """One part of the 情况说明: its number (一 … 十三), title and paragraphs."""

    id: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """The generated 情况说明."""

    year: int
    department: str
    sections: tuple[ExplanationSection, ...]

    def text(self) -> str:
        out: list[str] = []
        for s in self.sections:
            out.append(f"{s.id}、{s.title}")
            out.append("")
            for p in s.paragraphs:
                out.append(p)
                out.append("")
        return "\n".join(out).rstrip() + "\n"


#: The mark of what the data cannot say, naming what is missing: the text never skips a
#: part of the outline, and never ends a sentence where its reason or its list should be.
TO_FILL = "【待填写：{what}】"


def _sentence(acc: Accounts, sid: str, key: Any = None) -> str | None:
    v = values(sid, acc, key)
    if v is None or v.get("_claim") is False:
        return None
    if v.get("differs") == "存在差异" and not v.get("reason"):
        # "决算数与预算数存在差异。" says nothing: the reason is asked for
        v = {**v, "reason": TO_FILL.format(what="差异的主要原因")}
    return catalog().sentences[sid].render(v)


def _missing(acc: Accounts, sid: str, key: Any = None) -> list[str]:
    """What the data lacks for sentence ``sid`` (the Missing values' descriptions)."""
    v = values(sid, acc, key) or {}
    return list(dict.fromkeys(m.what for m in v.values() if isinstance(m, Missing)))


def _to_fill(*what: str) -> str:
    return TO_FILL.format(what="、".join(w for w in what if w))


def _lead(
    acc: Accounts, lead: str | None, children: list[str | None], amount: Any, what: str
) -> list[str | None]:
    """A sentence ending "其中：" and the sentences that break it down. Without any of them,
    the lead ends at its own full stop when there is nothing to break down (zero), and asks
    for the breakdown otherwise."""
    if lead is None or any(children):
        return [lead, *children]
    if lead.endswith("其中：") and not amount:
        return [lead.removesuffix("其中：")]
    if lead.endswith("其中："):
        return [lead + _to_fill(what)]
    return [lead]


def _paragraph(parts: Iterable[str | None]) -> str | None:
    text = "".join(p for p in parts if p)
    return text or None


def _plan(acc: Accounts) -> dict[str, list[str | None]]:
    """The paragraphs of each section."""
    s = acc.summary
    f = acc.fiscal
    cat = catalog().sentences
    plan: dict[str, list[str | None]] = {}
    plan["一"] = [
        _paragraph(
            [
                _sentence(acc, "total_equal" if s.income_sum == s.expense_sum else "total_unequal"),
                _sentence(acc, "total_change"),
            ]
        )
    ]
    plan["二"] = [_sentence(acc, "income")]
    plan["三"] = [_sentence(acc, "expense")]
    plan["四"] = [
        _paragraph(
            [
                _sentence(acc, "fiscal_equal" if f.income_sum == f.expense_sum.total else "fiscal_unequal"),
                _sentence(acc, "fiscal_change"),
            ]
        )
    ]
    items = [
        f"{i}. {text}" if (text := _sentence(acc, "general_item", code)) else None
        for i, code in enumerate(general_items(acc), start=1)
    ]
    five: list[str | None] = [
        cat["general_total"].heading,
        _paragraph([_sentence(acc, "general_total"), _sentence(acc, "general_change")]),
        cat["general_structure"].heading,
        _sentence(acc, "general_structure"),
        cat["general_budget"].heading,
        *_lead(
            acc,
            _sentence(acc, "general_budget"),
            items,
            acc.general.total.total,
            "按功能分类科目（类、款、项）列示的各项支出（公开05表）及其年初预算",
        ),
    ]
    plan["五"] = five
    plan["六"] = [_sentence(acc, "basic")]
    plan["七"] = [_paragraph([_sentence(acc, "fund"), _sentence(acc, "fund_none")])]
    plan["八"] = [_paragraph([_sentence(acc, "capital"), _sentence(acc, "capital_none")])]
    plan["九"] = [
        cat["three_total"].heading,
        _paragraph([_sentence(acc, "three_total"), _sentence(acc, "three_total_reason")]),
        cat["three_parts"].heading,
        _sentence(acc, "three_parts"),
        _sentence(acc, "three_abroad"),
        *_lead(
            acc,
            _sentence(acc, "three_vehicle"),
            [_sentence(acc, "three_vehicle_purchase"), _sentence(acc, "three_vehicle_running")],
            acc.three_public.actual.vehicle,
            "公务用车购置支出、公务用车运行维护支出",
        ),
        *_lead(
            acc,
            _sentence(acc, "three_reception"),
            [_sentence(acc, "three_reception_foreign"), _sentence(acc, "three_reception_domestic")],
            acc.three_public.actual.reception,
            "外宾接待支出、其他国内公务接待支出",
        ),
    ]
    plan["十"] = [_sentence(acc, "office_running")]
    plan["十一"] = [_sentence(acc, "procurement")]
    plan["十二"] = [_sentence(acc, "assets")]
    thirteen: list[str | None] = [
        cat["performance_general"].heading,
        _paragraph([_sentence(acc, f"performance_{k}") for k in ("general", "fund", "capital")]),
        _sentence(acc, "performance_evaluated"),
        _sentence(acc, "performance_unit"),
    ]
    projects = acc.narrative.performance.projects
    if projects:
        thirteen.append("（二）项目绩效自评结果")
        for i, project in enumerate(projects):
            text = _sentence(acc, "performance_project", i)
            thirteen.append(_paragraph([text, project.summary]) if text else None)
    plan["十三"] = thirteen
    return plan


@cache
def _needs() -> Mapping[str, str]:
    """Each section's data, as explain.yaml describes it (``needs``); read once."""
    from importlib import resources

    import yaml

    raw = yaml.safe_load(
        resources.files("jixiao.derive.accounts").joinpath("explain.yaml").read_text(encoding="utf-8")
    )
    return MappingProxyType({str(s["id"]): str(s.get("needs", "")) for s in raw["sections"]})


def _filled(acc: Accounts, paragraphs: list[str | None], needs: str) -> tuple[str, ...]:
    """The section's paragraphs with every gap marked: a heading with nothing under it and
    a section with nothing to say get a 【待填写】 naming the missing data."""
    out: list[str] = []
    for i, p in enumerate(paragraphs):
        if p is None:
            continue
        out.append(p)
        if _is_heading(p):
            nxt = next((q for q in paragraphs[i + 1 :] if q is not None), None)
            if nxt is None or _is_heading(nxt):
                sentence = next((s.id for s in catalog().sentences.values() if s.heading == p), None)
                what = _missing(acc, sentence) if sentence else []
                out.append(_to_fill(*(what or [needs])))
    if not any(not _is_heading(p) for p in out):
        out = [_to_fill(needs)]  # where to fill in what the whole section needs
    return tuple(out)


def _is_heading(paragraph: str) -> bool:
    return paragraph.startswith("（") and "）" in paragraph[:5] and len(paragraph) <= 40


def generate(acc: Accounts) -> Explanation:
    """The 情况说明 of ``acc``: every section of the outline (一 to 十三), each sentence whose
    figures the data gives, and a 【待填写：…】 mark naming the data where it gives none."""
    plan = _plan(acc)
    needs = _needs()
    sections = [
        ExplanationSection(sid, title, _filled(acc, plan.get(sid, []), needs.get(sid, "")))
        for sid, title in catalog().sections
    ]
    return Explanation(acc.year, acc.department, tuple(sections))
