"""Compile a checked expression (:mod:`expr`) into a Python closure — no ``eval``.

A compiled expression is a function of (grid, row, column) returning ``(value, terms)``:
the value (None when missing) and how many printed cells it read (for rounding tails).
``row`` is the current row of a rule with ``each`` (@), ``column`` its current column ($).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, DivisionByZero, InvalidOperation

from jixiao.accounts.expr import BinOp, Call, ExprError, Neg, Node, Num, Ref, Sel, implied_column
from jixiao.accounts.grid import TableGrid
from jixiao.core.numbers import ZERO

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
        return lambda g, r, c: [c for c in g[table].codes if not g[table].children(c)]
    if kind == "coded":
        return lambda g, r, c: list(g[table].codes)
    if kind == "all":
        return lambda g, r, c: list(g[table].rows)
    raise ExprError(f"未知的行选择“{kind}”", sel.pos)  # pragma: no cover - parser refuses


def compile_expr(node: Node, *, zero: bool) -> Compiled:
    """Compile ``node``. With ``zero`` a missing cell counts as 0, else it makes the value
    missing (None). An empty set in sum() is missing too (or 0 with ``zero``)."""
    if isinstance(node, Num):
        value = node.value
        return lambda g, r, c: (value, 0)
    if isinstance(node, Ref):
        return _compile_ref(node, zero=zero)
    if isinstance(node, Neg):
        inner = compile_expr(node.operand, zero=zero)

        def neg(g: Grid, r: str | None, c: str | None) -> Value:
            v, n = inner(g, r, c)
            return (None if v is None else -v), n

        return neg
    if isinstance(node, BinOp):
        terms: list[tuple[int, Ref]] = []
        if _flatten(node, 1, terms):
            return _compile_flat(terms, zero=zero)
        return _compile_binop(node, zero=zero)
    if isinstance(node, Call):
        return _compile_call(node, zero=zero)
    raise TypeError(node)  # pragma: no cover


#: What a compiled side reads when it is one of the two halves of the commonest rule,
#: ``cell(@, col) = sum(children(@), col)``: (table, column or None for the current one $,
#: the value of a missing cell). Set as the attribute ``cell`` of the current row's cell
#: and ``children`` of the sum of its children, so that the rules engine can read those
#: two directly (see :func:`tree_of`); a side replaced by anything else has neither.
Reads = tuple[str, str | None, Decimal | None]


def tree_of(left: Compiled, right: Compiled) -> tuple[Reads, Reads] | None:
    """What the two sides read when the left is the current row's cell and the right the
    sum of the current row's children, with the same rule for a missing cell; else None."""
    cell: Reads | None = getattr(left, "cell", None)
    children: Reads | None = getattr(right, "children", None)
    if cell is None or children is None or cell[2] != children[2]:
        return None
    return cell, children


def _compile_ref(ref: Ref, *, zero: bool) -> Compiled:
    table = ref.table
    column = ref.column if ref.column is not None else implied_column(ref)
    use_current_column = column == "$"
    missing: Value = (ZERO, 0) if zero else (None, 0)
    sel = ref.rows[0]
    if ref.single and sel.kind == "at":

        def cell_at(g: Grid, r: str | None, c: str | None) -> Value:
            cells = g[table].rows.get(r)  # type: ignore[arg-type]
            if cells is None:
                return missing
            v = cells.get(c if use_current_column else column)  # type: ignore[arg-type]
            return missing if v is None else (v, 1)

        cell_at.cell = (table, None if use_current_column else column, missing[0])  # type: ignore[attr-defined]
        return cell_at
    if ref.single:
        key = sel.arg

        def cell(g: Grid, r: str | None, c: str | None) -> Value:
            cells = g[table].rows.get(key)
            if cells is None:
                return missing
            v = cells.get(c if use_current_column else column)  # type: ignore[arg-type]
            return missing if v is None else (v, 1)

        return cell
    raise ExprError("多行的引用只能用在 sum() 或 count() 中", ref.pos)


def _flatten(node: Node, sign: int, out: list[tuple[int, Ref]]) -> bool:
    """Collect a chain of + and − over single cells; False when it is anything else."""
    if isinstance(node, BinOp) and node.op in "+-":
        return _flatten(node.left, sign, out) and _flatten(node.right, sign if node.op == "+" else -sign, out)
    if isinstance(node, Ref) and node.single:
        out.append((sign, node))
        return True
    return False


