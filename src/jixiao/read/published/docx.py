"""Word (.docx): the body's paragraphs and tables in document order, through python-docx.

What comes out, for the recognisers:

* a Paragraph per non-empty body paragraph, ``line`` = its number among the body's
  paragraphs (empty ones counted, as Word counts them); line breaks inside a paragraph
  are joined (no space between two Chinese characters, one space otherwise); tabs become
  one space. Word's automatic list numbering ("一、" produced by a numbering style) is not
  part of the text and is not seen.
* a Table per body table, rows of equal length. A merged cell appears once, in its first
  (top-left) grid position; the other positions it covers are "" — horizontally
  (``gridSpan``) and vertically (``vMerge``) alike — so columns stay aligned with the
  header. The paragraphs of a cell are joined like a paragraph's lines.
* a table of one cell (a layout frame around the content) is unwrapped: its content is
  read as body. A table nested in a cell of a larger table is flattened into that cell's
  text, row after row.

Headers, footers, footnotes, comments and deleted revisions are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from jixiao.model.document import Builder, PublishedDocument
from jixiao.read.published._files import check_office_zip, fail, join_lines, translated

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
_W = f"{{{_NS['w']}}}"
P, TBL, TR, TC, SDT, SDT_CONTENT = (_W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_CUSTOM_XML = _W + "customXml"

# The text-bearing pieces of a paragraph, in document order; deleted / moved-away text,
# tab-stop definitions and the fallback copy of a text box (mc:Fallback) are excluded.
_KEEP = "[not(ancestor::mc:Fallback) and not(ancestor::w:moveFrom) and not(ancestor::w:pPr)]"
_PIECES = etree.XPath(
    " | ".join(f".//w:{tag}{_KEEP}" for tag in ("t", "tab", "br", "cr", "noBreakHyphen")),
    namespaces=_NS,
)
_PAGES = re.compile(rb"<(?:\w+:)?Pages>(\d+)</(?:\w+:)?Pages>")


def read(path: Path) -> PublishedDocument:
    check_office_zip(path, "Word", ".docx")
    with translated(path, "Word"):
        import docx

        document = docx.Document(str(path))
        walker = _Walker()
        walker.block_items(document.element.body)
        pages = _page_count(document)
    if not walker.builder.paragraphs:
        raise fail(path, "empty-document")
    return walker.builder.build(str(path), pages=pages, kind="docx")


class _Walker:
    """Walks body-level elements, numbering paragraphs and feeding a Builder."""

    def __init__(self) -> None:
        self.builder = Builder()
        self.paragraph_number = 0

    def block_items(self, container: etree._Element) -> None:
        self.block_items_of(list(container))

    def block_items_of(self, children: list[etree._Element]) -> None:
        for child in children:
            tag = child.tag
            if tag == P:
                self.paragraph_number += 1
                self.builder.paragraph(paragraph_text(child), self.paragraph_number)
            elif tag == TBL:
                self.table(child)
            elif tag in (SDT, _CUSTOM_XML):
                self.block_items_of(_flatten(child, keep=(P, TBL)))

    def table(self, tbl: etree._Element) -> None:
        cells = [tc for tr in _rows(tbl) for tc in _cells(tr)]
        if len(cells) == 1:  # a layout frame: read what it holds as body
            self.block_items_of(_flatten(cells[0], keep=(P, TBL)))
            return
        self.builder.table(table_rows(tbl))


def paragraph_text(p: etree._Element) -> str:
    """The visible text of a ``w:p``; line breaks joined (see :func:`join_lines`)."""
    lines = [""]
    for piece in _PIECES(p):
        tag = etree.QName(piece).localname
        if tag == "t":
            lines[-1] += piece.text or ""
        elif tag == "tab":
            lines[-1] += " "
        elif tag == "noBreakHyphen":
            lines[-1] += "-"
        else:  # br, cr
            lines.append("")
    return join_lines(lines)


def table_rows(tbl: etree._Element) -> list[list[str]]:
    """Rows of cell texts, one entry per grid column; merged cells once (see module doc)."""
    rows: list[list[str]] = []
    for tr in _rows(tbl):
        row: list[str] = [""] * _grid_value(tr, "trPr", "gridBefore")
        for tc in _cells(tr):
            span = max(_grid_value(tc, "tcPr", "gridSpan"), 1)
            row.append("" if _continues_merge(tc) else cell_text(tc))
            row.extend([""] * (span - 1))
        row.extend([""] * _grid_value(tr, "trPr", "gridAfter"))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs joined; a nested table's rows flattened into the text."""
    return join_lines(_cell_lines(tc))


def _cell_lines(container: etree._Element) -> list[str]:
    lines: list[str] = []
    for child in _flatten(container, keep=(P, TBL)):
        if child.tag == P:
            lines.append(paragraph_text(child))
        else:
            lines.extend(" ".join(c for c in row if c) for row in table_rows(child))
    return lines


def _rows(tbl: etree._Element) -> list[etree._Element]:
    return _flatten(tbl, keep=(TR,))


def _cells(tr: etree._Element) -> list[etree._Element]:
    return _flatten(tr, keep=(TC,))


def _flatten(parent: etree._Element, keep: tuple[str, ...] = (TR, TC)) -> list[etree._Element]:
    """The children of ``parent`` whose tag is in ``keep``, with content controls (w:sdt)
    and custom XML wrappers around them opened. ``parent`` itself may be such a wrapper."""
    if parent.tag == SDT:
        content = parent.find(SDT_CONTENT)
        return [] if content is None else _flatten(content, keep)
    out: list[etree._Element] = []
    for child in parent:
        if child.tag in (SDT, _CUSTOM_XML):
            out.extend(_flatten(child, keep))
        elif child.tag in keep:
            out.append(child)
    return out


def _grid_value(el: etree._Element, props: str, name: str) -> int:
    node = el.find(f"{_W}{props}/{_W}{name}")
    if node is None:
        return 0
    try:
        return int(node.get(_W + "val", "0"))
    except ValueError:
        return 0


def _continues_merge(tc: etree._Element) -> bool:
    """A cell covered by the merged cell above (vMerge) or to its left (legacy hMerge)."""
    for name in ("vMerge", "hMerge"):
        node = tc.find(f"{_W}tcPr/{_W}{name}")
        if node is not None and node.get(_W + "val", "continue") != "restart":
            return True
    return False


def _page_count(document: object) -> int:
    """Pages as Word last counted them (docProps/app.xml); 0 when the writer did not say."""
    package = document.part.package  # type: ignore[attr-defined]
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            match = _PAGES.search(part.blob)
            return int(match.group(1)) if match else 0
    return 0
