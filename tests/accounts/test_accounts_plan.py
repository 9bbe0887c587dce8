"""The code generated for rules (evaluate.compile_expr / compile_plan) against a plain
reading of the expression tree, on random expressions over random, gappy tables."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.check.formulas import evaluate, expr
from jixiao.check.formulas.ruleset import Outcome, Record, RuleSpec, _compile, _Context, _run_rule
from jixiao.core.numbers import ZERO
from jixiao.model.accounts_grid import TableGrid
from jixiao.model.classification import function_catalog

CODES = ("201", "20101", "2010101", "206", "20601", "2060101", "2060102", "20602")
COLUMNS = ("total", "fiscal")
VALUES = (None, Decimal(0), Decimal("-0.00"), Decimal("1.5"), Decimal("12.345"), Decimal("-3"))
VALUES += (Decimal("1E+2"),)
ATOMS = (
    "income[@].total",
    "income[@].$",
    "income[206].fiscal",
    "income[20601].$",
    "income[total].total",
    "summary[income_total]",
    "sum(income[children(@)].$)",
    "sum(income[children(206)].total)",
    "count(income[level(2)].$)",
    "sum(income[under(@)].fiscal)",
    'sum(income[like("206??")].total)',
    "sum(income[parents, leaves].$)",
    "sum(income[coded].total)",
    "2",
    "10%",
    "0",
)


def _grid(present: list[bool], cells: list[Decimal | None], total: Decimal | None) -> evaluate.Grid:
    income = TableGrid("income", function_catalog())
    values = iter(cells)
    income.add("total", {"total": next(values), "fiscal": next(values)})
    for code, here in zip(CODES, present, strict=True):
        row = {"total": next(values), "fiscal": next(values)}
        if here:
            income.add(code, row, coded=True)
    summary = TableGrid("summary", function_catalog())
    summary.add("income_total", {"amount": total})
    return {"income": income, "summary": summary}


def _read(ref: expr.Ref, g: evaluate.Grid, row: str | None, column: str | None) -> Decimal | None:
    sel = ref.rows[0]
    cells = g[ref.table].rows.get(row if sel.kind == "at" else sel.arg)  # type: ignore[arg-type]
    col = ref.column if ref.column is not None else expr.implied_column(ref)
    return None if cells is None else cells.get(column if col == "$" else col)  # type: ignore[arg-type]


def _flat(node: expr.Node, sign: int, out: list[tuple[int, expr.Ref]]) -> bool:
    if isinstance(node, expr.BinOp) and node.op in "+-":
        return _flat(node.left, sign, out) and _flat(node.right, sign if node.op == "+" else -sign, out)
    if isinstance(node, expr.Ref) and node.single:
        out.append((sign, node))
        return True
    return False


def interpret(node: expr.Node, g: evaluate.Grid, row: str | None, column: str | None, zero: bool):
    """(value, printed terms) read straight from the tree: what the generated code must give."""
    missing = ZERO if zero else None
    if isinstance(node, expr.Num):
        return node.value, 0
    if isinstance(node, expr.Ref):
        v = _read(node, g, row, column)
        return (missing, 0) if v is None else (v, 1)
    if isinstance(node, expr.Neg):
        v, n = interpret(node.operand, g, row, column, zero)
        return (None if v is None else -v), n
    if isinstance(node, expr.BinOp):
        terms: list[tuple[int, expr.Ref]] = []
        if _flat(node, 1, terms):  # a chain of cells: read row by row, in order of first appearance
            rows: dict[tuple[str, str], list[tuple[int, expr.Ref]]] = {}
            for sign, ref in terms:
                key = (ref.table, "@" if ref.rows[0].kind == "at" else ref.rows[0].arg)
                rows.setdefault(key, []).append((sign, ref))
            acc, n = ZERO, 0
            for group in rows.values():
                for sign, ref in group:
                    v = _read(ref, g, row, column)
                    if v is None:
                        if zero:
                            continue
                        return None, n
                    acc = acc + v if sign > 0 else acc - v
                    n += 1
            return acc, n
        a, na = interpret(node.left, g, row, column, zero)
        b, nb = interpret(node.right, g, row, column, zero)
        if a is None or b is None:
            return None, na + nb
        if node.op == "/":
            return (None if b == 0 else a / b), na + nb
        return {"+": a + b, "-": a - b, "*": a * b}[node.op], na + nb
    assert isinstance(node, expr.Call)
    if node.name in ("sum", "count"):
        ref = node.args[0]
        assert isinstance(ref, expr.Ref)
        col = ref.column if ref.column is not None else expr.implied_column(ref)
        col = column if col == "$" else col
        found = [
            cells.get(col)
            for key in evaluate.compile_rows(ref)(g, row, column)
            if (cells := g[ref.table].rows.get(key)) is not None
        ]
        printed = [v for v in found if v is not None]
        if node.name == "count":
            return Decimal(len(printed)), 0
        if not printed:
            return missing, 0
        acc = ZERO
        for v in printed:
            acc += v
        return acc, len(printed)
    values = [interpret(a, g, row, column, zero) for a in node.args]
    n = sum(m for _, m in values)
    if any(v is None for v, _ in values):
        return None, n
    if node.name == "abs":
        return abs(values[0][0]), n
    return (min if node.name == "min" else max)(v for v, _ in values), n


def _expression(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 5 if depth < 3 else 0))
    if kind == 0:
        return draw(st.sampled_from(ATOMS))
    if kind in (1, 2):
        op = draw(st.sampled_from("+-*/+-"))
        return f"{_expression(draw, depth + 1)} {op} {_expression(draw, depth + 1)}"
    if kind == 3:
        return f"-({_expression(draw, depth + 1)})"
    if kind == 4:
        return f"abs({_expression(draw, depth + 1)})"
    name = draw(st.sampled_from(("min", "max")))
    args = ", ".join(_expression(draw, depth + 1) for _ in range(draw(st.integers(1, 3))))
    return f"{name}({args})"


expressions = st.composite(_expression)()
tables = st.tuples(
    st.lists(st.booleans(), min_size=len(CODES), max_size=len(CODES)),
    st.lists(st.sampled_from(VALUES), min_size=2 * len(CODES) + 2, max_size=2 * len(CODES) + 2),
    st.sampled_from(VALUES),
)


def _shown(value: tuple[Decimal | None, int]) -> tuple[str | None, int]:
    return (None if value[0] is None else str(value[0])), value[1]  # the exact representation


@settings(max_examples=300, deadline=None)
@given(
    expressions,
    tables,
    st.booleans(),
    st.sampled_from((*CODES, "total", "999", None)),
    st.sampled_from(COLUMNS),
)
def test_a_compiled_side_reads_what_the_tree_says(text, table, zero, row, column):
    node = expr.parse(text)
    expr.check(node, expr.Scope(at=True, columns=COLUMNS))
    g = _grid(*table)
    assert _shown(evaluate.compile_expr(node, zero=zero)(g, row, column)) == _shown(
        interpret(node, g, row, column, zero)
    )


@settings(max_examples=150, deadline=None)
@given(
    expressions,
    expressions,
    tables,
    st.tuples(st.sampled_from(("=", "≤", "≥", "≠")), st.booleans(), st.booleans()),
)
def test_a_compiled_rule_gives_each_instance_what_the_tree_says(left, right, table, shape):
    """Every instance (row × column) of a rule, compared as a plain loop would compare it."""
    op, zero, each = shape
    raw = {"id": "P", "title": "t", "left": left, "op": op, "right": right, "columns": list(COLUMNS)}
    raw |= {"missing": "zero" if zero else "skip", "message": "{left} {right}"}
    if each:
        raw["each"] = "income[all]"
    else:
        raw["left"], raw["right"] = (s.replace("@", "206") for s in (left, right))
    from jixiao.read.structured import parse

    doc = parse("rules: []", "t.yaml")
    rule = _compile(RuleSpec.model_validate(raw), doc, ["rules", 0])
    g = _grid(*table)
    records: list[Record] = []
    _run_rule(rule, g, _Context(_accounts(), None), [], records)
    outcomes = list(map(Outcome._make, records))
    rows = list(g["income"].rows) if each else [None]
    printed = {c for c in COLUMNS if any(cells.get(c) is not None for cells in g["income"].rows.values())}
    expected = []
    for r in rows:
        for c in COLUMNS:
            if rule.dollar_tables and c not in printed:
                expected.append((r, c, "empty"))
                continue
            lv, nl = interpret(rule.nodes[0], g, r, c, zero)
            rv, nr = interpret(rule.nodes[1], g, r, c, zero)
            if lv is None or rv is None:
                status = "skip"
            else:
                holds = {"=": lv == rv, "≤": lv <= rv, "≥": lv >= rv, "≠": lv != rv}[op]
                status = ("pass" if nl + nr else "empty") if holds else "finding"
            expected.append((r, c, status))
    got = [(o.row, o.column, "finding" if o.finding is not None else o.status) for o in outcomes]
    assert got == expected


def _accounts():
    from jixiao.model.accounts import Accounts

    return Accounts.model_validate({"department": "测试", "year": 2024})
