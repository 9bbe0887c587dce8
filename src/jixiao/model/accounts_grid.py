"""A uniform view of the accounts for the rules engine: table -> row -> column -> value.

Rows are classification codes or named rows (``total``, ``income_total`` …); a value is a
Decimal (万元) or None (empty cell). A row that the data does not list is absent; an absent
row and an empty cell both read as missing.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from itertools import filterfalse

from pydantic import BaseModel

from jixiao.model.accounts import Accounts
from jixiao.model.classification import Classification, economic_catalog, function_catalog
from jixiao.model.tables import tables

Cells = dict[str, Decimal | None]
#: Keys of a row's dict that are not value columns.
_TEXT = frozenset({"code", "name"})
_ZERO = Decimal(0)


class TableGrid:
    """The rows of one table; ``codes`` are the coded rows in printed order."""

    __slots__ = (
        "_children",
        "_lists",
        "_parent_of",
        "_printed",
        "_sums",
        "_unprinted",
        "catalog",
        "codes",
        "id",
        "rows",
    )

    def __init__(self, tid: str, catalog: Classification | None) -> None:
        self.id = tid
        self.catalog = catalog
        self.rows: dict[str, Cells] = {}
        self.codes: list[str] = []
        self._children: dict[str, list[str]] | None = None
        self._printed: dict[str, bool] = {}
        self._lists: dict[object, list[str]] = {}  # parents / leaves / level(n), computed once
        self._parent_of: dict[str, str | None] | None = None
        self._sums: dict[str, dict[str, tuple[Decimal, int]]] = {}
        self._unprinted: dict[tuple[str | None, ...], frozenset[str]] = {}

    def add(self, key: str, cells: Cells, *, coded: bool = False) -> None:
        if key in self.rows:  # duplicates are refused when read; keep the first one
            return
        self.rows[key] = cells
        if coded:
            self.codes.append(key)

    def value(self, row: str, column: str) -> Decimal | None:
        cells = self.rows.get(row)
        return None if cells is None else cells.get(column)

    def children(self, code: str) -> list[str]:
        """Coded rows directly below ``code`` present in this table."""
        if self._children is None:
            index: dict[str, list[str]] = {}
            for c, parent in self.parents_of().items():
                if parent is not None:
                    index.setdefault(parent, []).append(c)
            self._children = index
        return self._children.get(code, [])

    def parents_of(self) -> dict[str, str | None]:
        """Each coded row's parent code (computed once per table)."""
        if self._parent_of is None:
            catalog = self.catalog
            if catalog is None:
                self._parent_of = dict.fromkeys(self.codes)
            else:  # a catalog code's parent is looked up; any other is worked out
                known, codes = catalog.parent_map, self.codes
                found = dict(zip(codes, map(known.get, codes), strict=True))  # C-level calls alone
                for code in filterfalse(known.__contains__, codes):
                    found[code] = catalog.parent(code)
                self._parent_of = found
        return self._parent_of

    def child_sums(self, column: str) -> dict[str, tuple[Decimal, int]]:
        """For each coded row with printed children in ``column``: (their sum, how many).

        One pass over the rows per column, shared by every rule that sums children (the
        tree rules run it for every parent row and column)."""
        found = self._sums.get(column)
        if found is None:
            found = {}
            rows = self.rows
            self.children("")  # the index of children, built once
            for parent, kids in (self._children or {}).items():
                acc, n = _ZERO, 0
                for code in kids:
                    value = rows[code].get(column)
                    if value is not None:
                        acc += value
                        n += 1
                if n:
                    found[parent] = (acc, n)
            self._sums[column] = found
        return found

    def printed(self, column: str) -> bool:
        """Whether any row of the table has a value in ``column`` (asked once per column)."""
        found = self._printed.get(column)
        if found is None:
            found = self._printed[column] = column not in _TEXT and any(
                cells.get(column) is not None for cells in self.rows.values()
            )
        return found

    def unprinted(self, columns: tuple[str | None, ...]) -> frozenset[str]:
        """Those of ``columns`` in which no row has a value (asked by every rule that runs
        over them, answered once per table and set of columns)."""
        found = self._unprinted.get(columns)
        if found is None:
            found = self._unprinted[columns] = frozenset(
                c for c in columns if c is not None and not self.printed(c)
            )
        return found

    def parents(self) -> list[str]:
        """Coded rows that have at least one child row in this table."""
        return self._lists["parents"] if "parents" in self._lists else self._split()["parents"]

    def leaves(self) -> list[str]:
        """Coded rows without a child row in this table."""
        return self._lists["leaves"] if "leaves" in self._lists else self._split()["leaves"]

    def _split(self) -> dict[object, list[str]]:
        """The coded rows split once into parents and leaves (from the index of children)."""
        self.children("")  # the index of children, built once
        index = self._children or {}
        self._lists["parents"] = list(filter(index.__contains__, self.codes))
        self._lists["leaves"] = list(filterfalse(index.__contains__, self.codes))
        return self._lists

    def level(self, n: int) -> list[str]:
        """Coded rows of level ``n`` (1 类, 2 款, 3 项), in table order."""
        found = self._lists.get(n)
        if found is None:
            catalog = self.catalog
            if catalog is None or n < 1 or n > len(catalog.lengths):
                found = []
            else:
                length = catalog.lengths[n - 1]
                found = [c for c in self.codes if len(c) == length]
            self._lists[n] = found
        return found


