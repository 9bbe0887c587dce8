"""Write test documents (.docx, .pdf, .xlsx) from one neutral description, so that a test
can state a document once and check what each reader gets back.

A description is a list of blocks:

* ``("p", text)`` — a paragraph;
* ``("table", title, rows)`` — a table, its title written as a paragraph just above it
  (no paragraph when the title is ""); ``rows`` are lists of cell texts. A cell
  :data:`LEFT` is covered by the cell to its left (horizontal merge), a cell :data:`UP`
  by the cell above (vertical merge). The first row is the header: the PDF repeats it on
  every page the table runs over. A "\\n" in a cell is a line break inside the cell;
* ``("break",)`` — a page break (Word, PDF) or a new worksheet (Excel).

Cell texts that are numbers are written to Excel as numbers with the format that shows
them the same way: ``"88.53%"`` → 0.8853 with ``0.00%``, ``"607.49"`` → 607.49 with
``0.00``, ``"1,234.50"`` → ``#,##0.00``, ``"12"`` → 12. Everything else is text.

:func:`expected` gives what a reader should return for a description: the paragraphs and
the tables' rows with merged-over cells as "" and line breaks joined the reader's way.

All outputs are deterministic in content (not byte-identical: the writers stamp times).
The PDF needs WeasyPrint and a CJK font (Debian fonts-noto-cjk); :func:`pdf_available`
says whether both are here.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

LEFT = "\x00<"  # covered by the cell to the left
UP = "\x00^"  # covered by the cell above

Block = tuple[Any, ...]

FONT = "Noto Sans CJK SC"


def expected(blocks: Sequence[Block]) -> list[tuple[str, Any]]:
    """What a reader returns: ``("p", text)`` and ``("table", title, rows)`` in order
    (a table's title paragraph is also a ``("p", title)`` entry, as the readers keep it).
    Merged-over cells are "", line breaks in cells joined as the readers join them."""
    from jixiao.read.published._files import join_lines

    out: list[tuple[str, Any]] = []
    for block in blocks:
        if block[0] == "p":
            out.append(("p", block[1]))
        elif block[0] == "table":
            _, title, rows = block
            if title:
                out.append(("p", title))
            cells = [["" if c in (LEFT, UP) else join_lines(c.split("\n")) for c in row] for row in rows]
            out.append(("table", title, cells))
    return out


def read_back(document: Any) -> list[tuple[str, Any]]:
    """A Document in the shape of :func:`expected`."""
    from jixiao.model.document import Table

    out: list[tuple[str, Any]] = []
    for block in document.blocks:
        if isinstance(block, Table):
            out.append(("table", block.title, [list(r) for r in block.rows]))
        else:
            out.append(("p", block.text))
    return out


# --------------------------------------------------------------------------- Word


def write_docx(blocks: Sequence[Block], path: Path) -> Path:
    """A .docx with the blocks: paragraphs, 'Table Grid' tables with real merges."""
    import docx

    document = docx.Document()
    for block in blocks:
        if block[0] == "p":
            document.add_paragraph(block[1])
        elif block[0] == "break":
            document.add_page_break()
        elif block[0] == "table":
            _, title, rows = block
            if title:
                document.add_paragraph(title)
            _docx_table(document, rows)
    document.save(str(path))
    return path


def _docx_table(document: Any, rows: Sequence[Sequence[str]]) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for (r, c), (bottom, right) in _merges(rows).items():
        table.cell(r, c).merge(table.cell(bottom, right))


def _merges(rows: Sequence[Sequence[str]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Top-left (row, col) of each merged cell -> its bottom-right (row, col)."""
    merges: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            right = c
            while right + 1 < len(row) and row[right + 1] == LEFT:
                right += 1
            bottom = r
            while bottom + 1 < len(rows) and c < len(rows[bottom + 1]) and rows[bottom + 1][c] == UP:
                bottom += 1
            if (bottom, right) != (r, c):
                merges[(r, c)] = (bottom, right)
    return merges


# --------------------------------------------------------------------------- Excel

_NUMBER = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?|-?\d+(\.\d+)?%?")


def write_xlsx(blocks: Sequence[Block], path: Path) -> Path:
    """A workbook: each table on a sheet of its own, its title in row 1 (merged across the
    table), then the rows, numbers as numbers; paragraphs as one-cell rows after a blank
    row (before the first table: on a sheet '说明'); ``("break",)`` starts a new sheet."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "说明"
    row = 1
    used = False
    for block in blocks:
        if block[0] == "break" or (block[0] == "table" and used):
            sheet = workbook.create_sheet(f"表{len(workbook.worksheets)}")
            row, used = 1, False
        if block[0] == "p":
            if used and row > 1:
                row += 1  # blank row before a note
            sheet.cell(row, 1, block[1])
            row += 1
            used = True
        elif block[0] == "table":
            _, title, rows = block
            if title:
                sheet.title = _sheet_name(title, workbook)
                sheet.cell(row, 1, title)
                width = max(len(r) for r in rows)
                if width > 1:
                    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
                row += 1
            for r, cells in enumerate(rows):
                for c, text in enumerate(cells):
                    if text not in (LEFT, UP):
                        _xlsx_cell(sheet.cell(row + r, c + 1), text)
            for (r, c), (bottom, right) in _merges(rows).items():
                sheet.merge_cells(
                    start_row=row + r, start_column=c + 1, end_row=row + bottom, end_column=right + 1
                )
            row += len(rows)
            used = True
    workbook.save(path)
    return path


def _xlsx_cell(cell: Any, text: str) -> None:
    if "\n" in text or not _NUMBER.fullmatch(text):
        cell.value = text
        return
    plain = text.replace(",", "").rstrip("%")
    decimals = len(plain.partition(".")[2])
    number = Decimal(plain)
    zeros = "0." + "0" * decimals if decimals else "0"
    if text.endswith("%"):
        cell.value = float(number / 100)
        cell.number_format = zeros + "%"
    elif decimals == 0 and "," not in text:
        cell.value = int(number)
    else:
        cell.value = float(number)
        cell.number_format = ("#,##" + zeros) if "," in text else zeros


def _sheet_name(title: str, workbook: Any) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "表"
    taken = {s.title for s in workbook.worksheets}
    base, n = name, 1
    while name in taken:
        n += 1
        name = f"{base[:26]}{n}"
    return name


# --------------------------------------------------------------------------- PDF


@cache
def pdf_available() -> bool:
    """WeasyPrint importable and the CJK font installed."""
    try:
        import weasyprint  # noqa: F401
    except Exception:
        return False
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    fonts = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return FONT in fonts.stdout


CSS = f"""
@page {{ size: A4; margin: 20mm 18mm; }}
body {{ font-family: "{FONT}"; font-size: 10.5pt; line-height: 1.5; }}
p {{ margin: 0 0 4pt 0; text-indent: 2em; }}
p.title {{ text-indent: 0; text-align: center; font-weight: bold; margin-top: 8pt; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 8pt; }}
td, th {{ border: 0.75pt solid #000; padding: 2pt 4pt; font-weight: normal; text-align: left; }}
.break {{ break-after: page; }}
"""


def pdf_html(blocks: Sequence[Block]) -> str:
    """The HTML the PDF is printed from: ruled tables (colspan/rowspan for merges),
    the first row of each table in <thead> so that it repeats after a page break."""
    parts = [
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{CSS}</style></head><body>"
    ]
    for block in blocks:
        if block[0] == "p":
            parts.append(f"<p>{html.escape(block[1])}</p>")
        elif block[0] == "break":
            parts.append("<div class='break'></div>")
        elif block[0] == "table":
            _, title, rows = block
            if title:
                parts.append(f"<p class='title'>{html.escape(title)}</p>")
            parts.append(_html_table(rows))
    parts.append("</body></html>")
    return "".join(parts)


def _html_table(rows: Sequence[Sequence[str]]) -> str:
    merges = _merges(rows)
    out = ["<table>"]
    for r, row in enumerate(rows):
        if r == 0:
            out.append("<thead>")
        elif r == 1:
            out.append("<tbody>")
        out.append("<tr>")
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            bottom, right = merges.get((r, c), (r, c))
            span = f" colspan='{right - c + 1}'" if right > c else ""
            span += f" rowspan='{bottom - r + 1}'" if bottom > r else ""
            cell = "<br>".join(html.escape(line) for line in text.split("\n"))
            tag = "th" if r == 0 else "td"
            out.append(f"<{tag}{span}>{cell}</{tag}>")
        out.append("</tr>")
        if r == 0:
            out.append("</thead>")
    if len(rows) > 1:
        out.append("</tbody>")
    out.append("</table>")
    return "".join(out)


#: Extra CSS that prints "- N -" at the foot of every page, as published reports do.
PAGE_NUMBERS = f'@page {{ @bottom-center {{ content: "- " counter(page) " -"; font-family: "{FONT}"; }} }}'
#: Extra CSS that prints the tables without rules (a borderless table).
NO_RULES = "td, th { border: none !important; }"


def write_pdf(blocks: Sequence[Block], path: Path, *, css: str = "") -> Path:
    """A PDF with a real text layer and ruled tables, printed by WeasyPrint; ``css`` is
    added after the default style (e.g. :data:`PAGE_NUMBERS`, :data:`NO_RULES`)."""
    import weasyprint

    html_text = pdf_html(blocks)
    if css:
        html_text = html_text.replace("</style>", css + "</style>", 1)
    weasyprint.HTML(string=html_text).write_pdf(str(path))
    return path


WRITERS = {".docx": write_docx, ".pdf": write_pdf, ".xlsx": write_xlsx}


def write(blocks: Sequence[Block], path: Path) -> Path:
    """Write ``blocks`` in the format ``path``'s suffix names."""
    return WRITERS[path.suffix](blocks, path)


# --------------------------------------------------------------------------- bad input


def _raw_pdf(objects: Sequence[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from its numbered objects (1 = catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def write_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF whose pages hold only an image (a scan): no text layer at all."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    image = 3 + 2 * pages
    draw = b"q 500 0 0 700 50 70 cm /Im0 Do Q"
    for i in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /XObject << /Im0 %d 0 R >> >> >>" % (4 + 2 * i, image)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
    pixels = bytes(range(0, 256, 16)) * 16  # a 16x16 grey ramp
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream" % (len(pixels), pixels)
    )
    path.write_bytes(_raw_pdf(objects))
    return path


def write_encrypted_pdf(path: Path) -> Path:
    """A PDF protected by a user password (RC4, revision 2) that is not the empty one."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32),
    ]
    path.write_bytes(_raw_pdf(objects, b"/Encrypt 4 0 R /ID [<%s> <%s>]" % (b"01" * 16, b"01" * 16)))
    return path


def write_encrypted_office(path: Path) -> Path:
    """What Word or Excel saves with an open password: a compound file (OLE) holding an
    ``EncryptedPackage`` stream instead of a zip. Only the parts a reader looks at."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    path.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + bytes(1024))
    return path


def write_legacy_office(path: Path) -> Path:
    """A Word 97–2003 / Excel 97–2003 file (a compound file without encryption), renamed."""
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(2048))
    return path
