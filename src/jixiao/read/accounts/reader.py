"""Read final accounts from YAML, JSON or an Excel workbook into :class:`Accounts`.

Input that cannot be read raises InputError with Chinese Findings naming the file, the line
(YAML/JSON) or the sheet and cell (Excel). What can be read but looks wrong (an unknown code,
a name that does not match its code, a missing parent row, too many decimals, an empty core
table) comes back as Findings beside the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation, Rounded, localcontext
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from jixiao.core import fieldnames
from jixiao.core.findings import Finding, InputError, Location, finding
from jixiao.model import accounts_grid as gridmod
from jixiao.model.accounts import TABLE_IDS, Accounts
from jixiao.model.classification import Classification, function_catalog
from jixiao.model.tables import cell_names, table_name, tables
from jixiao.read.structured import ParsedFile, load, validation_findings

SUPPORTED = (".yaml", ".yml", ".json", ".xlsx")

#: Narrower names than the glossary's (jixiao.core.fieldnames) for fields of final accounts.
FIELD_LABELS = {
    "department": "部门名称",
    "name": "科目名称",
}

#: Tables every department fills in; an entirely empty one is an error.
CORE_TABLES = ("summary", "income", "expense", "fiscal", "general", "basic")


@dataclass(frozen=True)
class Loaded:
    """What reading gives: the model, Findings about the reading itself (none yet: the data
    is judged by :func:`jixiao.check.accounts.checks.check`), where it came from, and ``lines``:
    (table, row key) -> the input line, and ``sheets``: table -> its worksheet (Excel), for
    locating later Findings."""

    accounts: Accounts
    findings: tuple[Finding, ...]
    source: str
    lines: dict[tuple[str, str], int]
    sheets: dict[str, str] = field(default_factory=dict)


def read_accounts(path: Path) -> Loaded:
    """Read ``path`` (.yaml/.yml/.json/.xlsx); raises InputError when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            [
                finding(
                    "unsupported-format",
                    Location(file=str(path)),
                    suffix=path.suffix or "（无扩展名）",
                    supported="、".join(SUPPORTED),
                )
            ]
        )
    if suffix == ".xlsx":
        from jixiao.read.accounts.form_read import read_workbook

        warnings: list[Finding] = []
        data, sheet_of = read_workbook(path, warnings)
        acc = _validate(data, ParsedFile(str(path), data, None), sheet_of=sheet_of)
        sheets = {k: v for k, v in sheet_of.items() if k in tables()}
        return Loaded(acc, tuple(warnings), str(path), {}, sheets)
    doc = load(path)
    return from_document(doc)


def from_document(doc: ParsedFile) -> Loaded:
    """Accounts from parsed YAML/JSON."""
    data = doc.data
    if data is None:
        raise InputError([finding("invalid-structure", doc.location(), detail="文件为空")])
    if not isinstance(data, dict):
        raise InputError(
            [
                finding(
                    "invalid-structure",
                    doc.location(),
                    detail=(
                        "文件内容应为键值表（department 部门、year 年度、"
                        "summary 收入支出决算总表、income 收入决算表 …）"
                    ),
                )
            ]
        )
    acc = _validate(data, doc)
    return Loaded(acc, (), doc.name, _lines(doc, acc))


def from_data(data: dict[str, Any], name: str = "<data>") -> Accounts:
    """Accounts from plain data (as from ``model_dump`` or a web form); raises InputError."""
    return _validate(data, ParsedFile(name, data, None))


# --------------------------------------------------------------------------- validation


