"""The final-accounts publication (部门决算, seed 001): what it holds and its Excel writer.

第一部分 部门概况 (部门职责, 机构设置: texts of the department's submission when one is given),
第二部分 the nine tables (:mod:`accounts_tables`), 第三部分 情况说明 (written by
:func:`jixiao.derive.accounts.explain.generate`, every sentence arithmetic on the tables) with
图1 收入决算结构图 and 图2 支出决算结构图 drawn, 第四部分 名词解释 (``glossary.yaml``),
第五部分 附件 (项目支出自评汇总表, from the project submissions or the accounts' own list).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from openpyxl import Workbook

from jixiao.check.accounts.checks import AccountsReport
from jixiao.core.findings import sort_findings
from jixiao.model.accounts import Accounts
from jixiao.model.tables import tables as table_specs
from jixiao.render import charts as chart_mod
from jixiao.render.accounts_tables import PrintedTable, printed_tables
from jixiao.render.context import Pair, ProjectLine, Texts, project_lines, project_totals
from jixiao.render.documents import Doc, Publication, safe_name


def plan(checked: AccountsReport, pairs: Sequence[Pair]) -> Doc:
    """The publication of accounts checked by :func:`jixiao.check.accounts.checks.check_file`; the
    department's submissions of that year, if given, give 部门职责/机构设置 and 附件."""
    from jixiao.render.agree import project_scores

    unit = (checked.accounts.department, checked.accounts.year)
    mine = [p for p in pairs if (p.submission.department, p.submission.year) == unit]
    department = next((p for p in mine if not p.submission.project), None)
    projects = tuple(p for p in mine if p.submission.project)
    # one score per project in every document: the recomputed one (the printed one, when
    # it differs, is listed in the reviewer's copy)
    acc, replaced = project_scores(checked.accounts, projects, checked.source)
    summary = dict(department.submission.summary) if department else {}
    return Doc(
        kind="accounts",
        title="部门决算",
        stem=f"{acc.year}年度{safe_name(acc.department)}部门决算",
        template="accounts",
        layout="accounts",
        publication=Publication(acc, summary, projects, checked.findings),
        findings=tuple(replaced),
    )


@dataclass(frozen=True)
class TextSection:
    """A section of the 情况说明: number, title, paragraphs (headings flagged)."""

    id: str
    title: str
    paragraphs: tuple[tuple[str, bool], ...]


@cache
def glossary() -> tuple[tuple[str, str], ...]:
    raw = yaml.safe_load(
        resources.files("jixiao.render").joinpath("glossary.yaml").read_text(encoding="utf-8")
    )
    return tuple((str(item["term"]), str(item["text"])) for item in raw)


def context(doc: Doc, pub: Publication, *, with_findings: bool, want_charts: bool) -> dict[str, Any]:
    """The template context of the publication ``pub`` of ``doc`` (names in docs.md)."""
    from jixiao.derive.accounts.explain import generate

    acc = pub.accounts
    texts = Texts(pub.summary)
    explanation = generate(acc)
    parts = [
        TextSection(s.id, s.title, tuple((p, _is_heading(p)) for p in s.paragraphs))
        for s in explanation.sections
    ]
    lines = project_lines(pub.projects) if pub.projects else _lines_from_accounts(acc)
    found = sort_findings([*pub.findings, *doc.findings]) if with_findings else []
    return {
        "department": acc.department,
        "year": acc.year,
        "tables": printed_tables(acc),
        "explanation": parts,
        "glossary": glossary(),
        "projects": lines,
        "text": texts.paras,
        "text_or": texts.get,
        "has_text": texts.present,
        "charts": structure_charts(acc) if want_charts else {},
        "subdocs": {},  # the tables as Word sub-documents, made by the docx writer
        "with_findings": with_findings,
        "findings": found,
    }


def _is_heading(paragraph: str) -> bool:
    """（一）总体情况。 and the like: a sub-heading of the 情况说明."""
    return paragraph.startswith("（") and len(paragraph) <= 40 and "）" in paragraph[:5]


