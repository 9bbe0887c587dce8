"""Final-accounts tables (部门决算公开表, 公开01表–公开09表) in a published document.

The nine tables are found by their titles (the 公开0N表 numbering varies by province), read
by their header labels (栏次 numbers as a fallback) into the input data of
:mod:`jixiao.accounts`, built into :class:`~jixiao.accounts.model.Accounts` and checked with the
standard rule set; when the document also holds the 情况说明 (一、收入支出决算总体情况说明 …),
that text is checked figure by figure against the tables.

What the document does not hold (last year's totals, each item's 年初预算 …) is simply
absent: the text check then reports those figures as unverifiable notes. A table missing
from the document is not an empty table: the rules reading it are left out. Nothing here
raises on a strange table; what cannot be read becomes a Finding naming the document's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from jixiao.audit.document import Block, Document, Paragraph, Table
from jixiao.audit.flow import clean
from jixiao.core.findings import Finding, InputError, Location, Severity, finding

#: The nine tables, in the model's (Henan 2024) order.
_TABLE_IDS = ("summary", "income", "expense", "fiscal", "general", "basic", "fund", "capital", "three_public")

_CJK = "\u4e00-\u9fff"
#: what may stand before a short title (start, punctuation, a year, 部门 / 单位) — so that
#: 支出决算表 does not match 项目支出决算表 or 一般公共预算财政拨款支出决算表
_LEAD = rf"(?:^|[^{_CJK}]|\d{{4}}年度?|部门|单位)"
#: most specific first: 财政拨款收入支出决算总表 contains 收入支出决算总表
_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("three_public", re.compile(r"三公经费.*决算")),
    ("fund", re.compile(r"政府性基金预算财政拨款.*决算.*表")),
    ("capital", re.compile(r"国有资本经营预算财政拨款.*决算.*表")),
    ("basic", re.compile(r"一般公共预算财政拨款基本支出决算(?:明细)?表")),
    ("general", re.compile(r"一般公共预算财政拨款支出决算表")),
    ("fiscal", re.compile(r"财政拨款收入支出决算总表")),
    ("summary", re.compile(_LEAD + r"收入支出决算总表")),
    ("income", re.compile(_LEAD + r"收入决算表")),
    ("expense", re.compile(_LEAD + r"支出决算表")),
)
_NUMBER = re.compile(r"公开\s*(\d{1,2})\s*表")
_TITLE_LENGTH = 50  # a title paragraph is short; a sentence naming a table is not its title


def _norm(text: str) -> str:
    """Cell or title text for matching: no markup, spaces or quotes; brackets and colons
    full-width."""
    text = re.sub(r"</?b>|\*\*|^#+", "", text)
    text = "".join(text.split())
    return text.translate(_FULL).replace("“", "").replace("”", "").replace("‘", "").replace("’", "")


_FULL = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", '"': "", "'": "", "「": "", "」": ""})
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（][一二三四五六七八九十\d]+[）]|\d+[、.．](?!\d)|其中[：]?)"
)


def _label(text: str) -> str:
    """A row label without its ordinal (一、 （二） 3.) and markup."""
    return _ORDINAL.sub("", _norm(text))


def _table_id(title: str) -> str | None:
    """The table a title names (``summary`` … ``three_public``), None for any other title."""
    text = _NUMBER.sub(" ", _norm(title))
    for tid, pattern in _TITLES:
        if pattern.search(text):
            return tid
    return None


# --------------------------------------------------------------------------- finding tables


@dataclass
class _Source:
    """One recognised table: its blocks (a table broken across pages is several), printed
    title and number, and its rows padded to one width with each row's source line."""

    tid: str
    title: str
    number: str
    blocks: list[Table]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    note: str = ""
    file: str = ""
    #: lines of text between the pages of the table that hold figures: a row cut by the break
    broken: list[Paragraph] = field(default_factory=list)

    def build(self) -> None:
        rows: list[list[str]] = []
        lines: list[int | None] = []
        for table in self.blocks:
            usable = len(table.row_lines) == len(table.rows)
            for i, row in enumerate(table.rows):
                rows.append(list(row))
                lines.append(table.row_lines[i] if usable else table.line)
        width = max((len(r) for r in rows), default=0)
        self.rows = [r + [""] * (width - len(r)) for r in rows]
        self.lines = lines

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @property
    def display(self) -> str:
        label = f"{self.number}（{self.title}）" if self.number else self.title
        page = self.blocks[0].page
        return label + (f"（第{page}页）" if page else "")

    @property
    def line(self) -> int | None:
        return self.blocks[0].line

    def where(self, i: int | None = None, *, row: str | None = None, column: str | None = None) -> Location:
        line = (self.lines[i] if i is not None and i < len(self.lines) else None) or self.line
        if row is None and i is not None and i < len(self.rows):
            row = " ".join(c for c in self.rows[i] if c)[:40] or None
        return Location(file=self.file, line=line, table=self.display, row=row, column=column)


def _title_candidates(blocks: Sequence[Block], k: int) -> list[str]:
    """Texts that may title the table at ``blocks[k]``: single-cell rows at its top, its
    title, then the short paragraphs just above it, nearest first."""
    table = blocks[k]
    out: list[str] = []
    if not isinstance(table, Table):
        return out
    for row in table.rows[:2]:
        filled = [c for c in row if c]
        if len(filled) == 1:
            out.append(filled[0])
    if table.title:
        out.append(table.title)
    for j in range(k - 1, max(-1, k - 7), -1):
        block = blocks[j]
        if isinstance(block, Table):
            break
        text = clean(block.text)
        if len(text) <= _TITLE_LENGTH and not text.startswith(("注", "说明")):
            out.append(text)
    return out


def _printed_title(text: str) -> str:
    text = _NUMBER.sub("", clean(text)).strip(" ：:")
    return re.sub(r"^[一二三四五六七八九十]+、", "", text) or text


