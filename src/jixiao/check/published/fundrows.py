"""Rows of a table that add up: a project form's 年度资金总额 against its 其中 rows, a row
against the 其中 rows listed under it, and a form's 总分 against its level-1 weights.

Each check binds every number to its column with certainty or stays silent:

* in a table (a :class:`~jixiao.model.document.Table`), by cell position, when the rows
  compared have as many cells as each other;
* in text (a form copied out of a web page, cells separated by spaces), by counting: a
  row's numbers are its columns only when there are exactly as many as the header names
  (or as many as its amount columns, which come first); a row whose numbers are glued
  together ("202010100.00%10") is not split, except for the score after its rate.

A total is wrong only when no choice of the printed figures inside their rounding intervals
makes it the sum of its parts (``core.numbers.rounding_interval``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jixiao.core.findings import Finding, Location, finding
from jixiao.core.numbers import ZERO, Interval, plain, rounding_interval
from jixiao.model.document import Paragraph, PublishedDocument, Table
from jixiao.model.selfeval_tables import selfeval_layout
from jixiao.model.selfeval_tables import words as column_words

# -- columns and labels of the project form's fund block ------------------------------------
#: The columns of the fund block in the template's order, the first three the amounts, and
#: other templates' words for each (``model/catalogs/selfeval_tables.yaml``: the project
#: layout's ``execution`` part, ``words.execution_text``).
_FUNDS = selfeval_layout("project").execution
_COLUMN_NAMES = tuple(head for _, head in _FUNDS)
_AMOUNT_COLUMNS = _COLUMN_NAMES[:3]
_SAME_COLUMN = {word: head for key, head in _FUNDS for word in column_words("execution_text")[key].words}
_WORDS = sorted(_COLUMN_NAMES + tuple(_SAME_COLUMN), key=len, reverse=True)  # 年初预算数 before 年初预算
_HEADER_WORD = re.compile("(" + "|".join(map(re.escape, _WORDS)) + r")\s*(?:[（(][A-Za-z/×*]+[)）])?")
_TOTAL_LABEL = re.compile(r"年度资金总额\s*[:：]?")
#: The total row of a fund block in a table: 年度资金总额, or 总额 under its header.
_TABLE_TOTAL = re.compile(r"年度资金总额|^总额[:：]?$")
#: The 其中 rows of the fund block: together they are the whole (财预〔2020〕10号 template;
#: 四川: 财政资金 / 财政专户管理资金 / 单位资金 / 其他资金).
_PART_LABEL = re.compile(
    r"(?:其中\s*[:：]?\s*)?((?:本年|当年)?财政拨款(?:资金)?|上年结转(?:结余)?(?:资金)?|上年结余(?:资金)?"
    r"|财政专户管理资金|财政资金|单位资金|其他资金|自筹资金|社会资金)\s*[:：]?"
)
_EMPTY = frozenset({"", "/", "-", "—", "－", "--", "——"})
_NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")
_TOKEN = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?(?:\s*[%％])?")


def _decimal(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


@dataclass(frozen=True)
class PrintedFigure:
    """One printed figure: its value and text."""

    value: Decimal
    text: str

    @property
    def interval(self) -> Interval:
        return rounding_interval(self.value)


@dataclass
class FundBlock:
    """A fund block bound to its columns: the total row and its 其中 rows, each a mapping
    of column name to figure (a missing column is an empty cell)."""

    total: dict[str, PrintedFigure]
    parts: list[tuple[str, dict[str, PrintedFigure]]]
    location: Location
    quote: str = ""


def _sum_interval(figures: Sequence[PrintedFigure]) -> Interval:
    low = sum((f.interval[0] for f in figures), ZERO)
    high = sum((f.interval[1] for f in figures), ZERO)
    return low, high


def _disjoint(a: Interval, b: Interval) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def check(doc: PublishedDocument, name: str) -> Iterator[Finding]:
    """Every check of this module on ``doc``."""
    for block in fund_blocks(doc, name):
        yield from _check_block(block)
    for table in [*doc.tables(), *_pipe_rows(doc)]:
        yield from _check_subrows(table, name)
    yield from form_totals(doc, name)


def _pipe_rows(doc: PublishedDocument) -> Iterator[Table]:
    """Runs of text lines written as table rows without their left rule ("合 计 | 34.35 |").
    The text reader leaves them as paragraphs: copied from pages with merged cells, their
    cells do not line up with the header for the score tables. A 其中 group is checked
    only when its rows have as many cells as the row above them, which this allows."""
    run: list[Paragraph] = []
    for block in [*doc.blocks, None]:
        if isinstance(block, Paragraph) and block.text.endswith("|") and block.text.count("|") >= 2:
            run.append(block)
            continue
        if len(run) >= 3:
            rows = tuple(tuple(c.strip() for c in p.text[:-1].split("|")) for p in run)
            yield Table(rows, line=run[0].line, page=run[0].page, row_lines=tuple(p.line for p in run))
        run = []


def _check_block(block: FundBlock) -> Iterator[Finding]:
    for column in _AMOUNT_COLUMNS:
        total = block.total.get(column)
        parts = [(label, row[column]) for label, row in block.parts if column in row]
        if total is None or not parts:
            continue
        summed = sum((f.value for _, f in parts), ZERO)
        if _disjoint(total.interval, _sum_interval([f for _, f in parts])):
            yield finding(
                "sum-mismatch",
                block.location.merged(column=column) if block.location.table else block.location,
                printed=total.text,
                expected=plain(summed),
                what=f"年度资金总额（{column}）",
                parts=" + ".join(f"{label} {f.text}" for label, f in parts),
            )


# -- fund blocks in tables ----------------------------------------------------------------
def fund_blocks(doc: PublishedDocument, name: str) -> Iterator[FundBlock]:
    for block in doc.blocks:
        if isinstance(block, Table):
            yield from _table_blocks(block, name)
        elif isinstance(block, Paragraph) and "年度资金总额" in block.text:
            yield from _text_blocks(block, name)
    for rows in _pipe_rows(doc):
        yield from _table_blocks(rows, name)


def _header_columns(cells: Sequence[str]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, cell in enumerate(cells):
        words = _HEADER_WORD.findall(cell.replace(" ", ""))
        if len(words) == 1:
            out[i] = _SAME_COLUMN.get(words[0], words[0])
    return out


def _table_blocks(table: Table, name: str) -> Iterator[FundBlock]:
    header: dict[int, str] = {}
    width = 0
    rows = table.rows
    for r, cells in enumerate(rows):
        columns = _header_columns(cells)
        if sum(1 for c in columns.values() if c in _AMOUNT_COLUMNS) >= 2:
            header, width = columns, len(cells)
            continue
        if not header or len(cells) != width:
            continue
        if not any(_TABLE_TOTAL.search(c) for c in _words(cells)):
            continue
        shifted = _aligned(header, cells)
        if shifted is None:
            continue
        total = _row_figures(cells, shifted)
        parts: list[tuple[str, dict[str, PrintedFigure]]] = []
        for below in rows[r + 1 :]:
            if len(below) != width:
                break
            m = next((m for c in _words(below) if (m := _PART_LABEL.fullmatch(c))), None)
            if m is None:
                break
            parts.append((m.group(1), _row_figures(below, shifted)))
        if _complete(parts):
            yield FundBlock(total, parts, table.location(name, r))


def _is_value(cell: str) -> bool:
    text = cell.strip()
    return text in _EMPTY or _decimal(text.rstrip("%％")) is not None


def _words(cells: Sequence[str]) -> list[str]:
    """A row's cells that are not figures (its label, a merged group label, a note)."""
    return [c.replace(" ", "") for c in cells if not _is_value(c)]


