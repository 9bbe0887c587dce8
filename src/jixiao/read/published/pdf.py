"""PDF: each page's tables and the text lines outside them, in reading order.

The characters and ruling lines come from PDFium (``pdf_pages.py``, which also enforces
the limits on pages, inflated bytes, characters and time); pdfplumber's table finder runs
on the rules of the pages that have them. Pages beyond a limit are listed in a
``pdf-pages-not-read`` note and the rest is audited.

What comes out, for the recognisers:

* a Table per ruled table (pdfplumber's line strategy). A merged cell appears once, in
  its top-left position; the positions it covers are "" (pdfplumber's None). The text of
  a cell is read like a paragraph's (below); its wrapped lines are joined.
* a Table also for a table without rules: two or more consecutive text lines that each
  fall apart into three or more pieces at wide gaps (1.5 characters or more); the columns
  are where the pieces of all its lines overlap horizontally. (pdfplumber's own "text"
  strategy cuts justified Chinese prose into columns, so it is not used.) A borderless
  table with only two columns stays as lines of text ("基本支出 456.78").
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
import re
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from jixiao.core.findings import Location, finding
from jixiao.model.document import Builder, PublishedDocument
from jixiao.read.published import pdf_pages
from jixiao.read.published._files import check_size, fail, head, is_cjk, join_lines, translated

_COLUMN_GAP = 1.5  # a gap of this many character sizes separates the cells of a borderless table
_SENTENCE_END = tuple("。！？：；!?:;")
_CLAUSE_END = tuple("：；:;")  # ends a clause, not a sentence
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d)|第[一二三四五六七八九十]+[章节部分])"
)
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*\d+[-—–\s]*$|^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
_MARGIN = 0.08  # share of the page height at the top and bottom where page numbers live
_REPEATED_HEADER_ROWS = 3
_EDGE_TOLERANCE = 2.0  # points: the same column edge on two pages
_LINE_TOLERANCE = 3.0  # points: characters whose tops differ less are on one line
_MAX_EDGES = 20_000  # rules on one page beyond which no table is looked for


def read(path: Path) -> PublishedDocument:
    check_size(path)
    if b"%PDF" not in head(path, 1024):
        raise fail(path, "unreadable-document", kind="PDF", detail="文件不是 PDF（缺少 %PDF 文件头）")
    with translated(path, "PDF"):
        import pypdfium2

        try:
            pdf_pages.check_inflated(path.read_bytes())
        except pdf_pages.TooLarge as exc:
            raise fail(path, "pdf-too-complex", detail=exc.args[0]) from None
        try:
            source = pdf_pages.pages(path)
            pages = [_read_page(raw) for raw in source]
        except pypdfium2.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise fail(path, "encrypted-document") from None
            raise
    if not pages:
        raise fail(path, "empty-document")
    if not any(p.chars for p in pages):
        if any(p.images for p in pages):
            raise fail(path, "scanned-pdf", pages=len(pages))
        if any(p.skipped for p in pages):
            raise fail(path, "pdf-pages-not-read", pages=_listed([p for p in pages if p.skipped]))
        raise fail(path, "empty-document")
    _drop_running_heads(pages)
    builder = _Assembler(pages).build()
    if not builder.paragraphs:
        raise fail(path, "empty-document")
    notes = []
    # Pages with images but no text among pages with text: scanned pages, not audited.
    scanned = [p for p in pages if not p.chars and p.images and not p.skipped]
    if scanned:
        notes.append(
            finding("scanned-pages", Location(file=str(path)), pages=_numbers(scanned), count=len(scanned))
        )
    skipped = [p for p in pages if p.skipped]
    if skipped:
        notes.append(
            finding(
                "pdf-pages-not-read", Location(file=str(path), page=skipped[0].number), pages=_listed(skipped)
            )
        )
    return builder.build(str(path), pages=len(pages), kind="pdf", notes=tuple(notes))


def _drop_running_heads(pages: list[_Page]) -> None:
    """Drop running headers and footers: a text in the top or bottom margin of at least
    two pages and of a third of the pages with text (the department's name above every
    page). Left in, it would cut a table that runs over the page break in two."""
    counts: dict[str, int] = {}
    for page in pages:
        for text in {item.text for _, item in page.items if isinstance(item, _Line) and item.margin}:
            counts[text] = counts.get(text, 0) + 1
    with_text = sum(1 for p in pages if p.items)
    running = {t for t, n in counts.items() if n >= 2 and 3 * n >= with_text}
    if running:
        for page in pages:
            page.items = [
                (top, item)
                for top, item in page.items
                if not (isinstance(item, _Line) and item.margin and item.text in running)
            ]


def _numbers(pages: list[_Page]) -> str:
    return "、".join(str(p.number) for p in pages[:20]) + ("……" if len(pages) > 20 else "")


def _listed(pages: list[_Page]) -> str:
    """Page numbers, runs shown as ranges, with the reason of each run: "第3页（字符过多）"."""
    parts: list[str] = []
    k = 0
    while k < len(pages) and len(parts) < 20:
        j = k
        while (
            j + 1 < len(pages)
            and pages[j + 1].number == pages[j].number + 1
            and pages[j + 1].skipped == pages[k].skipped
        ):
            j += 1
        span = f"第{pages[k].number}页" if j == k else f"第{pages[k].number}–{pages[j].number}页"
        parts.append(span + (f"（{pages[k].skipped}）" if pages[k].skipped else ""))
        k = j + 1
    return "、".join(parts) + ("……" if k < len(pages) else "")


@dataclass
class _Line:
    segments: list[tuple[float, float, str]]  # (x0, x1, text) pieces split at wide gaps
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    number: int = 0  # 1-based line on its page
    lead: float = 0.0  # width of its first unbreakable piece ("100.00%，"), see _lead
    margin: bool = False  # in the top or bottom margin of its page

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
    skipped: str = ""
    width: float = 0.0
    items: list[_Item] = field(default_factory=list)


class _Ruled:
    """What pdfplumber's table finder asks of a page: its edges and its box."""

    def __init__(self, raw: pdf_pages.RawPage):
        self.edges = raw.edges
        self.bbox = (0.0, 0.0, raw.width, raw.height)