def _find_tables(doc: Document) -> dict[str, _Source]:
    """The final-accounts tables of ``doc`` by table id (the first of each), with the
    tables that continue them (a table broken across pages)."""
    blocks = doc.blocks
    found: dict[str, _Source] = {}
    current: _Source | None = None
    between: list[Paragraph] = []
    for k, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            between.append(block)
            continue
        tid = title = None
        number = ""
        for text in _title_candidates(blocks, k):
            if tid is None:
                tid = _table_id(text)
                title = text if tid else None
            m = _NUMBER.search(_norm(text))
            if m and not number:
                number = f"公开{int(m.group(1)):02d}表"
            if tid and number:
                break
        if tid is None:
            if current is not None and _continues(current, block, between):
                current.blocks.append(block)
                current.broken += [p for p in between if re.search(r"\d\.\d", p.text)]
            else:
                current = None
            between = []
            continue
        between = []
        if tid in found:
            current = None
            continue
        current = _Source(tid, _printed_title(title or ""), number, [block], file=doc.name)
        found[tid] = current
    for source in found.values():
        source.build()
        source.note = _empty_note(doc, source)
    return found


def _continues(source: _Source, table: Table, between: list[Paragraph]) -> bool:
    """Whether an untitled table right after ``source`` is more of it: its next page (the
    header repeated, or a coded table as wide, with codes), or its body when the header
    came apart from it (PDF). Between them only page furniture, or a row the page break
    cut into a line of text."""
    texts = [clean(p.text) for p in between]
    if any(("表" in t and not t.startswith("续")) or t.endswith("。") or len(t) > 60 for t in texts):
        return False  # the title of another table, or prose
    if table.title and not table.title.startswith("续"):
        return False
    if not table.rows or not source.blocks[0].rows:
        return False
    if _cells(table.rows[0]) == _cells(source.blocks[0].rows[0]):
        return True  # the header repeated on the next page
    if not any(_amount(c)[0] is not None and "." in c for t in source.blocks for r in t.rows for c in r):
        return all(len(t) <= 12 for t in texts)  # no figure yet: the header alone
    if source.tid in ("summary", "fiscal", "three_public") or any(len(t) > 12 for t in texts):
        return False
    width = max(len(r) for r in source.blocks[0].rows)
    if max(len(r) for r in table.rows) not in (width, width - 1):
        return False
    return any(_CODE.match(_norm(c)) for r in table.rows[:5] for c in r[:3])


def _cells(row: Sequence[str]) -> list[str]:
    return [_norm(c) for c in row if c.strip()]


def _empty_note(doc: Document, source: _Source) -> str:
    """The printed 说明 of an empty table (……故本表无数据), from its rows or just below it."""
    texts = [c for r in source.rows for c in r if "无数据" in c]
    if not texts:
        blocks = doc.blocks
        k = next((i for i, b in enumerate(blocks) if b is source.blocks[-1]), len(blocks))
        for block in blocks[k + 1 : k + 5]:
            if isinstance(block, Table):
                break
            if "无数据" in block.text:
                texts.append(block.text)
                break
    if not texts:
        return ""
    text = re.sub(r"^(?:说明|注)\s*[:：]\s*", "", clean(texts[0]))
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text).translate(_FULL)
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- cells


_CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
_CODE_NAME = re.compile(r"^(\d{3}|\d{5}|\d{7})\s*([^\d\s].*)$")
_DASHES = frozenset({"-", "—", "－", "–", "/", "——", "--", "－－", "—-"})
_DECIMAL = re.compile(r"^[-−－]?\d+(?:\.\d+)?$")
_TOTALS = frozenset({"合计", "总计", "本年合计"})


