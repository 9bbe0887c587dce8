"""Finding the nine tables in a document: by title, also when a table goes on over a page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.core.findings import Location
from jixiao.model.document import Block, Paragraph, PublishedDocument, Table
from jixiao.model.tables import tables
from jixiao.read.published.accounts.cells import CODE, amount
from jixiao.read.published.accounts.names import FULL, NUMBER, TITLE_LENGTH, norm, table_id
from jixiao.read.published.flow import clean

# --------------------------------------------------------------------------- finding tables


@dataclass
class Source:
    """One recognised table: its blocks (a table broken across pages is several), printed
    title and number, and its rows padded to one width with each row's source line."""

    tid: str
    title: str
    number: str
    blocks: list[Table]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)  # page of each row
    note: str = ""
    file: str = ""
    #: lines of text between the pages of the table that hold figures: a row cut by the break
    broken: list[Paragraph] = field(default_factory=list)

    def build(self) -> None:
        rows: list[list[str]] = []
        lines: list[int | None] = []
        pages: list[int | None] = []
        for table in self.blocks:
            usable = len(table.row_lines) == len(table.rows)
            for i, row in enumerate(table.rows):
                rows.append(list(row))
                lines.append(table.row_lines[i] if usable else table.line)
                pages.append(table.page)
        width = max((len(r) for r in rows), default=0)
        self.rows = [r + [""] * (width - len(r)) for r in rows]
        self.lines = lines
        self.pages = pages

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @property
    def label(self) -> str:
        return f"{self.number}（{self.title}）" if self.number else self.title

    @property
    def page(self) -> int | None:
        return self.blocks[0].page

    @property
    def display(self) -> str:
        """The label and the page it starts on, for the list of what was recognised."""
        return self.label + (f"（第{self.page}页）" if self.page else "")

    @property
    def line(self) -> int | None:
        return self.blocks[0].line

    def where(self, i: int | None = None, *, row: str | None = None, column: str | None = None) -> Location:
        line = (self.lines[i] if i is not None and i < len(self.lines) else None) or self.line
        if row is None and i is not None and i < len(self.rows):
            row = " ".join(c for c in self.rows[i] if c)[:40] or None
        page = (self.pages[i] if i is not None and i < len(self.pages) else None) or self.page
        return Location(file=self.file, page=page, line=line, table=self.label, row=row, column=column)


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
        if len(text) <= TITLE_LENGTH and not text.startswith(("注", "说明")):
            out.append(text)
    return out


def _printed_title(text: str) -> str:
    text = NUMBER.sub("", clean(text)).strip(" ：:")
    return re.sub(r"^[一二三四五六七八九十]+、", "", text) or text


def find_tables(doc: PublishedDocument) -> dict[str, Source]:
    """The final-accounts tables of ``doc`` by table id (the first of each), with the
    tables that continue them (a table broken across pages)."""
    blocks = doc.blocks
    found: dict[str, Source] = {}
    current: Source | None = None
    between: list[Paragraph] = []
    for k, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            between.append(block)
            continue
        tid = title = None
        number = ""
        for text in _title_candidates(blocks, k):
            if tid is None:
                tid = table_id(text)
                title = text if tid else None
            m = NUMBER.search(norm(text))
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
        current = Source(tid, _printed_title(title or ""), number, [block], file=doc.name)
        found[tid] = current
    for source in found.values():
        source.build()
        source.note = _empty_note(doc, source)
    return found


def _continues(source: Source, table: Table, between: list[Paragraph]) -> bool:
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
    if not any(amount(c)[0] is not None and "." in c for t in source.blocks for r in t.rows for c in r):
        return all(len(t) <= 12 for t in texts)  # no figure yet: the header alone
    if tables()[source.tid].shape in ("two_sided", "three_public") or any(len(t) > 12 for t in texts):
        return False
    width = max(len(r) for r in source.blocks[0].rows)
    if max(len(r) for r in table.rows) not in (width, width - 1):
        return False
    return any(CODE.match(norm(c)) for r in table.rows[:5] for c in r[:3])


def _cells(row: Sequence[str]) -> list[str]:
    return [norm(c) for c in row if c.strip()]


def _empty_note(doc: PublishedDocument, source: Source) -> str:
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
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text).translate(FULL)
    return re.sub(r"\s+", "", text)