def _tables(raw: pdf_pages.RawPage) -> list[Any]:
    """The ruled tables of a page (pdfplumber's "lines" strategy on PDFium's edges); none
    without at least two horizontal and two vertical rules, or with so many rules that
    finding their crossings would take long (such a page is read as text)."""
    edges = raw.edges
    if len(edges) < 4 or len(edges) > _MAX_EDGES:
        return []
    orientations = {e["orientation"] for e in edges}
    if orientations != {"h", "v"}:
        return []
    from pdfplumber.table import Table as RuledTable
    from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections

    # TableFinder's steps, with its cell search replaced by an equivalent indexed one.
    settings = TableSettings.resolve(None)
    page = _Ruled(raw)
    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = page, settings  # type: ignore[assignment]
    found = finder.get_edges()
    points = edges_to_intersections(
        found, settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    return [RuledTable(page, group) for group in cells_to_tables(_cells(points))]  # type: ignore[arg-type]


def _cells(intersections: dict[tuple[float, float], dict[str, list[dict[str, Any]]]]) -> list[Any]:
    """pdfplumber's ``intersections_to_cells``, the same cells in the same order, with the
    points indexed by column and by row instead of scanned for each point (which made
    it quadratic)."""
    points = sorted(intersections)
    rules = {
        p: (
            {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in found["v"]},
            {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in found["h"]},
        )
        for p, found in intersections.items()
    }
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    for p in points:  # sorted: each column top to bottom, each row left to right
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)

    def connects(p: tuple[float, float], q: tuple[float, float]) -> bool:
        if p[0] == q[0] and rules[p][0] & rules[q][0]:
            return True
        return p[1] == q[1] and bool(rules[p][1] & rules[q][1])

    cells = []
    for pt in points:
        below = [q for q in columns[pt[0]] if q[1] > pt[1]]
        right = [q for q in rows[pt[1]] if q[0] > pt[0]]
        cell = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in rules and connects(corner, right_pt) and connects(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def _read_page(raw: pdf_pages.RawPage) -> _Page:
    result = _Page(raw.number, len(raw.chars), raw.images, raw.skipped, raw.width)
    if not result.chars:
        return result
    tables = _tables(raw)
    taken: set[int] = set()  # ids of the characters inside a table's box
    items: list[_Item] = [(t.bbox[1], _grid(t, raw.chars, taken)) for t in tables]
    outside = [c for c in raw.chars if id(c) not in taken] if taken else raw.chars
    height = raw.height
    number = 0
    for chars in _text_lines(outside):
        size = _size(chars) or (chars[0]["bottom"] - chars[0]["top"])
        segments = _segments(chars, size, ordered=True)
        if not segments:
            continue
        x0 = chars[0]["x0"]  # the line is in order of x0
        x1 = max(c["x1"] for c in chars)
        top = min(c["top"] for c in chars)
        bottom = max(c["bottom"] for c in chars)
        line = _Line(segments, x0, x1, top, bottom, size, lead=_lead(chars))
        in_margin = line.top < height * _MARGIN or line.bottom > height * (1 - _MARGIN)
        if in_margin and _PAGE_NUMBER.match(line.text):
            continue
        line.margin = in_margin
        number += 1
        line.number = number
        items.append((line.top, line))
    items.sort(key=lambda item: item[0])
    result.items = _borderless_tables(items)
    return result


def _text_lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The characters of a page in lines, top to bottom, each left to right: a line
    breaks where the next character's top is more than :data:`_LINE_TOLERANCE` below the
    last one's (as pdfplumber groups them). Space glyphs are left out: gaps are judged
    from the geometry."""
    visible = sorted((c for c in chars if c["text"].strip()), key=_BY_TOP)
    lines: list[list[dict[str, Any]]] = []
    line: list[dict[str, Any]] = []
    limit = float("-inf")
    for char in visible:
        top = char["top"]
        if top > limit:
            line = []
            lines.append(line)
        line.append(char)
        limit = top + _LINE_TOLERANCE
    for line in lines:
        line.sort(key=_BY_X)
    return lines


_BY_TOP = itemgetter("top")
_BY_X = itemgetter("x0", "x1")
_BY_X0 = itemgetter("x0")


_NO_LINE_START = set("，。、；：？！）》」』”’%％")  # marks a layout never puts first on a line


def _lead(chars: list[dict[str, Any]]) -> float:
    """The width of the piece a line starts with that a layout cannot break: a run of
    digits and letters ("100.00%") with the punctuation that may not begin a line ("，");
    a single character when the line starts with a Chinese one. A line before it that
    ends short by less than this width was still full."""
    end: float = chars[0]["x1"]
    for k, char in enumerate(chars):
        glyph = char["text"]
        if k and is_cjk(glyph) and glyph not in _NO_LINE_START:
            break
        end = char["x1"]
        if k and is_cjk(glyph):
            break
    return end - float(chars[0]["x0"])


def _size(chars: list[dict[str, Any]]) -> float:
    return float(max((c["size"] for c in chars), default=0.0))


def _segments(
    chars: list[dict[str, Any]], size: float, *, ordered: bool = False
) -> list[tuple[float, float, str]]:
    """The line's text in pieces split at gaps of :data:`_COLUMN_GAP` characters (see the
    module docstring for the spaces inside a piece). ``ordered``: ``chars`` are already
    in order of x0."""
    pieces: list[tuple[float, float, str]] = []
    text, x0, x1, space = "", 0.0, 0.0, False
    wide, narrow = _COLUMN_GAP * size, 0.2 * size
    for char in chars if ordered else sorted(chars, key=_BY_X0):
        glyph = char["text"]
        if not glyph.strip():
            space = True
            continue
        if text:
            gap = char["x0"] - x1
            if gap >= wide:
                pieces.append((x0, x1, text))
                text = ""
            elif space or gap > narrow:
                text += " "
        if not text:
            x0, x1 = char["x0"], char["x1"]
        text += glyph
        right = char["x1"]
        x1 = right if right > x1 else x1  # not max(): called for every character
        space = False
    if text:
        pieces.append((x0, x1, text))
    return pieces


def _grid(table: Any, chars: list[dict[str, Any]], taken: set[int]) -> _Grid:
    """The rows of a ruled table; each cell's text from the characters whose centre lies
    in it, read in lines like the page's text. The ids of the characters in the table's
    box are added to ``taken``."""
    x0, top, x1, bottom = table.bbox
    inside: list[tuple[float, float, dict[str, Any]]] = []
    for char in chars:
        x, y = char["mx"], char["my"]
        if x0 <= x <= x1 and top <= y <= bottom:
            inside.append((x, y, char))
            taken.add(id(char))
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
            cell_chars = cell
            if cell_chars is None:
                # No closed cell here: merged into a neighbour, or a cell whose rule the
                # page break cut (a tall merged cell split over two pages). Text in no
                # cell at all belongs to the latter.
                x0, _, x1, _ = columns[k].bbox if k < len(columns) else (0, 0, -1, 0)
                cell_chars = [c for c in chars_in((x0, row.bbox[1], x1, row.bbox[3])) if id(c) not in used]
                used.update(id(c) for c in cell_chars)
            texts.append(_cell_text(cell_chars))
        rows.append(texts)
    return _Grid(rows, [column.bbox[0] for column in columns])


def _cell_text(chars: list[dict[str, Any]]) -> str:
    """Characters of one cell: grouped into lines by their top, each read like a page line."""
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=_BY_TOP):
        if lines and char["top"] - lines[-1][0]["top"] < 0.5 * float(char.get("size") or 1):
            lines[-1].append(char)
        else:
            lines.append([char])
    texts = [" ".join(t for _, _, t in _segments(line, _size(line) or 1.0)) for line in lines]
    return join_lines(texts, wrapped=True)


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
        # The text column: the leftmost start and rightmost end of the lines on pages of
        # the same width (a landscape page of tables has margins of its own).
        columns: dict[int, tuple[float, float]] = {}
        for p in pages:
            for _, item in p.items:
                if isinstance(item, _Line):
                    left, right = columns.get(round(p.width), (item.x0, item.x1))
                    columns[round(p.width)] = (min(left, item.x0), max(right, item.x1))
        self.margins = {p.number: columns.get(round(p.width), (0.0, 0.0)) for p in pages}
        self.page = 0  # the page of the line being placed
        self.last_page = 0  # the page of the last line
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
        self.page = page
        if self.text and self._continues(line):
            self.text.append(line.text)
        else:
            self._flush_text()
            self.text, self.text_at = [line.text], (page, line.number)
        self.last_line, self.last_page = line, page

    def _continues(self, line: _Line) -> bool:
        """Whether ``line`` goes on with the paragraph the last line left open."""
        last = self.last_line
        if last is None:
            return False
        size = max(last.size, line.size, 1.0)
        right = self.margins[self.last_page][1]
        left = self.margins[self.page][0]
        # Ragged (unjustified) lines end up to 2 characters short, and a line is also full
        # when the next one starts with a piece too wide for the room left ("100.00%，").
        full = last.x1 >= right - 2.5 * size or last.x1 + line.lead > right - 0.5 * size
        # a clause (；：) that ends a line at the very margin of justified text goes on
        ended = last.text.endswith(_SENTENCE_END)
        if ended and last.text.endswith(_CLAUSE_END) and last.x1 >= right - 0.5 * size:
            ended = False
        return (
            full
            and not ended
            and line.x0 <= left + 0.5 * size
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
