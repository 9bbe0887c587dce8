"""Excel workbooks laid out like the official tables: a blank template to fill in, or the
accounts written out. :mod:`form_read` reads them back; writing then reading gives the
same model (empty cells stay empty, written zeros stay zeros)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core import outputs
from jixiao.core.sheets import text_only
from jixiao.model.accounts import VEHICLE_CATEGORIES, Accounts
from jixiao.model.classification import economic_catalog, function_catalog
from jixiao.model.tables import TableLayout, printed_tables, table_number, tables, two_sided_rows
from jixiao.read.accounts.form_cells import (
    BASIC_TOTAL_CELLS,
    BUDGET_HEADER,
    BUDGET_SHEET,
    DEPARTMENT_ROW,
    EXPLANATIONS_SHEET,
    HEADER_ROW,
    NARRATIVE_LABELS,
    NARRATIVE_SHEET,
    NUMBER_ROW,
    PROJECT_FIELDS,
    PROJECT_HEADER,
    PROJECTS_SHEET,
    TITLE_ROW,
    basic_header,
    economic_groups,
    narrative_label,
)

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=16)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_MONEY = "0.00"
#: Cells where figures go: light yellow, unlocked (the rest of a table sheet is protected,
#: without a password, so a label cannot be typed over by mistake), numbers only.
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_UNLOCKED = Protection(locked=False)
#: Blank rows offered under the 合计 of a coded table (公开02/03/05/07/08表) to fill in.
BLANK_CODED_ROWS = 60


# =========================================================================== writing


def write_workbook(acc: Accounts | None, path: Path | None = None, *, layout: str = "henan-2024") -> bytes:
    """The workbook of ``acc`` (or a blank template when None); saved to ``path`` if given.

    Returns the file's bytes (what a web view would send).
    """
    layout = acc.layout if acc is not None else layout
    wb = Workbook()
    default = wb.active
    for tid in printed_tables(layout):
        ws = wb.create_sheet(table_number(tid, layout))
        spec = tables()[tid]
        _heading(ws, spec, tid, layout, acc)
        writer = {
            "two_sided": _write_two_sided,
            "coded": _write_coded,
            "economic": _write_basic,
            "three_public": _write_three_public,
        }[spec.shape]
        writer(ws, spec, acc)
        _protect(ws)
    _write_narrative(wb.create_sheet(NARRATIVE_SHEET), acc, layout)
    _write_budget(wb.create_sheet(BUDGET_SHEET), acc)
    _write_projects(wb.create_sheet(PROJECTS_SHEET), acc)
    _write_explanations(wb.create_sheet(EXPLANATIONS_SHEET), acc)
    if default is not None:
        wb.remove(default)
    text_only(wb)  # a name written "=..." stays text, never a formula
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        outputs.write(path, data)
    return data


def width_of(spec: TableLayout) -> int:
    """How many columns the sheet of ``spec`` uses."""
    if spec.shape == "two_sided":
        return 3 + 2 + len(spec.code_columns)
    if spec.shape == "economic":
        return 9
    if spec.shape == "three_public":
        return len(spec.named_rows) * len(spec.all_columns())
    return 2 + len(spec.code_columns)


def _heading(ws: Worksheet, spec: TableLayout, tid: str, layout: str, acc: Accounts | None) -> None:
    width = width_of(spec)
    last = get_column_letter(width)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.cell(TITLE_ROW, 1, spec.title).font = _TITLE
    ws.cell(TITLE_ROW, 1).alignment = _CENTER
    ws.cell(NUMBER_ROW, width, table_number(tid, layout)).alignment = Alignment(horizontal="right")
    department = acc.department if acc is not None else ""
    ws.cell(DEPARTMENT_ROW, 1, f"部门名称：{department}")
    ws.cell(DEPARTMENT_ROW, width, "单位：万元").alignment = Alignment(horizontal="right")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 34
    for col in range(3, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14


def _header(ws: Worksheet, row: int, values: Iterable[Any]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell.font = _BOLD
        cell.alignment = _CENTER
        cell.border = _BORDER


def _put(ws: Worksheet, row: int, col: int, value: Any, *, money: bool = False, entry: bool = False) -> None:
    """A bordered cell; ``money`` (an amount) and ``entry`` (a code or a name the user types)
    cells are input cells: filled, unlocked, and an amount only takes numbers."""
    if isinstance(value, Decimal):
        value = int(value) if isinstance(e := value.as_tuple().exponent, int) and e >= 0 else value
    cell = ws.cell(row, col, value)
    cell.border = _BORDER
    if money:
        cell.number_format = _MONEY
        _numbers_only(ws).add(cell.coordinate)
    if money or entry:
        cell.fill = INPUT_FILL
        cell.protection = _UNLOCKED


def _numbers_only(ws: Worksheet) -> DataValidation:
    """The sheet's validation of its amount cells (one per sheet, created on first use)."""
    for dv in ws.data_validations.dataValidation:
        if dv.type == "decimal":
            return dv
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000000",
        formula2="1000000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请填写数字",
        error="此处填写金额（万元），只能是数字；不要写单位或文字。",
        showInputMessage=False,
    )
    ws.add_data_validation(dv)
    return dv


