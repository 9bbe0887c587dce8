"""The layout of the nine tables (titles, numbers, rows, columns, 行次/栏次, and how a
published report may print their titles and labels), loaded from ``catalogs/tables.yaml``,
and the names Findings use for a table, a row and a column."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any

from jixiao.model.classification import Classification, catalog_data, economic_catalog, function_catalog

#: Chinese ordinal prefixes of the 类 rows of 公开01表 / 公开04表 (一、 … 二十六、).
_DIGITS = "零一二三四五六七八九"
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")  # as a named row's label begins: 一、


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 26 -> 二十六 (up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def _names(first: str, synonyms: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((first, *synonyms)))


@dataclass(frozen=True)
class Column:
    """A value column: ``key`` (model field), ``label`` as printed, ``no`` its 栏次;
    ``synonyms`` other headers naming it; ``group`` the header printed above it with its
    neighbours, and ``heading`` its own text under that group when not its label."""

    key: str
    label: str
    no: int | None = None
    synonyms: tuple[str, ...] = ()
    group: str = ""
    heading: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every header that names the column, its label first."""
        return _names(self.label, self.synonyms)


@dataclass(frozen=True)
class HeaderWords:
    """A header written many ways names ``key`` when it holds one of ``words``, every one of
    ``also`` and none of ``without``."""

    key: str
    words: tuple[str, ...]
    also: tuple[str, ...] = ()
    without: tuple[str, ...] = ()

    def fits(self, text: str) -> bool:
        return (
            any(w in text for w in self.words)
            and all(w in text for w in self.also)
            and not any(w in text for w in self.without)
        )


@dataclass(frozen=True)
class NamedRow:
    """A row that is not a classification code (合计, 本年收入合计 …).

    ``label`` is the printed text, ``name`` the unambiguous name used in messages, ``no`` the
    行次, ``side`` income/expense for two-sided tables, ``columns`` its value columns,
    ``synonyms`` other printed labels, ``part_of`` the row it is printed under as a part,
    ``total`` whether it is a row of totals (printed bold).
    """

    key: str
    label: str
    name: str
    no: int | None
    side: str | None
    columns: tuple[Column, ...]
    synonyms: tuple[str, ...] = ()
    part_of: str = ""
    total: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every printed label of the row without its ordinal (一、), its own first."""
        return _names(_ORDINAL.sub("", self.label), self.synonyms)


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
        title_pattern: what a published title of the table matches; ``short_title`` when
            the pattern must begin the title (see tables.yaml).
        empty_note: the 说明 an empty table carries when the data gives none.
        header_columns: the keys of the columns under ``header`` (all when empty).
        header_words: headers written many ways, and the column or row each names.
        groups: the printed headers of the column groups (公开06表: 人员经费, 公用经费).
    """

    id: str
    title: str
    shape: str
    classification: Classification | None
    code_columns: tuple[Column, ...]
    income_columns: tuple[Column, ...]
    named_rows: Mapping[str, NamedRow]
    note: str = ""
    header: str = ""
    class_first_no: int | None = None
    columns: tuple[Column, ...] = ()
    title_pattern: str = ""
    short_title: bool = False
    empty_note: str = ""
    header_columns: tuple[str, ...] = ()
    header_words: tuple[HeaderWords, ...] = ()
    groups: tuple[str, ...] = ()
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

    def column_heads(self) -> tuple[tuple[tuple[str, int, bool], ...], tuple[str | None, ...]]:
        """The two header rows above the value columns. The upper row: (text, columns spanned,
        grouped) — a group once over its columns, else a column's label standing in both
        rows; the lower row, one per column: a grouped column's heading, else None."""
        upper: list[tuple[str, int, bool]] = []
        for col in self.all_columns():
            text, span, grouped = upper[-1] if upper else ("", 0, False)
            if col.group and grouped and text == col.group:
                upper[-1] = (text, span + 1, True)
            else:
                upper.append((col.group or col.label, 1, bool(col.group)))
        lower = tuple((c.heading or c.label) if c.group else None for c in self.all_columns())
        return tuple(upper), lower

    def header_key(self, text: str, keys: Iterable[str]) -> str | None:
        """The first of ``keys`` (columns or rows) that the header ``text`` names: by its
        whole text first, then by ``header_words``."""
        wanted = set(keys)
        for col in self.all_columns():
            if col.key in wanted and text in col.names:
                return col.key
        return next((h.key for h in self.header_words if h.key in wanted and h.fits(text)), None)


