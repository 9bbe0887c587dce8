"""The 情况说明 computed from the tables, in the wording of seed 001 (sections 一 to 十三):
the sentences of :mod:`statements`, in the order and paragraphs of the published text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jixiao.accounts.model import Accounts
from jixiao.accounts.sentences import catalog
from jixiao.accounts.statements import general_items, values


@dataclass(frozen=True)
class Section:
    """One part of the 情况说明: its number (一 … 十三), title and paragraphs."""

    id: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """The generated 情况说明."""

    year: int
    department: str
    sections: tuple[Section, ...]

    def text(self) -> str:
        out: list[str] = []
        for s in self.sections:
            out.append(f"{s.id}、{s.title}")
            out.append("")
            for p in s.paragraphs:
                out.append(p)
                out.append("")
        return "\n".join(out).rstrip() + "\n"


def _sentence(acc: Accounts, sid: str, key: Any = None) -> str | None:
    v = values(sid, acc, key)
    if v is None or v.get("_claim") is False:
        return None
    return catalog().sentences[sid].render(v)


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
    five: list[str | None] = [
        cat["general_total"].heading,
        _paragraph([_sentence(acc, "general_total"), _sentence(acc, "general_change")]),
        cat["general_structure"].heading,
        _sentence(acc, "general_structure"),
        cat["general_budget"].heading,
        _sentence(acc, "general_budget"),
    ]
    for i, code in enumerate(general_items(acc), start=1):
        text = _sentence(acc, "general_item", code)
        five.append(f"{i}. {text}" if text else None)
    plan["五"] = five
    plan["六"] = [_sentence(acc, "basic")]
    plan["七"] = [_paragraph([_sentence(acc, "fund"), _sentence(acc, "fund_none")])]
    plan["八"] = [_paragraph([_sentence(acc, "capital"), _sentence(acc, "capital_none")])]
    plan["九"] = [
        cat["three_total"].heading,
        _paragraph([_sentence(acc, "three_total"), _sentence(acc, "three_total_reason")]),
        cat["three_parts"].heading,
        _sentence(acc, "three_parts"),
        *(
            _sentence(acc, sid)
            for sid in (
                "three_abroad",
                "three_vehicle",
                "three_vehicle_purchase",
                "three_vehicle_running",
                "three_reception",
                "three_reception_foreign",
                "three_reception_domestic",
            )
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


def generate(acc: Accounts) -> Explanation:
    """The 情况说明 of ``acc``: every sentence whose figures the data gives."""
    plan = _plan(acc)
    sections = []
    for sid, title in catalog().sections:
        paragraphs = tuple(p for p in plan.get(sid, []) if p)
        # a section with nothing but its headings says nothing: leave it out
        if any(p and not p.startswith("（") for p in paragraphs):
            sections.append(Section(sid, title, paragraphs))
    return Explanation(acc.year, acc.department, tuple(sections))
