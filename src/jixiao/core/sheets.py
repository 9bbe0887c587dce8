"""Workbook output safety: text stays text.

openpyxl stores any string that starts with ``=`` as a formula, so a project or
department named ``=cmd|' /C calc'!A0`` would become a live formula in a generated
workbook (formula injection) and could not be read back. No jixiao writer puts a formula
in a workbook, so before saving, every cell openpyxl took for a formula is turned back
into the text it was given; Excel then shows the name exactly as written.
"""

from __future__ import annotations

from typing import Any


def text_only(workbook: Any) -> int:
    """Make every formula cell of ``workbook`` a plain string cell; return how many."""
    changed = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"
                    changed += 1
    return changed