def _prepare(data: dict[str, Any], doc: ParsedFile, sheet_of: dict[str, str] | None) -> dict[str, Any]:
    """Check the unit, turn ``table: ~`` into an empty table and fill in missing row names."""
    unit = data.get("unit")
    if unit is not None and str(unit).strip() != "万元":
        where = doc.location(["unit"]).merged(field="unit", sheet=(sheet_of or {}).get("unit"))
        raise InputError(
            [
                finding(
                    "invalid-value",
                    where,
                    value=unit,
                    what="金额单位",
                    hint="：部门决算公开表以万元为单位，请将金额换算为万元（保留两位小数）后填写",
                )
            ]
        )
    out = dict(data)
    for tid in TABLE_IDS:
        if tid in out and out[tid] is None:
            out[tid] = {}
        table = out.get(tid)
        if isinstance(table, dict) and isinstance(table.get("rows"), list):
            catalog = tables()[tid].classification
            rows = []
            for raw in table["rows"]:
                row = raw
                if isinstance(raw, dict) and not raw.get("name") and catalog is not None:
                    name = catalog.name(str(raw.get("code", "")).strip())
                    if name:
                        row = {**raw, "name": name}
                rows.append(row)
            out[tid] = {**table, "rows": rows}
    return out


def _validate(data: dict[str, Any], doc: ParsedFile, *, sheet_of: dict[str, str] | None = None) -> Accounts:
    prepared = _prepare(data, doc, sheet_of)
    try:
        return Accounts.model_validate(prepared)
    except ValidationError as exc:
        raise InputError(_errors(exc, doc, prepared, sheet_of or {})) from None


_CUSTOM = {
    "amount_text",
    "amount_unit",
    "negative_amount",
    "bad_code",
    "duplicate_code",
    "not_class",
    "bad_category",
}


def _errors(
    exc: ValidationError, doc: ParsedFile, data: dict[str, Any], sheet_of: dict[str, str]
) -> list[Finding]:
    generic = validation_findings(exc, doc, labels=FIELD_LABELS)
    out: list[Finding] = []
    for err, default in zip(exc.errors(include_url=False), generic, strict=True):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        where = _where(doc, loc, data, sheet_of)
        etype = err["type"]
        empty = etype in ("missing", "string_too_short", "too_short")
        if empty and where.sheet and loc:  # Excel: no key to write, a cell to fill in
            key = str(loc[-1])
            out.append(finding("missing-field", where, name=fieldnames.name(key, FIELD_LABELS) or key))
            continue
        if etype not in _CUSTOM:
            out.append(default.model_copy(update={"location": where.merged(line=default.location.line)}))
            continue
        message = err["msg"]
        if etype == "negative_amount":
            out.append(finding("negative-amount", where, name=_cell_name(where), printed=err.get("input")))
        elif etype in ("amount_text", "amount_unit"):
            out.append(finding("invalid-number", where, detail=message))
        else:
            out.append(
                finding("invalid-value", where, value=err.get("input"), what="数据", hint=f"：{message}")
            )
    return out


def _cell_name(where: Location) -> str:
    parts = [p for p in (where.row, where.column) if p]
    return "，".join(parts) if parts else (where.field or "金额")


def _where(
    doc: ParsedFile, loc: Sequence[int | str], data: dict[str, Any], sheet_of: dict[str, str]
) -> Location:
    """The location of a validation error: line, and table / row / column when in a table."""
    base = doc.location(list(loc)).merged(field=".".join(str(p) for p in loc) or None)
    cell = sheet_of.get("cell:" + ".".join(str(p) for p in loc))
    if cell:  # Excel: name the cell instead of the data path
        base = base.model_copy(update={"field": cell})
    if not loc or loc[0] not in tables():
        return base.merged(sheet=sheet_of.get(str(loc[0]))) if loc else base
    tid = str(loc[0])
    spec = tables()[tid]
    layout = str(data.get("layout")) if data.get("layout") in ("henan-2024", "mof") else "henan-2024"
    row: str | None = None
    column: str | None = None
    rest = list(loc[1:])
    if rest and rest[0] == "rows" and len(rest) > 1 and isinstance(rest[1], int):
        raw_rows = (data.get(tid) or {}).get("rows") or []
        raw = raw_rows[rest[1]] if rest[1] < len(raw_rows) else None
        code = str(raw.get("code", "")).strip() if isinstance(raw, dict) else ""
        row = spec.row_name(code) if code else f"第{rest[1] + 1}行"
        column = str(rest[2]) if len(rest) > 2 else None
    elif rest and rest[0] in ("classes", "items") and len(rest) > 1:
        row = spec.row_name(str(rest[1]))
        column = str(rest[2]) if len(rest) > 2 else None
    elif rest:
        row = spec.row_name(str(rest[0])) if str(rest[0]) in spec.named_rows else str(rest[0])
        column = str(rest[1]) if len(rest) > 1 else None
        if tid == "three_public":
            row = spec.named_rows[str(rest[0])].label if str(rest[0]) in spec.named_rows else row
    label = (
        spec.column_label(column)
        if column and column not in ("code", "name")
        else (fieldnames.name(column, FIELD_LABELS) or column if column else None)
    )
    return base.merged(
        table=table_name(tid, layout),
        row=row,
        column=label,
        sheet=sheet_of.get(tid),
    )