def _amount(text: str) -> tuple[Decimal | None, str | None]:
    """(value in 万元, problem): an empty cell or a dash is None; a printed 0 stays 0."""
    raw = re.sub(r"</?b>|\*", "", text).strip()
    if not raw or raw in _DASHES:
        return None, None
    plain = re.sub(r"[,，\s]", "", raw)
    if plain.endswith("万元"):
        plain = plain[:-2]
    elif plain.endswith("元"):
        return None, "以元为单位，公开表应以万元为单位"
    if not _DECIMAL.match(plain):
        return None, "不是金额"
    try:
        value = Decimal(plain.replace("−", "-").replace("－", "-"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None, "不是金额"
    if value < 0:
        return None, "为负数，决算公开表的金额不应为负"
    return value, None


def _is_number(text: str) -> bool:
    return _amount(text)[0] is not None


def _is_seq_row(row: Sequence[str]) -> bool:
    """A 栏次 row: led by 栏次, or the column numbers 1, 2, 3 … and nothing else."""
    cells = [_norm(c) for c in row if c.strip()]
    if not cells:
        return True
    if "栏次" in cells:
        return all(c == "栏次" or c.isdigit() for c in cells)
    return all(c.isdigit() for c in cells) and [int(c) for c in cells] == list(range(1, len(cells) + 1))


class _Reader:
    """Reads one table into the data of the input format, collecting Findings."""

    def __init__(self, source: _Source) -> None:
        self.src = source
        self.rows = source.rows
        self.findings: list[Finding] = []
        self.lines: dict[tuple[str, str], int] = {}

    def cell(self, i: int, j: int | None) -> str:
        if j is None or j < 0 or i >= len(self.rows) or j >= len(self.rows[i]):
            return ""
        return self.rows[i][j]

    def amount(self, i: int, j: int | None, column: str | None) -> Decimal | None:
        text = self.cell(i, j)
        value, problem = _amount(text)
        if problem:
            self.findings.append(
                finding(
                    "accounts-table-value",
                    self.src.where(i, column=column),
                    printed=text,
                    table=self.src.display,
                    detail=problem,
                )
            )
        return value

    def line(self, key: str, i: int) -> None:
        line = self.src.lines[i] if i < len(self.src.lines) else None
        if line is not None:
            self.lines.setdefault((self.src.tid, key), line)

    def unrecognised(self, detail: str) -> None:
        self.findings.append(
            finding(
                "accounts-table-unrecognised",
                self.src.where(),
                table=self.src.display,
                detail=detail,
            )
        )

    def bad_row(self, i: int, detail: str) -> None:
        printed = " ".join(c for c in self.rows[i] if c)[:40]
        self.findings.append(
            finding(
                "accounts-table-row",
                self.src.where(i),
                printed=printed,
                table=self.src.display,
                detail=detail,
            )
        )

    def bad_column(self, label: str) -> None:
        self.findings.append(
            finding("accounts-table-column", self.src.where(), printed=label, table=self.src.display)
        )

    def broken_row(self, para: Paragraph) -> None:
        """A row the page break cut into a line of text: its figures cannot be placed."""
        self.findings.append(
            finding(
                "accounts-table-row",
                Location(file=self.src.file, line=para.line, table=self.src.display, row=para.text[:40]),
                printed=para.text[:40],
                table=self.src.display,
                detail="在分页处断开，读成了一行文字，无法按列读取",
            )
        )

    def has_figures(self, i: int, columns: Iterable[int]) -> bool:
        return any(_is_number(self.cell(i, j)) for j in columns)

    def column_has_figures(self, j: int) -> bool:
        return any(_is_number(self.cell(i, j)) for i in range(len(self.rows)))

    def header_texts(self, header: Sequence[int], j: int) -> list[str]:
        """The header labels of column ``j``, top to bottom (栏次 rows left out)."""
        out = []
        for i in header:
            if _is_seq_row(self.rows[i]):
                continue
            text = _norm(self.cell(i, j))
            if text and text not in ("项目", "栏次") and text not in out:  # a header repeated on a new page
                out.append(text)
        return out

    def seq_numbers(self, header: Sequence[int]) -> dict[int, int]:
        """Column -> 栏次 number, from the header's 栏次 row."""
        for i in header:
            row = self.rows[i]
            if _is_seq_row(row) and any(c.strip() for c in row):
                return {j: int(_norm(c)) for j, c in enumerate(row) if _norm(c).isdigit()}
        return {}


# --------------------------------------------------------------------------- column labels

_COLUMNS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "income": (
        ("total", ("本年收入合计", "收入合计", "合计", "本年收入")),
        ("fiscal", ("财政拨款收入", "财政拨款")),
        ("superior", ("上级补助收入",)),
        ("business", ("事业收入",)),
        ("operating", ("经营收入",)),
        ("affiliated", ("附属单位上缴收入",)),
        ("other", ("其他收入",)),
    ),
    "expense": (
        ("total", ("本年支出合计", "支出合计", "合计", "本年支出")),
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
        ("remit", ("上缴上级支出",)),
        ("operating", ("经营支出",)),
        ("subsidy", ("对附属单位补助支出", "对附属单位补助")),
    ),
    "general": (
        ("total", ("小计", "合计", "本年支出合计", "本年支出", "支出合计", "本年支出小计")),
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
    ),
    "fund": (
        ("opening", ("年初结转和结余", "年初结转结余")),
        ("income", ("本年收入",)),
        ("total", ("小计", "合计", "本年支出小计", "本年支出合计", "本年支出")),
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
        ("closing", ("年末结转和结余", "年末结转结余")),
    ),
}
_COLUMNS["capital"] = _COLUMNS["general"]


def _column_key(tid: str, texts: list[str], seq: int | None) -> str | None:
    """The model column a header names: its lowest label, else its labels joined, else
    (when the labels say nothing) its 栏次 number in the standard layout."""
    names = _COLUMNS[tid]
    if texts:
        for text in (texts[-1], "".join(texts)):
            for key, labels in names:
                if text in labels:
                    return key
        return None
    if seq is not None and 1 <= seq <= len(names):
        return names[seq - 1][0]
    return None


def _column_label(key: str, tid: str) -> str:
    from jixiao.accounts.layout import tables

    return tables()[tid].column_label(key)


# --------------------------------------------------------------------------- coded tables


def _code_columns(reader: _Reader) -> tuple[int, int | None, tuple[int, ...], int] | None:
    """(code column, name column, split code columns 类/款/项, header row) of a coded table;
    the name column is None when the names stand in the code cells (2060101 行政运行)."""
    rows = reader.rows
    for i in range(min(8, len(rows))):
        cells = [_norm(c) for c in rows[i]]
        code = next((j for j, c in enumerate(cells) if "编码" in c or "代码" in c), None)
        if code is None:
            continue
        parts: tuple[int, ...] = ()
        name = None
        for r in (i, i + 1):
            row = [_norm(c) for c in rows[r]] if r < len(rows) else []
            for j in range(len(row) - 1):
                if row[j] == "类" and row[j + 1] == "款" and not parts:
                    parts = (j, j + 1) + ((j + 2,) if j + 2 < len(row) and row[j + 2] == "项" else ())
            if name is None:
                name = next((j for j, c in enumerate(row) if "名称" in c), None)
        if name is None and parts:
            name = parts[-1] + 1
        return code, name, parts, i
    for j in range(3):
        cells = [_norm(r[j]) for r in rows if j < len(r)]
        if any(_CODE.match(c) for c in cells):
            return j, j + 1, (), -1
        if any(_CODE_NAME.match(c) for c in cells):
            return j, None, (), -1
    return None


def _row_code(
    reader: _Reader, i: int, code_col: int, name_col: int | None, parts: tuple[int, ...]
) -> tuple[str, str]:
    """(code, name) of row ``i``; code "" when the row has none."""
    name = reader.cell(i, name_col).strip()
    if parts:
        pieces = [_norm(reader.cell(i, j)) for j in parts]
        code = "".join(p for p in pieces if p)
        valid = bool(pieces[0]) and len(pieces[0]) == 3 and all(len(p) in (0, 2) for p in pieces[1:])
        return (code, name) if valid and _CODE.match(code) else ("", name)
    text = _norm(reader.cell(i, code_col))
    if _CODE.match(text):
        return text, name
    m = _CODE_NAME.match(reader.cell(i, code_col).strip())
    if m and not name:
        return m.group(1), m.group(2).strip()
    return "", name


def _compact(name: str) -> str:
    return re.sub(rf"(?<=[{_CJK}）])\s+|\s+(?=[{_CJK}（])", "", name)


def _read_coded(reader: _Reader) -> dict[str, Any] | None:
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
        return any(_norm(reader.cell(i, j)) in _TOTALS for j in skip)

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
        if _is_seq_row(rows[i]):
            continue
        code, name = _row_code(reader, i, code_col, name_col, parts)
        if not code:
            if is_total(i) and not total:
                total = {
                    k: v
                    for j, k in columns.items()
                    if (v := reader.amount(i, j, _column_label(k, tid))) is not None
                }
                reader.line("total", i)
            elif reader.has_figures(i, columns) and not any("无数据" in c for c in rows[i]):
                reader.bad_row(i, "不是科目编码，也不是合计行")
            continue
        values = {k: reader.amount(i, j, _column_label(k, tid)) for j, k in columns.items()}
        if code in seen:
            if seen[code] != values:
                reader.bad_row(i, f"与前面的科目“{code}”重复而数字不同")
            continue
        seen[code] = values
        reader.line(code, i)
        out_rows.append({"code": code, "name": _compact(name), **values})
    return {"total": total, "rows": out_rows}


# --------------------------------------------------------------------------- 公开01表 / 公开04表

_INCOME_ROWS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "summary": (
        ("general_budget", ("一般公共预算财政拨款收入", "一般公共预算财政拨款")),
        ("gov_fund", ("政府性基金预算财政拨款收入", "政府性基金预算财政拨款")),
        ("state_capital", ("国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款")),
        ("superior", ("上级补助收入",)),
        ("business", ("事业收入",)),
        ("operating", ("经营收入",)),
        ("affiliated", ("附属单位上缴收入",)),
        ("other_income", ("其他收入",)),
        ("income_total", ("本年收入合计", "收入合计")),
        ("surplus_used", ("使用非财政拨款结余", "用事业基金弥补收支差额", "使用非财政拨款结余和专用结余")),
        ("opening", ("年初结转和结余", "年初结转结余")),
        ("income_sum", ("总计", "收入总计")),
    ),
    "fiscal": (
        ("general_budget", ("一般公共预算财政拨款", "一般公共预算财政拨款收入")),
        ("gov_fund", ("政府性基金预算财政拨款", "政府性基金预算财政拨款收入")),
        ("state_capital", ("国有资本经营预算财政拨款", "国有资本经营预算财政拨款收入")),
        ("income_total", ("本年收入合计", "收入合计")),
        ("opening", ("年初财政拨款结转和结余", "年初结转和结余", "年初财政拨款结转结余")),
        ("income_sum", ("总计", "收入总计")),
    ),
}
_OPENING_PARTS = {
    "general_budget": "opening_general",
    "gov_fund": "opening_fund",
    "state_capital": "opening_capital",
}
_EXPENSE_ROWS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "summary": (
        ("expense_total", ("本年支出合计", "支出合计")),
        ("distribution", ("结余分配",)),
        ("closing", ("年末结转和结余", "年末结转结余")),
        ("expense_sum", ("总计", "支出总计")),
    ),
    "fiscal": (
        ("expense_total", ("本年支出合计", "支出合计")),
        ("closing", ("年末财政拨款结转和结余", "年末结转和结余", "年末财政拨款结转结余")),
        ("expense_sum", ("总计", "支出总计")),
    ),
}
#: older or shortened names of 功能分类 类
_CLASS_ALIASES = {
    "文化体育与传媒支出": "207",
    "医疗卫生与计划生育支出": "210",
    "医疗卫生支出": "210",
    "国土海洋气象等支出": "220",
    "国土资源气象等支出": "220",
}


