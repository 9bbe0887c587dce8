"""PDF documents laid out by Typst: the HTML document, element by element, as Typst calls.

The HTML of :mod:`html_out` stays the one description of what a document says (its
templates choose the sections and tables and print every number); this module only lays
it out, as ``style.css`` does for WeasyPrint: each element and class becomes a call of a
function of ``templates/document.typ`` with the same sizes, margins, borders and page
rules. Every text goes into the Typst source as a string literal (only ``\\`` and ``"``
escaped), so a department's text is printed as written, never read as markup or code.

Loaded once per process: the fonts (:func:`fonts`) and the preamble. The charts are PNG
files in a temporary folder, the root of the compilation.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.core import outputs
from jixiao.core.findings import InputError, finding
from jixiao.render import html_out
from jixiao.render.documents import Doc
from jixiao.render.fonts import SANS, SERIF, font_folders

if TYPE_CHECKING:
    import typst

_SPACE = re.compile(r"[ \t\n\r\f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,60}")
_WIDTH = re.compile(r"width:\s*([0-9]{1,4}(?:\.[0-9]{1,6})?)%")
_CHART = re.compile(r"[a-z0-9_-]{1,40}")


def lit(text: str) -> str:
    """``text`` as a Typst string literal: printed as written, whatever it holds."""
    text = _CONTROL.sub("", text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", "\\n") + '"'


@cache
def preamble() -> str:
    source = (
        resources.files("jixiao.render").joinpath("templates", "document.typ").read_text(encoding="utf-8")
    )
    families = {"FONT_SERIF": (*SERIF, *SANS), "FONT_SANS": (*SANS, *SERIF)}
    for name, fams in families.items():
        source = source.replace(name, "(" + ", ".join(lit(f) for f in fams) + ",)")
    return source


@cache
def fonts() -> typst.Fonts:
    """The CJK fonts, loaded once per process (the system's when their folders are unknown)."""
    import typst

    folders = font_folders()
    return typst.Fonts(include_system_fonts=not folders, include_embedded_fonts=True, font_paths=folders)


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _span(el: Any, name: str) -> int:
    try:
        return min(max(int(el.get(name) or 1), 1), 1000)
    except ValueError:
        return 1


def _inline(el: Any) -> str:
    """The text of ``el`` and its inline children as a Typst expression (HTML whitespace)."""
    items: list[tuple[bool, str]] = []  # (is text, text or code)

    def walk(node: Any) -> None:
        if node.text:
            items.append((True, node.text))
        for child in node:
            if child.tag == "br":
                items.append((False, "linebreak()"))
            elif isinstance(child.tag, str) and child.tag not in ("img", "script", "style"):
                walk(child)
            if child.tail:
                items.append((True, child.tail))

    walk(el)
    merged: list[tuple[bool, str]] = []
    for is_text, value in items:
        if is_text and merged and merged[-1][0]:
            merged[-1] = (True, merged[-1][1] + value)
        else:
            merged.append((is_text, value))
    merged = [(t, _SPACE.sub(" ", v) if t else v) for t, v in merged]
    if merged and merged[0][0]:
        merged[0] = (True, merged[0][1].lstrip(" "))
    if merged and merged[-1][0]:
        merged[-1] = (True, merged[-1][1].rstrip(" "))
    if not merged:
        return '""'
    if len(merged) == 1 and merged[0][0]:
        return lit(merged[0][1])
    return "[" + "".join("#" + (lit(v) if t else v) for t, v in merged) + "]"


def _mm(value: float) -> str:
    return f"{value:g}mm"


class _TypstWriter:
    """The Typst statements of a document, with CSS's margins between blocks: the larger of
    two adjoining margins, dropped at the top of a page except after a forced break."""

    def __init__(self, charts: Mapping[str, str]) -> None:
        self.out: list[str] = []
        self.charts = charts
        self.fresh = True  # at the top of a page after a forced break
        self.below = 0.0  # the bottom margin of the last block
        self.label: str | None = None

    def block(self, code: str, above: float = 0.0, below: float = 0.0) -> None:
        gap = max(above, self.below) if not self.fresh else above
        if gap:
            self.out.append(f"v({_mm(gap)}, weak: {'false' if self.fresh else 'true'})")
        if self.label:
            code = f"[#{code} <{self.label}>]"
            self.label = None
        self.out.append(code)
        self.fresh, self.below = False, below

    def pagebreak(self) -> None:
        if not self.fresh:
            self.out.append("pagebreak(weak: true)")
        self.fresh, self.below = True, 0.0

    def walk(self, el: Any) -> None:
        tag, cls = el.tag, _classes(el)
        if not isinstance(tag, str):
            return
        if el.get("id") and _LABEL.fullmatch(el.get("id")):
            self.label = el.get("id")
        if tag in ("h1", "h2", "h3", "h4"):
            self.heading(el, tag, cls)
        elif tag == "p":
            self.paragraph(el, cls)
        elif tag == "table":
            self.table(el, cls)
        elif tag == "figure":
            self.figure(el)
        elif tag == "section" and "cover" in cls:
            self.cover(el)
        elif tag in ("section", "div", "header", "body", "main", "article"):
            self.container(el, tag, cls)
        elif tag not in ("head", "style", "script", "img", "br", "col", "colgroup"):
            text = _inline(el)
            if text != '""':
                self.block(f"p({text})", 0, 1.5)

    def container(self, el: Any, tag: str, cls: set[str]) -> None:
        if cls & {"part", "accounts-table", "findings", "appendix", "toc"}:
            self.pagebreak()
        if "wide" in cls:
            self.pagebreak()
            self.out.append("{ set page(..wide)")
        if tag == "header" and "doc" in cls:
            self.block("none", 6, 0)
            self.out.append("{ set align(center)")
        for child in el:
            self.walk(child)
        if tag == "header" and "doc" in cls:
            self.out.append("}")
            self.below = max(self.below, 8)
        if "wide" in cls:
            self.out.append("}")
            self.fresh, self.below = True, 0.0
        if "toc" in cls:
            self.pagebreak()

    def heading(self, el: Any, tag: str, cls: set[str]) -> None:
        size, above, below, line = {
            "h1": (19, 0, 2, 1.4),
            "h2": (13.5, 6, 2, 1.5),
            "h3": (12, 4, 1.5, 1.5),
            "h4": (11.5, 3, 1, 1.5),
        }[tag]
        args = [f"size: {size}pt", f"l: {line}"]
        if tag == "h4":
            args.append('weight: "regular"')
        if tag == "h1" or cls & {"part-title", "table-title"} or self.in_toc(el):
            args.append("align: center")
        if "part-title" in cls:
            args[0], above = "size: 18pt", 40
        if "table-title" in cls:
            args[0] = "size: 14pt"
            above, below = 0, 2
        self.block(f"hd({_inline(el)}, {', '.join(args)})", above, below)

    @staticmethod
    def in_toc(el: Any) -> bool:
        parent = el.getparent()
        return parent is not None and "toc" in _classes(parent)

    def paragraph(self, el: Any, cls: set[str]) -> None:
        if cls & {"toc-part", "toc-item"}:
            link = el.find("a")
            target = (link.get("href") or "").removeprefix("#") if link is not None else ""
            target = target if _LABEL.fullmatch(target) else "none"
            part = "true" if "toc-part" in cls else "false"
            self.block(f"toc-line({_inline(el)}, {lit(target)}, part: {part})", 3 if part == "true" else 0, 1)
            return
        if "table-meta" in cls:
            spans = [_inline(s) for s in el.findall("span")] or [_inline(el)]
            body = "[" + "#h(1fr)".join(f"#{s}" for s in spans) + "]"
            if len(spans) == 1:
                body = spans[0]
            self.block(f"p({body}, style: (size: 9pt), par: noindent)", 0, 1)
            return
        text = _inline(el)
        args: list[str] = []
        above, below = 0.0, 1.5
        if "missing" in cls:
            args += ['style: (fill: rgb("#b00020"))', 'fill: rgb("#fff3f3")']
        if "detail-1" in cls:
            args.append('style: (font: sans, weight: "bold")')
            above = 2.5
        elif "detail-2" in cls:
            args.append("style: (font: sans)")
        elif "closing" in cls:
            args += ["align: right", "par: (first-line-indent: 0pt)"]
        elif "note" in cls:
            args += ['style: (size: 9.5pt, fill: rgb("#333"))', "par: noindent"]
            above = 2
        elif "subtitle" in cls:
            args += ["style: (font: sans, size: 14pt)", "par: noindent", "align: center"]
            below = 0
        elif "byline" in cls:
            args += ["par: noindent", "align: center"]
            above, below = 2, 0
        elif "table-no" in cls:
            args += ["style: (size: 9pt)", "par: noindent", "align: right"]
            below = 0
        self.block(f"p({', '.join([text, *args])})", above, below)

    def cover(self, el: Any) -> None:
        """A cover page: no page number, its lines placed with CSS's margins."""
        self.pagebreak()
        self.out.append("[#metadata(none) <jx-cover>]")
        for child in el:
            if child.tag != "p":
                continue
            cls = _classes(child)
            above, below, style = 0.0, 6.0, "size: 15pt"
            align = "center"
            if "cover-1" in cls:
                style, align = "font: sans, size: 14pt", "left"
            if "cover-2" in cls:
                above, below, style = 40, 50, 'font: sans, size: 24pt, weight: "bold"'
            if "cover-year" in cls:
                above, below, style = 60, 6, "font: sans, size: 20pt"
            if "cover-date" in cls:
                above, style = 90, "size: 14pt"
            gap = max(above, self.below)
            if gap:
                self.out.append(f"v({_mm(gap)})")
            self.out.append(f"p({_inline(child)}, style: ({style},), par: noindent, align: {align})")
            self.below = below
        self.fresh = False
        self.pagebreak()

    def figure(self, el: Any) -> None:
        img = el.find(".//img")
        src = img.get("src", "") if img is not None else ""
        if src not in self.charts.values():
            return
        caption = el.find("figcaption")
        args = f", caption: {_inline(caption)}" if caption is not None else ""
        self.block(f"chart({lit(src)}{args})", 3, 4)

    def table(self, el: Any, cls: set[str]) -> None:
        head_rows = [tr for part in el.findall("thead") for tr in part.findall("tr")]
        body_rows = [
            tr
            for part in el
            if part.tag in ("tbody", "tfoot", "tr")
            for tr in ([part] if part.tag == "tr" else part)
        ]
        body_rows = [tr for tr in body_rows if tr.tag == "tr"]
        widths = [float(m.group(1)) for c in el.iter("col") if (m := _WIDTH.search(c.get("style") or ""))]
        count = max(
            (
                sum(_span(c, "colspan") for c in tr if c.tag in ("td", "th"))
                for tr in [*head_rows, *body_rows]
            ),
            default=1,
        )
        if len(widths) == count:
            cols = [f"{w:g}fr" for w in widths]
        else:
            cols = ["1fr"] * count
            if "level1" in cls:
                cols[0] = "16%"
        args: list[str] = []
        above = 2.0
        if "accounts" in cls:
            size = "7pt" if "basic" in cls else "7.5pt"
            args += [f"size: {size}", "l: 1.2", "inset: (x: 1mm + 0.3pt, y: 0.3mm + 0.3pt)"]
            above = 0
        elif self.in_findings(el):
            args.append("size: 8.5pt")
        caption = el.find("caption")
        if caption is not None:
            args.append(f"caption: {_inline(caption)}")
        head = [self.cell(c, set(), head=True) for tr in head_rows for c in tr if c.tag in ("td", "th")]
        body = []
        for tr in body_rows:
            row_cls = _classes(tr)
            for i, c in enumerate(c for c in tr if c.tag in ("td", "th")):
                body.append(self.cell(c, row_cls, first=i == 0))
        parts = [f"({', '.join(cols)},)", "(" + "".join(f"{h}, " for h in head) + ")"]
        parts += ["(" + "".join(f"{c}, " for c in body) + ")", *args]
        self.block(f"tbl({', '.join(parts)})", above, 4)

    @staticmethod
    def in_findings(el: Any) -> bool:
        parent = el.getparent()
        return parent is not None and "findings" in _classes(parent)

    @staticmethod
    def cell(c: Any, row_cls: set[str], head: bool = False, first: bool = False) -> str:
        spans = "".join(f", {n}: {_span(c, n)}" for n in ("colspan", "rowspan") if _span(c, n) > 1)
        text = _inline(c)
        if head or c.tag == "th":
            return f"th({text}{spans})"
        cls = _classes(c)
        args = []
        style = []
        if "num" in cls and text != '""':
            args += ["align: right", "num: true"]
        elif cls & {"c", "name"} or "total" in row_cls:
            args.append("align: center")
        if "total" in row_cls:
            style += ["font: sans", 'weight: "bold"']
        if "b" in cls or "sum" in row_cls:
            style.append('weight: "bold"')
        if first and "sev-error" in row_cls:
            style += ['fill: rgb("#b00020")', 'weight: "bold"']
        if first and "sev-warning" in row_cls:
            style.append('fill: rgb("#a05a00")')
        if style:
            args.append(f"style: ({', '.join(dict.fromkeys(style))},)")
        return f"td({text}{spans}{''.join(', ' + a for a in args)})"


def source(html: str, charts: Mapping[str, str]) -> str:
    """The Typst source of an HTML document written by :func:`html_out.render` (charts: the
    chart files by the ``src`` the HTML gives them)."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    body = root.find("body") if root.tag != "body" else root
    if body is None:
        body = root
    title = root.find(".//header/h1")
    writer = _TypstWriter(charts)
    writer.walk(body)
    heading = _inline(title) if title is not None else "none"
    return "\n".join([preamble(), f"#show: setup.with({heading})", "#{", *writer.out, "}", ""])


def pdf(doc: Doc, context: Mapping[str, Any]) -> bytes:
    """The document as PDF bytes."""
    import typst

    charts = {name: f"{name}.png" for name in context.get("charts", {}) if _CHART.fullmatch(name)}
    html = html_out.render(doc, context, inline_css=False, chart_src=charts)
    with tempfile.TemporaryDirectory(prefix="jixiao-typst-") as tmp:
        folder = Path(tmp)
        for name, file in charts.items():
            (folder / file).write_bytes(context["charts"][name])
        text = source(html, charts)
        _LAID_OUT[:] = [True]
        try:
            return typst.compile(  # type: ignore[type-var] # the stub ties root's type to input's
                text.encode("utf-8", "replace"), root=str(folder), font_paths=fonts(), pdf_tags=False
            )
        except typst.TypstError as exc:
            detail = getattr(exc, "message", "") or str(exc)
            raise InputError(
                [finding("template-render-error", None, name=f"{doc.kind} 的 PDF 排版", detail=detail)]
            ) from None


def write(doc: Doc, context: Mapping[str, Any], path: Path) -> None:
    outputs.write(path, pdf(doc, context))  # never through a link


#: Whether this process has laid out a page with Typst (then it must not fork: Typst's
#: threads would be missing in the child, which would wait for them forever).
_LAID_OUT: list[bool] = []


def laid_out_here() -> bool:
    return bool(_LAID_OUT)


def warm_up() -> None:
    """Load Typst, lxml, the fonts and the preamble now (before worker processes fork: no
    page is laid out, see :data:`_LAID_OUT`)."""
    import typst  # noqa: F401
    from lxml import html  # noqa: F401

    fonts()
    preamble()