def _protect(ws: Worksheet) -> None:
    """Protect the labels (no password): only the input cells can be changed; columns may
    still be widened and rows formatted."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = False


def _merge(ws: Worksheet, row: int, first: int, last: int) -> None:
    """Merge the cells of ``row`` from column ``first`` to ``last``."""
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _note(ws: Worksheet, row: int, text: str) -> None:
    if text:
        ws.cell(row, 1, text)


def _write_two_sided(ws: Worksheet, spec: TableLayout, acc: Accounts | None) -> None:
    expense_cols = spec.code_columns
    income_label = spec.income_columns[0].label
    width = width_of(spec)
    _merge(ws, HEADER_ROW, 1, 3)
    _merge(ws, HEADER_ROW, 4, width)
    _header(ws, HEADER_ROW, ["收入", None, None, "支出", *([None] * (width - 4))])
    _header(
        ws, HEADER_ROW + 1, ["项目", "行次", income_label, "项目", "行次", *(c.label for c in expense_cols)]
    )
    _header(
        ws,
        HEADER_ROW + 2,
        ["栏次", None, spec.income_columns[0].no, "栏次", None, *(c.no for c in expense_cols)],
    )
    table = getattr(acc, spec.id) if acc is not None else None
    row = HEADER_ROW + 3
    for line in two_sided_rows(spec):
        if line.income_no:
            _put(ws, row, 1, line.income_label)
            _put(ws, row, 2, line.income_no)
            value = getattr(table, line.income_key) if table is not None and line.income_key else None
            _put(ws, row, 3, value, money=line.income_key is not None)
        _put(ws, row, 4, line.expense_label)
        _put(ws, row, 5, line.expense_no)
        for j, col in enumerate(expense_cols):
            value = _side_value(table, line.expense_key, col.key)
            _put(ws, row, 6 + j, value, money=line.expense_key is not None)
        row += 1
    _note(ws, row + 1, f"注：{spec.note}")


def _side_value(table: Any, key: str | None, column: str) -> Any:
    if table is None or key is None:
        return None
    if key.isdigit():
        value = table.classes.get(key)
        if value is None or isinstance(value, Decimal):
            return value
        return getattr(value, column)
    value = getattr(table, key)
    return value if value is None or isinstance(value, Decimal) else getattr(value, column)


def _write_coded(ws: Worksheet, spec: TableLayout, acc: Accounts | None) -> None:
    cols = spec.code_columns
    group = spec.header
    top = ["项目", None]
    for c in cols:
        in_group = bool(group) and (not spec.header_columns or c.key in spec.header_columns)
        top.append(group if in_group else c.label)
    _header(ws, HEADER_ROW, top)
    _header(ws, HEADER_ROW + 1, ["功能分类科目编码", "科目名称", *(c.label for c in cols)])
    _header(ws, HEADER_ROW + 2, ["栏次", None, *(c.no for c in cols)])
    table = getattr(acc, spec.id) if acc is not None else None
    row = HEADER_ROW + 3
    _put(ws, row, 1, None)
    _put(ws, row, 2, "合计")
    for j, c in enumerate(cols):
        _put(ws, row, 3 + j, getattr(table.total, c.key) if table is not None else None, money=True)
    row += 1
    for r in table.rows if table is not None else ():
        _put(ws, row, 1, r.code, entry=True)
        _put(ws, row, 2, r.name, entry=True)
        for j, c in enumerate(cols):
            _put(ws, row, 3 + j, getattr(r, c.key), money=True)
        row += 1
    for _ in range(BLANK_CODED_ROWS if acc is None else 0):
        _put(ws, row, 1, None, entry=True)
        _put(ws, row, 2, None, entry=True)
        for j in range(len(cols)):
            _put(ws, row, 3 + j, None, money=True)
        row += 1
    _note(ws, row + 1, f"注：{spec.note}")
    note = getattr(table, "note", "") if table is not None else ""
    if spec.empty_note:
        # the 说明 of an empty table (……故本表无数据): a field of its own, beside its label
        ws.cell(row + 2, 1, "说明：")
        _put(ws, row + 2, 2, note or None, entry=True)
        _merge(ws, row + 2, 2, 2 + len(cols))
        ws.cell(row + 2, 2).alignment = Alignment(wrap_text=True, vertical="top")
    elif note:
        _note(ws, row + 2, f"说明：{note}")


def _write_basic(ws: Worksheet, spec: TableLayout, acc: Accounts | None) -> None:
    _merge(ws, HEADER_ROW, 1, 3)
    _merge(ws, HEADER_ROW, 4, 9)
    personnel, public = spec.groups
    _header(ws, HEADER_ROW, [personnel, None, None, public, None, None, None, None, None])
    _header(ws, HEADER_ROW + 1, basic_header(spec))
    items = acc.basic.items if acc is not None else {}
    catalog = economic_catalog()
    groups = economic_groups(list(items))
    length = max(len(g) for g in groups.values())
    start = HEADER_ROW + 2
    for g, codes in groups.items():
        col = 1 + (g - 1) * 3
        for i in range(length):
            code = codes[i] if i < len(codes) else None
            _put(ws, start + i, col, code, entry=code is None)
            _put(ws, start + i, col + 1, (catalog.name(code) or "") if code else None, entry=code is None)
            _put(ws, start + i, col + 2, items.get(code) if code else None, money=True)
    total = start + length
    for (label_col, value_col), row in zip(BASIC_TOTAL_CELLS, spec.named_rows.values(), strict=True):
        _put(ws, total, label_col, row.label)
        _put(ws, total, value_col, getattr(acc.basic, row.key) if acc is not None else None, money=True)
    # each label spans up to its input cell: nothing can be typed between them
    _merge(ws, total, 1, 2)
    _merge(ws, total, 4, 8)
    _note(ws, total + 2, f"注：{spec.note}")


def _write_three_public(ws: Worksheet, spec: TableLayout, acc: Accounts | None) -> None:
    cols = spec.all_columns()
    n = len(cols)
    halves = list(spec.named_rows.values())
    upper, lower = spec.column_heads()
    for h in range(len(halves)):
        first = 1 + h * n
        _merge(ws, HEADER_ROW, first, first + n - 1)
        for _text, span, grouped in upper:
            if grouped:
                _merge(ws, HEADER_ROW + 1, first, first + span - 1)
            first += span
    _header(ws, HEADER_ROW, [v for half in halves for v in (half.label, *([None] * (n - 1)))])
    _header(
        ws,
        HEADER_ROW + 1,
        [v for text, span, _ in upper for v in (text, *([None] * (span - 1)))] * len(halves),
    )
    _header(ws, HEADER_ROW + 2, list(lower) * len(halves))
    _header(ws, HEADER_ROW + 3, list(range(1, n * len(halves) + 1)))
    row = HEADER_ROW + 4
    for h, half in enumerate(halves):
        values = getattr(acc.three_public, half.key) if acc is not None else None
        for j, c in enumerate(cols):
            _put(ws, row, 1 + h * n + j, getattr(values, c.key) if values is not None else None, money=True)
    _note(ws, row + 2, f"注：{spec.note}")


def _flatten(value: Any, prefix: str) -> Iterable[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _flatten(v, f"{prefix}.{i}")
    elif value is not None and value != "":
        yield prefix, value


def _write_narrative(ws: Worksheet, acc: Accounts | None, layout: str) -> None:
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 60
    _header(ws, 1, ["项目", "键", "值"])
    rows: list[tuple[str, str, Any]] = [
        ("部门名称", "department", acc.department if acc else ""),
        ("年度", "year", acc.year if acc else None),
        ("表样", "layout", layout),
    ]
    if acc is not None:
        narrative = acc.narrative.model_dump(mode="python", exclude_defaults=True)
        narrative.get("initial_budget", {}).pop("items", None)
        narrative.get("performance", {}).pop("projects", None)
        rows += [(narrative_label(k), k, v) for k, v in _flatten(narrative, "")]
    else:
        rows += [(label, key, None) for key, label in NARRATIVE_LABELS.items()]
        rows += [
            (narrative_label(f"assets.vehicles.{c}"), f"assets.vehicles.{c}", None)
            for c in VEHICLE_CATEGORIES
        ]
    for i, (label, key, value) in enumerate(rows, start=2):
        ws.cell(i, 1, label)
        ws.cell(i, 2, key)
        _put(ws, i, 3, value, money=isinstance(value, Decimal), entry=True)
    _protect(ws)


def _write_budget(ws: Worksheet, acc: Accounts | None) -> None:
    for col, width in zip("ABCD", (16, 34, 14, 60), strict=True):
        ws.column_dimensions[col].width = width
    _header(ws, 1, BUDGET_HEADER)
    items = acc.narrative.initial_budget.items if acc is not None else {}
    for i, (code, item) in enumerate(items.items(), start=2):
        _put(ws, i, 1, code)
        _put(ws, i, 2, function_catalog().name(code) or "")
        _put(ws, i, 3, item.budget, money=True)
        _put(ws, i, 4, item.reason or None)


def _write_projects(ws: Worksheet, acc: Accounts | None) -> None:
    for col, width in zip("ABCDE", (50, 10, 12, 12, 80), strict=True):
        ws.column_dimensions[col].width = width
    _header(ws, 1, PROJECT_HEADER)
    projects = acc.narrative.performance.projects if acc is not None else ()
    for i, project in enumerate(projects, start=2):
        for j, field in enumerate(PROJECT_FIELDS, start=1):
            value = getattr(project, field)
            _put(ws, i, j, value if value != "" else None, money=field in ("budget", "actual"))


def _write_explanations(ws: Worksheet, acc: Accounts | None) -> None:
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 80
    _header(ws, 1, ["规则（编号，或 编号:行、编号:行:列）", "出错说明"])
    for i, (key, text) in enumerate((acc.explanations if acc else {}).items(), start=2):
        ws.cell(i, 1, key)
        ws.cell(i, 2, text)