@dataclass(frozen=True)
class SideRow:
    """One line of a two-sided table: the 行次, key and label of each side (key None for a
    printed blank line; a 类 row has its code as key)."""

    income_no: int
    income_key: str | None
    income_label: str
    expense_no: int
    expense_key: str | None
    expense_label: str


def two_sided_rows(spec: TableLayout) -> list[SideRow]:
    """The printed lines of 公开01表 / 公开04表, pairing 行次 i with i + offset as printed."""
    income = {r.no: r for r in spec.named_rows.values() if r.side == "income" and r.no is not None}
    expense = {r.no: r for r in spec.named_rows.values() if r.side == "expense" and r.no is not None}
    classes = function_catalog().classes()
    first = spec.class_first_no or 0
    last_income = max(income)
    offset = first - 1
    out: list[SideRow] = []
    for no in range(1, last_income + 1):
        inc = income.get(no)
        exp_no = no + offset
        exp = expense.get(exp_no)
        class_index = exp_no - first
        if exp is not None:
            ekey, elabel = exp.key, exp.label
        elif 0 <= class_index < len(classes):
            code = classes[class_index]
            ekey, elabel = code, f"{chinese_number(class_index + 1)}、{function_catalog().name(code) or code}"
        else:
            ekey, elabel = None, ""
        out.append(
            SideRow(
                income_no=no,
                income_key=inc.key if inc else None,
                income_label=inc.label if inc else "",
                expense_no=exp_no,
                expense_key=ekey,
                expense_label=elabel,
            )
        )
    # the expense side may run longer than the income side (公开04表: 32 vs 64)
    last_expense = max(expense)
    for exp_no in range(last_income + offset + 1, last_expense + 1):
        exp = expense.get(exp_no)
        out.append(SideRow(0, None, "", exp_no, exp.key if exp else None, exp.label if exp else ""))
    return out


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    """The entries of a YAML mapping as dataclass fields: ``seq`` is ``no``, lists are tuples."""
    return {("no" if k == "seq" else k): tuple(v) if isinstance(v, list) else v for k, v in raw.items()}


def _columns(raw: list[dict[str, Any]] | None) -> tuple[Column, ...]:
    return tuple(Column(**_fields(c)) for c in raw or ())


#: The entries of a table in tables.yaml that are fields of TableLayout as they are (not
#: ``columns``, ``income_columns`` and ``header_words``: the loader builds those).
_PLAIN = frozenset(TableLayout.__dataclass_fields__) - {"columns", "income_columns", "header_words"}


def _layout(tid: str, raw: dict[str, Any]) -> TableLayout:
    shape = raw["shape"]
    columns = _columns(raw.get("columns"))
    income_columns = _columns(raw.get("income_columns"))
    expense_columns = _columns(raw.get("expense_columns"))
    named: dict[str, NamedRow] = {}

    def add(items: list[dict[str, Any]] | None, side: str | None, cols: tuple[Column, ...]) -> None:
        for r in items or ():
            row = {"no": None, "name": r["label"], **_fields(r)}
            named[r["key"]] = NamedRow(**row, side=side, columns=cols)

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
        **{k: v for k, v in _fields(raw).items() if k in _PLAIN},
        columns=tuple(seen.values()),
        _labels=MappingProxyType({k: c.label for k, c in seen.items()}),
        id=tid,
        classification=classification,
        code_columns=code_columns if classification is not None else (),
        income_columns=income_columns,
        named_rows=MappingProxyType(named),
        header_words=tuple(HeaderWords(**_fields(h)) for h in raw.get("header_words") or ()),
    )


@cache
def _raw() -> dict[str, Any]:
    return catalog_data("tables.yaml")


@cache
def tables() -> Mapping[str, TableLayout]:
    """Every table (and the narrative pseudo-tables ``budget`` and ``extra``) by id."""
    return MappingProxyType({tid: _layout(tid, raw) for tid, raw in _raw()["tables"].items()})


def title_order() -> tuple[str, ...]:
    """The tables whose published titles are recognised, in the order they are tried."""
    return tuple(str(tid) for tid in _raw()["title_order"])


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


@lru_cache(maxsize=4096)
def cell_names(
    table: str, row: str | None, column: str | None, layout: str
) -> tuple[str, str | None, str | None]:
    """How a Location names a cell: the table, the row (its code and name, or its label) and
    the column (none in a one-column table); the same for every department, so kept."""
    spec = tables()[table]
    label = spec.column_label(column) if column and not spec.single_column else None
    return table_name(table, layout), spec.row_name(row) if row else None, label


def printed_tables(layout: str) -> list[str]:
    """The nine table ids in the printed order of ``layout``."""
    numbers = layouts()[layout]
    return sorted(numbers, key=lambda t: numbers[t])