def _aligned(header: dict[int, str], total: Sequence[str]) -> dict[int, str] | None:
    """The header's columns at the total row's cells: as they stand, or one cell to the
    left when the header row leads with a label the data rows do not repeat (a merged
    "预算执行情况(10分)" cell). Certain only when the amount columns hold numbers, the
    执行率 column a percentage, and some amount is there."""
    for shift in (0, -1):
        moved = {i + shift: c for i, c in header.items()}
        if min(moved) < 0:
            continue
        ok, amounts = True, 0
        for i, column in moved.items():
            cell = total[i].strip() if i < len(total) else ""
            if cell in _EMPTY:
                continue
            percent = cell.endswith(("%", "％"))
            if column in _AMOUNT_COLUMNS:
                ok &= not percent and _decimal(cell) is not None
                amounts += 1
            elif column == "执行率":
                ok &= percent
        if ok and amounts:
            return moved
    return None


def _row_figures(cells: Sequence[str], header: dict[int, str]) -> dict[str, PrintedFigure]:
    out = {}
    for i, column in header.items():
        value = _decimal(cells[i]) if i < len(cells) else None
        if value is not None:
            out[column] = PrintedFigure(value, cells[i].strip())
    return out


def _complete(parts: list[tuple[str, dict[str, PrintedFigure]]]) -> bool:
    """The 其中 rows are the template's whole breakdown: 财政拨款 (财政资金) and 其他资金
    both listed."""
    labels = " ".join(label for label, _ in parts)
    return "财政" in labels and "其他资金" in labels


