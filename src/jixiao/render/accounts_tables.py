"""The nine final-accounts tables (部门决算公开表) as printed grids, ready for any format.

Each table becomes a :class:`PrintedTable`: header rows and body rows of :class:`Cell` with
their spans, in the layout of seed 001 (新乡市科协 2024年度部门决算, the Henan template, same
columns as the MOF one). Titles, notes, row labels and 行次 come from
``jixiao/model/catalogs/tables.yaml``; names of the codes from the classification
catalogs; every amount from the :class:`~jixiao.model.accounts.Accounts` model. The Excel,
Word and HTML writers only place these cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.model.accounts import Accounts
from jixiao.model.classification import economic_catalog, economic_classes, function_catalog
from jixiao.model.tables import table_number, tables, two_sided_rows
from jixiao.render.fmt import money


@dataclass(frozen=True)
class Cell:
    """One printed cell. ``value`` is the amount (万元) of a money cell, None otherwise."""

    text: str = ""
    value: Decimal | None = None
    colspan: int = 1
    rowspan: int = 1
    head: bool = False
    bold: bool = False
    align: str = "left"
    money: bool = False


@dataclass(frozen=True)
class PrintedTable:
    """A table as printed: number (公开01表), title, cells, 注 and 说明 (of an empty table).

    ``widths`` are the relative column widths (percent); ``columns`` the grid width.
    """

    id: str
    number: str
    title: str
    note: str
    empty_note: str
    columns: int
    widths: tuple[float, ...]
    head: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]

    def placed(self, rows: Sequence[Sequence[Cell]] | None = None) -> list[tuple[int, int, Cell]]:
        """(row, column, cell) of every cell of ``rows`` (head then body by default), the
        spans resolved as HTML resolves them."""
        rows = [*self.head, *self.body] if rows is None else rows
        taken: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return out

    def amounts(self) -> list[tuple[int, int, Decimal | None]]:
        """(body row, column, amount) of every money cell, for tests and checks."""
        return [(r, c, cell.value) for r, c, cell in self.placed(self.body) if cell.money]


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text=text, colspan=colspan, rowspan=rowspan, head=True, bold=True, align="center")


def _t(text: str, *, bold: bool = False, align: str = "left", colspan: int = 1) -> Cell:
    return Cell(text=text, bold=bold, align=align, colspan=colspan)


def _m(value: Decimal | None, *, bold: bool = False) -> Cell:
    return Cell(text=money(value), value=value, bold=bold, align="right", money=True)


def _no(no: int | None) -> Cell:
    return Cell(text="" if no is None else str(no), align="center")


def _get(model: Any, key: str) -> Any:
    return getattr(model, key, None)


def _meta(tid: str, layout: str) -> tuple[str, str, str]:
    spec = tables()[tid]
    return table_number(tid, layout), spec.title, spec.note


# --- 公开01表 and 公开04表: income on the left, expenditure by 类 on the right -------------


def _two_sided(acc: Accounts, tid: str) -> PrintedTable:
    spec = tables()[tid]
    model = getattr(acc, tid)
    number, title, note = _meta(tid, acc.layout)
    exp_cols = spec.code_columns
    n_exp = len(exp_cols)
    income_head = spec.income_columns[0].label
    head = (
        (_h("收入", 3), _h("支出", 2 + n_exp)),
        (_h("项目"), _h("行次"), _h(income_head), _h("项目"), _h("行次"), *(_h(c.label) for c in exp_cols)),
        (_h("栏次"), _h(""), _h("1"), _h("栏次"), _h(""), *(_h(str(i)) for i in range(2, 2 + n_exp))),
    )
    body = []
    for line in two_sided_rows(spec):
        inc = spec.named_rows.get(line.income_key or "")
        bold = inc is not None and inc.total
        value = _get(model, inc.key) if inc is not None else None
        row = [_t(line.income_label, bold=bold), _no(line.income_no or None), _m(value, bold=bold)]
        exp = spec.named_rows.get(line.expense_key or "")
        bold = exp is not None and exp.total
        key = line.expense_key
        value = None if key is None else _get(model, key) if exp is not None else model.classes.get(key)
        row += [
            _t(line.expense_label, bold=bold),
            _no(line.expense_no),
            *_expense_cells(value, exp_cols, bold),
        ]
        body.append(tuple(row))
    widths = (23.0, 5.0, 10.0, 28.0, 5.0, *(29.0 / n_exp,) * n_exp)
    return PrintedTable(tid, number, title, note, "", 5 + n_exp, widths, head, tuple(body))


def _expense_cells(value: Any, cols: Sequence[Any], bold: bool = False) -> list[Cell]:
    if len(cols) == 1 and not hasattr(value, "model_fields"):
        return [_m(value, bold=bold)]
    return [_m(None if value is None else _get(value, c.key), bold=bold) for c in cols]


# --- the coded tables: 收入/支出决算表, 一般公共预算, 政府性基金, 国有资本经营 -------------


def _coded(acc: Accounts, tid: str) -> PrintedTable:
    spec = tables()[tid]
    table = getattr(acc, tid)
    number, title, note = _meta(tid, acc.layout)
    cols = spec.code_columns
    n = len(cols)
    group = spec.header
    grouped = set(spec.header_columns or (c.key for c in cols)) if group else set()
    first_row: list[Cell] = [_h("项目", 2)]
    second_row: list[Cell] = [_h("功能分类科目编码"), _h("科目名称")]
    i = 0
    while i < n:
        col = cols[i]
        if col.key in grouped:
            span = 0
            while i + span < n and cols[i + span].key in grouped:
                span += 1
            first_row.append(_h(group, span))
            second_row += [_h(cols[j].label) for j in range(i, i + span)]
            i += span
        else:
            first_row.append(_h(col.label, rowspan=2))
            i += 1
    third_row = [_h("栏次", 2), *(_h(str(c.no or j + 1)) for j, c in enumerate(cols))]
    head = (tuple(first_row), tuple(second_row), tuple(third_row))
    body: list[tuple[Cell, ...]] = []
    rows = tuple(table.rows)
    total = table.total
    has_total = any(_get(total, c.key) is not None for c in cols)
    if rows or has_total:
        body.append(
            (
                _t(""),
                _t("合计", bold=True, align="center"),
                *(_m(_get(total, c.key), bold=True) for c in cols),
            )
        )
    catalog = function_catalog()
    for row in rows:
        name = row.name or catalog.name(row.code) or ""
        body.append((_t(row.code), _t(name), *(_m(_get(row, c.key)) for c in cols)))
    widths = (12.0, 30.0, *((58.0 / n,) * n))
    empty_note = (getattr(table, "note", "") or spec.empty_note) if not body else ""
    return PrintedTable(tid, number, title, note, empty_note, 2 + n, widths, head, tuple(body))


# --- 公开06表: three column groups of economic classes --------------------------------------


def _basic(acc: Accounts, tid: str) -> PrintedTable:
    spec = tables()[tid]
    number, title, note = _meta(tid, acc.layout)
    catalog = economic_catalog()
    groups: dict[int, list[str]] = {}
    for code, info in economic_classes().items():
        groups.setdefault(info.group, []).extend([code, *catalog.children(code)])
    model = getattr(acc, tid)
    items = model.items
    ordered = [groups[g] for g in sorted(groups)]
    personnel, public = spec.groups
    amount = spec.all_columns()[0].label
    head = (
        (_h(personnel, 3), _h(public, 3 * (len(ordered) - 1))),
        tuple(_h(text) for _ in ordered for text in ("经济分类科目编码", "科目名称", amount)),
    )
    body = []
    for i in range(max(len(g) for g in ordered)):
        row: list[Cell] = []
        for group in ordered:
            if i < len(group):
                code = group[i]
                top = len(code) == 3
                row += [
                    _t(code, bold=top),
                    _t(catalog.name(code) or "", bold=top),
                    _m(items.get(code), bold=top),
                ]
            else:
                row += [_t(""), _t(""), _m(None)]
        body.append(tuple(row))
    personnel_total, public_total = spec.named_rows.values()
    last = (
        _t(personnel_total.label, bold=True, align="center", colspan=2),
        _m(_get(model, personnel_total.key), bold=True),
        _t(public_total.label, bold=True, align="center", colspan=3 * (len(ordered) - 1) - 1),
        _m(_get(model, public_total.key), bold=True),
    )
    body.append(last)
    widths = tuple(w for _ in ordered for w in (7.0, 18.0, 8.33))
    return PrintedTable(tid, number, title, note, "", 3 * len(ordered), widths, head, tuple(body))


# --- 公开09表: “三公”经费, budget and actual side by side --------------------------------------


def _three_public(acc: Accounts, tid: str) -> PrintedTable:
    spec = tables()[tid]
    number, title, note = _meta(tid, acc.layout)
    cols = spec.all_columns()
    halves = tuple(spec.named_rows.values())
    upper, lower = spec.column_heads()
    group = tuple(_h(text, span) if grouped else _h(text, rowspan=2) for text, span, grouped in upper)
    width = len(halves) * len(cols)
    head = (
        tuple(_h(row.label, len(cols)) for row in halves),
        group * len(halves),
        tuple(_h(text) for text in lower if text is not None) * len(halves),
        tuple(_h(str(i)) for i in range(1, width + 1)),
    )
    model = getattr(acc, tid)
    body = (tuple(_m(_get(_get(model, row.key), c.key)) for row in halves for c in cols),)
    return PrintedTable(tid, number, title, note, "", width, (100 / width,) * width, head, body)


def printed_tables(acc: Accounts) -> list[PrintedTable]:
    """The nine tables in the printed order of the accounts' layout (henan-2024 or mof)."""
    from jixiao.model.tables import printed_tables as order

    build = {"two_sided": _two_sided, "coded": _coded, "economic": _basic, "three_public": _three_public}
    return [build[tables()[tid].shape](acc, tid) for tid in order(acc.layout)]
