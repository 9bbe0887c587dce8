"""Compile checked expressions (:mod:`expr`) into Python functions — never ``eval`` of the
rule's text: the source is generated here from the parsed tree, and every string or number
of the rule enters it as a literal (``repr`` of a checked name) or a bound constant.

An expression evaluates to ``(value, terms)``: the value (None when missing) and how many
printed cells it read (for rounding tails). ``row`` is the current row of a rule with
``each`` (@), ``column`` its current column ($).

:func:`compile_expr` gives one side as a function of (grid, row, column);
:func:`compile_plan` gives a whole rule — its instances over rows and columns, both sides
and the comparison — as one function, the table lookups hoisted out of the loops.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

from jixiao.check.formulas.expr import BinOp, Call, ExprError, Neg, Node, Num, Ref, Sel, implied_column
from jixiao.core.numbers import ZERO
from jixiao.model.accounts_grid import TableGrid

#: The grid the expressions read: table id -> its rows.
Grid = dict[str, TableGrid]

Value = tuple[Decimal | None, int]
#: A compiled expression: (grid, current row @, current column $) -> (value, printed terms).
Compiled = Callable[[Grid, str | None, str | None], Value]
RowsFn = Callable[[Grid, str | None, str | None], list[str]]


def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("?", r"\d") + "$")


def compile_rows(ref: Ref) -> RowsFn:
    """The function giving the row keys a reference selects, in table order, no duplicates."""
    table = ref.table
    parts: list[RowsFn] = []
    for sel in ref.rows:
        parts.append(_compile_selector(table, sel))
    if len(parts) == 1:
        return parts[0]
    return union_rows(parts)


def union_rows(parts: Sequence[RowsFn]) -> RowsFn:
    """The rows of every one of ``parts``, in order, each once."""
    parts = tuple(parts)

    def union(g: Grid, r: str | None, c: str | None) -> list[str]:
        seen: dict[str, None] = {}
        for part in parts:
            for key in part(g, r, c):
                seen.setdefault(key, None)
        return list(seen)

    return union


def _compile_selector(table: str, sel: Sel) -> RowsFn:
    kind, arg = sel.kind, sel.arg
    if kind == "at":
        return lambda g, r, c: [r] if r is not None else []
    if kind in ("code", "name"):
        return lambda g, r, c: [arg]
    if kind == "children":
        if arg == "@":
            return lambda g, r, c: g[table].children(r) if r else []
        return lambda g, r, c: g[table].children(arg)
    if kind == "under":

        def under(g: Grid, r: str | None, c: str | None) -> list[str]:
            root = r if arg == "@" else arg
            if not root:
                return []
            return [c for c in g[table].codes if len(c) > len(root) and c.startswith(root)]

        return under
    if kind == "level":
        n = int(arg)
        return lambda g, r, c: g[table].level(n)
    if kind == "like":
        pat = _pattern(arg)
        return lambda g, r, c: [c for c in g[table].codes if pat.match(c)]
    if kind == "parents":
        return lambda g, r, c: g[table].parents()
    if kind == "leaves":
        return lambda g, r, c: g[table].leaves()
    if kind == "coded":
        return lambda g, r, c: list(g[table].codes)
    if kind == "all":
        return lambda g, r, c: list(g[table].rows)
    raise ExprError(f"未知的行选择“{kind}”", sel.pos)  # pragma: no cover - parser refuses


# --------------------------------------------------------------------------- helpers
# What the generated code calls for the rarer nodes (sets of rows): plain functions.


def _count(rows: dict[str, dict[str, Decimal | None]], keys: list[str], col: str) -> Value:
    n = 0
    for key in keys:
        cells = rows.get(key)
        if cells is not None and cells.get(col) is not None:
            n += 1
    return Decimal(n), 0


def _total(rows: dict[str, dict[str, Decimal | None]], keys: list[str], col: str, zero: bool) -> Value:
    acc = ZERO
    n = 0
    for key in keys:
        cells = rows.get(key)
        if cells is None:
            continue
        v = cells.get(col)
        if v is not None:
            acc += v
            n += 1
    if n == 0:
        return (ZERO, 0) if zero else (None, 0)
    return acc, n


def _divide(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None or b == 0:
        return None
    try:
        return a / b
    except (DivisionByZero, InvalidOperation):  # pragma: no cover - b == 0 handled
        return None


# --------------------------------------------------------------------------- code generation


class _SourceWriter:
    """Python source for one function, built from the tree; constants bound by name."""

    def __init__(self, zero: bool) -> None:
        self.zero = zero
        self.missing = "ZERO" if zero else "None"
        self.lines: list[str] = []
        self.names: dict[str, Any] = {
            "ZERO": ZERO,
            "Decimal": Decimal,
            "_count": _count,
            "_total": _total,
            "_divide": _divide,
        }
        self.tables: dict[str, str] = {}  # table id -> local name of its grid
        self.serial = 0
        #: lookups hoisted out of the loops: the cells of a fixed row, before them (``top``);
        #: those of the current row, once per row (``per_row``); by (table, row) the local
        #: holding them (the grid does not change while a rule runs)
        self.top: list[str] = []
        self.per_row: list[str] = []
        self.cells: dict[tuple[str, str], str] = {}
        #: whether a value can be missing under ``zero`` (only a division by zero makes one)
        self.divides = False

    def bind(self, value: object) -> str:
        name = f"k{len(self.names)}"
        self.names[name] = value
        return name

    def var(self) -> str:
        self.serial += 1
        return f"v{self.serial}"

    def table(self, tid: str) -> str:
        """The local holding the TableGrid of ``tid`` (fetched once, before the loops)."""
        if tid not in self.tables:
            t = self.tables[tid] = f"t{len(self.tables)}"
            self.top.append(f"{t} = G[{tid!r}]")
            self.top.append(f"{t}_rows = {t}.rows")
        return self.tables[tid]

    def row_cells(self, ref: Ref) -> str:
        """The local holding the cells of the reference's row (None when the row is absent)."""
        row = self.row(ref.rows[0])
        key = (ref.table, row)
        if key not in self.cells:
            c = self.cells[key] = f"c{len(self.cells)}"
            t = self.table(ref.table)
            (self.per_row if row == "row" else self.top).append(f"{c} = {t}_rows.get({row})")
        return self.cells[key]

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    @staticmethod
    def column(ref: Ref) -> str:
        column = ref.column if ref.column is not None else implied_column(ref)
        return "column" if column == "$" else repr(column)

    @staticmethod
    def row(sel: Sel) -> str:
        return "row" if sel.kind == "at" else repr(sel.arg)

    def expr(self, node: Node, d: int) -> str:
        """Statements at depth ``d`` computing ``node``; the name holding its value. Each
        printed cell read adds 1 to the local ``n``."""
        if isinstance(node, Num):
            return self.bind(node.value)
        if isinstance(node, Ref):
            if not node.single:
                raise ExprError("多行的引用只能用在 sum() 或 count() 中", node.pos)
            v, c = self.var(), self.row_cells(node)
            self.emit(d, f"{v} = None if {c} is None else {c}.get({self.column(node)})")
            self.emit(d, f"if {v} is not None: n += 1" if not self.zero else f"if {v} is None: {v} = ZERO")
            if self.zero:
                self.emit(d, "else: n += 1")
            return v
        if isinstance(node, Neg):
            a = self.expr(node.operand, d)
            v = self.var()
            self.emit(d, f"{v} = None if {a} is None else -{a}")
            return v
        if isinstance(node, BinOp):
            terms: list[tuple[int, Ref]] = []
            if _flatten(node, 1, terms):
                return self.flat(terms, d)
            a = self.expr(node.left, d)
            b = self.expr(node.right, d)
            v = self.var()
            if node.op not in ("+", "-", "*", "/"):  # pragma: no cover - the parser makes no other
                raise ExprError(f"未知的运算符“{node.op}”", node.pos)
            if node.op == "/":
                self.divides = True
                self.emit(d, f"{v} = _divide({a}, {b})")
            else:
                self.emit(d, f"{v} = None if {a} is None or {b} is None else {a} {node.op} {b}")
            return v
        if isinstance(node, Call):
            return self.call(node, d)
        raise TypeError(node)  # pragma: no cover

    def flat(self, terms: list[tuple[int, Ref]], d: int) -> str:
        """A chain of + and − over single cells: cells of the same row read from one row
        lookup (the terms grouped by row, in order of first appearance). Under ``missing:
        skip`` the first missing cell makes it missing and stops the reading."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for sign, ref in terms:
            groups.setdefault(self.row_cells(ref), []).append(("+" if sign > 0 else "-", self.column(ref)))
        v = self.var()
        self.emit(d, f"{v} = ZERO")
        if not self.zero:
            self.emit(d, "while True:")
            d += 1
        for c, cols in groups.items():
            if self.zero:
                self.emit(d, f"if {c} is not None:")
            else:
                self.emit(d, f"if {c} is None: {v} = None; break")
            inner = d + 1 if self.zero else d
            for op, column in cols:
                self.emit(inner, f"x = {c}.get({column})")
                if self.zero:
                    self.emit(inner, f"if x is not None: {v} = {v} {op} x; n += 1")
                else:
                    self.emit(inner, f"if x is None: {v} = None; break")
                    self.emit(inner, f"{v} = {v} {op} x; n += 1")
        if not self.zero:
            self.emit(d, "break")
        return v

    def call(self, node: Call, d: int) -> str:
        name = node.name
        v = self.var()
        if name in ("sum", "count"):
            ref = node.args[0]
            if not isinstance(ref, Ref):  # pragma: no cover - refused by check()
                raise ExprError(f"{name}() 的参数应为单元格集合", node.pos)
            t, column = self.table(ref.table), self.column(ref)
            sel = ref.rows[0]
            if name == "sum" and len(ref.rows) == 1 and sel.kind == "children":
                # the sum of a row's children: looked up in the table's per-column sums
                parent = "row" if sel.arg == "@" else repr(sel.arg)
                if column == "column":  # per column, looked up once per rule run
                    sums = f"{t}_sums"
                    if f"{sums} = {{}}" not in self.top:
                        self.top.append(f"{sums} = {{}}")
                    self.emit(d, f"s = {sums}.get(column)")
                    self.emit(d, f"if s is None: s = {sums}[column] = {t}.child_sums(column)")
                    self.emit(d, f"f = s.get({parent})")
                else:
                    self.emit(d, f"f = {t}.child_sums({column}).get({parent})")
                self.emit(d, f"if f is None: {v} = {self.missing}")
                self.emit(d, f"else: {v}, m = f; n += m")
                return v
            rows = self.bind(compile_rows(ref))
            if name == "count":
                self.emit(d, f"{v}, m = _count({t}_rows, {rows}(G, row, column), {column})")
            else:
                self.emit(d, f"{v}, m = _total({t}_rows, {rows}(G, row, column), {column}, {self.zero})")
            self.emit(d, "n += m")
            return v
        args = [self.expr(a, d) for a in node.args]
        if name == "abs":
            self.emit(d, f"{v} = None if {args[0]} is None else abs({args[0]})")
            return v
        if name not in ("min", "max"):  # pragma: no cover - the parser knows no other
            raise ExprError(f"未知函数“{name}”", node.pos)
        missing = " or ".join(f"{a} is None" for a in args)
        self.emit(d, f"{v} = None if {missing} else {name}(({', '.join(args)},))")
        return v

    def function(self, name: str, args: str, body: list[str], label: str = "") -> Callable[..., Any]:
        """Compile ``def name(args)``: the lookups hoisted before the loops, then ``body``.
        ``label`` names it in profiles and tracebacks."""
        source = "\n".join([f"def {name}({args}):", *("    " + line for line in self.top), *body])
        namespace = dict(self.names)
        exec(compile(source, f"<{label or name}>", "exec"), namespace)  # generated from the tree above
        fn: Callable[..., Any] = namespace[name]
        fn.source = source  # type: ignore[attr-defined]
        return fn


def _flatten(node: Node, sign: int, out: list[tuple[int, Ref]]) -> bool:
    """Collect a chain of + and − over single cells; False when it is anything else."""
    if isinstance(node, BinOp) and node.op in "+-":
        return _flatten(node.left, sign, out) and _flatten(node.right, sign if node.op == "+" else -sign, out)
    if isinstance(node, Ref) and node.single:
        out.append((sign, node))
        return True
    return False


def compile_expr(node: Node, *, zero: bool) -> Compiled:
    """Compile ``node``. With ``zero`` a missing cell counts as 0, else it makes the value
    missing (None). An empty set in sum() is missing too (or 0 with ``zero``)."""
    w = _SourceWriter(zero)
    w.emit(1, "n = 0")
    w.emit(1, f"return {w.expr(node, 1)}, n")
    w.top += w.per_row
    return w.function("side", "G, row, column", w.lines)


#: A compiled rule: (grid, records.append, fail) -> None. Each instance appends its record,
#: a plain tuple (rule, row, column, status, left, right, terms, finding); ``fail(row, column,
#: left, right, n, gap)`` makes the record of an instance that does not hold.
Plan = Callable[[Grid, Callable[[Any], None], Callable[..., Any]], None]

_COMPARE = {
    "=": ("gap = {l} - {r}", "not gap"),
    "≤": ("gap = {l} - {r}", "gap <= 0"),
    "≥": ("gap = {r} - {l}", "gap <= 0"),
    "≠": ("gap = ZERO", "{l} != {r}"),
}


def compile_plan(
    left: Node,
    right: Node,
    *,
    op: str,
    zero: bool,
    rid: str,
    domain: RowsFn | None,
    columns: tuple[str | None, ...],
    dollar_tables: tuple[str, ...],
) -> Plan:
    """The whole rule as one function: for each row of ``domain`` (one pass with row None
    without it) and each of ``columns``, both sides evaluated inline, compared with ``op``,
    and its record appended (made by ``fail`` for an instance that does not hold).

    ``dollar_tables``: a column printed in none of them holds trivially (status empty)."""
    w = _SourceWriter(zero)
    w.names.update(RID=rid, DOMAIN=domain, COLUMNS=columns)
    first, *others = dollar_tables or ("",)
    if others:
        w.names["DEAD"] = lambda g: (
            g[first].unprinted(columns).intersection(*(g[t].unprinted(columns) for t in others))
        )
    else:  # the usual case: one table
        w.names["DEAD"] = lambda g: g[first].unprinted(columns)
    # the loops over rows and columns only where the rule has them
    outer = 2 if domain is not None else 1
    d = outer + 1 if columns != (None,) else outer
    w.emit(d, "n = 0")
    a, b = w.expr(left, d), w.expr(right, d)
    gap, holds = (part.format(l=a, r=b) for part in _COMPARE[op])
    done, e = f"{a}, {b}, n, None))", d
    if not zero or w.divides:  # else neither side can be missing
        w.emit(d, f"if {a} is None or {b} is None:")
        w.emit(d + 1, f"append((RID, row, column, 'skip', {done}")
        w.emit(d, "else:")
        e += 1
    w.emit(e, gap)
    w.emit(e, f"if {holds}:")
    w.emit(e + 1, f"append((RID, row, column, 'pass' if n else 'empty', {done}")
    w.emit(e, f"else: append(fail(row, column, {a}, {b}, n, gap))")
    body: list[str] = []
    if dollar_tables:
        # nothing printed in a column of the $ tables: 0 = 0 without evaluating
        body.append("    dead = DEAD(G)")
    body.append("    for row in DOMAIN(G, None, None):" if domain is not None else "    row = None")
    body += ["    " * outer + line for line in w.per_row]
    body.append("    " * outer + ("for column in COLUMNS:" if d > outer else "column = None"))
    if dollar_tables:
        body.append("    " * d + "if column in dead:")
        body.append("    " * d + "    append((RID, row, column, 'empty', ZERO, ZERO, 0, None))")
        body.append("    " * d + "    continue")
    return w.function("plan", "G, append, fail", body + w.lines, f"rule {rid}")