def _lines(doc: ParsedFile, acc: Accounts) -> dict[tuple[str, str], int]:
    lines: dict[tuple[str, str], int] = {}
    if doc.root is None:
        return lines
    for tid in ("income", "expense", "general", "fund", "capital"):
        for i, row in enumerate(getattr(acc, tid).rows):
            line = doc.line_of([tid, "rows", i])
            if line:
                lines[(tid, row.code)] = line
    for tid, key in (("summary", "classes"), ("fiscal", "classes"), ("basic", "items")):
        for code in getattr(getattr(acc, tid), key):
            line = doc.line_of([tid, key, code])
            if line:
                lines[(tid, code)] = line
    return lines


# --------------------------------------------------------------------------- data findings


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def data_findings(
    acc: Accounts,
    *,
    file: str | None = None,
    lines: dict[tuple[str, str], int] | None = None,
    grid: dict[str, gridmod.TableGrid] | None = None,
    sheets: dict[str, str] | None = None,
) -> list[Finding]:
    """Codes not in the catalog, names that differ from it, missing parent rows, amounts
    with more than two decimals and empty core tables."""
    lines = lines or {}
    sheets = sheets or {}
    grid = grid if grid is not None else gridmod.build(acc)
    out: list[Finding] = []
    layout = acc.layout

    def where(tid: str, code: str, column: str | None = None) -> Location:
        table, row, label = cell_names(tid, code, column, layout)
        return Location(
            file=file, line=lines.get((tid, code)), sheet=sheets.get(tid), table=table, row=row, column=label
        )

    for tid in ("income", "expense", "general", "fund", "capital"):
        table = getattr(acc, tid)
        catalog = tables()[tid].classification
        if catalog is None:  # pragma: no cover - coded tables always have one
            continue
        names, present = catalog.names, grid[tid].rows
        parents = grid[tid].parents_of()  # worked out once, for the rules too
        for row in table.rows:
            if not row.name or names.get(row.code) != row.name:  # else known, named as the catalog
                out += _code_findings(catalog, row.code, row.name, tid, where)
            parent = parents[row.code]
            if parent and parent not in present:
                out.append(
                    finding("accounts-missing-parent", where(tid, row.code), item=row.code, parent=parent)
                )
    for tid, coded in (
        ("summary", acc.summary.classes),
        ("fiscal", acc.fiscal.classes),
        ("basic", acc.basic.items),
    ):
        catalog = tables()[tid].classification
        if catalog is None:  # pragma: no cover
            continue
        names = catalog.names
        for code in coded:
            if code not in names:  # else a known code
                out += _code_findings(catalog, code, None, tid, where)
    for code in acc.narrative.initial_budget.items:
        if function_catalog().level(code) != 3:
            out.append(
                finding(
                    "invalid-value",
                    Location(file=file, field=f"narrative.initial_budget.items.{code}"),
                    value=code,
                    what="项级科目编码",
                    hint="（年初预算按项级科目填写，应为7位）",
                )
            )
    out += _precision(acc, file, where, grid)
    out += _empty_tables(acc, file, grid)
    return out


