"""Excel workbooks laid out like the official tables: write a blank template or the accounts,
and read a (filled-in) workbook back.

Writing then reading gives the same model (empty cells stay empty, written zeros stay
zeros). The reader is strict about what it cannot read (a missing sheet, a header that is
not the template's) and names the sheet and cell; the cell values themselves are judged by
the model (text in a number cell, a unit other than 万元, a negative amount).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.accounts.classification import economic_catalog, function_catalog
from jixiao.accounts.layout import TableLayout, layouts, printed_tables, table_number, tables
from jixiao.accounts.model import VEHICLE_CATEGORIES, Accounts
from jixiao.accounts.sheets import (
    BUDGET_HEADER,
    BUDGET_SHEET,
    DEPARTMENT_ROW,
    EXPLANATIONS_SHEET,
    HEADER_ROW,
    NARRATIVE_LABELS,
    NARRATIVE_LISTS,
    NARRATIVE_SHEET,
    NUMBER_ROW,
    PROJECT_FIELDS,
    PROJECT_HEADER,
    PROJECTS_SHEET,
    TITLE_ROW,
    economic_groups,
    narrative_label,
    two_sided_rows,
)
from jixiao.core.findings import InputError, Location, finding

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=16)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_MONEY = "0.00"


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
    _write_narrative(wb.create_sheet(NARRATIVE_SHEET), acc, layout)
    _write_budget(wb.create_sheet(BUDGET_SHEET), acc)
    _write_projects(wb.create_sheet(PROJECTS_SHEET), acc)
    _write_explanations(wb.create_sheet(EXPLANATIONS_SHEET), acc)
    if default is not None:
        wb.remove(default)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def _width(spec: TableLayout) -> int:
    if spec.shape == "two_sided":
        return 3 + 2 + len(spec.code_columns)
    if spec.shape == "economic":
        return 9
    if spec.shape == "three_public":
        return 12
    return 2 + len(spec.code_columns)


def _heading(ws: Worksheet, spec: TableLayout, tid: str, layout: str, acc: Accounts | None) -> None:
    width = _width(spec)
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


def _put(ws: Worksheet, row: int, col: int, value: Any, *, money: bool = False) -> None:
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else value
    cell = ws.cell(row, col, value)
    cell.border = _BORDER
    if money:
        cell.number_format = _MONEY


def _note(ws: Worksheet, row: int, text: str) -> None:
    if text:
        ws.cell(row, 1, text)


def _write_two_sided(ws: Worksheet, spec: TableLayout, acc: Accounts | None) -> None:
    expense_cols = spec.code_columns
    income_label = spec.income_columns[0].label
    width = _width(spec)
    ws.merge_cells(start_row=HEADER_ROW, start_column=1, end_row=HEADER_ROW, end_column=3)
    ws.merge_cells(start_row=HEADER_ROW, start_column=4, end_row=HEADER_ROW, end_column=width)
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
            _put(ws, row, 3, value, money=True)
        _put(ws, row, 4, line.expense_label)
        _put(ws, row, 5, line.expense_no)
        for j, col in enumerate(expense_cols):
            _put(ws, row, 6 + j, _side_value(table, line.expense_key, col.key), money=True)
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
    group = spec.header or ("本年支出" if spec.id == "fund" else "")
    top = ["项目", None]
    for c in cols:
        in_group = bool(group) and (spec.id != "fund" or c.key in ("total", "basic", "project"))
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
        _put(ws, row, 1, r.code)
        _put(ws, row, 2, r.name)
        for j, c in enumerate(cols):
            _put(ws, row, 3 + j, getattr(r, c.key), money=True)
        row += 1
    _note(ws, row + 1, f"注：{spec.note}")
    note = getattr(table, "note", "") if table is not None else ""
    if note:
        _note(ws, row + 2, f"说明：{note}")


def _write_basic(ws: Worksheet, spec: TableLayout, acc: Accounts | None) -> None:
    ws.merge_cells(start_row=HEADER_ROW, start_column=1, end_row=HEADER_ROW, end_column=3)
    ws.merge_cells(start_row=HEADER_ROW, start_column=4, end_row=HEADER_ROW, end_column=9)
    _header(ws, HEADER_ROW, ["人员经费", None, None, "公用经费", None, None, None, None, None])
    _header(ws, HEADER_ROW + 1, ["经济分类科目编码", "科目名称", "决算数"] * 3)
    items = acc.basic.items if acc is not None else {}
    catalog = economic_catalog()
    groups = economic_groups([c for c in items if c not in catalog.names])
    length = max(len(g) for g in groups.values())
    start = HEADER_ROW + 2
    for g, codes in groups.items():
        col = 1 + (g - 1) * 3
        for i in range(length):
            code = codes[i] if i < len(codes) else None
            _put(ws, start + i, col, code)
            _put(ws, start + i, col + 1, (catalog.name(code) or "") if code else None)
            _put(ws, start + i, col + 2, items.get(code) if code else None, money=True)
    total = start + length
    _put(ws, total, 1, "人员经费合计")
    _put(ws, total, 3, acc.basic.personnel_total if acc is not None else None, money=True)
    _put(ws, total, 4, "公用经费合计")
    _put(ws, total, 9, acc.basic.public_total if acc is not None else None, money=True)
    _note(ws, total + 2, f"注：{spec.note}")


def _write_three_public(ws: Worksheet, spec: TableLayout, acc: Accounts | None) -> None:
    for start in (1, 7):
        ws.merge_cells(start_row=HEADER_ROW, start_column=start, end_row=HEADER_ROW, end_column=start + 5)
        ws.merge_cells(
            start_row=HEADER_ROW + 1, start_column=start + 2, end_row=HEADER_ROW + 1, end_column=start + 4
        )
    half = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", None, None, "公务接待费"]
    sub = [None, None, "小计", "公务用车购置费", "公务用车运行维护费", None]
    _header(ws, HEADER_ROW, ["预算数", *([None] * 5), "决算数", *([None] * 5)])
    _header(ws, HEADER_ROW + 1, half * 2)
    _header(ws, HEADER_ROW + 2, sub * 2)
    _header(ws, HEADER_ROW + 3, list(range(1, 13)))
    row = HEADER_ROW + 4
    for half_index, key in enumerate(("budget", "actual")):
        values = getattr(acc.three_public, key) if acc is not None else None
        for j, col in enumerate(spec.code_columns or tables()["three_public"].all_columns()):
            _put(
                ws,
                row,
                1 + half_index * 6 + j,
                getattr(values, col.key) if values is not None else None,
                money=True,
            )
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
        _put(ws, i, 3, value, money=isinstance(value, Decimal))


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


# =========================================================================== reading


class _Origin:
    """Where each value came from: sheet of each table, cell of each path."""

    def __init__(self) -> None:
        self.sheets: dict[str, str] = {}
        self.cells: dict[tuple[Any, ...], str] = {}


def read_workbook(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The data of a workbook, as YAML would give it, and the sheet of each table (and the
    cell of each value under ``"cell:" + dotted path``). Raises InputError."""
    loc = Location(file=str(path))
    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except FileNotFoundError:
        raise InputError([finding("file-not-found", loc, path=str(path))]) from None
    except Exception as exc:
        raise InputError(
            [
                finding(
                    "syntax-error",
                    loc,
                    kind="Excel",
                    detail=f"无法作为 Excel 工作簿打开（{type(exc).__name__}）",
                )
            ]
        ) from None
    origin = _Origin()
    problems = []
    data: dict[str, Any] = {}
    sheets = {ws.title: ws for ws in wb.worksheets}
    found: dict[str, Worksheet] = {}
    for tid in printed_tables("henan-2024"):
        ws = _find_sheet(wb.worksheets, tid)
        if ws is None:
            spec = tables()[tid]
            names = "、".join(f"{table_number(tid, lid)}" for lid in layouts())
            problems.append(
                finding(
                    "invalid-structure",
                    loc.merged(table=spec.title),
                    detail=f"工作簿中缺少工作表“{spec.title}”（通常名为{names}，A1 单元格为表名）",
                )
            )
            continue
        found[tid] = ws
    if problems:
        raise InputError(problems)
    for tid, ws in found.items():
        origin.sheets[tid] = ws.title
        spec = tables()[tid]
        reader = {
            "two_sided": _read_two_sided,
            "coded": _read_coded,
            "economic": _read_basic,
            "three_public": _read_three_public,
        }[spec.shape]
        try:
            data[tid] = reader(ws, spec, origin, str(path))
        except InputError as exc:
            problems += exc.findings
    if problems:
        raise InputError(problems)
    _read_extra_sheets(sheets, found, data, origin)
    sheet_of = dict(origin.sheets)
    sheet_of.update({"cell:" + ".".join(map(str, k)): v for k, v in origin.cells.items()})
    return data, sheet_of


