"""Read a self-evaluation workbook (自评表.xlsx, as ``jixiao template --framework`` or
``jixiao render`` writes it) into the same Submission the YAML reader gives.

The 填报信息 sheet gives who, the year, the framework and the money figures; the first sheet
is the indicator table in its seed layout, found by its header row (一级指标 … 三级指标,
指标值/完成值, 分值, 得分: the headers of ``model/catalogs/selfeval_tables.yaml``). Level
names merged over several rows are carried down. What cannot be read is an InputError naming
the sheet and the cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core.findings import Finding, InputError, Location, finding
from jixiao.core.numbers import plain
from jixiao.model.selfeval_tables import heads_of
from jixiao.model.submission import Submission
from jixiao.read.structured import ParsedFile
from jixiao.read.submission import submissions_from
from jixiao.read.workbook import check, open_values

INFO_SHEET = "填报信息"
_WEIGHT_SUFFIX = re.compile(r"（\s*\d+(?:\.\d+)?\s*分）$")
_END = ("总分", "合计")


def is_self_evaluation(path: Path) -> bool:
    """Whether ``path`` is a self-evaluation workbook (it has a 填报信息 sheet)."""
    try:
        check(path)  # the limits first: a bomb posing as a workbook is not opened
        wb = load_workbook(path, read_only=True)
    except Exception:
        return False
    try:
        return INFO_SHEET in wb.sheetnames
    finally:
        wb.close()


@dataclass(frozen=True)
class WorkbookData:
    """What a self-evaluation workbook holds, as plain data in the shape of the YAML files.

    Attributes:
        data: department, year, framework, figures, indicators (each with its ``line``).
        cells: each field of the 填报信息 sheet and its cell (``year`` -> ``C4``).
        info_sheet: the name of that sheet.
        table_sheet: the name of the indicator table's sheet.
        submissions: the data read as submissions (validated).
    """

    data: dict[str, Any]
    cells: dict[str, str]
    info_sheet: str
    table_sheet: str
    submissions: list[Submission]


def read_workbook(path: Path) -> list[Submission]:
    """The submission of a self-evaluation workbook; InputError (sheet and cell named)."""
    return read_workbook_data(path).submissions


def read_workbook_data(path: Path, defaults: Mapping[str, Any] | None = None) -> WorkbookData:
    """The workbook's data and submissions; a field of the 填报信息 sheet left blank takes its
    value from ``defaults`` (a form that knows the department and the year). InputError
    names the sheet and the cell of what cannot be read."""
    loc = Location(file=str(path))
    wb = open_values(path)  # refuses bombs, oversize sheets and formulas without results
    if INFO_SHEET not in wb.sheetnames:
        detail = (
            f"工作簿中缺少工作表“{INFO_SHEET}”；"
            "请用 jixiao template 自评表.xlsx --framework 指标体系 生成的模板填写"
        )
        raise InputError([finding("invalid-structure", loc, detail=detail)])
    data, lines = _info(wb[INFO_SHEET])
    for key, value in (defaults or {}).items():
        if data.get(key) in (None, ""):
            data[key] = value
    table = next((ws for ws in wb.worksheets if ws.title != INFO_SHEET and find_header(ws)[0]), None)
    if table is None:
        detail = "找不到指标表（表头含“一级指标、二级指标、三级指标”的工作表）"
        raise InputError([finding("invalid-structure", loc, detail=detail)])
    indicators = _indicators(table, str(path))
    weights = data.pop("weights", {})
    for entry in indicators:  # weights the layout does not print, kept on the 填报信息 sheet
        if "weight" not in entry and entry["path"] in weights:
            entry["weight"] = weights[entry["path"]]
    data["indicators"] = indicators
    doc = ParsedFile(str(path), data, None)
    try:
        subs = submissions_from(doc)
    except InputError as exc:
        raise InputError(
            [_in_sheet(f, wb[INFO_SHEET].title, lines, table.title) for f in exc.findings]
        ) from None
    return WorkbookData(data, lines, wb[INFO_SHEET].title, table.title, subs)


def _in_sheet(f: Finding, sheet: str, lines: dict[str, str], table: str) -> Finding:
    """A Finding of the model's validation, placed on the 填报信息 cell of its field, or on
    the indicator table's sheet when it names a line of it."""
    field = f.location.field or ""
    cell = lines.get(field) or lines.get(field.split(".")[0])
    if cell is None:
        if f.location.line is not None and f.location.sheet is None:
            return f.model_copy(update={"location": f.location.merged(sheet=table)})
        return f
    return f.model_copy(update={"location": f.location.merged(sheet=sheet, field=cell)})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return plain(Decimal(repr(value)))
    return str(value).strip()


