"""HTML documents (Jinja2 + CSS), self-contained: the styles and the charts are inline.

The same HTML, laid out on A4 pages by WeasyPrint, is the PDF (:mod:`pdf_out`).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from jixiao.core import outputs
from jixiao.core.findings import InputError, finding
from jixiao.model.selfeval_tables import selfeval_layout
from jixiao.render.context import LeafRow
from jixiao.render.documents import Doc
from jixiao.render.fmt import environment
from jixiao.render.fonts import css_families


@cache
def _env() -> jinja2.Environment:
    """The environment of the built-in HTML templates and outlines (compiled once per
    process); no user writes an HTML template, so it is not sandboxed."""
    env = environment(trusted=True)
    env.loader = jinja2.PackageLoader("jixiao.render", "templates")
    env.globals["heads"] = lambda layout, part: selfeval_layout(layout).heads(part)  # column headers
    return env


@cache
def stylesheet() -> str:
    css = resources.files("jixiao.render").joinpath("templates", "style.css").read_text(encoding="utf-8")
    return css.replace("FONT_SERIF", css_families(serif=True)).replace("FONT_SANS", css_families(serif=False))


def spans(rows: Sequence[LeafRow]) -> list[tuple[LeafRow, int, int]]:
    """Each row with the rowspan of its level-1 and level-2 cells (0: covered by the cell above)."""
    out: list[list[Any]] = [[r, 0, 0] for r in rows]
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j].l1 == rows[i].l1:
            j += 1
        out[i][1] = j - i
        k = i
        while k < j:
            m = k
            while m < j and rows[m].l2 == rows[k].l2:
                m += 1
            out[k][2] = m - k
            k = m
        i = j
    return [(r, a, b) for r, a, b in out]


def render(
    doc: Doc,
    context: Mapping[str, Any],
    *,
    inline_css: bool = True,
    chart_src: Mapping[str, str] | None = None,
) -> str:
    """The document as an HTML string (InputError if a template uses an unknown name).

    ``inline_css=False`` leaves the ``<style>`` element empty: the PDF passes the stylesheet
    parsed once (:func:`jixiao.render.pdf_out.stylesheet`). ``chart_src`` gives the charts'
    addresses (file names) instead of inline images."""
    env = _env()
    ctx = dict(context)
    ctx["charts"] = (
        dict(chart_src)
        if chart_src is not None
        else {
            name: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            for name, png in context.get("charts", {}).items()
        }
    )

    def t(source: str) -> Markup:
        # Outline titles and text blocks are small templates of their own.
        return Markup(env.from_string(source).render(ctx))

    ctx.update(
        t=t,
        spans=spans,
        css=Markup(stylesheet() if inline_css else ""),
        doc_kind=doc.kind,
        doc_title=f"{doc.year}年度{doc.department}{doc.title}",
        outline=doc.outline,
    )
    try:
        return env.get_template("document.html").render(ctx)
    except jinja2.UndefinedError as exc:
        raise InputError(
            [finding("template-render-error", None, name=f"{doc.kind} 的 HTML 模板", detail=str(exc))]
        ) from None


def write(doc: Doc, context: Mapping[str, Any], path: Path) -> None:
    outputs.write(path, render(doc, context))