def _read_extra_sheets(
    sheets: dict[str, Worksheet], found: dict[str, Worksheet], data: dict[str, Any], origin: _Origin
) -> None:
    """The sheets beyond the nine tables: 情况说明数据, 年初预算, 项目绩效自评, 出错说明."""
    meta = sheets.get(NARRATIVE_SHEET)
    narrative, fields = _read_narrative(meta) if meta is not None else ({}, {})
    budget = sheets.get(BUDGET_SHEET)
    if budget is not None:
        items = _read_budget(budget, origin)
        if items:
            narrative.setdefault("initial_budget", {})["items"] = items
    projects_ws = sheets.get(PROJECTS_SHEET)
    if projects_ws is not None:
        projects = _read_projects(projects_ws)
        if projects:
            narrative.setdefault("performance", {})["projects"] = projects
    department = fields.get("department") or _department(found["summary"])
    data["department"] = department
    if fields.get("year") is not None:
        data["year"] = fields["year"]
    data["layout"] = fields.get("layout") or _layout_of(found)
    if narrative:
        data["narrative"] = narrative
    explanations = sheets.get(EXPLANATIONS_SHEET)
    if explanations is not None:
        texts = {}
        for key, text in explanations.iter_rows(min_row=2, max_col=2, values_only=True):
            if key is not None and text is not None and str(key).strip():
                texts[str(key).strip()] = str(text)
        if texts:
            data["explanations"] = texts


