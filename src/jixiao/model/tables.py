"""The layout of the nine tables (titles, numbers, rows, columns, 行次/栏次), loaded from
``catalogs/tables.yaml``, and the names Findings use for a table, a row and a column."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from jixiao.model.classification import Classification, catalog_data, economic_catalog, function_catalog

#: Chinese ordinal prefixes of the 类 rows of 公开01表 / 公开04表 (一、 … 二十六、).
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 26 -> 二十六 (up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


@dataclass(frozen=True)
class Column:
    """A value column: ``key`` (model field), ``label`` as printed, ``no`` its 栏次."""

    key: str
    label: str
    no: int | None = None


@dataclass(frozen=True)
class NamedRow:
    """A row that is not a classification code (合计, 本年收入合计 …).

    ``label`` is the printed text, ``name`` the unambiguous name used in messages, ``no`` the
    行次, ``side`` income/expense for two-sided tables, ``columns`` its value columns.
    """

    key: str
    label: str
    name: str
    no: int | None
    side: str | None
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class TableLayout:
    """One table.

    Attributes:
        id: model field name (``summary`` … ``three_public``; ``budget`` and ``extra`` are the
            narrative figures, addressable by rules like tables).
        title: printed title.
        shape: two_sided | coded | economic | three_public | data.
        note: the printed 注.
        header: the printed group header above the value columns (本年支出), if any.
        classification: catalog of the coded rows (None for tables without coded rows).
        code_columns: the value columns of coded rows.
        income_columns: the value columns of the income side (two-sided tables).
        named_rows: the named rows, in printed order.
        class_first_no: 行次 of the first 类 row (two-sided tables).
    """

    id: str
    title: str
    shape: str
    note: str
    header: str
    classification: Classification | None
    code_columns: tuple[Column, ...]
    income_columns: tuple[Column, ...]
    named_rows: Mapping[str, NamedRow]
    class_first_no: int | None
    columns: tuple[Column, ...] = ()
    _labels: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def columns_of(self, row: str) -> tuple[Column, ...]:
        """The value columns a row has (a code or a named row)."""
        named = self.named_rows.get(row)
        if named is not None:
            return named.columns
        return self.code_columns

    def all_columns(self) -> tuple[Column, ...]:
        """Every value column of the table (coded rows' first, then the named rows')."""
        return self.columns

    def column_label(self, key: str) -> str:
        col = self._labels.get(key)
        return col if col is not None else key

    def row_name(self, row: str) -> str:
        """A row as messages name it: '206 科学技术支出', '本年收入合计（第27行）'."""
        named = self.named_rows.get(row)
        if named is not None:
            return f"{named.name}（第{named.no}行）" if named.no else named.name
        if self.classification is not None:
            name = self.classification.name(row)
            return f"{row} {name}" if name else row
        return row

    @property
    def single_column(self) -> bool:
        return len(self.all_columns()) == 1


def _columns(raw: list[dict[str, Any]] | None) -> tuple[Column, ...]:
    return tuple(Column(key=c["key"], label=c["label"], no=c.get("seq")) for c in raw or ())


def _layout(tid: str, raw: dict[str, Any]) -> TableLayout:
    shape = raw["shape"]
    columns = _columns(raw.get("columns"))
    income_columns = _columns(raw.get("income_columns"))
    expense_columns = _columns(raw.get("expense_columns"))
    named: dict[str, NamedRow] = {}

    def add(items: list[dict[str, Any]] | None, side: str | None, cols: tuple[Column, ...]) -> None:
        for r in items or ():
            named[r["key"]] = NamedRow(
                key=r["key"],
                label=r["label"],
                name=r.get("name", r["label"]),
                no=r.get("seq"),
                side=side,
                columns=cols,
            )

    classification: Classification | None = None
    code_columns = columns
    if shape == "two_sided":
        add(raw.get("income_rows"), "income", income_columns)
        add(raw.get("expense_rows"), "expense", expense_columns)
        classification = function_catalog()
        code_columns = expense_columns
    elif shape == "coded":
        named["total"] = NamedRow("total", "合计", "合计", None, None, columns)
        classification = function_catalog()
    elif shape == "economic":
        add(raw.get("rows"), None, columns)
        classification = economic_catalog()
    else:
        add(raw.get("rows"), None, columns)
        if tid == "budget":
            classification = function_catalog()
    seen: dict[str, Column] = {c.key: c for c in (code_columns if classification is not None else ())}
    for row in named.values():
        for col in row.columns:
            seen.setdefault(col.key, col)
    return TableLayout(
        columns=tuple(seen.values()),
        _labels=MappingProxyType({k: c.label for k, c in seen.items()}),
        id=tid,
        title=raw["title"],
        shape=shape,
        note=raw.get("note", ""),
        header=raw.get("header", ""),
        classification=classification,
        code_columns=code_columns if classification is not None else (),
        income_columns=income_columns,
        named_rows=MappingProxyType(named),
        class_first_no=raw.get("class_first_no"),
    )


@cache
def _raw() -> dict[str, Any]:
    return catalog_data("tables.yaml")


@cache
def tables() -> Mapping[str, TableLayout]:
    """Every table (and the narrative pseudo-tables ``budget`` and ``extra``) by id."""
    return MappingProxyType({tid: _layout(tid, raw) for tid, raw in _raw()["tables"].items()})


@cache
def layouts() -> Mapping[str, Mapping[str, str]]:
    """Layout id -> table id -> printed number (公开01表 …)."""
    return MappingProxyType(
        {lid: MappingProxyType(dict(raw["numbers"])) for lid, raw in _raw()["layouts"].items()}
    )


def table_number(table: str, layout: str) -> str:
    return layouts().get(layout, layouts()["henan-2024"]).get(table, "")


def table_name(table: str, layout: str = "henan-2024") -> str:
    """'公开02表（收入决算表）'; the narrative pseudo-tables by their title only."""
    spec = tables()[table]
    number = table_number(table, layout)
    return f"{number}（{spec.title}）" if number else spec.title


def printed_tables(layout: str) -> list[str]:
    """The nine table ids in the printed order of ``layout``."""
    numbers = layouts()[layout]
    return sorted(numbers, key=lambda t: numbers[t])
