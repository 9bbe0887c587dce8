"""PDF: each page's tables and the text lines outside them, in reading order, through
pdfplumber.

What comes out, for the recognisers:

* a Table per ruled table (pdfplumber's line strategy). A merged cell appears once, in
  its top-left position; the positions it covers are "" (pdfplumber's None). The text of
  a cell is read like a paragraph's (below); its wrapped lines are joined.
* a Table also for a table without rules: two or more consecutive text lines that each
  fall apart into three or more pieces at wide gaps (1.5 characters or more); the columns
  are where the pieces of all its lines overlap horizontally. (pdfplumber's own "text"
  strategy cuts justified Chinese prose into columns, so it is not used.) A borderless
  table with only two columns stays as lines of text ("基本支出 483.46").
* a table that ends one page and goes on at the top of the next is one Table (``page`` =
  the page it starts on) when the next page's column edges are among the first page's
  (a merged cell hides an edge, so the count may differ: cells are put back in the
  columns of the first page); the header rows the next page repeats are dropped.
* a Paragraph per paragraph of the text outside tables: lines are joined when a line
  runs to the right margin without ending a sentence and the next starts at the left
  margin (not indented, not a heading such as 一、/（一）/1.), also across a page break.
  ``page`` is the page it starts on, ``line`` its line number on that page (text lines
  outside tables).
* spacing: a space in the text layer, or a gap wider than a fifth of the character size
  (many writers draw no space glyph), is one space — so a label typed "合  计" or
  letter-spaced reads "合 计", as it does from Word or Excel. Lines a layout wrapped are
  joined without a space next to a Chinese character.
* page numbers in the top or bottom margin ("- 3 -", "第 3 页 共 9 页") are dropped.

Reading order is top to bottom on a page; a two-column layout is read across.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.audit.document import Builder, Document
from jixiao.audit.readers._files import check_size, fail, head, join_lines, translated
from jixiao.core.findings import Location, finding

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
_EDGE_TOLERANCE = 2.0  # points: the same column edge on two pages


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
            pages = []
            for page in pdf.pages:
                pages.append(_read_page(page))
                page.close()  # drop the page's parsed objects: memory stays flat over long files
    if not pages:
        raise fail(path, "empty-document")
    if not any(p.chars for p in pages):
        if any(p.images for p in pages):
            raise fail(path, "scanned-pdf", pages=len(pages))
        raise fail(path, "empty-document")
    builder = _Assembler(pages).build()
    if not builder.paragraphs:
        raise fail(path, "empty-document")
    # Pages with images but no text among pages with text: scanned pages, not audited.
    scanned = [n for n, p in enumerate(pages, start=1) if not p.chars and p.images]
    notes = ()
    if scanned:
        listed = "、".join(str(n) for n in scanned[:20]) + ("……" if len(scanned) > 20 else "")
        notes = (finding("scanned-pages", Location(file=str(path)), pages=listed, count=len(scanned)),)
    return builder.build(str(path), pages=len(pages), kind="pdf", notes=notes)


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
class _Grid:
    """A table found on a page: its rows and the x of each column's left edge."""

    rows: list[list[str]]
    edges: list[float]


_Item = tuple[float, _Line | _Grid]


@dataclass
class _Page:
    number: int
    chars: int
    images: int
    items: list[_Item] = field(default_factory=list)


def _read_page(page: Any) -> _Page:
    result = _Page(page.page_number, len(page.chars), len(page.images))
    if not result.chars:
        return result
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items: list[_Item] = [(t.bbox[1], _grid(t, page.chars)) for t in tables]
    outside = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
    height = float(page.height)
    number = 0
    for raw in outside.extract_text_lines(strip=True, return_chars=True):
        size = _size(raw["chars"]) or (raw["bottom"] - raw["top"])
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


def _size(chars: list[dict[str, Any]]) -> float:
    return max((float(c.get("size", 0)) for c in chars), default=0.0)


def _segments(chars: list[dict[str, Any]], size: float) -> list[tuple[float, float, str]]:
    """The line's text in pieces split at gaps of :data:`_COLUMN_GAP` characters (see the
    module docstring for the spaces inside a piece)."""
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
            elif space or gap > 0.2 * size:
                text += " "
        if not text:
            x0, x1 = char["x0"], char["x1"]
        text += glyph
        x1, space = max(x1, char["x1"]), False
    if text:
        pieces.append((x0, x1, text))
    return pieces


