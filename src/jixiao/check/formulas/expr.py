"""The expression language of the rules (审核公式): small, safe, no ``eval``.

Grammar::

    expr     := term (('+' | '-') term)*
    term     := unary (('*' | '/') unary)*
    unary    := '-' unary | atom
    atom     := NUMBER ['%'] | ref | func '(' args ')' | '(' expr ')'
    func     := sum | count | abs | min | max
    ref      := TABLE '[' rows ']' ['.' (COLUMN | '$')]
    rows     := row (',' row)*
    row      := '@' | CODE | NAME | children(X) | under(X) | level(N) | like("PATTERN")
              | parents | leaves | coded | all          (X is '@' or a CODE)

Examples: ``income[206].fiscal``, ``summary[income_total]``, ``basic[301]``,
``sum(income[children(@)].$)``, ``sum(basic[301, 303])``, ``three_public[actual].total``.

``@`` is the current row of a rule with ``each``; ``$`` the current column of a rule with
``columns``. A reference to several rows is only allowed inside ``sum`` or ``count``.
The column may be left out when the row has a single value column.

:mod:`evaluate` compiles a checked expression into a closure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core import limits
from jixiao.core.numbers import HUNDRED, NumberFormatError, check_magnitude
from jixiao.model.tables import TableLayout, tables


class ExprError(ValueError):
    """A mistake in an expression: Chinese ``message`` at 0-based ``pos``."""

    def __init__(self, message: str, pos: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # num, name, str, op, end
    text: str
    pos: int


_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<str>\"[^\"]*\"|'[^']*')|(?P<op>[\[\]().,+\-*/@$%]))"
)


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    n = len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"无法识别的字符“{text[pos]}”", pos)
        kind = m.lastgroup or "op"
        start = m.start(kind)
        token_text = m.group(kind)
        if kind == "str":
            token_text = token_text[1:-1]
        out.append(Token(kind, token_text, start))
        pos = m.end()
    out.append(Token("end", "", n))
    return out


# --------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True, slots=True)
class Sel:
    """One row selector: kind is at | code | name | children | under | level | like |
    parents | leaves | coded | all; ``arg`` its argument (a code, '@', a level, a pattern)."""

    kind: str
    arg: str = ""
    pos: int = 0

    @property
    def single(self) -> bool:
        return self.kind in ("at", "code", "name")


@dataclass(frozen=True, slots=True)
class Ref:
    table: str
    rows: tuple[Sel, ...]
    column: str | None  # None: the row's only column; '$': the rule's current column
    pos: int

    @property
    def single(self) -> bool:
        return len(self.rows) == 1 and self.rows[0].single


@dataclass(frozen=True, slots=True)
class Num:
    value: Decimal
    pos: int


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Node
    right: Node
    pos: int


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node
    pos: int


Node = Num | Ref | Call | BinOp | Neg

FUNCTIONS = {"sum": 1, "count": 1, "abs": 1, "min": -1, "max": -1}
ROW_KEYWORDS = {"parents", "leaves", "coded", "all"}
ROW_FUNCTIONS = {"children", "under", "level", "like"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0  # open parentheses, calls and signs: the recursion of the parser
        self.operators = 0  # + - * / so far: each adds a level to the tree evaluated later

    def _deeper(self, pos: int) -> None:
        self.depth += 1
        if self.depth > limits.LIMITS.expression_depth:
            raise ExprError(f"括号、函数或负号嵌套超过 {limits.LIMITS.expression_depth} 层", pos)

    def _operator(self, pos: int) -> None:
        self.operators += 1
        if self.operators > limits.LIMITS.expression_terms:
            raise ExprError(f"运算符超过 {limits.LIMITS.expression_terms} 个；请拆成几条规则或用 sum()", pos)

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> Token:
        tok = self.tok
        if tok.text != text or tok.kind not in ("op",):
            found = "表达式结尾" if tok.kind == "end" else f"“{tok.text}”"
            raise ExprError(f"此处应为“{text}”，却是{found}", tok.pos)
        return self.next()

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ExprError("表达式为空", 0)
        node = self.expr()
        if self.tok.kind != "end":
            raise ExprError(f"多余的“{self.tok.text}”", self.tok.pos)
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.next()
            self._operator(op.pos)
            node = BinOp(op.text, node, self.term(), op.pos)
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            op = self.next()
            self._operator(op.pos)
            node = BinOp(op.text, node, self.unary(), op.pos)
        return node

    def unary(self) -> Node:
        if self.tok.kind == "op" and self.tok.text == "-":
            op = self.next()
            self._deeper(op.pos)
            node = Neg(self.unary(), op.pos)
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.next()
            try:
                value = check_magnitude(Decimal(tok.text), tok.text)
            except NumberFormatError as exc:
                raise ExprError(str(exc), tok.pos) from None
            if self.tok.kind == "op" and self.tok.text == "%":
                self.next()
                value = value / HUNDRED
            return Num(value, tok.pos)
        if tok.kind == "op" and tok.text == "(":
            self.next()
            self._deeper(tok.pos)
            node = self.expr()
            self.expect(")")
            self.depth -= 1
            return node
        if tok.kind == "name":
            self.next()
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.call(tok)
            if self.tok.kind == "op" and self.tok.text == "[":
                return self.ref(tok)
            raise ExprError(f"“{tok.text}”后应为“[行]”或“(参数)”", self.tok.pos)
        found = "表达式结尾" if tok.kind == "end" else f"“{tok.text}”"
        raise ExprError(f"此处应为数字、单元格或函数，却是{found}", tok.pos)

    def call(self, name: Token) -> Node:
        if name.text not in FUNCTIONS:
            raise ExprError(f"未知函数“{name.text}”，可用：{'、'.join(FUNCTIONS)}", name.pos)
        self.expect("(")
        self._deeper(name.pos)
        args = [self.expr()]
        while self.tok.kind == "op" and self.tok.text == ",":
            self.next()
            args.append(self.expr())
        self.expect(")")
        self.depth -= 1
        arity = FUNCTIONS[name.text]
        if arity > 0 and len(args) != arity:
            raise ExprError(f"函数“{name.text}”应有{arity}个参数", name.pos)
        return Call(name.text, tuple(args), name.pos)

    def ref(self, table: Token) -> Ref:
        self.expect("[")
        rows = [self.selector()]
        while self.tok.kind == "op" and self.tok.text == ",":
            self.next()
            rows.append(self.selector())
        self.expect("]")
        column: str | None = None
        if self.tok.kind == "op" and self.tok.text == ".":
            self.next()
            tok = self.next()
            if tok.kind == "name" or (tok.kind == "op" and tok.text == "$"):
                column = tok.text
            else:
                raise ExprError("“.”后应为列名或“$”", tok.pos)
        return Ref(table.text, tuple(rows), column, table.pos)

    def selector(self) -> Sel:
        tok = self.next()
        if tok.kind == "op" and tok.text == "@":
            return Sel("at", "@", tok.pos)
        if tok.kind == "num":
            if not tok.text.isdigit():
                raise ExprError(f"“{tok.text}”不是科目编码", tok.pos)
            return Sel("code", tok.text, tok.pos)
        if tok.kind == "name":
            if tok.text in ROW_FUNCTIONS and self.tok.kind == "op" and self.tok.text == "(":
                self.next()
                arg = self.next()
                if arg.kind == "op" and arg.text == "@":
                    value = "@"
                elif arg.kind in ("num", "str"):
                    value = arg.text
                else:
                    raise ExprError(f"“{tok.text}(…)”的参数有误", arg.pos)
                self.expect(")")
                return Sel(tok.text, value, tok.pos)
            if tok.text in ROW_KEYWORDS:
                return Sel(tok.text, "", tok.pos)
            return Sel("name", tok.text, tok.pos)
        found = "表达式结尾" if tok.kind == "end" else f"“{tok.text}”"
        raise ExprError(f"方括号中应为行（科目编码、行名或 @），却是{found}", tok.pos)


def parse(text: str) -> Node:
    """Parse an expression; raises ExprError with a Chinese message and position."""
    return _Parser(text).parse()


def parse_rows(text: str) -> Ref:
    """Parse a row set such as ``income[all]`` (the ``each`` of a rule)."""
    node = parse(text)
    if not isinstance(node, Ref) or node.column is not None:
        raise ExprError("应为行的集合，如 income[parents]（不写列名）", 0)
    return node


# --------------------------------------------------------------------------- checking


def refs(node: Node) -> Iterable[tuple[Ref, bool]]:
    """Every reference in ``node`` with whether it stands inside sum()/count()."""

    def walk(n: Node, aggregated: bool) -> Iterable[tuple[Ref, bool]]:
        if isinstance(n, Ref):
            yield n, aggregated
        elif isinstance(n, Call):
            for a in n.args:
                yield from walk(a, aggregated or n.name in ("sum", "count"))
        elif isinstance(n, BinOp):
            yield from walk(n.left, aggregated)
            yield from walk(n.right, aggregated)
        elif isinstance(n, Neg):
            yield from walk(n.operand, aggregated)

    return walk(node, False)


@dataclass(frozen=True)
class Scope:
    """What an expression may use: ``at`` (the rule has ``each``) and ``columns`` (the
    columns ``$`` stands for)."""

    at: bool = False
    columns: tuple[str, ...] = ()
    at_tables: tuple[str, ...] = field(default=())


def check(node: Node, scope: Scope) -> None:
    """Refuse unknown tables, rows and columns, misplaced @ and $, multi-row refs outside sum."""
    _check_calls(node)
    for ref, aggregated in refs(node):
        check_ref(ref, scope, aggregated=aggregated)


def _check_calls(node: Node) -> None:
    if isinstance(node, Call):
        if node.name in ("sum", "count") and not isinstance(node.args[0], Ref):
            raise ExprError(
                f"{node.name}() 的参数应为单元格集合，如 sum(income[children(@)].total)", node.pos
            )
        for a in node.args:
            _check_calls(a)
    elif isinstance(node, BinOp):
        _check_calls(node.left)
        _check_calls(node.right)
    elif isinstance(node, Neg):
        _check_calls(node.operand)


def check_ref(ref: Ref, scope: Scope, *, aggregated: bool, rows_only: bool = False) -> None:
    spec = tables().get(ref.table)
    if spec is None:
        raise ExprError(f"没有名为“{ref.table}”的表，可用：{'、'.join(tables())}", ref.pos)
    if not ref.single and not aggregated and not rows_only:
        raise ExprError("多行的引用只能用在 sum() 或 count() 中", ref.pos)
    for sel in ref.rows:
        _check_selector(spec, sel, scope)
    if rows_only:
        return
    if ref.column == "$":
        if not scope.columns:
            raise ExprError("“$”只能用在写了逐列范围（columns）的规则中", ref.pos)
        for col in scope.columns:
            _check_column(spec, ref, col)
    elif ref.column is not None:
        _check_column(spec, ref, ref.column)
    else:
        _single_column(spec, ref)


def _check_selector(spec: TableLayout, sel: Sel, scope: Scope) -> None:
    catalog = spec.classification
    if sel.kind == "at" or (sel.kind in ("children", "under") and sel.arg == "@"):
        if not scope.at:
            raise ExprError("“@”只能用在写了逐行范围（each）的规则中", sel.pos)
        return
    if sel.kind == "name":
        if sel.arg not in spec.named_rows:
            names = "、".join(spec.named_rows) or "（无）"
            raise ExprError(f"表“{spec.id}”（{spec.title}）没有行“{sel.arg}”，可用的行名：{names}", sel.pos)
        return
    if sel.kind == "all":
        return
    if catalog is None:
        raise ExprError(f"表“{spec.id}”（{spec.title}）没有按科目编码的行", sel.pos)
    if sel.kind in ("code", "children", "under"):
        if not catalog.valid(sel.arg):
            raise ExprError(f"“{sel.arg}”不是有效的{catalog.label}编码", sel.pos)
    elif sel.kind == "level":
        if not sel.arg.isdigit() or not 1 <= int(sel.arg) <= len(catalog.lengths):
            raise ExprError(f"level() 的参数应为 1 到 {len(catalog.lengths)}", sel.pos)
    elif sel.kind == "like" and (
        len(sel.arg) not in catalog.lengths or not re.fullmatch(r"[0-9?]+", sel.arg)
    ):
        raise ExprError(f"like() 的模式“{sel.arg}”应由数字和“?”组成，长度为科目编码的长度", sel.pos)


def _row_columns(spec: TableLayout, ref: Ref) -> set[str]:
    cols: set[str] = set()
    for sel in ref.rows:
        if sel.kind == "name":
            cols |= {c.key for c in spec.named_rows[sel.arg].columns}
        elif sel.kind in {"all", "at"}:
            cols |= {c.key for c in spec.all_columns()}
        else:
            cols |= {c.key for c in spec.code_columns}
    return cols


def _check_column(spec: TableLayout, ref: Ref, column: str) -> None:
    cols = _row_columns(spec, ref)
    if column not in cols:
        raise ExprError(
            f"表“{spec.id}”（{spec.title}）的这些行没有列“{column}”，可用的列：{'、'.join(sorted(cols))}",
            ref.pos,
        )


def _single_column(spec: TableLayout, ref: Ref) -> None:
    cols = _row_columns(spec, ref)
    if len(cols) != 1:
        raise ExprError(
            f"表“{spec.id}”的这些行有多列，请写明列名（如 {ref.table}[…].{sorted(cols)[0]}），"
            f"可用：{'、'.join(sorted(cols))}",
            ref.pos,
        )


def implied_column(ref: Ref) -> str:
    """The column of a reference written without one (its rows have exactly one column)."""
    return next(iter(_row_columns(tables()[ref.table], ref)))