# -- fund blocks in text --------------------------------------------------------------------
def _text_blocks(para: Paragraph, name: str) -> Iterator[FundBlock]:
    text = para.text
    for m in _TOTAL_LABEL.finditer(text):
        columns = _text_header(text[max(0, m.start() - 120) : m.start()])
        if not columns:
            continue
        at = m.end()
        total_tokens, at = _tokens(text, at)
        total = _bind(total_tokens, columns)
        if total is None:
            continue
        parts: list[tuple[str, dict[str, PrintedFigure]]] = []
        ok = True
        while True:
            label = _PART_LABEL.match(text, _skip_space(text, at))
            if label is None:
                break
            tokens, at = _tokens(text, label.end())
            row = _bind(tokens, columns)
            if row is None:
                ok = False
                break
            parts.append((label.group(1), row))
        if ok and _complete(parts):
            quote = " ".join(text[m.start() : at].split())
            yield FundBlock(total, parts, para.location(name, quote[:80]), quote)


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _text_header(before: str) -> list[str]:
    """The fund block's column names just before its total row, in order; [] unless the
    amount columns lead (the only order in which a short row can be bound)."""
    words = [_SAME_COLUMN.get(m.group(1), m.group(1)) for m in _HEADER_WORD.finditer(before)]
    # the header is the last run of column words before the total row
    run: list[str] = []
    for w in words:
        if run and _COLUMN_NAMES.index(w) <= _COLUMN_NAMES.index(run[-1]):
            run = []
        run.append(w)
    amounts = [c for c in run if c in _AMOUNT_COLUMNS]
    if len(amounts) < 2 or run[: len(amounts)] != amounts:
        return []
    return run


def _tokens(text: str, at: int) -> tuple[list[str], int]:
    """The whitespace-separated numbers from ``at``: the row's figures, and where they end.
    Numbers glued to each other ("202010100.00%10") make the row unreadable (``["?"]``)."""
    out: list[str] = []
    i = at
    while True:
        j = _skip_space(text, i)
        m = _TOKEN.match(text, j)
        if m is None:
            return out, i
        if out and j == i:  # glued to the number before
            return ["?"], m.end()
        out.append(m.group().replace(" ", ""))
        i = m.end()


def _bind(tokens: list[str], columns: list[str]) -> dict[str, PrintedFigure] | None:
    """A row's figures by column, or None when they cannot be bound with certainty."""
    if tokens == ["?"]:
        return None
    amounts = [c for c in columns if c in _AMOUNT_COLUMNS]
    if len(tokens) == len(columns):
        named = columns
    elif len(tokens) == len(amounts):
        named = amounts
    elif not tokens:
        return {}
    else:
        return None
    out = {}
    for column, token in zip(named, tokens, strict=True):
        value = _decimal(token.rstrip("%％"))
        if value is None:
            return None
        if column in _AMOUNT_COLUMNS and token.endswith(("%", "％")):
            return None
        out[column] = PrintedFigure(value, token)
    return out


# -- a row and the 其中 rows listed under it ---------------------------------------------------
_SUB_OPEN = re.compile(r"^其中\s*[:：]?\s*[（(]\s*1\s*[)）]")
_SUB_NEXT = re.compile(r"^[（(]\s*(\d+)\s*[)）]")
#: Column words of figures that do not add up (rates, shares, changes, scores).
_NOT_ADDITIVE = ("率", "比", "%", "％", "增减", "变动", "分值", "得分", "序号", "编码", "代码")
#: A parent whose 其中 rows are known to be the whole of it: its name and the words each
#: part must name.
_WHOLES: tuple[tuple[str, tuple[str, ...]], ...] = (("公务用车", ("购置", "运行")),)


def _check_subrows(table: Table, name: str) -> Iterator[Finding]:
    rows = table.rows
    for r in range(1, len(rows) - 1):
        first = rows[r][0].replace(" ", "") if rows[r] else ""
        if not _SUB_OPEN.match(first):
            continue
        parent = rows[r - 1]
        group = [rows[r]]
        for below in rows[r + 1 :]:
            m = _SUB_NEXT.match(below[0].replace(" ", "")) if below else None
            if m is None or int(m.group(1)) != len(group) + 1:
                break
            group.append(below)
        if len(group) < 2 or any(len(g) != len(parent) for g in group):
            continue
        header = _column_words(rows[: r - 1], len(parent))
        whole = _is_whole(parent[0], [g[0] for g in group])
        for c in range(1, len(parent)):
            if any(w in header[c] for w in _NOT_ADDITIVE):
                continue
            top = _decimal(parent[c])
            parts = [_decimal(g[c]) for g in group]
            if top is None or any(p is None for p in parts):
                continue
            values = [
                PrintedFigure(p, g[c].strip()) for p, g in zip(parts, group, strict=True) if p is not None
            ]
            if any(f.value < 0 for f in values) or top < 0:
                continue
            low, high = _sum_interval(values)
            t_low, t_high = rounding_interval(top)
            summed = sum((f.value for f in values), ZERO)
            if low > t_high or (whole and high < t_low):
                label = " ".join(parent[0].split())
                yield finding(
                    "sum-mismatch" if whole else "parts-exceed-total",
                    table.location(name, r - 1, header[c] or None),
                    printed=parent[c].strip(),
                    expected=plain(summed),
                    what=label,
                    parts=" + ".join(
                        f"{' '.join(g[0].split())} {f.text}" for g, f in zip(group, values, strict=True)
                    ),
                )


