"""PDF documents: the HTML document laid out on A4 pages by WeasyPrint.

The stylesheet gives the page size, the page numbers (第 n 页 / 共 m 页), repeated table
headers (``thead``) and rows that never split across pages; WeasyPrint embeds the subset
of the CJK font the text uses. HarfBuzz's subsetter (Debian ``libharfbuzz-subset0``) makes
that fast: without it WeasyPrint falls back on fontTools, some ten times slower on a CJK font.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jixiao.core import outputs
from jixiao.render import html_out
from jixiao.render.documents import Doc


def write(doc: Doc, context: Mapping[str, Any], path: Path) -> None:
    write_html(html_out.render(doc, context), str(path))


def write_html(html: str, path: str) -> None:
    """Lay out ``html`` on pages and write the PDF (also run in worker processes)."""
    from weasyprint import HTML

    outputs.write(Path(path), HTML(string=html).write_pdf())  # never through a link