def _lines_from_accounts(acc: Accounts) -> list[ProjectLine]:
    """项目支出自评汇总表 rows from the accounts' own list of project results (section 十三)."""
    out = []
    for i, p in enumerate(acc.narrative.performance.projects, start=1):
        rate = p.actual / p.budget if p.budget and p.actual is not None else None
        out.append(ProjectLine(i, p.name, p.budget, p.actual, rate, None, None, None, p.score, None, ""))
    return out


def structure_charts(acc: Accounts) -> dict[str, bytes]:
    """图1 收入决算结构图 and 图2 支出决算结构图, from the 合计 rows of 公开02表 and 公开03表;
    and 收入总计 this year against last year's (``narrative.previous``), when given."""
    out: dict[str, bytes] = {}
    income_spec, expense_spec = table_specs()["income"], table_specs()["expense"]
    parts = [
        (c.label, getattr(acc.income.total, c.key)) for c in income_spec.code_columns if c.key != "total"
    ]
    income = chart_mod.structure("收入决算结构图", [(n, v) for n, v in parts if v])
    if income:
        out["income"] = income
    parts = [
        (c.label, getattr(acc.expense.total, c.key)) for c in expense_spec.code_columns if c.key != "total"
    ]
    expense = chart_mod.structure("支出决算结构图", [(n, v) for n, v in parts if v])
    if expense:
        out["expense"] = expense
    previous = acc.narrative.previous.income_sum
    if previous is not None and acc.summary.income_sum is not None:
        points = [(acc.year - 1, previous), (acc.year, acc.summary.income_sum)]
        trend = chart_mod.trend("收入总计（万元）", points, unit="万元")
        if trend:
            out["trend"] = trend
    return out


# --- Excel: one sheet per table ------------------------------------------------------------


def write_xlsx(doc: Doc, ctx: Mapping[str, Any], wb: Workbook) -> None:
    """The nine tables, a sheet each (公开01表 …), plus the 项目支出自评汇总表 when known."""
    from jixiao.render.xlsx_out import MONEY, Sheet

    wb.remove(wb.active)
    for table in ctx["tables"]:
        widths = [max(6.0, w * 1.6) for w in table.widths]
        sheet = Sheet(wb.create_sheet(table.number or table.title[:28]), widths)
        sheet.ws.page_setup.orientation = "landscape"
        sheet.line(table.number, align="right")
        sheet.title(table.title)
        sheet.line(f"部门名称：{ctx['department']}　　　　单位：万元")
        top = sheet.row
        _place(sheet, table, top, MONEY)
        sheet.repeat_rows(top, top + len(table.head) - 1)
        sheet.row = top + len(table.head) + len(table.body)
        sheet.line(f"注：{table.note}")
        if table.empty_note:
            sheet.line(f"说明：{table.empty_note}")
    if ctx["projects"]:
        from jixiao.render.xlsx_out import project_summary

        project_summary(
            doc, {**ctx, **project_totals(ctx["projects"])}, wb.create_sheet("项目支出自评汇总表")
        )


def _place(sheet: Any, table: PrintedTable, top: int, money_format: str) -> None:
    from jixiao.render.xlsx_out import merge

    ws = sheet.ws
    rows = [*table.head, *table.body]
    for r, c, cell in table.placed(rows):
        row, col = top + r, 1 + c
        target = ws.cell(row, col, cell.value if cell.money else (cell.text or None))
        style = sheet.style(
            size=9, bold=cell.bold, align=cell.align, fill=cell.head, fmt=money_format if cell.money else None
        )
        sheet.put(target, style)
        if cell.rowspan > 1 or cell.colspan > 1:
            edge = sheet.style(size=9)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr or dc:
                        sheet.put(ws.cell(row + dr, col + dc), edge)
            merge(ws, row, col, row + cell.rowspan - 1, col + cell.colspan - 1)