@cache
def _class_names() -> dict[str, str]:
    from jixiao.accounts.classification import function_catalog

    names = {_norm(name): code for code, name in function_catalog().names.items() if len(code) == 3}
    return {**names, **_CLASS_ALIASES}


def _variants(label: str) -> tuple[str, ...]:
    bare = re.sub(r"（[^（）]*）$", "", label)
    return (label, bare) if bare != label else (label,)


def _named(label: str, names: Iterable[tuple[str, tuple[str, ...]]]) -> str | None:
    for text in _variants(label):
        for key, labels in names:
            if text in labels:
                return key
    return None


def _class_code(label: str) -> str | None:
    m = re.match(r"^(\d{3})\s*[^\d.\s]", label)
    if m:
        return m.group(1)
    for text in _variants(label):
        code = _class_names().get(text.removesuffix("（类）"))
        if code:
            return code
    return None


def _sides(reader: _Reader, header: range, first: int) -> int | None:
    """The first column of the 支出 side of a two-sided table."""
    for i in reversed(header):
        cells = [_norm(c) for c in reader.rows[i]]
        items = [j for j, c in enumerate(cells) if c == "项目"]
        if len(items) >= 2:
            return items[1]
    for i in header:
        cells = [_norm(c) for c in reader.rows[i]]
        spend = [j for j, c in enumerate(cells) if j > 0 and c.startswith("支出")]
        if spend:
            return spend[0]
    if first < len(reader.rows):
        for j in range(1, reader.src.width):
            label = _label(reader.cell(first, j))
            if label and (_class_code(label) or _named(label, _EXPENSE_ROWS[reader.src.tid])):
                return j
    return None


