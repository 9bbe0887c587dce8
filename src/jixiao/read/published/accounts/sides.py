"""The two-sided tables: 收入支出决算总表 and 财政拨款收入支出决算总表 (收入 | 支出, 行次)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jixiao.model.classification import catalog_data, function_catalog
from jixiao.model.tables import NamedRow, tables
from jixiao.read.published.accounts.cells import Reader, column_label, is_seq_row
from jixiao.read.published.accounts.names import label_text, norm

# --------------------------------------------------------------------------- 公开01表 / 公开04表


@cache
def _class_names() -> dict[str, str]:
    """类 code by name, today's and former ones."""
    names = {norm(name): code for code, name in function_catalog().names.items() if len(code) == 3}
    return {**names, **catalog_data("function.yaml")["former_names"]}


def _variants(label: str) -> tuple[str, ...]:
    bare = re.sub(r"（[^（）]*）$", "", label)
    return (label, bare) if bare != label else (label,)


def _rows(tid: str, side: str, *, parts: bool = False) -> tuple[NamedRow, ...]:
    """The named rows of one side of a table: those printed on their own, or (``parts``)
    those printed under another row."""
    return tuple(r for r in tables()[tid].named_rows.values() if r.side == side and bool(r.part_of) == parts)


def _named(label: str, rows: Iterable[NamedRow]) -> str | None:
    for text in _variants(label):
        for row in rows:
            if text in row.names:
                return row.key
    return None


def _class_code(label: str) -> str | None:
    m = re.match(r"^(\d{3})\s*[^\d.\s]", label)
    if m:
        return m.group(1)
    for text in _variants(label):
        code = _class_names().get(text.removesuffix("（类）"))
        if code:
            return code
    return None


def _sides(reader: Reader, header: range, first: int) -> int | None:
    """The first column of the 支出 side of a two-sided table."""
    for i in reversed(header):
        cells = [norm(c) for c in reader.rows[i]]
        items = [j for j, c in enumerate(cells) if c == "项目"]
        if len(items) >= 2:
            return items[1]
    for i in header:
        cells = [norm(c) for c in reader.rows[i]]
        spend = [j for j, c in enumerate(cells) if j > 0 and c.startswith("支出")]
        if spend:
            return spend[0]
    if first < len(reader.rows):
        for j in range(1, reader.src.width):
            label = label_text(reader.cell(first, j))
            if label and (_class_code(label) or _named(label, _rows(reader.src.tid, "expense"))):
                return j
    return None


def _side_columns(reader: Reader, header: range, lo: int, hi: int) -> dict[int, str]:
    """Value columns of one side: column -> header label ('' when unlabelled)."""
    out: dict[int, str] = {}
    for j in range(lo + 1, hi):
        label = "".join(reader.header_texts(header, j))  # joined: PDF may split a label
        if label in ("行次", "栏次"):
            continue
        if not label and all(
            not c.strip() or norm(c).isdigit() for c in (reader.cell(i, j) for i in range(len(reader.rows)))
        ):
            continue  # an unlabelled 行次 column, or an empty one
        out[j] = label
    return out


def _single(columns: dict[int, str], names: tuple[str, ...]) -> int | None:
    """The one amount column of a side: the one ``names`` names, else the only one."""
    for j, label in columns.items():
        if label in names:
            return j
    return next(iter(columns)) if len(columns) == 1 else None


def _budget_type_key(tid: str, label: str) -> str | None:
    """The column of the 支出 side of 公开04表 a header names (合计 or a budget type)."""
    spec = tables()[tid]
    key = spec.header_key(label, [h.key for h in spec.header_words])
    if key is None and label.endswith(("合计", "小计", "总计")):
        return "total"
    return key


def _first_data_row(reader: Reader) -> int:
    """The first row naming an income item in the first column, or a 功能分类 类 anywhere
    (header labels such as 一般公共预算财政拨款 are column names there)."""
    tid = reader.src.tid
    for i, row in enumerate(reader.rows):
        if _named(label_text(row[0]), _rows(tid, "income")) if row else False:
            return i
        if any(_class_code(label_text(c)) for c in row[1:]):
            return i
    return len(reader.rows)


def read_two_sided(reader: Reader) -> dict[str, Any] | None:
    first = _first_data_row(reader)
    header = range(first)
    split = _sides(reader, header, first)
    if split is None or first >= len(reader.rows):
        reader.unrecognised("找不到收入、支出两栏")
        return None
    income_names = tables()[reader.src.tid].income_columns[0].names
    income_col = _single(_side_columns(reader, header, 0, split), income_names)
    expense_map = _expense_columns(reader, _side_columns(reader, header, split, reader.src.width))
    if income_col is None or not expense_map:
        reader.unrecognised("找不到决算数栏目")
        return None
    state = _Sides()
    for i in range(first, len(reader.rows)):
        if is_seq_row(reader.rows[i]):
            continue
        _income_side(reader, i, income_col, state)
        _expense_side(reader, i, split, expense_map, state)
    return {**state.data, "classes": state.classes}


@dataclass
class _Sides:
    """What a two-sided table has given so far."""

    data: dict[str, Any] = field(default_factory=dict)
    classes: dict[str, Any] = field(default_factory=dict)
    opening: bool = False  # past 年初财政拨款结转和结余 (its parts follow)
    closing: bool = False  # past 年末结转和结余


def _expense_columns(reader: Reader, columns: dict[int, str]) -> dict[int, str]:
    """Value columns of the 支出 side -> model key (``amount`` in 公开01表)."""
    spec = tables()[reader.src.tid]
    if len(spec.code_columns) == 1:
        return {j: "amount" for j in [_single(columns, spec.code_columns[0].names)] if j is not None}
    out: dict[int, str] = {}
    for j, label in columns.items():
        key = _budget_type_key(spec.id, label)
        if key is None or key in out.values():
            if label or reader.column_has_figures(j):
                reader.bad_column(label or f"第{j + 1}列")
            continue
        out[j] = key
    return out


def _income_side(reader: Reader, i: int, column: int, state: _Sides) -> None:
    label = label_text(reader.cell(i, 0))
    if not label:
        return
    tid = reader.src.tid
    # after 年初财政拨款结转和结余 come its parts by budget type (行次 29–31)
    key = _named(label, _rows(tid, "income", parts=True)) if state.opening else None
    key = key or _named(label, _rows(tid, "income"))
    state.opening = state.opening or key == "opening"
    if key is None:
        if reader.has_figures(i, [column]):
            reader.bad_row(i, "不是本表的收入项目")
        return
    value = reader.amount(i, column, None)
    reader.line(key, i)
    if value is not None and key not in state.data:
        state.data[key] = value


def _expense_side(reader: Reader, i: int, split: int, columns: dict[int, str], state: _Sides) -> None:
    label = label_text(reader.cell(i, split))
    if not label:
        return
    tid = reader.src.tid
    key = _named(label, _rows(tid, "expense"))
    code = None if key else _class_code(label)
    if key is None and code is None:
        # after 年末结转和结余 come its parts by budget type, which the model does not hold
        if not state.closing and reader.has_figures(i, columns):
            reader.bad_row(i, "不是本表的支出项目或功能分类科目")
        return
    state.closing = state.closing or key == "closing"
    single = len(tables()[tid].code_columns) == 1
    values = {k: reader.amount(i, j, None if single else column_label(k, tid)) for j, k in columns.items()}
    name = key or code or ""
    reader.line(name, i)
    present = {k: v for k, v in values.items() if v is not None}
    if not present:
        return
    value: Any = present.get("amount") if single else present
    target = state.classes if code is not None else state.data
    target.setdefault(name, value)
