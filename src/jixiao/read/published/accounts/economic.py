"""The 基本支出 table by 经济分类 (side-by-side column groups) and the “三公” table."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jixiao.model.document import Paragraph
from jixiao.model.tables import tables
from jixiao.read.published.accounts.cells import TOTALS, Reader, amount, column_label, is_seq_row
from jixiao.read.published.accounts.names import label_text, norm

# --------------------------------------------------------------------------- 公开06表

_ECONOMIC = re.compile(r"^(\d{3}|\d{5})$")


def _economic_groups(reader: Reader) -> tuple[list[tuple[int, int | None, int]], int]:
    """Column groups (code, name, amount) of 公开06表, and the first data row."""
    rows = reader.rows
    width = reader.src.width
    head = next(
        (i for i in range(min(8, len(rows))) if any("编码" in norm(c) for c in rows[i])),
        None,
    )
    if head is not None:
        starts = [j for j, c in enumerate(rows[head]) if "编码" in norm(c)]
    else:
        counts = [sum(1 for r in rows if _ECONOMIC.match(norm(r[j]))) for j in range(width)]
        starts = [j for j, n in enumerate(counts) if n >= 2]
    first = next(
        (i for i in range(len(rows)) if any(_ECONOMIC.match(norm(reader.cell(i, j))) for j in starts)),
        len(rows),
    )
    spec = tables()["basic"]
    groups = []
    for g, start in enumerate(starts):
        stop = starts[g + 1] if g + 1 < len(starts) else width
        amount = None
        for j in range(start + 1, stop):
            texts = reader.header_texts(range(first), j)
            if texts and spec.header_key(texts[-1], ["amount"]):
                amount = j
                break
        if amount is None:
            amount = stop - 1
        name = start + 1 if start + 1 < amount else None
        groups.append((start, name, amount))
    return groups, first


def read_basic(reader: Reader) -> dict[str, Any] | None:
    groups, first = _economic_groups(reader)
    if not groups:
        if not any(reader.has_figures(i, range(reader.src.width)) for i in range(len(reader.rows))):
            return {}
        reader.unrecognised("找不到经济分类科目编码列")
        return None
    totals = {r.label: r.key for r in tables()["basic"].named_rows.values()}
    items: dict[str, Decimal] = {}
    seen: dict[str, Decimal | None] = {}
    data: dict[str, Any] = {}
    for i in range(first, len(reader.rows)):
        row = reader.rows[i]
        used: set[int] = set()
        for code_col, _name_col, amount_col in groups:
            code = norm(reader.cell(i, code_col))
            if not _ECONOMIC.match(code):
                continue
            used.update(range(code_col, amount_col + 1))
            value = reader.amount(i, amount_col, None)
            if reader.repeated(seen, code, value, i):
                continue
            reader.line(code, i)
            if value is not None:
                items[code] = value
        for j, text in enumerate(row):
            key = totals.get(label_text(text))
            if key is None:
                continue
            used.add(j)
            k = j + 1
            while k < len(row) and not row[k].strip():
                k += 1
            value = reader.amount(i, k, None) if k < len(row) and amount(row[k])[1] != "不是金额" else None
            used.add(k)
            reader.line(key, i)
            if value is not None and key not in data:
                data[key] = value
        rest = [j for j in range(len(row)) if j not in used]
        if rest and reader.has_figures(i, rest) and label_text(row[0]) not in TOTALS:
            reader.bad_row(i, "不是经济分类科目，也不是人员经费或公用经费合计")
    for para in reader.src.broken:
        _broken_economic_row(reader, para, items, seen)
    data["items"] = items
    return data


def _broken_economic_row(
    reader: Reader, para: Paragraph, items: dict[str, Decimal], seen: dict[str, Decimal | None]
) -> None:
    """A row of 公开06表 cut by a page break into text (303 123.45 30215 会议费 …): each
    group is a code, a name and at most one amount, so the figures still find their codes."""
    tokens = para.text.split()
    pairs: list[tuple[str, Decimal | None]] = []
    for k, token in enumerate(tokens):
        if not _ECONOMIC.match(token):
            continue
        value = None
        for nxt in tokens[k + 1 :]:
            if _ECONOMIC.match(nxt):
                break
            value, problem = amount(nxt)
            if value is not None or problem != "不是金额":
                break
        pairs.append((token, value))
    if not pairs or any(code in seen for code, _ in pairs):
        reader.broken_row(para)
        return
    for code, value in pairs:
        seen[code] = value
        if value is not None:
            items[code] = value
        if para.line is not None:
            reader.lines.setdefault(("basic", code), para.line)


# --------------------------------------------------------------------------- “三公”经费表


def _three_key(label: str) -> str | None:
    """The “三公” column a header names."""
    spec = tables()["three_public"]
    return spec.header_key(label, [c.key for c in spec.all_columns()])


def _three_group(label: str) -> str | None:
    """The half (预算数 or 决算数) a header names."""
    spec = tables()["three_public"]
    return spec.header_key(label, spec.named_rows)


def read_three_public(reader: Reader) -> dict[str, Any] | None:
    rows = reader.rows
    width = reader.src.width
    data_rows = [
        i
        for i in range(len(rows))
        if not is_seq_row(rows[i]) and reader.has_figures(i, range(width)) and i > 0
    ]
    if not data_rows:
        return {}
    first = data_rows[0]
    header = range(first)
    by_row = _three_group(norm(reader.cell(first, 0))) is not None
    columns: dict[int, tuple[str | None, str]] = {}
    group: str | None = None
    group_rows = [i for i in header if any(_three_group(norm(c)) for c in rows[i] if norm(c))]
    for j in range(1 if by_row else 0, width):
        for i in group_rows:
            g = _three_group(norm(reader.cell(i, j))) if reader.cell(i, j).strip() else None
            if g:
                group = g
        texts = [
            t
            for t in reader.header_texts([i for i in header if i not in group_rows], j)
            if not _three_group(t)
        ]
        key = _three_key(texts[-1]) if texts else None
        if key is None and texts:
            key = _three_key("".join(texts))
        if key is None:
            if texts or any(reader.has_figures(i, [j]) for i in data_rows):
                reader.bad_column("".join(texts) or f"第{j + 1}列")
            continue
        columns[j] = (group, key)
    if not columns:
        reader.unrecognised("找不到“三公”经费各栏目")
        return None
    data: dict[str, dict[str, Decimal | None]] = {}
    for i in data_rows:
        row_group = _three_group(norm(reader.cell(i, 0))) if by_row else None
        if by_row and row_group is None:
            reader.bad_row(i, "不是预算数或决算数")
            continue
        for j, (g, key) in columns.items():
            target = row_group or g or "actual"
            half = data.setdefault(target, {})
            if key in half:
                continue
            label = tables()["three_public"].named_rows[target].label + column_label(key, "three_public")
            half[key] = reader.amount(i, j, label)
            reader.line(target, i)
        if not by_row:
            break
    return data
