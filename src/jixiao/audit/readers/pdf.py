"""PDF: each page's tables and the text lines outside them, in reading order, through
pdfplumber.

What comes out, for the recognisers:

* a Table per ruled table (pdfplumber's line strategy). A merged cell appears once, in
  its top-left position; the positions it covers are "" (pdfplumber's None). Lines broken
  inside a cell are joined (no space between two Chinese characters).
* a Table also for a table without rules: two or more consecutive text lines that each
  fall apart into three or more pieces at wide gaps (1.5 characters or more); the columns
  are where the pieces of all its lines overlap horizontally. (pdfplumber's own "text"
  strategy cuts justified Chinese prose into columns, so it is not used.) A borderless
  table with only two columns stays as lines of text ("基本支出 483.46").
* a table that ends one page and goes on at the top of the next with the same number of
  columns is one Table (``page`` = the page it starts on); the header rows the next page
  repeats are dropped.
* a Paragraph per paragraph of the text outside tables: lines are joined when a line
  runs to the right margin without ending a sentence and the next starts at the left
  margin (not indented, not a heading such as 一、/（一）/1.), also across a page break.
  ``page`` is the page it starts on, ``line`` its line number on that page (text lines
  outside tables). A gap between two Chinese characters (letter spacing) gives no space;
  any other gap, or a space in the text layer, gives one.
* page numbers in the top or bottom margin ("- 3 -", "第 3 页 共 9 页") are dropped.

Reading order is top to bottom on a page; a two-column layout is read across.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.audit.document import Builder, Document
from jixiao.audit.readers._files import check_size, fail, head, is_cjk, join_lines, squeeze_cjk, translated

# pdfminer warns through logging about harmless oddities of a file; keep them out of the
# user's terminal unless the application configured logging itself.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

_COLUMN_GAP = 1.5  # a gap of this many character sizes separates the cells of a borderless table
_SENTENCE_END = tuple("。！？：；!?:;")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d)|第[一二三四五六七八九十]+[章节部分])"
)
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*\d+[-—–\s]*$|^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
_MARGIN = 0.08  # share of the page height at the top and bottom where page numbers live
_REPEATED_HEADER_ROWS = 3


def read(path: Path) -> Document:
    check_size(path)
    if b"%PDF" not in head(path, 1024):
        raise fail(path, "unreadable-document", kind="PDF", detail="文件不是 PDF（缺少 %PDF 文件头）")
    with translated(path, "PDF"):
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfplumber.utils.exceptions import PdfminerException

        try:
            pdf = pdfplumber.open(path, raise_unicode_errors=False)
        except PdfminerException as exc:
            cause = exc.args[0] if exc.args else exc
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
                raise fail(path, "encrypted-document") from None
            raise
        with pdf:
            pages = [_read_page(page) for page in pdf.pages]
    if not pages:
        raise fail(path, "empty-document")
    if not any(p.chars for p in pages):
        if any(p.images for p in pages):
            raise fail(path, "scanned-pdf", pages=len(pages))
        raise fail(path, "empty-document")
    builder = _Assembler(pages).build()
    if not builder.paragraphs:
        raise fail(path, "empty-document")
    return builder.build(str(path), pages=len(pages), kind="pdf")


@dataclass
class _Line:
    segments: list[tuple[float, float, str]]  # (x0, x1, text) pieces split at wide gaps
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    number: int = 0  # 1-based line on its page

    @property
    def text(self) -> str:
        return " ".join(t for _, _, t in self.segments)


@dataclass
class _Page:
    number: int
    chars: int
    images: int
    items: list[tuple[float, _Line | list[list[str]]]] = field(default_factory=list)


def _read_page(page: Any) -> _Page:
    result = _Page(page.page_number, len(page.chars), len(page.images))
    if not result.chars:
        return result
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, _Line | list[list[str]]]] = [
        (t.bbox[1], [[_cell(c) for c in row] for row in t.extract()]) for t in tables
    ]
    outside = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
    height = float(page.height)
    number = 0
    for raw in outside.extract_text_lines(strip=True, return_chars=True):
        size = max((c.get("size", 0) for c in raw["chars"]), default=0) or (raw["bottom"] - raw["top"])
        segments = _segments(raw["chars"], size)
        if not segments:
            continue
        line = _Line(segments, raw["x0"], raw["x1"], raw["top"], raw["bottom"], size)
        in_margin = line.top < height * _MARGIN or line.bottom > height * (1 - _MARGIN)
        if in_margin and _PAGE_NUMBER.match(line.text):
            continue
        number += 1
        line.number = number
        items.append((line.top, line))
    items.sort(key=lambda item: item[0])
    result.items = _borderless_tables(items)
    return result


def _segments(chars: list[dict[str, Any]], size: float) -> list[tuple[float, float, str]]:
    """The line's text in pieces split at gaps of :data:`_COLUMN_GAP` characters; inside a
    piece a smaller gap or a space character gives one space, except between two Chinese
    characters (letter spacing)."""
    pieces: list[tuple[float, float, str]] = []
    text, x0, x1, space = "", 0.0, 0.0, False
    for char in sorted(chars, key=lambda c: c["x0"]):
        glyph = char["text"]
        if not glyph.strip():
            space = True
            continue
        if text:
            gap = char["x0"] - x1
            if gap >= _COLUMN_GAP * size:
                pieces.append((x0, x1, text))
                text = ""
            elif (space or gap > 0.2 * size) and not (is_cjk(text[-1]) and is_cjk(glyph[0])):
                text += " "
        if not text:
            x0, x1 = char["x0"], char["x1"]
        text += glyph
        x1, space = max(x1, char["x1"]), False
    if text:
        pieces.append((x0, x1, text))
    return pieces


def _borderless_tables(
    items: list[tuple[float, _Line | list[list[str]]]],
) -> list[tuple[float, _Line | list[list[str]]]]:
    """Runs of two or more consecutive lines with three or more pieces become tables."""
    out: list[tuple[float, _Line | list[list[str]]]] = []
    run: list[_Line] = []

    def flush() -> None:
        rows = _columns(run) if len(run) >= 2 else None
        if rows is None:
            out.extend((ln.top, ln) for ln in run)
        else:
            out.append((run[0].top, rows))
        run.clear()

    for top, item in items:
        if isinstance(item, _Line) and len(item.segments) >= 3:
            if run and item.top - run[-1].bottom > 2.5 * max(item.size, run[-1].size):
                flush()
            run.append(item)
            continue
        flush()
        out.append((top, item))
    flush()
    return out


def _columns(lines: list[_Line]) -> list[list[str]] | None:
    """The rows of a borderless table: columns where the lines' pieces overlap
    horizontally; None when fewer than three columns come out."""
    spans = sorted((x0, x1) for ln in lines for x0, x1, _ in ln.segments)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < 3:
        return None
    rows = []
    for ln in lines:
        row = [""] * len(columns)
        for x0, x1, text in ln.segments:
            middle = (x0 + x1) / 2
            k = next(i for i, (a, b) in enumerate(columns) if a <= middle <= b)
            row[k] = f"{row[k]} {text}".strip()
        rows.append(row)
    return rows


def _cell(value: str | None) -> str:
    if value is None:
        return ""
    return squeeze_cjk(join_lines(value.split("\n"), wrapped=True))


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether the object's centre lies in one of the table boxes."""
    if "x0" not in obj or "top" not in obj:
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