def _side_columns(reader: _Reader, header: range, lo: int, hi: int) -> dict[int, str]:
    """Value columns of one side: column -> header label ('' when unlabelled)."""
    out: dict[int, str] = {}
    for j in range(lo + 1, hi):
        label = "".join(reader.header_texts(header, j))  # joined: PDF may split a label
        if label in ("行次", "栏次"):
            continue
        if not label and all(
            not c.strip() or _norm(c).isdigit() for c in (reader.cell(i, j) for i in range(len(reader.rows)))
        ):
            continue  # an unlabelled 行次 column, or an empty one
        out[j] = label
    return out


def _single(columns: dict[int, str]) -> int | None:
    for j, label in columns.items():
        if label in ("决算数", "金额", "本年数", "决算", "本年决算数", "合计"):
            return j
    return next(iter(columns)) if len(columns) == 1 else None


def _fiscal_key(label: str) -> str | None:
    for key, word in (("general", "一般公共预算"), ("fund", "政府性基金"), ("capital", "国有资本经营")):
        if word in label:
            return key
    if label.endswith(("合计", "小计", "总计")):
        return "total"
    return None


def _first_data_row(reader: _Reader) -> int:
    """The first row naming an income item in the first column, or a 功能分类 类 anywhere
    (header labels such as 一般公共预算财政拨款 are column names there)."""
    tid = reader.src.tid
    for i, row in enumerate(reader.rows):
        if _named(_label(row[0]), _INCOME_ROWS[tid]) if row else False:
            return i
        if any(_class_code(_label(c)) for c in row[1:]):
            return i
    return len(reader.rows)


def _read_two_sided(reader: _Reader) -> dict[str, Any] | None:
    first = _first_data_row(reader)
    header = range(first)
    split = _sides(reader, header, first)
    if split is None or first >= len(reader.rows):
        reader.unrecognised("找不到收入、支出两栏")
        return None
    income_col = _single(_side_columns(reader, header, 0, split))
    expense_map = _expense_columns(reader, _side_columns(reader, header, split, reader.src.width))
    if income_col is None or not expense_map:
        reader.unrecognised("找不到决算数栏目")
        return None
    state = _Sides()
    for i in range(first, len(reader.rows)):
        if _is_seq_row(reader.rows[i]):
            continue
        _income_side(reader, i, income_col, state)
        _expense_side(reader, i, split, expense_map, state)
    return {**state.data, "classes": state.classes}


@dataclass
class _Sides:
    """What a two-sided table has given so far."""

    data: dict[str, Any] = field(default_factory=dict)
    classes: dict[str, Any] = field(default_factory=dict)
    opening: bool = False  # past 年初财政拨款结转和结余 (its parts follow)
    closing: bool = False  # past 年末结转和结余


def _expense_columns(reader: _Reader, columns: dict[int, str]) -> dict[int, str]:
    """Value columns of the 支出 side -> model key (``amount`` in 公开01表)."""
    if reader.src.tid == "summary":
        return {j: "amount" for j in [_single(columns)] if j is not None}
    out: dict[int, str] = {}
    for j, label in columns.items():
        key = _fiscal_key(label)
        if key is None or key in out.values():
            if label or reader.column_has_figures(j):
                reader.bad_column(label or f"第{j + 1}列")
            continue
        out[j] = key
    return out


def _income_side(reader: _Reader, i: int, column: int, state: _Sides) -> None:
    label = _label(reader.cell(i, 0))
    if not label:
        return
    tid = reader.src.tid
    key = _named(label, _INCOME_ROWS[tid])
    if tid == "fiscal" and state.opening and key in _OPENING_PARTS:
        key = _OPENING_PARTS[key]  # 年初财政拨款结转和结余 by budget type (行次 29–31)
    state.opening = state.opening or key == "opening"
    if key is None:
        if reader.has_figures(i, [column]):
            reader.bad_row(i, "不是本表的收入项目")
        return
    value = reader.amount(i, column, None)
    reader.line(key, i)
    if value is not None and key not in state.data:
        state.data[key] = value


def _expense_side(reader: _Reader, i: int, split: int, columns: dict[int, str], state: _Sides) -> None:
    label = _label(reader.cell(i, split))
    if not label:
        return
    tid = reader.src.tid
    key = _named(label, _EXPENSE_ROWS[tid])
    code = None if key else _class_code(label)
    if key is None and code is None:
        # after 年末结转和结余 come its parts by budget type, which the model does not hold
        if not state.closing and reader.has_figures(i, columns):
            reader.bad_row(i, "不是本表的支出项目或功能分类科目")
        return
    state.closing = state.closing or key == "closing"
    values = {
        k: reader.amount(i, j, None if tid == "summary" else _fiscal_label(k)) for j, k in columns.items()
    }
    name = key or code or ""
    reader.line(name, i)
    present = {k: v for k, v in values.items() if v is not None}
    if not present:
        return
    value: Any = present.get("amount") if tid == "summary" else present
    target = state.classes if code is not None else state.data
    target.setdefault(name, value)


def _fiscal_label(key: str) -> str:
    return {
        "total": "合计",
        "general": "一般公共预算财政拨款",
        "fund": "政府性基金预算财政拨款",
        "capital": "国有资本经营预算财政拨款",
    }[key]


# --------------------------------------------------------------------------- 公开06表

_ECONOMIC = re.compile(r"^(\d{3}|\d{5})$")
_BASIC_TOTALS = {"人员经费合计": "personnel_total", "公用经费合计": "public_total"}


def _economic_groups(reader: _Reader) -> tuple[list[tuple[int, int | None, int]], int]:
    """Column groups (code, name, amount) of 公开06表, and the first data row."""
    rows = reader.rows
    width = reader.src.width
    head = next(
        (i for i in range(min(8, len(rows))) if any("编码" in _norm(c) for c in rows[i])),
        None,
    )
    if head is not None:
        starts = [j for j, c in enumerate(rows[head]) if "编码" in _norm(c)]
    else:
        counts = [sum(1 for r in rows if _ECONOMIC.match(_norm(r[j]))) for j in range(width)]
        starts = [j for j, n in enumerate(counts) if n >= 2]
    first = next(
        (i for i in range(len(rows)) if any(_ECONOMIC.match(_norm(reader.cell(i, j))) for j in starts)),
        len(rows),
    )
    groups = []
    for g, start in enumerate(starts):
        stop = starts[g + 1] if g + 1 < len(starts) else width
        amount = None
        for j in range(start + 1, stop):
            texts = reader.header_texts(range(first), j)
            if texts and any(w in texts[-1] for w in ("决算数", "金额", "合计", "决算")):
                amount = j
                break
        if amount is None:
            amount = stop - 1
        name = start + 1 if start + 1 < amount else None
        groups.append((start, name, amount))
    return groups, first


