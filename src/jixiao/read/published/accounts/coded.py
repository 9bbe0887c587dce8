"""Tables keyed by 功能分类 codes (收入决算表, 支出决算表, 一般公共预算, 基金, 国资)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jixiao.read.published.accounts.cells import (
    _CODE_NAME,
    CODE,
    TOTALS,
    Reader,
    _column_key,
    _is_number,
    column_label,
    is_seq_row,
)
from jixiao.read.published.accounts.names import CJK, norm

# --------------------------------------------------------------------------- coded tables


def _code_columns(reader: Reader) -> tuple[int, int | None, tuple[int, ...], int] | None:
    """(code column, name column, split code columns 类/款/项, header row) of a coded table;
    the name column is None when the names stand in the code cells (2060101 行政运行)."""
    rows = reader.rows
    for i in range(min(8, len(rows))):
        cells = [norm(c) for c in rows[i]]
        code = next((j for j, c in enumerate(cells) if "编码" in c or "代码" in c), None)
        if code is None:
            continue
        parts: tuple[int, ...] = ()
        name = None
        for r in (i, i + 1):
            row = [norm(c) for c in rows[r]] if r < len(rows) else []
            for j in range(len(row) - 1):
                if row[j] == "类" and row[j + 1] == "款" and not parts:
                    parts = (j, j + 1) + ((j + 2,) if j + 2 < len(row) and row[j + 2] == "项" else ())
            if name is None:
                name = next((j for j, c in enumerate(row) if "名称" in c), None)
        if name is None and parts:
            name = parts[-1] + 1
        return code, name, parts, i
    for j in range(3):
        cells = [norm(r[j]) for r in rows if j < len(r)]
        if any(CODE.match(c) for c in cells):
            return j, j + 1, (), -1
        if any(_CODE_NAME.match(c) for c in cells):
            return j, None, (), -1
    return None


def _row_code(
    reader: Reader, i: int, code_col: int, name_col: int | None, parts: tuple[int, ...]
) -> tuple[str, str]:
    """(code, name) of row ``i``; code "" when the row has none."""
    name = reader.cell(i, name_col).strip()
    if parts:
        pieces = [norm(reader.cell(i, j)) for j in parts]
        code = "".join(p for p in pieces if p)
        valid = bool(pieces[0]) and len(pieces[0]) == 3 and all(len(p) in (0, 2) for p in pieces[1:])
        return (code, name) if valid and CODE.match(code) else ("", name)
    text = norm(reader.cell(i, code_col))
    if CODE.match(text):
        return text, name
    m = _CODE_NAME.match(reader.cell(i, code_col).strip())
    if m and not name:
        return m.group(1), m.group(2).strip()
    return "", name


def _compact(name: str) -> str:
    return re.sub(rf"(?<=[{CJK}）])\s+|\s+(?=[{CJK}（])", "", name)


def read_coded(reader: Reader) -> dict[str, Any] | None:
    tid = reader.src.tid
    found = _code_columns(reader)
    if found is None:
        if not any(reader.has_figures(i, range(reader.src.width)) for i in range(len(reader.rows))):
            return {}  # header only: an empty table
        reader.unrecognised("找不到科目编码列")
        return None
    code_col, name_col, parts, head_at = found
    rows = reader.rows
    skip = {j for j in (code_col, name_col, *parts) if j is not None}

    def is_total(i: int) -> bool:
        return any(norm(reader.cell(i, j)) in TOTALS for j in skip)

    first = next(
        (
            i
            for i in range(head_at + 1, len(rows))
            if _row_code(reader, i, code_col, name_col, parts)[0] or is_total(i)
        ),
        len(rows),
    )
    header = range(first)
    seqs = reader.seq_numbers(header)
    columns: dict[int, str] = {}
    for j in range(reader.src.width):
        if j in skip or j < min(skip):
            continue
        texts = reader.header_texts(header, j)
        if "".join(texts) in ("行次", "序号"):
            continue
        key = _column_key(tid, texts, seqs.get(j))
        used = key in columns.values()
        if key is None or used:
            if texts or any(_is_number(reader.cell(i, j)) for i in range(first, len(rows))):
                reader.bad_column("".join(texts) or f"第{j + 1}列")
            continue
        columns[j] = key
    if not columns:
        reader.unrecognised("找不到金额栏目")
        return None
    total: dict[str, Decimal] = {}
    out_rows: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Decimal | None]] = {}
    for i in range(first, len(rows)):
        if is_seq_row(rows[i]):
            continue
        code, name = _row_code(reader, i, code_col, name_col, parts)
        if not code:
            if is_total(i) and not total:
                total = {
                    k: v
                    for j, k in columns.items()
                    if (v := reader.amount(i, j, column_label(k, tid))) is not None
                }
                reader.line("total", i)
            elif reader.has_figures(i, columns) and not any("无数据" in c for c in rows[i]):
                reader.bad_row(i, "不是科目编码，也不是合计行")
            continue
        values = {k: reader.amount(i, j, column_label(k, tid)) for j, k in columns.items()}
        if reader.repeated(seen, code, values, i):
            continue
        reader.line(code, i)
        out_rows.append({"code": code, "name": _compact(name), **values})
    return {"total": total, "rows": out_rows}
