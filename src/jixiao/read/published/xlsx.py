"""Excel (.xlsx): each visible worksheet's tables and notes, through openpyxl.

What comes out, for the recognisers:

* cell values as the cell shows them: the number format decides the decimals, a
  percentage format multiplies by 100 and adds '%', a ``#,##0.00`` format keeps its
  thousands separators, literal text in a format (``0.00"万元"``) is kept; General
  numbers print at most 15 significant digits, integers without '.0' — never a float
  artefact. Dates print as ``2024-12-31``. Formulas give their cached value (the value
  Excel last computed); a workbook written by a program and never opened in Excel has
  none, and such cells read as "". Line breaks in a cell are joined as in a Word cell.
* a merged cell appears once, in its top-left position; the other positions it covers
  are "" (horizontally and vertically alike), so columns stay aligned. Columns left of
  the sheet's first non-empty column are cut; every row has the sheet's width.
* a Table per block of rows; its title is the short one-cell row above it (preferring one
  that names a 表), else the sheet name. ``line`` and ``row_lines`` are Excel row numbers.
* a Paragraph per one-cell row that is long (a note: 注：…) or stands outside a table;
  short one-cell rows before a table (title, 单位：万元) are Paragraphs too.

Hidden sheets are skipped; hidden rows and columns are read (they are part of the data).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jixiao.model.document import Builder, PublishedDocument
from jixiao.read import workbook as workbook_limits
from jixiao.read.published._files import check_office_zip, fail, join_lines, translated

#: A one-cell row at least this long is a note (paragraph), never part of a table.
NOTE_LENGTH = 20
_NOTE_START = ("注", "备注", "说明", "填报说明", "数据来源")


def read(path: Path) -> PublishedDocument:
    check_office_zip(path, "Excel", ".xlsx")
    # rows and cells counted before openpyxl builds them
    workbook_limits.check(path, lambda p, d: fail(p, "unreadable-document", kind="Excel", detail=d))
    builder = Builder()
    with translated(path, "Excel"):
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
        try:
            for sheet in workbook.worksheets:
                if sheet.sheet_state == "visible":
                    _read_sheet(sheet, builder)
        finally:
            workbook.close()
    if not builder.paragraphs:
        raise fail(path, "empty-document")
    return builder.build(str(path), kind="xlsx")


def _read_sheet(sheet: Any, builder: Builder) -> None:
    grid = _grid(sheet)
    table: list[list[str]] = []
    lines: list[int | None] = []
    titles: list[str] = []  # short one-cell rows since the last table or note
    gap = False  # a blank row since the last table row
    first = True

    def flush() -> None:
        nonlocal table, lines, titles, first
        if table:
            title = _choose_title(titles) or (sheet.title if first else "")
            builder.table(table, line=lines[0], row_lines=lines, title=title)
            first = False
        table, lines, titles = [], [], []

    previous = 0
    for number, row in grid:
        if number > previous + 1 and table:
            gap = True  # blank rows since the last table row
        previous = number
        filled = [c for c in row if c]
        if len(filled) == 1:
            text = filled[0]
            if len(text) >= NOTE_LENGTH or text.startswith(_NOTE_START) or not table or gap:
                flush()
                builder.paragraph(text, number)
                if len(text) < NOTE_LENGTH:
                    titles.append(text)
                gap = False
                continue
        table.append(row)
        lines.append(number)
        gap = False
    flush()


def _choose_title(candidates: list[str]) -> str:
    for text in reversed(candidates):
        if "表" in text or "一览" in text:
            return text
    return next((t for t in candidates if not t.startswith(("单位", "金额单位"))), "")


def _grid(sheet: Any) -> list[tuple[int, list[str]]]:
    """(Excel row number, cell texts) of the sheet's non-empty rows, from its first to its
    last non-empty column.

    Only the cells the file holds are visited (``sheet._cells``): ``iter_rows`` would
    create every cell of the used range, and a stray format at XFD1048576 makes that range
    the whole sheet."""
    texts: dict[tuple[int, int], str] = {}
    for (row, column), cell in sheet._cells.items():
        text = cell_text(cell)
        if text:
            texts[(row, column)] = text
    if not texts:
        return []
    first = min(column for _, column in texts)
    width = max(column for _, column in texts) - first + 1
    rows: dict[int, list[str]] = {}
    for (row, column), text in texts.items():
        rows.setdefault(row, [""] * width)[column - first] = text
    return sorted(rows.items())


def cell_text(cell: Any) -> str:
    """The text a cell shows (see the module docstring); "" for an empty or merged-over cell."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return format_number(value, cell.number_format or "General")
    return join_lines(str(value).splitlines())  # Alt+Enter breaks, joined as Word cell paragraphs are