@cache
def _named(tid: str, side: str | None = None) -> tuple[str, ...]:
    """The named rows of a table (one side of it), from the layout."""
    return tuple(r.key for r in tables()[tid].named_rows.values() if side is None or r.side == side)


def _coded(tid: str, table: BaseModel) -> TableGrid:
    # A row's cells are the model's own field dict (frozen, never written): no copy. Its
    # extra keys (code, name) are never asked for as columns.
    grid = TableGrid(tid, function_catalog())
    grid.add("total", table.total.__dict__)  # type: ignore[attr-defined]
    rows, codes = grid.rows, grid.codes
    for row in table.rows:  # type: ignore[attr-defined]
        if row.code not in rows:  # add(), inline: it runs for every row of every table
            rows[row.code] = row.__dict__
            codes.append(row.code)
    return grid


def build(acc: Accounts) -> dict[str, TableGrid]:
    """The grid of every table, and of the narrative pseudo-tables ``budget`` and ``extra``."""
    out: dict[str, TableGrid] = {}

    s = acc.summary
    g = TableGrid("summary", function_catalog())
    sd = s.__dict__
    for key in _named("summary"):
        g.add(key, {"amount": sd[key]})
    for code, value in s.classes.items():
        g.add(code, {"amount": value}, coded=True)
    out["summary"] = g

    out["income"] = _coded("income", acc.income)
    out["expense"] = _coded("expense", acc.expense)
    out["general"] = _coded("general", acc.general)
    out["fund"] = _coded("fund", acc.fund)
    out["capital"] = _coded("capital", acc.capital)

    f = acc.fiscal
    g = TableGrid("fiscal", function_catalog())
    fd = f.__dict__
    for key in _named("fiscal", "income"):
        g.add(key, {"amount": fd[key]})
    for code, cols in f.classes.items():
        g.add(code, cols.__dict__, coded=True)
    for key in _named("fiscal", "expense"):
        g.add(key, fd[key].__dict__)
    out["fiscal"] = g

    b = acc.basic
    g = TableGrid("basic", economic_catalog())
    catalog = economic_catalog()
    for code, value in b.items.items():
        parent = catalog.parent(code)
        if parent is not None and parent not in g.rows:
            # 公开06表 prints every 类 row: a 类 not listed is an empty row, not an absent one
            g.add(parent, {"amount": b.items.get(parent)}, coded=True)
        g.add(code, {"amount": value}, coded=True)
    g.add("personnel_total", {"amount": b.personnel_total})
    g.add("public_total", {"amount": b.public_total})
    out["basic"] = g

    g = TableGrid("three_public", None)
    g.add("budget", acc.three_public.budget.__dict__)
    g.add("actual", acc.three_public.actual.__dict__)
    out["three_public"] = g

    n = acc.narrative
    g = TableGrid("budget", function_catalog())
    g.add("total", {"amount": n.initial_budget.general})
    for code, item in n.initial_budget.items.items():
        g.add(code, {"amount": item.budget}, coded=True)
    out["budget"] = g

    p, pr = n.previous, n.procurement
    g = TableGrid("extra", None)
    for key, value in (
        ("previous_income_sum", p.income_sum),
        ("previous_expense_sum", p.expense_sum),
        ("previous_fiscal_income_sum", p.fiscal_income_sum),
        ("previous_fiscal_expense_sum", p.fiscal_expense_sum),
        ("previous_general_expense", p.general_expense),
        ("previous_closing", p.closing),
        ("previous_office_running", p.office_running),
        ("previous_three_public", p.three_public),
        ("initial_fund", n.initial_budget.fund),
        ("initial_capital", n.initial_budget.capital),
        ("office_running", n.office_running.amount),
        ("procurement_total", pr.total),
        ("procurement_goods", pr.goods),
        ("procurement_works", pr.works),
        ("procurement_services", pr.services),
        ("procurement_sme", pr.sme),
        ("procurement_small", pr.small),
    ):
        g.add(key, {"amount": value})
    out["extra"] = g
    return out
