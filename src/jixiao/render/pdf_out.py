"""PDF documents: the HTML document laid out on A4 pages, by Typst or WeasyPrint.

Typst (:mod:`typst_out`, the ``typst`` package) is the engine when it is installed: it lays
out the same pages some ten times faster. WeasyPrint stays the fallback, and is chosen with
``JIXIAO_PDF_ENGINE=weasyprint`` (``typst`` forces Typst). With WeasyPrint,
the stylesheet gives the page size, the page numbers (第 n 页 / 共 m 页), repeated table
headers (``thead``) and rows that never split across pages; WeasyPrint embeds the subset
of the CJK font the text uses. HarfBuzz's subsetter (Debian ``libharfbuzz-subset0``) makes
that fast: without it WeasyPrint falls back on fontTools, some ten times slower on a CJK font.

What does not change from one document to the next is set up once per process: the font
configuration (fontconfig and Pango's font map, which keep the faces they have loaded) and
the stylesheet, parsed once and passed to every document instead of an inline ``<style>``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.core import outputs
from jixiao.render import html_out
from jixiao.render.documents import Doc


@cache
def font_config() -> Any:
    """WeasyPrint's font configuration, one per process (faces loaded once, kept)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def stylesheet() -> Any:
    """The documents' stylesheet parsed once per process."""
    from weasyprint import CSS

    return CSS(string=html_out.stylesheet(), font_config=font_config())


ENGINES = ("typst", "weasyprint")


@cache
def _typst_installed() -> bool:
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


def engine() -> str:
    """The PDF engine: ``JIXIAO_PDF_ENGINE`` when it names one, else Typst when installed."""
    asked = os.environ.get("JIXIAO_PDF_ENGINE", "").strip().lower()
    if asked == "weasyprint" or not _typst_installed():
        return "weasyprint"
    return "typst"


def write(doc: Doc, context: Mapping[str, Any], path: Path) -> None:
    if engine() == "typst":
        from jixiao.render import typst_out

        typst_out.write(doc, context, path)
    else:
        write_weasyprint(doc, context, path)


def write_weasyprint(doc: Doc, context: Mapping[str, Any], path: Path) -> None:
    write_html(html_out.render(doc, context, inline_css=False), str(path))


def write_html(html: str, path: str) -> None:
    """Lay out ``html`` (written without its inline stylesheet) on pages and write the PDF."""
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf(stylesheets=[stylesheet()], font_config=font_config())
    outputs.write(Path(path), pdf)  # never through a link


def warm_up() -> None:
    """Load the engine, the fonts and the stylesheet now (before worker processes fork)."""
    if engine() == "typst":
        from jixiao.render import typst_out

        typst_out.warm_up()
        return
    from weasyprint import HTML

    html = "<p>预热 <b>预热</b></p><h2>预热</h2><table><tr><th>表</th><td class='num'>1.00</td></tr></table>"
    HTML(string=html).render(stylesheets=[stylesheet()], font_config=font_config())