_NUMERIC = set("0#?.,")


def format_number(value: float | int | Decimal, number_format: str) -> str:
    """``value`` as Excel shows it with ``number_format``: the common formats (decimals,
    thousands separators, percent, literal text, a negative section); anything else
    (scientific, fractions, text '@') falls back to General."""
    number = _exact(value)
    sections = number_format.split(";")
    section = sections[0]
    if number < 0 and len(sections) > 1 and sections[1].strip():
        section, number = sections[1], -number  # the negative section writes its own sign
    elif number == 0 and len(sections) > 2 and sections[2].strip():
        section = sections[2]  # the zero section: accounting formats show "-"
    tokens = _tokens(section)
    digits = [i for i, (kind, ch) in enumerate(tokens) if kind == "code" and ch in "0#?"]
    if not digits or any(kind == "code" and ch in "Ee/" for kind, ch in tokens):
        if not digits and section.strip().lower() not in ("general", "@", ""):
            return "".join(ch for _, ch in tokens).strip()  # a literal-only section ("-")
        return _general(number)
    start, end = digits[0], digits[-1]
    while start > 0 and tokens[start - 1] == ("code", "."):
        start -= 1
    numeric = "".join(ch for _, ch in tokens[start : end + 1])
    if any(kind == "code" and ch == "%" for kind, ch in tokens):
        number *= 100
    integer, _, fraction = numeric.partition(".")
    decimals = sum(ch in "0#?" for ch in fraction)
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if not rounded:
        rounded = abs(rounded)  # -0.00 shows as 0.00
    text = f"{rounded:,.{decimals}f}" if "," in integer else f"{rounded:.{decimals}f}"
    if not rounded and "0" not in numeric:
        text = ""  # '#' and '?' show no insignificant zero: "-"?? shows a zero as "-"
    before = "".join(ch for kind, ch in tokens[:start] if kind != "code" or ch not in _NUMERIC)
    after = "".join(ch for kind, ch in tokens[end + 1 :] if kind != "code" or ch not in _NUMERIC)
    return before + text + after


def _tokens(section: str) -> list[tuple[str, str]]:
    """A format section as ("code", char) and ("text", literal) tokens; colours and
    locales in brackets and padding (_x, *x) dropped."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            close = section.find('"', i + 1)
            close = len(section) if close < 0 else close
            tokens.append(("text", section[i + 1 : close]))
            i = close + 1
        elif ch == "\\" and i + 1 < len(section):
            tokens.append(("text", section[i + 1]))
            i += 2
        elif ch in "_*":
            i += 2
        elif ch == "[":
            close = section.find("]", i)
            i = len(section) if close < 0 else close + 1
        else:
            tokens.append(("code", ch))
            i += 1
    return tokens


def _exact(value: float | int | Decimal) -> Decimal:
    """A Decimal of the number as written, with the float's binary noise cut at 15
    significant digits (Excel keeps no more): 0.1 + 0.2 -> 0.3."""
    if isinstance(value, float):
        try:
            return Decimal(format(value, ".15g"))
        except InvalidOperation:  # inf / nan cannot be in a cell; be safe
            return Decimal(0)
    return Decimal(value)


def _general(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")
