"""The rules engine (审核公式): rules are data, each a comparison of two expressions.

A rule file (YAML) holds ``rules:``, a list of rule specs (see :class:`RuleSpec`). The
built-in set is ``rulesets/standard.yaml``; a user adds their own with
``jixiao check FILE --rules extra.yaml``. A rule file with a mistake in it is refused as a
whole, each mistake named with its line (InputError).

Running the rules gives one :class:`Outcome` per rule instance (a rule with ``each`` has one
instance per row, and per column with ``columns``) and a Finding for each one that fails:

* within the rounding tail (尾差: off by at most n × 0.005, n = the printed amounts the two
  sides read) it is a note ``accounts-rounding-tail``;
* beyond it, a Finding of the rule's code and severity;
* when the data carries an explanation for it (出错说明), the Finding keeps its code and
  message, gets the explanation, and is lowered to a note: an explained failure no longer
  blocks (exit code 0), yet it stays visible in every output.

A rule that crashes becomes an ``internal-error`` Finding naming the rule; the others run.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jixiao.check.formulas import evaluate, expr
from jixiao.core import fieldnames, limits
from jixiao.core.deadline import TimeLimitExceeded
from jixiao.core.findings import Finding, InputError, Location, Severity, catalogue, finding
from jixiao.core.numbers import tail_tolerance
from jixiao.model.accounts import Accounts
from jixiao.model.accounts_grid import TableGrid
from jixiao.model.tables import TableLayout, cell_names, tables
from jixiao.read.structured import ParsedFile, load, parse, validation_findings

OPERATORS = {"=": "=", "==": "=", "≤": "≤", "<=": "≤", "≥": "≥", ">=": "≥", "≠": "≠", "!=": "≠"}
MESSAGE_FIELDS = {"left", "right", "diff", "row", "code", "column", "table", "n", "tolerance"}
EXPLAINERS = {"budget_reason"}


def message_fields(message: str) -> tuple[set[str], str | None]:
    """The field names of a rule's message and what is wrong with its format, if anything.

    Checked at load, not when the rule fires: ``{left:zz}`` would fail mid-check and
    ``{left:>300000000}`` would print 300 MB. Every field is formatted with a sample text
    (the values are shown as text) and widths are bounded.
    """
    try:
        parts = list(string.Formatter().parse(message))
    except ValueError:
        return set(), "花括号不配对（文字中的“{”“}”请写成“{{”“}}”）"
    fields: set[str] = set()
    width = limits.LIMITS.format_width
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not name or name.isdigit():
            return fields, "“{}”中必须写字段名，如“{left}”"
        fields.add(name)
        if conversion is not None:
            return fields, f"不支持转换“!{conversion}”"
        if not spec:
            continue
        if "{" in spec or any(int(n) > width for n in re.findall(r"\d+", spec)):
            return fields, f"格式“{spec[:20]}”的宽度或精度超过 {width}"
        try:
            format("示例", spec)
        except ValueError:
            return fields, f"格式“{spec[:20]}”不能用于显示的数值"
    return fields, None


class RuleSpec(BaseModel):
    """One rule as written in a rule file.

    Attributes:
        id: stable identifier (T02-ROW, X3-CLASS …); letters, digits, '-' and '_'.
        title: what the rule checks, in Chinese.
        left, op, right: the comparison; op is =, ≤, ≥ or ≠ (also ==, <=, >=, !=).
        each: row sets the rule runs over (``income[all]``); ``@`` in the expressions is the
            current row. A list is the union of its sets.
        columns: the columns ``$`` runs over.
        severity: error, warning or note when the rule fails beyond the rounding tail.
        missing: ``skip`` — a missing cell (empty, or a row not listed) skips the instance;
            ``zero`` — it counts as 0.
        message: the Chinese message; fields {left} {right} {diff} {row} {code} {column}
            {table} {n} {tolerance}.
        code: the Finding code (declared in core/codes/*.yaml).
        tags: for --only / --skip.
        tails: whether a difference within n × 0.005 is a rounding tail (note).
        explained_by: ``budget_reason`` — the item's deviation reason in the 年初预算 data
            explains a failure of this rule for that row.
        doc: a longer explanation (source, rationale).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
    title: str = Field(min_length=1)
    left: str = Field(min_length=1)
    op: str
    right: str = Field(min_length=1)
    each: tuple[str, ...] | str | None = None
    columns: tuple[str, ...] = ()
    severity: Severity = Severity.error
    missing: Literal["skip", "zero"]
    message: str = Field(min_length=1)
    code: str = "accounts-rule-violated"
    tags: tuple[str, ...] = ()
    tails: bool = True
    explained_by: str | None = None
    doc: str = ""


@dataclass(frozen=True)
class Rule:
    """A compiled rule: its spec, compiled sides, domain and anchor (where Findings point)."""

    spec: RuleSpec
    op: str
    #: the parsed left and right sides
    nodes: tuple[expr.Node, expr.Node]
    domain: evaluate.RowsFn | None
    anchor: expr.Ref | None
    line: int | None = None
    source: str = ""
    #: tables whose ``$`` column alone the rule reads (empty when it reads anything else): a
    #: column empty in all of them makes every instance of that column hold trivially
    dollar_tables: tuple[str, ...] = ()
    #: the fields its message uses
    fields: frozenset[str] = frozenset()
    #: the columns it runs over ((None,) without ``columns``)
    columns: tuple[str | None, ...] = (None,)
    #: every instance of the rule, both sides and the comparison, as one function
    plan: evaluate.Plan | None = None

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def point(self) -> tuple[str, str | None, str | None] | None:
        """Where its Findings point, decided once: (table, the row — None for the current
        one —, the column — ``$`` for the current one, None for none)."""
        anchor = self.anchor
        if anchor is None:
            return None
        sel = anchor.rows[0]
        fixed = None if sel.kind == "at" or not anchor.single else sel.arg
        col = anchor.column
        if col is None and anchor.single:
            col = expr.implied_column(anchor)
        return anchor.table, fixed, col

    @cached_property
    def anchor_table(self) -> TableLayout | None:
        """The layout of the table its Findings point to."""
        return tables().get(self.anchor.table) if self.anchor else None

    @cached_property
    def left(self) -> evaluate.Compiled:
        """The left side alone, as a function of (grid, row, column) (the plan inlines it)."""
        return evaluate.compile_expr(self.nodes[0], zero=self.spec.missing == "zero")

    @cached_property
    def right(self) -> evaluate.Compiled:
        return evaluate.compile_expr(self.nodes[1], zero=self.spec.missing == "zero")


@dataclass(frozen=True)
class RuleSet:
    """An ordered, immutable collection of rules."""

    rules: tuple[Rule, ...]

    def ids(self) -> list[str]:
        """The ids, in order."""
        return [r.spec.id for r in self.rules]

    @cached_property
    def id_set(self) -> frozenset[str]:
        """The ids, as a set (computed once: the set is immutable like the rules)."""
        return frozenset(r.spec.id for r in self.rules)

    def get(self, rid: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rid), None)

    def select(self, only: Iterable[str] = (), skip: Iterable[str] = ()) -> RuleSet:
        """Rules whose id or a tag is in ``only`` (all when empty), minus those in ``skip``."""
        only, skip = set(only), set(skip)

        def hit(rule: Rule, names: set[str]) -> bool:
            return rule.id in names or bool(names & set(rule.spec.tags))

        return RuleSet(tuple(r for r in self.rules if (not only or hit(r, only)) and not hit(r, skip)))

    def __add__(self, other: RuleSet) -> RuleSet:
        return RuleSet(self.rules + other.rules)


# --------------------------------------------------------------------------- loading


def _fail(doc: ParsedFile, path: Sequence[int | str], code: str, **params: object) -> Finding:
    return finding(code, doc.location(path), severity=None, **params)


def compile_rules(doc: ParsedFile, *, reserved: Iterable[str] = ()) -> RuleSet:
    """Compile the rule file ``doc``; raises InputError naming each mistake with its line."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(
            [_fail(doc, [], "invalid-structure", detail="规则文件应含有 rules: 列表（每项一条规则）")]
        )
    problems: list[Finding] = []
    out: list[Rule] = []
    seen = set(reserved)
    for i, raw in enumerate(data["rules"]):
        base: list[int | str] = ["rules", i]
        if not isinstance(raw, dict):
            problems.append(_fail(doc, base, "invalid-structure", detail="每条规则应为键值表"))
            continue
        try:
            spec = RuleSpec.model_validate(raw)
        except ValidationError as exc:
            problems += validation_findings(exc, doc, base)
            continue
        if spec.id in seen:
            problems.append(
                _fail(doc, [*base, "id"], "invalid-value", value=spec.id, what="规则编号", hint="：编号重复")
            )
            continue
        seen.add(spec.id)
        try:
            out.append(_compile(spec, doc, base))
        except InputError as exc:
            problems += exc.findings
    if problems:
        raise InputError(problems)
    return RuleSet(tuple(out))


def _compile(spec: RuleSpec, doc: ParsedFile, base: list[int | str]) -> Rule:
    problems: list[Finding] = []
    op = OPERATORS.get(spec.op.strip())
    if op is None:
        problems.append(
            _fail(
                doc, [*base, "op"], "invalid-value", value=spec.op, what="比较符号", hint="，可选：=、≤、≥、≠"
            )
        )
    if spec.code not in catalogue():
        problems.append(
            _fail(
                doc,
                [*base, "code"],
                "invalid-value",
                value=spec.code,
                what="问题代码",
                hint="（未在代码目录中声明）",
            )
        )
    if spec.explained_by is not None and spec.explained_by not in EXPLAINERS:
        problems.append(
            _fail(
                doc,
                [*base, "explained_by"],
                "invalid-value",
                value=spec.explained_by,
                what="说明来源",
                hint=f"，可选：{'、'.join(sorted(EXPLAINERS))}",
            )
        )
    fields, format_problem = message_fields(spec.message)
    if format_problem:
        problems.append(
            _fail(
                doc,
                [*base, "message"],
                "invalid-value",
                value=spec.message,
                what="消息",
                hint="：" + format_problem,
            )
        )
    unknown = fields - MESSAGE_FIELDS
    if unknown:
        problems.append(
            _fail(
                doc,
                [*base, "message"],
                "invalid-value",
                value="、".join(sorted(unknown)),
                what="消息字段",
                hint=f"，可用：{'、'.join(sorted(MESSAGE_FIELDS))}",
            )
        )
    each = (spec.each,) if isinstance(spec.each, str) else (spec.each or ())
    domains: list[evaluate.RowsFn] = []
    for j, text in enumerate(each):
        where = [*base, "each"] if isinstance(spec.each, str) else [*base, "each", j]
        try:
            ref = expr.parse_rows(text)
            expr.check_ref(ref, expr.Scope(), aggregated=True, rows_only=True)
            domains.append(evaluate.compile_rows(ref))
        except expr.ExprError as exc:
            problems.append(_expr_finding(doc, where, spec, side="each", text=text, exc=exc))
    for col in spec.columns:
        if not re.fullmatch(r"[a-z_]+", col):
            problems.append(_fail(doc, [*base, "columns"], "invalid-value", value=col, what="列名", hint=""))
    scope = expr.Scope(at=bool(each), columns=spec.columns)
    zero = spec.missing == "zero"
    nodes: dict[str, expr.Node] = {}
    for side in ("left", "right"):
        text = getattr(spec, side)
        try:
            node = expr.parse(text)
            expr.check(node, scope)
            nodes[side] = node
        except expr.ExprError as exc:
            problems.append(_expr_finding(doc, [*base, side], spec, side=side, text=text, exc=exc))
    if problems:
        raise InputError(problems)
    anchor = next((r for r, _ in expr.refs(nodes["left"])), None) or next(
        (r for r, _ in expr.refs(nodes["right"])), None
    )

    domain = _union(domains)
    columns = spec.columns or (None,)
    dollar = _dollar_tables(nodes["left"], nodes["right"]) if zero else ()
    try:
        plan = evaluate.compile_plan(
            nodes["left"],
            nodes["right"],
            op=op or "=",
            zero=zero,
            rid=spec.id,
            domain=domain,
            columns=columns,
            dollar_tables=dollar,
        )
    except expr.ExprError as exc:  # pragma: no cover - check() refuses what cannot compile
        where = [*base, "left"]
        raise InputError([_expr_finding(doc, where, spec, side="left", text=spec.left, exc=exc)]) from None
    return Rule(
        columns=columns,
        fields=frozenset(fields),
        dollar_tables=dollar,
        spec=spec,
        op=op or "=",
        nodes=(nodes["left"], nodes["right"]),
        domain=domain,
        anchor=anchor,
        line=doc.line_of(base),
        source=doc.name,
        plan=plan,
    )


def _union(domains: list[evaluate.RowsFn]) -> evaluate.RowsFn | None:
    """The rows of several ``each`` sets, in order, each once (None without any)."""
    if len(domains) <= 1:
        return domains[0] if domains else None
    return evaluate.union_rows(domains)


def _dollar_tables(*nodes: expr.Node) -> tuple[str, ...]:
    """The tables of the ``$`` references when every leaf of ``nodes`` is one; else ()."""
    tables_: set[str] = set()

    def leaves_ok(node: expr.Node) -> bool:
        if isinstance(node, expr.Ref):
            tables_.add(node.table)
            return node.column == "$"
        if isinstance(node, expr.Num):
            return False
        if isinstance(node, expr.Call):
            return all(leaves_ok(a) for a in node.args)
        if isinstance(node, expr.BinOp):
            return leaves_ok(node.left) and leaves_ok(node.right)
        return leaves_ok(node.operand)

    return tuple(sorted(tables_)) if all(leaves_ok(n) for n in nodes) else ()


def _expr_finding(
    doc: ParsedFile, where: list[int | str], spec: RuleSpec, *, side: str, text: str, exc: expr.ExprError
) -> Finding:
    detail = f"规则“{spec.id}”的{fieldnames.label(side)}“{text}”第{exc.pos + 1}个字符处：{exc.message}"
    if _is_syntax(exc):
        return finding("syntax-error", doc.location(where), kind="规则表达式", detail=detail)
    return finding("invalid-value", doc.location(where), value=text, what="单元格引用", hint=f"（{detail}）")


def _is_syntax(exc: expr.ExprError) -> bool:
    semantic = (
        "没有名为",
        "没有行",
        "没有列",
        "没有按科目",
        "不是有效的",
        "只能用在",
        "请写明列名",
        "level()",
        "like()",
    )
    return not any(s in exc.message for s in semantic)


def load_rules(path: Path, *, reserved: Iterable[str] = ()) -> RuleSet:
    """Read and compile a user's rule file (YAML or JSON)."""
    return compile_rules(load(path), reserved=reserved)


@cache
def builtin_rules() -> RuleSet:
    """The standard rule set shipped with jixiao (rulesets/standard.yaml)."""
    entry = resources.files("jixiao.check.formulas").joinpath("rulesets", "standard.yaml")
    return compile_rules(parse(entry.read_text(encoding="utf-8"), "standard.yaml"))


# --------------------------------------------------------------------------- running


class Outcome(NamedTuple):
    """The result of one rule instance.

    ``status``: pass (holds, with printed figures), empty (holds, nothing printed), skip (a
    cell was missing under ``missing: skip``), tail (off within the rounding tail), fail,
    explained (fails and the data explains why), crash (the rule raised; see its Finding).
    ``left``/``right`` are the two sides' values, ``terms`` how many printed amounts they read.

    The engine records each instance as a plain tuple of these fields (:data:`Record`): a
    check makes hundreds, a plain tuple is several times cheaper to make than a NamedTuple,
    and most runs never look at them one by one. ``Outcome._make(record)`` reads one.
    """

    rule: str
    row: str | None
    column: str | None
    status: str
    left: Decimal | None = None
    right: Decimal | None = None
    terms: int = 0
    finding: Finding | None = None

    @property
    def key(self) -> str:
        return ":".join(p for p in (self.rule, self.row, self.column) if p)


#: One rule instance as the engine records it: :class:`Outcome`'s fields, in order.
Record = tuple[str, str | None, str | None, str, Decimal | None, Decimal | None, int, Finding | None]

_CENT = Decimal("0.01")
#: n × 0.005 for the usual numbers of terms, computed once
_TOLERANCE = tuple(tail_tolerance(n) for n in range(256))


def _show(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "（空）"
    if places == 2:  # the usual case; str() writes a two-decimal Decimal in full
        return str(value.quantize(_CENT, ROUND_HALF_UP))
    return format(value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), "f")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _shown_pair(left: Decimal, right: Decimal) -> tuple[str, str, int]:
    """Both sides at two decimals, or at as many more as it takes for them to differ:
    123.453 against 123.45 reads "123.453 与 123.450", never "123.45 与 123.45"."""
    shown_left, shown_right = _show(left), _show(right)
    if shown_left != shown_right:  # the usual case: they differ at two decimals
        return shown_left, shown_right, 2
    most = max(_places(left), _places(right), 2)
    places = 2
    while places < most and _show(left, places) == _show(right, places):
        places += 1
    return _show(left, places), _show(right, places), places


class _Context:
    """Per-run data shared by the instances: names, explanations, the file."""

    def __init__(
        self,
        acc: Accounts,
        file: str | None,
        lines: Mapping[tuple[str, str], int] | None = None,
        sheets: Mapping[str, str] | None = None,
    ) -> None:
        self.acc = acc
        self.lines = lines or {}
        self.sheets = sheets or {}
        self.layout = acc.layout
        self.file = file
        self.explanations = acc.explanations
        self.used: set[str] = set()

    def explanation(self, rule: Rule, row: str | None, column: str | None) -> str | None:
        if not self.explanations and rule.spec.explained_by is None:
            return None
        keys = [
            k
            for k in (
                f"{rule.id}:{row}:{column}" if row and column else None,
                f"{rule.id}:{row}" if row else None,
                rule.id,
            )
            if k
        ]
        for key in keys:
            text = self.explanations.get(key)
            if text:
                self.used.add(key)
                return text
        if rule.spec.explained_by == "budget_reason" and row:
            item = self.acc.narrative.initial_budget.items.get(row)
            if item is not None and item.reason:
                return item.reason
        return None

    def location(self, rule: Rule, row: str | None, column: str | None) -> Location:
        point = rule.point
        if point is None:
            return Location(file=self.file)
        table, fixed, col = point
        key = row if fixed is None else fixed
        if col == "$":
            col = column
        name, row_name, column_label = cell_names(table, key, col, self.layout)
        return Location(
            file=self.file,
            line=self.lines.get((table, key)) if key else None,
            sheet=self.sheets.get(table),
            table=name,
            row=row_name,
            column=column_label,
        )


def run(
    rules: RuleSet,
    acc: Accounts,
    grid: dict[str, TableGrid],
    *,
    file: str | None = None,
    lines: Mapping[tuple[str, str], int] | None = None,
    sheets: Mapping[str, str] | None = None,
) -> tuple[list[Finding], list[Record]]:
    """Run ``rules`` on ``acc`` (whose grid is ``grid``); Findings and every instance's Record.

    ``lines`` maps (table, row) to the input line and ``sheets`` a table to its worksheet,
    to put them on the Findings."""
    ctx = _Context(acc, file, lines, sheets)
    findings: list[Finding] = []
    records: list[Record] = []
    for rule in rules.rules:
        try:
            _run_rule(rule, grid, ctx, findings, records)
        except TimeLimitExceeded:  # the document's time is up: no further rule runs
            raise
        except Exception as exc:
            f = finding(
                "internal-error", Location(file=file), rule=rule.id, detail=f"{type(exc).__name__}: {exc}"
            )
            findings.append(f)
            records.append((rule.id, None, None, "crash", None, None, 0, f))
    findings += _explanation_findings(rules, ctx, file)
    return findings, records


def _run_rule(
    rule: Rule,
    grid: dict[str, TableGrid],
    ctx: _Context,
    findings: list[Finding],
    records: list[Record],
) -> None:
    """Every instance of ``rule`` through its compiled plan; a Finding only for those that fail."""
    rid = rule.spec.id

    def fail(*instance: Any) -> Record:  # (row, column, left, right, n, gap)
        row, column, left, right, n, _ = instance
        f = _failed(rule, ctx, instance)
        findings.append(f)
        status = "tail" if f.code == _TAIL else ("explained" if f.explanation else "fail")
        return rid, row, column, status, left, right, n, f

    rule.plan(grid, records.append, fail)  # type: ignore[misc]


_TAIL = "accounts-rounding-tail"


def _failed(rule: Rule, ctx: _Context, instance: tuple[Any, ...]) -> Finding:
    """The Finding of an instance (row, column, left, right, n, gap) that does not hold, a
    rounding tail or the rule's own, built once with its final severity.

    Hot when a department has many rounding tails: only what the message uses is computed,
    and the Finding is built directly from the catalogue's template (what ``finding()`` does).
    """
    row, column, left, right, n, gap = instance
    spec = rule.spec
    tolerance = _TOLERANCE[n] if n < 256 else tail_tolerance(n)
    tail = spec.tails and rule.op != "≠" and abs(gap) <= tolerance
    explanation = ctx.explanation(rule, row, column)
    where = ctx.location(rule, row, column)
    shown_left, shown_right, places = _shown_pair(left, right)
    diff = _show(abs(left - right), places)
    shown_tolerance = _shown_tolerance(n)
    params = {
        "left": shown_left,
        "right": shown_right,
        "diff": diff,
        "n": str(n),
        "tolerance": shown_tolerance,
    }
    fields, table = rule.fields, rule.anchor_table
    if "row" in fields:
        params["row"] = (table.row_name(row) if table else row) if row else ""
    if "code" in fields:
        params["code"] = row or ""
    if "column" in fields:
        params["column"] = (table.column_label(column) if table else column) if column else ""
    if "table" in fields:
        params["table"] = where.table or ""
    text = spec.message.format_map(params)
    if tail:
        code, severity = _TAIL, Severity.note
        template = _TEMPLATES()[code]
        message = template.format(text=text, rule=spec.id, diff=diff, n=n, tolerance=shown_tolerance)
    else:
        code, severity = spec.code, spec.severity
        message = _TEMPLATES()[code].format(text=text, rule=spec.id)
    if explanation:
        # explained: kept, visible, but no longer an error (see the module docstring)
        severity, message = Severity.note, f"（已说明）{message}"
    return Finding(
        severity=severity,
        code=code,
        message=message,
        location=where,
        printed=shown_left,
        expected=shown_right,
        explanation=explanation,
    )


@lru_cache(maxsize=1024)
def _shown_tolerance(n: int) -> str:
    """The tolerance of ``n`` terms as messages show it."""
    tolerance = _TOLERANCE[n] if n < 256 else tail_tolerance(n)
    return _show(tolerance, max(2, _places(tolerance.normalize())))


@cache
def _TEMPLATES() -> dict[str, str]:  # a constant, loaded once
    return {code: spec.template for code, spec in catalogue().items()}


def _explanation_findings(rules: RuleSet, ctx: _Context, file: str | None) -> list[Finding]:
    if not ctx.explanations:
        return []
    out: list[Finding] = []
    known = rules.id_set | builtin_rules().id_set
    for key, text in ctx.explanations.items():
        rid = key.split(":", 1)[0]
        where = Location(file=file, field=f"explanations.{key}")
        if rid not in known:
            out.append(finding("accounts-explanation-unknown", where, key=key))
        elif key not in ctx.used and rid in rules.id_set:
            out.append(finding("accounts-explanation-unused", where, key=key, text=text))
    return out