def _compile_flat(terms: list[tuple[int, Ref]], *, zero: bool) -> Compiled:
    """A sum of single cells as one loop (the commonest right-hand side; cheaper than a
    tree of closures). Cells of the same row are read from one row lookup."""
    groups: dict[tuple[str, str | None], list[tuple[bool, str | None]]] = {}
    for sign, ref in terms:
        sel = ref.rows[0]
        key = None if sel.kind == "at" else sel.arg
        column = ref.column if ref.column is not None else implied_column(ref)
        groups.setdefault((ref.table, key), []).append((sign > 0, None if column == "$" else column))
    plan = [(table, key, tuple(cols)) for (table, key), cols in groups.items()]

    def flat(g: Grid, r: str | None, c: str | None) -> Value:
        acc = ZERO
        n = 0
        for table, key, cols in plan:
            cells = g[table].rows.get(r if key is None else key)  # type: ignore[arg-type]
            if cells is None:
                if zero:
                    continue
                return None, n
            for positive, column in cols:
                v = cells.get(c if column is None else column)  # type: ignore[arg-type]
                if v is None:
                    if zero:
                        continue
                    return None, n
                acc = acc + v if positive else acc - v
                n += 1
        return acc, n

    return flat


def _compile_binop(node: BinOp, *, zero: bool) -> Compiled:
    left = compile_expr(node.left, zero=zero)
    right = compile_expr(node.right, zero=zero)
    op = node.op
    if op == "+":

        def add(g: Grid, r: str | None, c: str | None) -> Value:
            a, na = left(g, r, c)
            b, nb = right(g, r, c)
            return (None if a is None or b is None else a + b), na + nb

        return add
    if op == "-":

        def sub(g: Grid, r: str | None, c: str | None) -> Value:
            a, na = left(g, r, c)
            b, nb = right(g, r, c)
            return (None if a is None or b is None else a - b), na + nb

        return sub
    if op == "*":

        def mul(g: Grid, r: str | None, c: str | None) -> Value:
            a, na = left(g, r, c)
            b, nb = right(g, r, c)
            return (None if a is None or b is None else a * b), na + nb

        return mul

    def div(g: Grid, r: str | None, c: str | None) -> Value:
        a, na = left(g, r, c)
        b, nb = right(g, r, c)
        if a is None or b is None or b == 0:
            return None, na + nb
        try:
            return a / b, na + nb
        except (DivisionByZero, InvalidOperation):  # pragma: no cover - b == 0 handled
            return None, na + nb

    return div


def _compile_call(node: Call, *, zero: bool) -> Compiled:
    name = node.name
    if name in ("sum", "count"):
        ref = node.args[0]
        if not isinstance(ref, Ref):  # pragma: no cover - refused by check()
            raise ExprError(f"{name}() 的参数应为单元格集合", node.pos)
        table = ref.table
        column = ref.column if ref.column is not None else implied_column(ref)
        use_current_column = column == "$"
        rows = compile_rows(ref)
        if name == "count":

            def count(g: Grid, r: str | None, c: str | None) -> Value:
                col = c if use_current_column else column
                grid_rows = g[table].rows
                n = 0
                for key in rows(g, r, c):
                    cells = grid_rows.get(key)
                    if cells is not None and cells.get(col) is not None:  # type: ignore[arg-type]
                        n += 1
                return Decimal(n), 0

            return count

        sel = ref.rows[0]
        if len(ref.rows) == 1 and sel.kind == "children":
            # the sum of a row's children: looked up in the table's per-column sums
            of_row = sel.arg == "@"
            parent_code = sel.arg
            empty: Value = (ZERO, 0) if zero else (None, 0)

            def children_total(g: Grid, r: str | None, c: str | None) -> Value:
                col = c if use_current_column else column
                parent = r if of_row else parent_code
                found = g[table].child_sums(col).get(parent)  # type: ignore[arg-type]
                return empty if found is None else found

            if of_row:
                children_total.children = (  # type: ignore[attr-defined]
                    table,
                    None if use_current_column else column,
                    empty[0],
                )
            return children_total

        def total(g: Grid, r: str | None, c: str | None) -> Value:
            col = c if use_current_column else column
            grid_rows = g[table].rows
            acc = ZERO
            n = 0
            for key in rows(g, r, c):
                cells = grid_rows.get(key)
                if cells is None:
                    continue
                v = cells.get(col)  # type: ignore[arg-type]
                if v is not None:
                    acc += v
                    n += 1
            if n == 0:
                return (ZERO, 0) if zero else (None, 0)
            return acc, n

        return total
    args = [compile_expr(a, zero=zero) for a in node.args]
    if name == "abs":
        inner = args[0]

        def absolute(g: Grid, r: str | None, c: str | None) -> Value:
            v, n = inner(g, r, c)
            return (None if v is None else abs(v)), n

        return absolute
    pick = min if name == "min" else max

    def extreme(g: Grid, r: str | None, c: str | None) -> Value:
        values = [a(g, r, c) for a in args]
        if any(v is None for v, _ in values):
            return None, sum(n for _, n in values)
        return pick(v for v, _ in values), sum(n for _, n in values)  # type: ignore[type-var]

    return extreme
