"""Plain text and Markdown: paragraphs by line, and tables in the layouts text copied out
of Word, Excel or PDF comes in:

* one row a line, cells separated by tabs or '|' (Markdown);
* one cell a line, each line led by a tab, rows separated by blank lines (a Word table
  pasted as text), long cells continued on untabbed lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.core.findings import InputError, Location, finding
from jixiao.model.document import Builder, PublishedDocument
from jixiao.read.structured import read_text

_MD_RULE = re.compile(r"^\|?\s*:?-{2,}")


def read(path: Path) -> PublishedDocument:
    doc = parse(read_text(path), str(path))
    if not doc.blocks:
        raise InputError([finding("empty-document", Location(file=str(path)))])
    return doc


def parse(text: str, name: str) -> PublishedDocument:
    """Paragraphs and tables of a text; see the module docstring for the table layouts."""
    builder = Builder()
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if _is_cell_line(lines[i]):
            i = _cell_per_line_table(lines, i, builder)
        elif _cells(lines[i].rstrip()) is not None:
            i = _row_per_line_table(lines, i, builder)
        else:
            builder.paragraph(lines[i], i + 1)
            i += 1
    return builder.build(name, kind="text")


def _row_per_line_table(lines: list[str], i: int, builder: Builder) -> int:
    """Lines of tab- or '|'-separated cells, one row a line (blank lines inside allowed)."""
    rows: list[list[str]] = []
    row_lines: list[int | None] = []
    start = i + 1
    while i < len(lines):
        line = lines[i].rstrip()
        cells = _cells(line)
        if cells is None:
            if line.strip() or not _continues(lines, i + 1):
                break
            i += 1
            continue
        if not _MD_RULE.match(line.strip()):
            rows.append(cells)
            row_lines.append(i + 1)
        i += 1
    if len(rows) >= 2:
        builder.table(rows, line=start, row_lines=row_lines)
    else:
        for r, ln in zip(rows, row_lines, strict=True):
            builder.paragraph(" ".join(r), ln)
    return i


def _continues(lines: list[str], j: int) -> bool:
    """Whether a table goes on after blank lines at ``j``."""
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and _cells(lines[j].rstrip()) is not None and not _is_cell_line(lines[j])


def _is_cell_line(line: str) -> bool:
    """A Word table pasted as text: one cell a line, each starting with one tab."""
    return line.startswith("\t") and "\t" not in line[1:]


def _cell_per_line_table(lines: list[str], i: int, builder: Builder) -> int:
    """Cells one a line (tab-led), rows separated by blank lines; untabbed lines continue
    the cell above; a note line (注/备注) or prose after a blank line ends the table."""
    rows: list[list[str]] = []
    row_lines: list[int | None] = []
    row: list[str] = []
    start = i + 1
    while i < len(lines):
        line = lines[i]
        if _is_cell_line(line):
            if not row:
                row_lines.append(i + 1)
            row.append(line[1:].strip())
        elif not line.strip():
            if row:
                rows.append(row)
                row = []
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j >= len(lines) or not _is_cell_line(lines[j]):
                i = j
                break
        elif row and not line.lstrip().startswith(("注", "备注")):
            row[-1] = (row[-1] + line.strip()).strip()
        else:
            break
        i += 1
    if row:
        rows.append(row)
    if len(rows) >= 1:
        builder.table(rows, line=start, row_lines=row_lines)
    return i


def _cells(line: str) -> list[str] | None:
    """The cells of a table line, or None for a prose line."""
    if "\t" in line:
        return line.split("\t")
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return stripped.strip("|").split("|")
    return None