def _code_findings(
    catalog: Classification, code: str, name: str | None, tid: str, where: Any
) -> list[Finding]:
    known = catalog.name(code)
    if known is None:
        near = "、".join(f"{c} {catalog.names[c]}" for c in catalog.closest(code, name))
        return [
            finding(
                "accounts-unknown-code",
                where(tid, code),
                item=code,
                catalog=catalog.label,
                year=str(catalog.year or ""),
                closest=f"；最接近的已知科目：{near}" if near else "",
            )
        ]
    if name and name != known and _norm(name) != _norm(known):
        return [finding("accounts-code-name", where(tid, code), item=code, printed=name, expected=known)]
    return []


def _more_than_cents(value: Decimal) -> bool:
    """True when ``value`` has digits below the cent. quantize is the cheapest test; a
    value too long for the context to quantize is judged by its exponent instead."""
    try:
        return value.quantize(_CENT) != value
    except InvalidOperation:
        if not value.is_finite():
            return False  # not an amount at all: refused where it is read
        return value.normalize().as_tuple().exponent < -2  # type: ignore[operator]


def _precision(
    acc: Accounts, file: str | None, where: Any, grid: dict[str, gridmod.TableGrid]
) -> list[Finding]:
    out: list[Finding] = []
    for tid in TABLE_IDS:
        if _whole_cents(grid[tid].rows):
            continue  # the usual case, proved at once
        for key, cells in grid[tid].rows.items():
            for column, value in cells.items():
                # quantize is the cheapest test (as_tuple builds a tuple of digits); 2.200 is
                # a two-decimal amount written with a trailing zero, not more precision
                if value is None or value.__class__ is not Decimal:  # empty, or code / name
                    continue
                try:  # _more_than_cents, its common case inline (it runs for every cell)
                    more = value.quantize(_CENT) != value
                except InvalidOperation:
                    more = _more_than_cents(value)
                if more:
                    loc = (
                        where(tid, key, column)
                        if key in grid[tid].codes
                        else _named(acc, tid, key, column, file)
                    )
                    out.append(
                        finding("accounts-precision", loc, printed=format(value, "f"), places=_places(value))
                    )
    return out


_CENT = Decimal("0.01")
_IS_AMOUNT = partial(type.__instancecheck__, Decimal)
#: the default context, where a sum that would round raises instead
_EXACT = Context(traps=[Rounded, InvalidOperation])


def _whole_cents(rows: dict[str, gridmod.Cells]) -> bool:
    """True when no amount of ``rows`` has digits below the cent, proved by one sum: an exact
    sum keeps the smallest exponent of its terms. False when unsure (2.200 has exponent -3,
    a sum may round): then each cell is tested."""
    cells = chain.from_iterable(map(dict.values, rows.values()))
    amounts = cast("Iterable[Decimal]", filter(_IS_AMOUNT, cells))
    try:
        with localcontext(_EXACT):
            exponent = sum(amounts, Decimal(0)).as_tuple().exponent
    except ArithmeticError:
        return False
    return isinstance(exponent, int) and exponent >= -2


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _named(acc: Accounts, tid: str, key: str, column: str, file: str | None) -> Location:
    table, row, label = cell_names(tid, key, column, acc.layout)
    return Location(file=file, table=table, row=row, column=label)


def _empty_tables(acc: Accounts, file: str | None, grid: dict[str, gridmod.TableGrid]) -> Iterable[Finding]:
    for tid in CORE_TABLES:
        if not any(grid[tid].printed(c.key) for c in tables()[tid].all_columns()):
            name = table_name(tid, acc.layout)
            yield finding("accounts-empty-table", Location(file=file, table=name), table=name)