def _info(ws: Worksheet) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for row in ws.iter_rows(min_row=2):
        if len(row) < 3:
            continue
        key, value = _text(row[1].value), row[2].value
        if key:
            cells[key] = f"C{row[2].row}"
        if not key or value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key.startswith("weight."):
            data.setdefault("weights", {})[key.removeprefix("weight.")] = _text(value)
        elif key.startswith("figures."):
            figures[key.removeprefix("figures.")] = (
                value if not isinstance(value, float) else Decimal(repr(value))
            )
        elif key == "year":
            data["year"] = (
                int(value) if isinstance(value, int | float) and float(value).is_integer() else value
            )
        else:
            data[key] = _text(value)
    if figures:
        data["figures"] = figures
    return data, cells


def find_header(ws: Worksheet) -> tuple[int | None, dict[str, int]]:
    """The indicator table's header row (the one naming 一级指标 and 三级指标) and the
    column of each header text; (None, {}) when the sheet has none."""
    for row in ws.iter_rows(max_row=min(ws.max_row, 60)):
        texts = {str(c.value).strip(): c.column for c in row if isinstance(c.value, str)}
        if all(set(heads_of(key)) & texts.keys() for key in ("l1", "l3")):
            return row[0].row, texts
    return None, {}


def _indicators(ws: Worksheet, file: str) -> list[dict[str, Any]]:
    head, columns = find_header(ws)
    assert head is not None
    keys = ("l1", "l2", "l3", "target", "actual", "weight", "score", "reason")
    col = {key: next((columns[h] for h in heads_of(key) if h in columns), None) for key in keys}
    out: list[dict[str, Any]] = []
    l1 = l2 = ""
    problems: list[Finding] = []
    for r in range(head + 1, ws.max_row + 1):
        cells = {k: ws.cell(r, c).value if c else None for k, c in col.items()}
        first = _text(ws.cell(r, 1).value)
        if first in _END or _text(cells["l1"]) in _END:
            break
        if cells["l1"] is not None:
            l1, l2 = _WEIGHT_SUFFIX.sub("", _text(cells["l1"])), ""
        if cells["l2"] is not None:
            l2 = _text(cells["l2"])
        l3 = _text(cells["l3"])
        filled = {k: cells[k] for k in ("target", "actual", "score", "weight") if _text(cells[k])}
        if not l3 and not l2:
            if filled.keys() - {"weight"}:  # a level-1 leaf (预算执行情况 in the tree layout)
                pass
            else:
                continue
        names = [n for n in (l1, l2, l3) if n]
        if len(names) == 3 and names[1] == names[2]:  # a level-2 leaf prints its name twice
            names = names[:2]
        entry: dict[str, Any] = {"path": "/".join(names), "line": r}
        for key in ("target", "actual", "weight"):
            if key in filled:
                entry[key] = _written(filled[key], ws.cell(r, col[key] or 1).number_format)
        if "score" in filled:
            value = filled["score"]
            if isinstance(value, str) and not _numeric(value):
                cell = f"{get_column_letter(col['score'] or 1)}{r}"
                problems.append(
                    finding(
                        "invalid-number",
                        Location(file=file, sheet=ws.title, field=cell, indicator=entry["path"]),
                        detail=f"单元格 {cell} 的得分“{value}”不是数字",
                    )
                )
                continue
            entry["score"] = _written(value, "")
        reason = _text(cells["reason"])
        if reason:
            entry["deviation_reason"] = reason
        if len(entry) > 2:
            out.append(entry)
    if problems:
        raise InputError(problems)
    return out


def _numeric(text: str) -> bool:
    try:
        Decimal(text.strip())
    except ArithmeticError:
        return False
    return True


def _written(value: Any, number_format: str) -> str:
    """A cell as the user sees it: 0.9 formatted 0.00% reads '90%'; numbers without float noise."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (number_format or ""):
            return plain(number * 100) + "%"
        return plain(number)
    return str(value).strip()


def place_findings(findings: Sequence[Finding], path: Path) -> tuple[Finding, ...]:
    """The Findings with the sheet named: a line of a workbook is a row of its indicator
    sheet (or of 填报信息, for a figure)."""
    wb = load_workbook(path, read_only=True)
    try:
        table = next((ws.title for ws in wb.worksheets if ws.title != INFO_SHEET), None)
    finally:
        wb.close()
    placed = []
    for f in findings:
        loc = f.location
        if loc.line is not None and loc.sheet is None:
            sheet = INFO_SHEET if (loc.field or "").startswith("figures.") else table
            loc = loc.merged(sheet=sheet)
        placed.append(f.model_copy(update={"location": loc}))
    return tuple(placed)
