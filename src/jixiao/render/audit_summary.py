"""A folder of audited documents at a glance: one row per document with its department,
year and kind, its counts by severity and its worst Finding, most errors first; written
to a workbook whose text cells are all plain strings (a department named "=cmd|..." stays
text, never a formula)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jixiao.check.published.report import AuditReport
from jixiao.core import outputs
from jixiao.core.findings import Finding, Severity, count
from jixiao.model.document import Paragraph, PublishedDocument

#: Columns of the summary, in order.
COLUMNS = ("文件", "单位", "年度", "类型", "错误", "警告", "提示", "最严重的问题")

# A title: "某某局2023年度部门决算", "2021年度市科协部门整体绩效自评表" ...
_TITLE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年度?\s*)?(?P<dept>[^\s，。：:；;]{2,30}?)\s*"
    r"(?:[（(]?\s*(?:19|20)\d{2}\s*年度?\s*[)）]?)?\s*"
    r"(?:部门决算|部门整体|整体绩效|整体支出|项目支出|项目绩效|绩效自评|决算公开)"
)
_KINDS = (  # (words in the title or the recognised tables, kind), first match wins
    (("部门决算", "决算公开", "公开01表", "收入支出决算总表"), "部门决算"),
    (("项目支出绩效", "项目绩效自评", "项目自评"), "项目支出绩效自评"),
    (("部门整体支出绩效", "整体支出绩效", "部门整体绩效", "整体绩效"), "部门整体支出绩效自评"),
    (("绩效自评", "自评表"), "绩效自评"),
)


@dataclass(frozen=True)
class DocumentRow:
    """One document in the summary."""

    file: str
    department: str
    year: str
    kind: str
    errors: int
    warnings: int
    notes: int
    worst: str

    def cells(self) -> tuple[str | int, ...]:
        return (
            self.file,
            self.department,
            self.year,
            self.kind,
            self.errors,
            self.warnings,
            self.notes,
            self.worst,
        )


def identify(doc: PublishedDocument, report: AuditReport) -> tuple[str, str]:
    """(department, kind) of a document, from its title and what was recognised in it;
    "" for what cannot be told."""
    from jixiao.read.published.scoretables import department_named

    heads = [b.text for b in list(doc.paragraphs())[:8] if isinstance(b, Paragraph)]
    department = department_named(doc) or ""
    for text in heads:
        match = _TITLE.search(text) if not department else None
        if match and not match.group("dept").startswith("附件"):
            department = match.group("dept")
            break
    if not department:
        department = _from_tables(report)
    words = " ".join(heads[:4]) + " " + " ".join(report.recognised)
    kind = next((k for keys, k in _KINDS if any(w in words for w in keys)), "")
    return department, kind


def _from_tables(report: AuditReport) -> str:
    """The department a recognised self-evaluation table names (its 单位名称 cell)."""
    for item in report.recognised:
        match = re.search(r"单位“([^”]{2,40})”", item)
        if match:
            return match.group(1)
    return ""


def row(report: AuditReport, department: str, kind: str) -> DocumentRow:
    totals = count(report.findings)
    return DocumentRow(
        file=report.file,
        department=department,
        year=str(report.year or ""),
        kind=kind,
        errors=totals[Severity.error],
        warnings=totals[Severity.warning],
        notes=totals[Severity.note],
        worst=worst(report.findings),
    )


def unreadable_row(file: str, findings: Iterable[Finding]) -> DocumentRow:
    """A document that could not be read: its reason as the worst problem."""
    items = list(findings)
    return DocumentRow(
        file, "", "", "", len(items), 0, 0, "无法读取：" + "；".join(f.message for f in items)[:120]
    )


def worst(findings: Iterable[Finding]) -> str:
    """The first Finding of the highest severity, as one line (with its page and line)."""
    ranked = sorted(findings, key=lambda f: f.severity.rank)
    if not ranked or ranked[0].severity is Severity.note:
        return ""
    f = ranked[0]
    loc = f.location
    where = (f"第{loc.page}页" if loc.page else "") + (f"第{loc.line}行" if loc.line else "")
    text = f"[{f.severity.label}] {f.message}"
    return f"{text}（{where}）" if where else text


def ordered(rows: Iterable[DocumentRow]) -> list[DocumentRow]:
    """Most errors first, then most warnings, then by file."""
    return sorted(rows, key=lambda r: (-r.errors, -r.warnings, r.file))


def write_xlsx(rows: Iterable[DocumentRow], path: Path) -> None:
    """The summary as a workbook: a header row and one row per document; every text
    cell is written as a string, counts as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "审核汇总"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append([None] * len(COLUMNS))
        for k, value in enumerate(r.cells(), start=1):
            cell = sheet.cell(row=sheet.max_row, column=k)
            if isinstance(value, int):
                cell.value = value
            else:
                # A string, explicitly: openpyxl would take a leading "=" as a formula.
                cell.value = value
                cell.data_type = "s"
    for letter, width in zip("ABCDEFGH", (36, 24, 8, 18, 8, 8, 8, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    outputs.save(path, workbook.save)
