"""The intermediate form every reader produces: paragraphs and titled tables, in order,
each with its location in the source (page, table, row, line).

Recognisers work on this form only, so they do not know whether the document was a PDF,
a Word file, a workbook or plain text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from jixiao.core.findings import Finding, Location


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of text (one paragraph, or one line of a PDF page).

    ``page`` is 1-based when the source has pages; ``line`` is the 1-based line in a text
    file or the paragraph number in a Word file.
    """

    text: str
    line: int | None = None
    page: int | None = None

    def location(self, name: str, quote: str | None = None) -> Location:
        return Location(file=name, page=self.page, line=self.line, quote=quote)


@dataclass(frozen=True, slots=True)
class Table:
    """A table: rows of cell texts, with the title found just above it (if any)."""

    rows: tuple[tuple[str, ...], ...]
    title: str = ""
    index: int = 0  # 1-based number of the table in the document
    line: int | None = None  # line (text) or paragraph number where it starts
    page: int | None = None
    row_lines: tuple[int | None, ...] = ()  # source line of each row, when known

    def location(self, name: str, row: int | None = None, column: str | None = None) -> Location:
        line = self.row_lines[row] if row is not None and row < len(self.row_lines) else self.line
        label = self.title or f"表{self.index}"
        row_text = None
        if row is not None and row < len(self.rows):
            row_text = " ".join(c for c in self.rows[row] if c)[:40] or f"第{row + 1}行"
        return Location(file=name, page=self.page, line=line, table=label, row=row_text, column=column)


Block = Paragraph | Table


@dataclass(frozen=True)
class PublishedDocument:
    """A whole document: its name, its blocks in reading order, its page count, and what the
    reader has to say about it (e.g. pages it could not read), as Findings."""

    name: str
    blocks: tuple[Block, ...]
    pages: int = 0
    kind: str = "text"  # text / docx / pdf / xlsx
    notes: tuple[Finding, ...] = ()

    def paragraphs(self) -> Iterator[Paragraph]:
        return (b for b in self.blocks if isinstance(b, Paragraph))

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))

    def text(self) -> str:
        """All paragraph text joined (tables left out), for document-wide recognisers."""
        return "\n".join(p.text for p in self.paragraphs())


@dataclass
class Builder:
    """Accumulates blocks while a reader walks its source."""

    paragraphs: list[Block] = field(default_factory=list)
    tables: int = 0

    def paragraph(self, text: str, line: int | None = None, page: int | None = None) -> None:
        if text.strip():
            self.paragraphs.append(Paragraph(text.strip(), line, page))

    def table(
        self,
        rows: list[list[str]],
        *,
        line: int | None = None,
        page: int | None = None,
        row_lines: list[int | None] | None = None,
        title: str | None = None,
    ) -> None:
        cleaned = tuple(tuple(_cell(c) for c in r) for r in rows if any(_cell(c) for c in r))
        if not cleaned:
            return
        self.tables += 1
        if title is None:
            title = self._title_above()
        self.paragraphs.append(
            Table(
                cleaned,
                title=title,
                index=self.tables,
                line=line,
                page=page,
                row_lines=tuple(row_lines or ()),
            )
        )

    def _title_above(self) -> str:
        """The nearest short paragraph above a table that names it (…表 / 公开0N表)."""
        for block in reversed(self.paragraphs[-6:]):
            if isinstance(block, Table):
                break
            text = block.text.strip("# *")
            if len(text) <= 40 and ("表" in text or "一览" in text) and not text.startswith("注"):
                return text
        return ""

    def build(
        self, name: str, *, pages: int = 0, kind: str = "text", notes: tuple[Finding, ...] = ()
    ) -> PublishedDocument:
        return PublishedDocument(name, tuple(self.paragraphs), pages, kind, notes)


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value).replace("\u3000", " ").strip()
    text = text.replace("<b>", "").replace("</b>", "")
    return " ".join(text.split())