def _column_words(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Each column's header words: the cells above the data that hold no number."""
    words = [""] * width
    for cells in rows:
        if len(cells) != width or any(_decimal(c) is not None for c in cells[1:]):
            continue
        for i, c in enumerate(cells):
            words[i] += c.replace(" ", "")
    return words


def _is_whole(parent: str, parts: list[str]) -> bool:
    for whole, words in _WHOLES:
        if whole in parent and len(parts) == len(words) and all(any(w in p for p in parts) for w in words):
            return True
    return False


# -- a form's 总分 against its level-1 weights ----------------------------------------------
#: A level-1 heading with its weight; not the level-2 names that end the same way
#: (社会效益指标, 服务对象满意度指标).
_LEVEL1 = re.compile(
    r"(?<!经济)(?<!社会)(?<!生态)(?<!环境)(?<!对象)(?<!公众)(?<!群众)"
    r"(产出指标|效益指标|满意度指标)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]"
)
_TOTAL_ROW = re.compile(r"总\s*分\s*[:：]?\s*(\d+(?:\.\d+)?)(?:\s+(\d+(?:\.\d+)?))?(?![\d.])")
_RATE_THEN_SCORE = re.compile(r"\d(?:\.\d+)?\s*[%％]\s*(\d+(?:\.\d+)?)\s*$")


def form_totals(doc: PublishedDocument, name: str) -> Iterator[Finding]:
    """A form's 总分 is its 预算执行 weight plus its level-1 weights: when the level-1
    weights its headings state plus the 预算执行 score its fund block shows already exceed
    the printed 总分, the 总分 is wrong."""
    for para in doc.paragraphs():
        text = para.text
        start = 0
        for m in _TOTAL_ROW.finditer(text):
            form = text[start : m.start()]
            start = m.end()
            weight = _total_weight(m)
            execution = _execution_score(form)
            if weight is None or execution is None:
                continue
            levels: dict[str, Decimal] = {}
            clash = False
            for lv in _LEVEL1.finditer(form):
                value = Decimal(lv.group(2))
                clash |= levels.setdefault(lv.group(1), value) != value
            if clash or len(levels) < 2:
                continue
            least = sum(levels.values(), ZERO) + execution
            if least > weight:
                parts = " + ".join(f"{k} {plain(v)}" for k, v in levels.items())
                yield finding(
                    "total-weight-mismatch",
                    para.location(name, " ".join(m.group().split())),
                    printed=plain(weight),
                    expected=plain(least),
                    parts=f"{parts} + 预算执行得分 {plain(execution)}",
                )


def _total_weight(m: re.Match[str]) -> Decimal | None:
    """The 总分 row's weight: its first number, or the first half of two glued ones
    ("总分100100") when only one split gives two numbers of at most 100 without a leading
    zero."""
    if m.group(2) is not None:
        return Decimal(m.group(1))
    digits = m.group(1)
    if len(digits) > 12:  # two scores of at most 100 with two decimals each fit in 12
        return None
    splits = []
    for i in range(1, len(digits)):
        a, b = digits[:i], digits[i:]
        if "." in a and a.endswith("."):
            continue
        if any(len(x) > 1 and x[0] == "0" and x[1] != "." for x in (a, b)):
            continue
        try:
            da, db = Decimal(a), Decimal(b)
        except InvalidOperation:
            continue
        if da <= 100 and db <= 100 and db <= da:
            splits.append(da)
    return splits[0] if len(splits) == 1 else None


def _execution_score(form: str) -> Decimal | None:
    """The 预算执行 score of a form's fund block: the number after the rate on the
    年度资金总额 row, when the header ends 执行率 得分."""
    m = _TOTAL_LABEL.search(form)
    if m is None:
        return None
    header = [_SAME_COLUMN.get(w, w) for w in _HEADER_WORD.findall(form[max(0, m.start() - 120) : m.start()])]
    if header[-2:] != ["执行率", "得分"]:
        return None
    columns = _text_header(form[max(0, m.start() - 120) : m.start()])
    bound = _bind(_tokens(form, m.end())[0], columns) if columns else None
    if bound and "得分" in bound:
        return bound["得分"].value
    row = form[m.end() :]
    part = _PART_LABEL.search(row)
    row = row[: part.start()] if part else row
    score = _RATE_THEN_SCORE.search(row)
    return Decimal(score.group(1)) if score else None