def _read_basic(reader: _Reader) -> dict[str, Any] | None:
    groups, first = _economic_groups(reader)
    if not groups:
        if not any(reader.has_figures(i, range(reader.src.width)) for i in range(len(reader.rows))):
            return {}
        reader.unrecognised("找不到经济分类科目编码列")
        return None
    items: dict[str, Decimal] = {}
    seen: dict[str, Decimal | None] = {}
    data: dict[str, Any] = {}
    for i in range(first, len(reader.rows)):
        row = reader.rows[i]
        used: set[int] = set()
        for code_col, _name_col, amount_col in groups:
            code = _norm(reader.cell(i, code_col))
            if not _ECONOMIC.match(code):
                continue
            used.update(range(code_col, amount_col + 1))
            value = reader.amount(i, amount_col, None)
            if code in seen:
                if seen[code] != value:
                    reader.bad_row(i, f"与前面的科目“{code}”重复而数字不同")
                continue
            seen[code] = value
            reader.line(code, i)
            if value is not None:
                items[code] = value
        for j, text in enumerate(row):
            key = _BASIC_TOTALS.get(_label(text))
            if key is None:
                continue
            used.add(j)
            k = j + 1
            while k < len(row) and not row[k].strip():
                k += 1
            value = reader.amount(i, k, None) if k < len(row) and _amount(row[k])[1] != "不是金额" else None
            used.add(k)
            reader.line(key, i)
            if value is not None and key not in data:
                data[key] = value
        rest = [j for j in range(len(row)) if j not in used]
        if rest and reader.has_figures(i, rest) and _label(row[0]) not in _TOTALS:
            reader.bad_row(i, "不是经济分类科目，也不是人员经费或公用经费合计")
    for para in reader.src.broken:
        _broken_economic_row(reader, para, items, seen)
    data["items"] = items
    return data