def _find_sheet(worksheets: list[Worksheet], tid: str) -> Worksheet | None:
    title = tables()[tid].title
    for ws in worksheets:
        a1 = ws.cell(TITLE_ROW, 1).value
        if isinstance(a1, str) and a1.strip().replace('"', "“") == title:
            return ws
    numbers = {table_number(tid, lid) for lid in layouts()}
    for ws in worksheets:
        if title in ws.title:
            return ws
    for ws in worksheets:  # by number only when the title finds nothing
        a1 = ws.cell(TITLE_ROW, 1).value
        if ws.title in numbers and not (isinstance(a1, str) and a1.strip()):
            return ws
    return None


def _layout_of(found: dict[str, Worksheet]) -> str:
    for lid, numbers in layouts().items():
        if all(found[tid].title == numbers[tid] for tid in found):
            return lid
    return "henan-2024"


def _department(ws: Worksheet) -> str:
    value = ws.cell(DEPARTMENT_ROW, 1).value
    text = str(value or "").strip()
    for prefix in ("部门名称：", "部门名称:"):
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _value(value: Any) -> Any:
    """A cell value for the model: numbers as Decimal, text as is, blank as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip()
    return text or None


def _check_header(ws: Worksheet, row: int, start: int, labels: list[str], file: str) -> None:
    for j, label in enumerate(labels):
        got = _text(ws.cell(row, start + j).value)
        if got != label:
            cell = f"{get_column_letter(start + j)}{row}"
            raise InputError(
                [
                    finding(
                        "invalid-structure",
                        Location(file=file, sheet=ws.title, field=cell),
                        detail=(
                            f"表头与模板不符：单元格 {cell} 应为“{label}”，实为“{got}”；"
                            "请用 jixiao template 生成的模板填写"
                        ),
                    )
                ]
            )


def _unit(ws: Worksheet, file: str, width: int) -> None:
    for col in range(1, width + 1):
        text = _text(ws.cell(DEPARTMENT_ROW, col).value) or _text(ws.cell(NUMBER_ROW, col).value)
        if text.startswith(("单位：", "单位:")):
            unit = text[3:].strip()
            if unit != "万元":
                cell = f"{get_column_letter(col)}{DEPARTMENT_ROW}"
                raise InputError(
                    [
                        finding(
                            "invalid-value",
                            Location(file=file, sheet=ws.title, field=cell),
                            value=unit,
                            what="金额单位",
                            hint="：部门决算公开表以万元为单位，请换算为万元后填写",
                        )
                    ]
                )


def _read_two_sided(ws: Worksheet, spec: TableLayout, origin: _Origin, file: str) -> dict[str, Any]:
    width = _width(spec)
    _unit(ws, file, width)
    _check_header(ws, HEADER_ROW + 1, 1, ["项目", "行次", spec.income_columns[0].label, "项目", "行次"], file)
    _check_header(ws, HEADER_ROW + 1, 6, [c.label for c in spec.code_columns], file)
    income_by_no = {r.no: r.key for r in spec.named_rows.values() if r.side == "income"}
    expense_by_no = {r.no: r.key for r in spec.named_rows.values() if r.side == "expense"}
    class_by_name = {function_catalog().name(c): c for c in function_catalog().classes()}
    data: dict[str, Any] = {}
    classes: dict[str, Any] = {}
    single = len(spec.code_columns) == 1
    for r in range(HEADER_ROW + 3, ws.max_row + 1):
        a, b = ws.cell(r, 1).value, ws.cell(r, 2).value
        if _text(a).startswith(("注", "说明")):
            break
        no = _int(b)
        if no is not None and no in income_by_no:
            key = income_by_no[no]
            value = _value(ws.cell(r, 3).value)
            if value is not None:
                data[key] = value
                origin.cells[(spec.id, key)] = f"C{r}"
        eno = _int(ws.cell(r, 5).value)
        label = _text(ws.cell(r, 4).value)
        values = [_value(ws.cell(r, 6 + j).value) for j in range(len(spec.code_columns))]
        if all(v is None for v in values):
            continue
        key = expense_by_no.get(eno) if eno is not None else None
        if key is None:
            name = label.split("、", 1)[-1]
            key = class_by_name.get(name)
        if key is None:
            cell = f"D{r}"
            raise InputError(
                [
                    finding(
                        "invalid-structure",
                        Location(file=file, sheet=ws.title, field=cell),
                        detail=f"第{r}行支出项目“{label}”（行次 {eno}）无法识别",
                    )
                ]
            )
        cells = (
            values[0]
            if single
            else {c.key: v for c, v in zip(spec.code_columns, values, strict=True) if v is not None}
        )
        if key.isdigit():
            classes[key] = cells
            path: tuple[Any, ...] = (spec.id, "classes", key)
        else:
            data[key] = cells
            path = (spec.id, key)
        for j, c in enumerate(spec.code_columns):
            origin.cells[(*path, c.key) if not single else path] = f"{get_column_letter(6 + j)}{r}"
    if classes:
        data["classes"] = classes
    return data


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isdigit() else None


def _read_coded(ws: Worksheet, spec: TableLayout, origin: _Origin, file: str) -> dict[str, Any]:
    cols = spec.code_columns
    _unit(ws, file, 2 + len(cols))
    _check_header(ws, HEADER_ROW + 1, 3, [c.label for c in cols], file)
    data: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for r in range(HEADER_ROW + 3, ws.max_row + 1):
        a, b = ws.cell(r, 1).value, ws.cell(r, 2).value
        text_a = _text(a)
        if text_a.startswith("注"):
            continue
        if text_a.startswith("说明"):
            data["note"] = text_a.split("：", 1)[-1].split(":", 1)[-1].strip()
            continue
        values = {c.key: _value(ws.cell(r, 3 + j).value) for j, c in enumerate(cols)}
        filled = {k: v for k, v in values.items() if v is not None}
        if not text_a and _text(b) == "合计":
            data["total"] = filled
            for j, c in enumerate(cols):
                origin.cells[(spec.id, "total", c.key)] = f"{get_column_letter(3 + j)}{r}"
            continue
        if not text_a and not _text(b) and not filled:
            continue
        code = text_a if not isinstance(a, float) else str(int(a))
        row: dict[str, Any] = {"code": code, "name": _text(b), **filled}
        index = len(rows)
        origin.cells[(spec.id, "rows", index, "code")] = f"A{r}"
        for j, c in enumerate(cols):
            origin.cells[(spec.id, "rows", index, c.key)] = f"{get_column_letter(3 + j)}{r}"
        rows.append(row)
    if rows:
        data["rows"] = rows
    return data


def _read_basic(ws: Worksheet, spec: TableLayout, origin: _Origin, file: str) -> dict[str, Any]:
    _unit(ws, file, 9)
    _check_header(ws, HEADER_ROW + 1, 1, ["经济分类科目编码", "科目名称", "决算数"] * 3, file)
    items: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for r in range(HEADER_ROW + 2, ws.max_row + 1):
        first = _text(ws.cell(r, 1).value)
        if first.startswith("注"):
            break
        if first == "人员经费合计":
            for key, col in (("personnel_total", 3), ("public_total", 9)):
                value = _value(ws.cell(r, col).value)
                if value is not None:
                    data[key] = value
                    origin.cells[(spec.id, key)] = f"{get_column_letter(col)}{r}"
            continue
        for g in range(3):
            col = 1 + g * 3
            raw = ws.cell(r, col).value
            code = str(int(raw)) if isinstance(raw, float | int) and not isinstance(raw, bool) else _text(raw)
            value = _value(ws.cell(r, col + 2).value)
            if code and value is not None:
                items[code] = value
                origin.cells[(spec.id, "items", code)] = f"{get_column_letter(col + 2)}{r}"
    if items:
        data["items"] = items
    return data


def _read_three_public(ws: Worksheet, spec: TableLayout, origin: _Origin, file: str) -> dict[str, Any]:
    _unit(ws, file, 12)
    numbers_row = None
    for r in range(HEADER_ROW, min(ws.max_row, HEADER_ROW + 10) + 1):
        if _int(ws.cell(r, 1).value) == 1 and _int(ws.cell(r, 12).value) == 12:
            numbers_row = r
            break
    if numbers_row is None:
        raise InputError(
            [
                finding(
                    "invalid-structure",
                    Location(file=file, sheet=ws.title),
                    detail="找不到栏次行（1 至 12）；请用 jixiao template 生成的模板填写",
                )
            ]
        )
    r = numbers_row + 1
    cols = tables()["three_public"].all_columns()
    data: dict[str, Any] = {}
    for half, key in enumerate(("budget", "actual")):
        values = {}
        for j, c in enumerate(cols):
            col = 1 + half * 6 + j
            value = _value(ws.cell(r, col).value)
            if value is not None:
                values[c.key] = value
            origin.cells[(spec.id, key, c.key)] = f"{get_column_letter(col)}{r}"
        if values:
            data[key] = values
    return data


def _read_narrative(ws: Worksheet) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, Any] = {}
    flat: dict[str, Any] = {}
    for _label, key, value in ws.iter_rows(min_row=2, max_col=3, values_only=True):
        key_text = _text(key)
        if not key_text or value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key_text in ("department", "layout"):
            meta[key_text] = _text(value)
        elif key_text == "year":
            meta["year"] = _int(value) if _int(value) is not None else value
        else:
            flat[key_text] = _value(value) if not isinstance(value, int) or key_text.count(".") < 1 else value
    return _unflatten(flat), meta


def _read_budget(ws: Worksheet, origin: _Origin) -> dict[str, Any]:
    items: dict[str, Any] = {}
    for r, (code, _name, budget, reason) in enumerate(
        ws.iter_rows(min_row=2, max_col=4, values_only=True), start=2
    ):
        key = str(int(code)) if isinstance(code, float | int) and not isinstance(code, bool) else _text(code)
        if not key:
            continue
        item: dict[str, Any] = {}
        if budget is not None and _text(budget):
            item["budget"] = _value(budget)
            origin.cells[("narrative", "initial_budget", "items", key, "budget")] = f"C{r}"
        if _text(reason):
            item["reason"] = _text(reason)
        items[key] = item
    return items


def _read_projects(ws: Worksheet) -> list[dict[str, Any]]:
    out = []
    for values in ws.iter_rows(min_row=2, max_col=len(PROJECT_FIELDS), values_only=True):
        if all(v is None or not _text(v) for v in values):
            continue
        project: dict[str, Any] = {}
        for field, value in zip(PROJECT_FIELDS, values, strict=True):
            if value is None or not _text(value):
                continue
            project[field] = _text(value) if field in ("name", "summary") else _value(value)
        out.append(project)
    return out


def _unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for path, value in flat.items():
        parts = path.split(".")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = value
    for list_path in NARRATIVE_LISTS:
        parent_path, name = list_path.rsplit(".", 1)
        parent: Any = root
        for part in parent_path.split("."):
            parent = parent.get(part, {}) if isinstance(parent, dict) else {}
        if isinstance(parent, dict) and isinstance(parent.get(name), dict):
            items = parent[name]
            parent[name] = [items[k] for k in sorted(items, key=lambda k: int(k) if k.isdigit() else 0)]
    return root