def _grid(table: Any, chars: list[dict[str, Any]]) -> _Grid:
    """The rows of a ruled table; each cell's text from the characters whose centre lies
    in it, read in lines like the page's text."""
    x0, top, x1, bottom = table.bbox
    inside: list[tuple[float, float, dict[str, Any]]] = []
    for char in chars:
        x, y = _middle(char)
        if x0 <= x <= x1 and top <= y <= bottom:
            inside.append((x, y, char))
    inside.sort(key=lambda m: m[1])
    ys = [m[1] for m in inside]

    def chars_in(bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
        cx0, ctop, cx1, cbottom = bbox
        lo, hi = bisect.bisect_left(ys, ctop), bisect.bisect_right(ys, cbottom)
        return [c for x, _, c in inside[lo:hi] if cx0 <= x <= cx1]

    used: set[int] = set()
    cells_by_row = []
    for row in table.rows:
        cells = []
        for bbox in row.cells:
            found = chars_in(bbox) if bbox is not None else []
            used.update(id(c) for c in found)
            cells.append(found if bbox is not None else None)
        cells_by_row.append(cells)
    columns = table.columns
    rows = []
    for row, cells in zip(table.rows, cells_by_row, strict=True):
        texts = []
        for k, cell in enumerate(cells):
            found = cell
            if found is None:
                # No closed cell here: merged into a neighbour, or a cell whose rule the
                # page break cut (a tall merged cell split over two pages). Text in no
                # cell at all belongs to the latter.
                x0, _, x1, _ = columns[k].bbox if k < len(columns) else (0, 0, -1, 0)
                found = [c for c in chars_in((x0, row.bbox[1], x1, row.bbox[3])) if id(c) not in used]
                used.update(id(c) for c in found)
            texts.append(_cell_text(found))
        rows.append(texts)
    return _Grid(rows, [column.bbox[0] for column in columns])


def _middle(char: dict[str, Any]) -> tuple[float, float]:
    return (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2


def _cell_text(chars: list[dict[str, Any]]) -> str:
    """Characters of one cell: grouped into lines by their top, each read like a page line."""
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if lines and char["top"] - lines[-1][0]["top"] < 0.5 * float(char.get("size") or 1):
            lines[-1].append(char)
        else:
            lines.append([char])
    texts = [" ".join(t for _, _, t in _segments(line, _size(line) or 1.0)) for line in lines]
    return join_lines(texts, wrapped=True)


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether the object's centre lies in one of the table boxes."""
    if "x0" not in obj or "top" not in obj:
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _borderless_tables(items: list[_Item]) -> list[_Item]:
    """Runs of two or more consecutive lines with three or more pieces become tables."""
    out: list[_Item] = []
    run: list[_Line] = []

    def flush() -> None:
        grid = _columns(run) if len(run) >= 2 else None
        if grid is None:
            out.extend((ln.top, ln) for ln in run)
        else:
            out.append((run[0].top, grid))
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


def _columns(lines: list[_Line]) -> _Grid | None:
    """A borderless table: columns where the lines' pieces overlap horizontally; None
    when fewer than three columns come out."""
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
    return _Grid(rows, [a for a, _ in columns])


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
        self.table: _Grid | None = None  # the open table (it may go on next page)
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

    def _table(self, grid: _Grid, page: int) -> None:
        self._flush_text()
        if self.table is not None and page > self.table_page:
            rows = _realign(grid, self.table.edges)
            if rows is not None:
                repeated = 0
                limit = min(_REPEATED_HEADER_ROWS, len(rows) - 1, len(self.table.rows))
                while repeated < limit and rows[repeated] == self.table.rows[repeated]:
                    repeated += 1
                self.table.rows.extend(rows[repeated:])
                self.table_page = page
                return
        self._flush_table()
        self.table, self.table_start, self.table_page = grid, page, page

    def _flush_text(self) -> None:
        if self.text:
            self.builder.paragraph(join_lines(self.text, wrapped=True), self.text_at[1], self.text_at[0])
        self.text, self.last_line = [], None

    def _flush_table(self) -> None:
        if self.table is not None:
            self.builder.table(self.table.rows, page=self.table_start)
        self.table = None


def _realign(grid: _Grid, edges: list[float]) -> list[list[str]] | None:
    """The rows of ``grid`` in the columns ``edges`` of the table it continues, or None
    when one of its column edges is not among them (another table)."""
    index = []
    for edge in grid.edges:
        k = next((i for i, e in enumerate(edges) if abs(e - edge) <= _EDGE_TOLERANCE), None)
        if k is None:
            return None
        index.append(k)
    rows = []
    for row in grid.rows:
        out = [""] * len(edges)
        for k, text in zip(index, row, strict=False):
            out[k] = text
        rows.append(out)
    return rows