class _Assembler:
    """Puts the pages' items into a Builder: joins paragraph lines and continued tables."""

    def __init__(self, pages: list[_Page]):
        self.pages = pages
        lines = [item for p in pages for _, item in p.items if isinstance(item, _Line)]
        self.left = min((ln.x0 for ln in lines), default=0.0)
        self.right = max((ln.x1 for ln in lines), default=0.0)
        self.builder = Builder()
        self.text: list[str] = []  # lines of the open paragraph
        self.text_at: tuple[int, int] = (0, 0)  # (page, line) where it starts
        self.last_line: _Line | None = None
        self.table: list[list[str]] = []  # the open table (it may go on next page)
        self.table_start = 0  # the page it starts on
        self.table_page = 0  # the last page it reaches

    def build(self) -> Builder:
        for page in self.pages:
            for _, item in page.items:
                if isinstance(item, _Line):
                    self._line(item, page.number)
                else:
                    self._table(item, page.number)
        self._flush_text()
        self._flush_table()
        return self.builder

    def _line(self, line: _Line, page: int) -> None:
        self._flush_table()
        if self.text and self._continues(line):
            self.text.append(line.text)
        else:
            self._flush_text()
            self.text, self.text_at = [line.text], (page, line.number)
        self.last_line = line

    def _continues(self, line: _Line) -> bool:
        """Whether ``line`` goes on with the paragraph the last line left open."""
        last = self.last_line
        if last is None:
            return False
        size = max(last.size, line.size, 1.0)
        full = last.x1 >= self.right - 2.5 * size  # ragged (unjustified) lines end up to 2 characters short
        return (
            full
            and not last.text.endswith(_SENTENCE_END)
            and line.x0 <= self.left + 0.5 * size
            and abs(line.size - last.size) < 0.5
            and not _HEADING.match(line.text)
            and (line.top < last.top or line.top - last.bottom < 1.2 * size)  # next page, or close below
        )

    def _table(self, rows: list[list[str]], page: int) -> None:
        self._flush_text()
        if self.table and page > self.table_page and len(rows[0]) == len(self.table[0]):
            repeated = 0
            while (
                repeated < min(_REPEATED_HEADER_ROWS, len(rows) - 1)
                and rows[repeated] == self.table[repeated]
            ):
                repeated += 1
            self.table.extend(rows[repeated:])
            self.table_page = page
            return
        self._flush_table()
        self.table, self.table_start, self.table_page = rows, page, page

    def _flush_text(self) -> None:
        if self.text:
            self.builder.paragraph(join_lines(self.text, wrapped=True), self.text_at[1], self.text_at[0])
        self.text, self.last_line = [], None

    def _flush_table(self) -> None:
        if self.table:
            self.builder.table(self.table, page=self.table_start)
        self.table = []
