"""Read a workbook laid out like the official tables (as :mod:`form_write` writes it) back into
the data of the input format; the model then judges the values.

The reader is strict about what it cannot read — a missing sheet, a header that is not the
template's, a unit other than 万元 — and names the sheet and the cell. Sheets are found by
the title in A1 first (renumbered sheets still read), then by name.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core.findings import Finding, InputError, Location, finding
from jixiao.model.classification import function_catalog
from jixiao.model.tables import TableLayout, layouts, printed_tables, table_number, tables
from jixiao.read.accounts.form_cells import (
    BASIC_TOTAL_CELLS,
    BUDGET_SHEET,
    DEPARTMENT_ROW,
    EXPLANATIONS_SHEET,
    HEADER_ROW,
    NARRATIVE_LISTS,
    NARRATIVE_SHEET,
    NUMBER_ROW,
    PROJECT_FIELDS,
    PROJECTS_SHEET,
    TITLE_ROW,
    basic_header,
)
from jixiao.read.accounts.form_write import width_of
from jixiao.read.workbook import open_values


class _Origin:
    """Where each value came from: sheet of each table, cell of each path."""

    def __init__(self) -> None:
        self.sheets: dict[str, str] = {}
        self.cells: dict[tuple[Any, ...], str] = {}


class _Tracked:
    """A worksheet that remembers which cells the reader looked at: a value anywhere else
    is read by nothing, and is reported (``unread-cell``) rather than silently ignored."""

    def __init__(self, ws: Worksheet) -> None:
        self._ws = ws
        self.seen: set[tuple[int, int]] = set()

    def cell(self, row: int, column: int) -> Any:
        self.seen.add((row, column))
        return self._ws.cell(row, column)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)


def _unread(tracked: _Tracked, labels: dict[tuple[int, int], Any], file: str) -> list[Finding]:
    """A warning for each filled cell of a table sheet that the reader did not look at and
    that is not one of the template's own labels (heading rows and notes aside)."""
    out = []
    ws = tracked._ws
    # a label of the template's that extra rows have moved (the totals row under a longer
    # list) is still a label, not a value read by nothing
    label_texts = {v for v in labels.values() if isinstance(v, str) and v.strip()}
    for row in ws.iter_rows(min_row=HEADER_ROW):
        for c in row:
            value = c.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            at = (c.row, c.column)
            if at in tracked.seen or labels.get(at) == value or value in label_texts:
                continue
            if isinstance(value, str) and value.strip().startswith(("注", "说明")):
                continue
            hint = ""
            nearby = sorted(
                (abs(col - c.column), col)
                for r, col in tracked.seen
                if r == c.row and col != c.column and ws.cell(r, col).value is None and (r, col) not in labels
            )
            if nearby:
                hint = f"；这一行的数字应填在 {get_column_letter(nearby[0][1])}{c.row}"
            cell = f"{get_column_letter(c.column)}{c.row}"
            shown = str(value)
            out.append(
                finding(
                    "unread-cell",
                    Location(file=file, sheet=ws.title, field=cell),
                    sheet=ws.title,
                    cell=cell,
                    value=shown if len(shown) <= 20 else shown[:20] + "…",
                    hint=hint,
                )
            )
    return out


@cache
def _template_labels() -> dict[str, dict[tuple[int, int], Any]]:
    """The blank template's label cells of each table sheet, by table id."""
    from io import BytesIO

    from openpyxl import load_workbook

    from jixiao.read.accounts.form_write import write_workbook

    wb = load_workbook(BytesIO(write_workbook(None)))
    out: dict[str, dict[tuple[int, int], Any]] = {}
    for tid in printed_tables("henan-2024"):
        ws = _find_sheet(wb.worksheets, tid)
        if ws is not None:
            out[tid] = {(c.row, c.column): c.value for r in ws.iter_rows() for c in r if c.value is not None}
    return out


def read_workbook(path: Path, warnings: list[Finding] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The data of a workbook, as YAML would give it, and the sheet of each table (and the
    cell of each value under ``"cell:" + dotted path``). Raises InputError. A filled cell
    that nothing reads becomes a warning in ``warnings``."""
    loc = Location(file=str(path))
    wb = open_values(path)  # refuses bombs, oversize sheets and formulas without results
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
        tracked = _Tracked(ws)
        try:
            data[tid] = reader(tracked, spec, origin, str(path))
        except InputError as exc:
            problems += exc.findings
            continue
        if warnings is not None:
            warnings += _unread(tracked, _template_labels().get(tid, {}), str(path))
    if problems:
        raise InputError(problems)
    _read_extra_sheets(sheets, found, data, origin)
    sheet_of = dict(origin.sheets)
    # the fields beyond the tables live on their own sheets
    sheet_of.update(
        {
            "department": NARRATIVE_SHEET,
            "year": NARRATIVE_SHEET,
            "layout": NARRATIVE_SHEET,
            "narrative": NARRATIVE_SHEET,
            "explanations": EXPLANATIONS_SHEET,
        }
    )
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
    width = width_of(spec)
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
            income_key = income_by_no[no]
            value = _value(ws.cell(r, 3).value)
            if value is not None:
                data[income_key] = value
                origin.cells[(spec.id, income_key)] = f"C{r}"
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
            # the text after 说明：, in the same cell or in the field beside it
            after = text_a.split("：", 1)[-1].split(":", 1)[-1].strip() if text_a[2:] else ""
            note = after or _text(b)
            if note:
                data["note"] = note
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
    _unit(ws, file, width_of(spec))
    _check_header(ws, HEADER_ROW + 1, 1, basic_header(spec), file)
    totals = tuple(spec.named_rows.values())
    items: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for r in range(HEADER_ROW + 2, ws.max_row + 1):
        first = _text(ws.cell(r, 1).value)
        if first.startswith("注"):
            break
        if first == totals[0].label:
            for row, (_label_col, col) in zip(totals, BASIC_TOTAL_CELLS, strict=True):
                value = _value(ws.cell(r, col).value)
                if value is not None:
                    data[row.key] = value
                    origin.cells[(spec.id, row.key)] = f"{get_column_letter(col)}{r}"
            continue
        for g in range(3):
            col = 1 + g * 3
            raw = ws.cell(r, col).value
            ws.cell(r, col + 1)  # the name: read with its code
            code = str(int(raw)) if isinstance(raw, float | int) and not isinstance(raw, bool) else _text(raw)
            value = _value(ws.cell(r, col + 2).value)
            if code and value is not None:
                items[code] = value
                origin.cells[(spec.id, "items", code)] = f"{get_column_letter(col + 2)}{r}"
    if items:
        data["items"] = items
    return data


def _read_three_public(ws: Worksheet, spec: TableLayout, origin: _Origin, file: str) -> dict[str, Any]:
    width = width_of(spec)
    _unit(ws, file, width)
    numbers_row = None
    for r in range(HEADER_ROW, min(ws.max_row, HEADER_ROW + 10) + 1):
        if _int(ws.cell(r, 1).value) == 1 and _int(ws.cell(r, width).value) == width:
            numbers_row = r
            break
    if numbers_row is None:
        raise InputError(
            [
                finding(
                    "invalid-structure",
                    Location(file=file, sheet=ws.title),
                    detail=f"找不到栏次行（1 至 {width}）；请用 jixiao template 生成的模板填写",
                )
            ]
        )
    r = numbers_row + 1
    cols = spec.all_columns()
    data: dict[str, Any] = {}
    for half, key in enumerate(spec.named_rows):
        values = {}
        for j, c in enumerate(cols):
            col = 1 + half * len(cols) + j
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