def _broken_economic_row(
    reader: _Reader, para: Paragraph, items: dict[str, Decimal], seen: dict[str, Decimal | None]
) -> None:
    """A row of 公开06表 cut by a page break into text (303 129.39 30215 会议费 …): each
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
            value, problem = _amount(nxt)
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
    if "接待" in label:
        return "reception"
    if "出国" in label:
        return "abroad"
    if label == "小计" or ("购置" in label and "运行" in label):
        return "vehicle"
    if "购置" in label:
        return "vehicle_purchase"
    if "运行" in label:
        return "vehicle_running"
    if label in ("合计", "总计"):
        return "total"
    return None


def _three_group(label: str) -> str | None:
    if "预算" in label and "决算" not in label:
        return "budget"
    if "决算" in label or "实际" in label:
        return "actual"
    return None


def _read_three_public(reader: _Reader) -> dict[str, Any] | None:
    rows = reader.rows
    width = reader.src.width
    data_rows = [
        i
        for i in range(len(rows))
        if not _is_seq_row(rows[i]) and reader.has_figures(i, range(width)) and i > 0
    ]
    if not data_rows:
        return {}
    first = data_rows[0]
    header = range(first)
    by_row = _three_group(_norm(reader.cell(first, 0))) is not None
    columns: dict[int, tuple[str | None, str]] = {}
    group: str | None = None
    group_rows = [i for i in header if any(_three_group(_norm(c)) for c in rows[i] if _norm(c))]
    for j in range(1 if by_row else 0, width):
        for i in group_rows:
            g = _three_group(_norm(reader.cell(i, j))) if reader.cell(i, j).strip() else None
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
        row_group = _three_group(_norm(reader.cell(i, 0))) if by_row else None
        if by_row and row_group is None:
            reader.bad_row(i, "不是预算数或决算数")
            continue
        for j, (g, key) in columns.items():
            target = row_group or g or "actual"
            half = data.setdefault(target, {})
            if key in half:
                continue
            label = ("预算数" if target == "budget" else "决算数") + _column_label(key, "three_public")
            half[key] = reader.amount(i, j, label)
            reader.line(target, i)
        if not by_row:
            break
    return data


# --------------------------------------------------------------------------- the document


def _read_table(reader: _Reader) -> dict[str, Any] | None:
    tid = reader.src.tid
    if tid != "basic":
        for para in reader.src.broken:
            reader.broken_row(para)
    return _READERS[tid](reader)


_READERS = {
    "summary": _read_two_sided,
    "fiscal": _read_two_sided,
    "income": _read_coded,
    "expense": _read_coded,
    "general": _read_coded,
    "fund": _read_coded,
    "capital": _read_coded,
    "basic": _read_basic,
    "three_public": _read_three_public,
}
_DEPARTMENT = (
    re.compile(r"部门(?:[（(]单位[)）])?名称\s*[:：]\s*(.+)"),
    re.compile(r"(?:单位名称|编制单位|编制部门|预算单位)\s*[:：]\s*(.+)"),
)
_TITLE_DEPARTMENT = re.compile(r"^(.{2,40}?)(?:\d{4}\s*年度?)?部门决算$")
_YEAR = re.compile(r"(20\d\d)\s*年度?\s*(?:部门|单位)?决算")


def _department(doc: Document) -> str | None:
    texts = [clean(p.text) for p in doc.paragraphs()]
    texts += [c for t in doc.tables() for r in t.rows[:3] for c in r if c]
    for pattern in _DEPARTMENT:
        for text in texts:
            m = pattern.search(text)
            if not m:
                continue
            name = re.split(r"\s+(?:金额)?单位\s*[:：]|\s{2,}|\t", m.group(1).strip())[0].strip()
            if name and not name.startswith(("万元", "元")):
                return name
    for text in texts:
        m = _TITLE_DEPARTMENT.match(text.replace(" ", ""))
        if m:
            return m.group(1)
    return None


def _year(doc: Document) -> int | None:
    for p in doc.paragraphs():
        m = _YEAR.search(clean(p.text))
        if m:
            return int(m.group(1))
    from jixiao.audit.consistency import report_year

    return report_year(doc)


def _read_tables(
    sources: dict[str, _Source],
) -> tuple[dict[str, Any], dict[tuple[str, str], int], list[Finding]]:
    data: dict[str, Any] = {}
    lines: dict[tuple[str, str], int] = {}
    findings: list[Finding] = []
    for tid, source in sources.items():
        reader = _Reader(source)
        try:
            table = _read_table(reader)
        except Exception as exc:  # a strange table must not stop the others
            reader.unrecognised(f"读取时出错（{type(exc).__name__}）")
            table = None
        findings += reader.findings
        if table is None:
            continue
        if source.note and tid in ("general", "fund", "capital"):
            table["note"] = source.note
        data[tid] = table
        lines.update(reader.lines)
    return data, lines, findings


def check_accounts_tables(doc: Document) -> tuple[list[str], list[Finding]]:
    """(descriptions of what was recognised, Findings) — empty lists when the document has
    no final-accounts tables."""
    found = _recognise(doc)
    if found is None:
        return [], []
    descriptions, findings = list(found.descriptions), list(found.findings)
    acc = found.accounts
    if acc is None:
        return descriptions, findings
    findings += _check_tables(acc, found.present, found.sources, found.lines, doc.name)
    paragraphs = _explanation(doc, found.sources)
    if paragraphs:
        descriptions.append(f"部门决算情况说明（{_sections_named(paragraphs)}个部分）")
        if found.year is None:
            findings.append(
                finding("accounts-text-skipped", Location(file=doc.name), detail="文件中没有找到决算年度")
            )
        else:
            findings += _check_explanation(acc, paragraphs, found.present, doc.name)
    return descriptions, findings


@dataclass
class _Recognised:
    """What the tables of a document give: the tables found, what was read of them (the
    model, None when it could not be built), Findings on the reading, and row lines."""

    sources: dict[str, _Source]
    descriptions: list[str]
    findings: list[Finding]
    lines: dict[tuple[str, str], int]
    accounts: Any  # jixiao.accounts.model.Accounts | None
    present: set[str]
    year: int | None


def _recognise(doc: Document) -> _Recognised | None:
    """The final-accounts tables of ``doc`` read into the model; None when it has none."""
    sources = _find_tables(doc)
    if not sources:
        return None
    data, lines, findings = _read_tables(sources)
    read = [tid for tid in _TABLE_IDS if tid in data]
    order = {id(b): k for k, b in enumerate(doc.blocks)}
    printed = sorted(sources.values(), key=lambda src: order.get(id(src.blocks[0]), 0))
    descriptions = [_describe(src, data.get(src.tid)) for src in printed]
    year = _year(doc)
    found = _Recognised(sources, descriptions, findings, lines, None, set(read), year)
    if not read:
        return found
    three = sources.get("three_public")
    data.update(
        department=_department(doc) or "（未注明部门）",
        year=year or 2000,  # without a year only the tables are checked, not the text
        unit="万元",
        layout="mof" if three is not None and three.number == "公开07表" else "henan-2024",
    )
    try:
        found.accounts = _accounts(data, doc.name)
    except InputError as exc:
        findings += [_relocate(f, sources, data["layout"], doc.name) for f in exc.findings]
        return found
    missing = [tid for tid in _TABLE_IDS if tid not in read]
    if missing:
        findings.append(_missing(read, missing, found.accounts.layout, doc.name))
    return found


def _accounts(data: dict[str, Any], name: str) -> Any:
    from jixiao.accounts.read import from_data

    return from_data(data, name)


def _describe(source: _Source, table: dict[str, Any] | None) -> str:
    if table is None:
        return f"{source.display}（未能读取）"
    if not any(table.get(k) for k in ("rows", "total", "items", "classes", "budget", "actual")):
        return f"{source.display}（{'本表无数据' if source.note else '空表'}）"
    if source.tid == "basic":
        return f"{source.display}（{len(table.get('items', {}))}个经济分类科目）"
    if source.tid in ("summary", "fiscal"):
        return f"{source.display}（{len(table.get('classes', {}))}个功能分类类级科目）"
    if source.tid == "three_public":
        return f"{source.display}（预算数、决算数）"
    return f"{source.display}（{len(table.get('rows', []))}个功能分类科目）"


def _missing(read: list[str], missing: list[str], layout: str, name: str) -> Finding:
    from jixiao.accounts.layout import table_name

    return finding(
        "accounts-tables-missing",
        Location(file=name),
        found=len(read),
        missing="、".join(table_name(t, layout) for t in missing),
    )


# --------------------------------------------------------------------------- checks


_TABLE_REF = re.compile(r"\b(summary|income|expense|fiscal|general|basic|fund|capital|three_public)\[")


def _rules(present: set[str]) -> Any:
    """The standard rules, less those reading a table the document does not have."""
    from jixiao.accounts.rules import RuleSet, builtin_rules

    rules = builtin_rules()
    if present >= set(_TABLE_IDS):
        return rules
    keep = []
    for rule in rules.rules:
        spec = rule.spec
        each = spec.each if isinstance(spec.each, tuple) else (spec.each or "",)
        if set(_TABLE_REF.findall(" ".join((spec.left, spec.right, *each)))) <= present:
            keep.append(rule)
    return RuleSet(tuple(keep))


def _check_tables(
    acc: Any, present: set[str], sources: dict[str, _Source], lines: dict[tuple[str, str], int], name: str
) -> list[Finding]:
    from jixiao.accounts.check import check

    try:
        report = check(acc, rules=_rules(present), file=name, lines=lines)
    except Exception as exc:  # the checks of jixiao.accounts should not fail; never let them stop the audit
        return [finding("internal-error", Location(file=name), rule="部门决算表审核", detail=repr(exc))]
    out = []
    for f in report.findings:
        if f.code == "accounts-empty-table" and not _table_of(f, acc.layout, present):
            continue  # a table the document does not have is not an empty table
        out.append(_relocate(f, sources, acc.layout, name))
    return out


def _table_of(f: Finding, layout: str, present: set[str]) -> str | None:
    from jixiao.accounts.layout import table_name

    for tid in present:
        if f.location.table == table_name(tid, layout):
            return tid
    return None


def _relocate(f: Finding, sources: dict[str, _Source], layout: str, name: str) -> Finding:
    """The Finding with the document's name, and its table as the document prints it."""
    from jixiao.accounts.layout import table_name

    loc = f.location
    update: dict[str, Any] = {"file": name}
    for tid, source in sources.items():
        if loc.table and loc.table == table_name(tid, layout):
            update["table"] = source.display
            if loc.line is None:
                update["line"] = source.line
            break
    return f.model_copy(update={"location": loc.model_copy(update=update)})


# --------------------------------------------------------------------------- 情况说明

_SECTION = re.compile(r"^(十三|十二|十一|十|九|八|七|六|五|四|三|二|一)、([^，。；：、（）\d]{2,30}?说明)")
_END = re.compile(r"^(?:第[一二三四五六七八九十]+部分|名词解释|附件|附表)")
#: the tables the sentences of each section read
_SECTION_TABLES = {
    "一": {"summary"},
    "二": {"income"},
    "三": {"expense"},
    "四": {"fiscal"},
    "五": {"general"},
    "六": {"basic", "general"},
    "七": {"fund"},
    "八": {"capital"},
    "九": {"three_public"},
    "十三": {"general"},
}


def _explanation(doc: Document, sources: dict[str, _Source] | None = None) -> list[Paragraph]:
    """The paragraphs of the 情况说明: from the heading 一、收入支出决算总体情况说明 (the one
    followed by text, not the table of contents) to the next part (第四部分, 名词解释 …) or a
    final-accounts table; [] when the document has no such text."""
    blocks = doc.blocks
    tables = {id(b) for s in (sources or {}).values() for b in s.blocks}
    start = next(
        (
            k
            for k, b in enumerate(blocks)
            if isinstance(b, Paragraph) and _section_of(b) == "一" and _has_body(blocks, k)
        ),
        None,
    )
    if start is None:
        return []
    out: list[Paragraph] = []
    for block in blocks[start:]:
        if isinstance(block, Table):
            if id(block) in tables:
                break
            continue
        if _END.match(clean(block.text)):
            break
        out.append(block)
    return out if _sections_named(out) >= 2 else []


def _section_of(p: Paragraph) -> str | None:
    m = _SECTION.match(_norm(clean(p.text)))
    return m.group(1) if m else None


def _has_body(blocks: Sequence[Block], k: int) -> bool:
    for block in blocks[k + 1 : k + 4]:
        if isinstance(block, Table):
            return False
        if _section_of(block):
            return False
        if re.search(r"\d", block.text):
            return True
    return False


def _sections_named(paragraphs: list[Paragraph]) -> int:
    return len({s for p in paragraphs if (s := _section_of(p))})


def _check_explanation(acc: Any, paragraphs: list[Paragraph], present: set[str], name: str) -> list[Finding]:
    from jixiao.accounts.textcheck import check_text

    text = "\n".join(" ".join(clean(p.text).split()) for p in paragraphs)
    sections: list[str | None] = []
    current: str | None = None
    for p in paragraphs:
        current = _section_of(p) or current
        sections.append(current)
    try:
        found = check_text(acc, text, file=name)
    except Exception as exc:  # never let the text check stop the audit
        return [finding("internal-error", Location(file=name), rule="情况说明核对", detail=repr(exc))]
    out: list[Finding] = []
    for f in found:
        loc = f.location.model_copy(update={"file": name})
        index = (f.location.line or 0) - 1
        if 0 <= index < len(paragraphs):
            para = paragraphs[index]
            page = f"第{para.page}页" if para.page else None
            loc = loc.model_copy(update={"line": para.line, "table": page})
            needs = _SECTION_TABLES.get(sections[index] or "", set())
            if f.severity is not Severity.note and not needs <= present:
                continue  # the table this sentence speaks of is not in the document
        out.append(f.model_copy(update={"location": loc}))
    return _merge_unverifiable(out, name)


_UNVERIFIABLE = "无法核对：数据中未提供"


def _merge_unverifiable(findings: list[Finding], name: str) -> list[Finding]:
    """One unverifiable note per sentence and missing datum, listing its figures."""
    groups: dict[tuple[Any, ...], list[Finding]] = {}
    out: list[Finding | tuple[Any, ...]] = []
    for f in findings:
        if f.code != "accounts-text-unverifiable" or _UNVERIFIABLE not in f.message:
            out.append(f)
            continue
        what = f.message.rpartition(_UNVERIFIABLE)[2]
        key = (f.location.line, f.location.quote, what)
        if key not in groups:
            groups[key] = []
            out.append(key)
        groups[key].append(f)
    merged: list[Finding] = []
    for item in out:
        if isinstance(item, Finding):
            merged.append(item)
            continue
        group = groups[item]
        if len(group) == 1:
            merged.append(group[0])
            continue
        printed = "、".join(f.printed or "" for f in group)
        merged.append(finding("accounts-text-unverifiable", group[0].location, printed=printed, what=item[2]))
    return merged
