"""Word documents: a docxtpl template filled with the document's context.

After filling, the indicator columns (一级指标, 二级指标, and the other columns named in
``MERGED_HEADERS``) are merged vertically where consecutive rows repeat a name, as the
seeds print them. The template's tags are checked before rendering, so an unknown name
is refused with the tag named rather than written as a blank.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from jixiao.core import outputs
from jixiao.core.findings import Finding, InputError, finding
from jixiao.core.templating import refused
from jixiao.model.selfeval_tables import heads_of
from jixiao.render import template_store
from jixiao.render.accounts_tables import Cell, PrintedTable
from jixiao.render.documents import Doc
from jixiao.render.fmt import environment
from jixiao.render.template_store import Templates

if TYPE_CHECKING:
    from docx.document import Document

#: Header texts of the columns whose repeated names become one merged cell.
MERGED_HEADERS = heads_of("l1", "l2")
#: Header texts of label columns that span the whole indicator block (seed 002, 财预10号表样).
LABEL_HEADERS = heads_of("label")

#: Width of the charts in a Word page (mm).
CHART_WIDTH_MM = 150


def write(doc: Doc, context: Mapping[str, Any], path: Path, templates: Templates) -> None:
    """Fill ``doc``'s template with ``context`` and save it to ``path``; InputError when the
    template is broken or uses a name the context does not have."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    source = templates.source(doc.template)
    tpl = _template_class()(templates.docx(doc.template))
    env = _environment(trusted=doc.template not in templates.overrides)
    try:
        # the built-in templates are checked by the tests; a user's is checked before any
        # file is written (render_pairs' preflight), so no check here
        ctx = dict(context)
        ctx["charts"] = {
            name: InlineImage(tpl, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
            for name, png in context.get("charts", {}).items()
        }
        if "tables" in context and "subdocs" in context:
            ctx["subdocs"] = {t.id: table_xml(t) for t in context["tables"]}
        tpl.render(ctx, env)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError([_syntax(source, exc)]) from None
    except jinja2.UndefinedError as exc:
        raise InputError([_unknown(source, template_store.undefined_name(exc), context)]) from None
    except SecurityError as exc:
        raise InputError([finding("template-render-error", None, name=source, detail=refused(exc))]) from None
    except (
        TypeError,
        ValueError,
        ArithmeticError,
        AttributeError,
        LookupError,
        RecursionError,
        jinja2.TemplateError,
    ) as exc:  # a tag applied to data it does not fit
        raise InputError([finding("template-render-error", None, name=source, detail=str(exc))]) from None
    merge_repeated(tpl.docx)
    tpl.docx.core_properties.category = ""
    outputs.save(path, tpl.save)


@cache
def _environment(*, trusted: bool) -> jinja2.Environment:
    """The Jinja environment of the Word documents, one per process, whose ``from_string``
    compiles a source once: docxtpl hands it the same XML for every document of a template
    (the parsing and compiling was a third of a Word file's time). A user's template is
    rendered in the sandbox; the package's own (``trusted``) are not."""
    env = environment(trusted=trusted)
    env.from_string = lru_cache(maxsize=64)(env.from_string)  # type: ignore[method-assign,assignment]
    return env


@lru_cache(maxsize=64)
def _patched(xml: str) -> str:
    """docxtpl's clean-up of a template's XML (regular expressions only), once per XML."""
    from docxtpl import DocxTemplate

    return str(DocxTemplate.patch_xml(None, xml))  # self is not used


@cache
def _template_class() -> type:
    """DocxTemplate whose XML clean-up is done once per template and process."""
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):  # type: ignore[misc]
        def patch_xml(self, src_xml: str) -> str:
            return _patched(src_xml)

    return Template


def check(tpl: Any, env: jinja2.Environment, context: Mapping[str, Any], source: str) -> None:
    """Refuse a template whose tags do not parse or name data the context lacks."""
    from docx.opc.exceptions import PackageNotFoundError

    try:
        parts = _all_xml(tpl)
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError([finding("template-broken", None, name=source, detail=str(exc))]) from None
    except Exception as exc:  # lxml syntax errors, damaged parts: the file is not a usable template
        detail = f"文档内容无法解析（{type(exc).__name__}: {str(exc)[:80]}）"
        raise InputError([finding("template-broken", None, name=source, detail=detail)]) from None
    untyped = [str(part.partname) for part in tpl.docx.part.package.iter_parts() if not part.content_type]
    if untyped:  # python-docx reads such a package but cannot write it back
        detail = f"“[Content_Types].xml”未给出部件“{untyped[0][:80]}”的内容类型"
        raise InputError([finding("template-broken", None, name=source, detail=detail)])
    for xml in parts:
        try:
            unknown = template_store.unknown_names(env, xml, context.keys())
        except jinja2.TemplateSyntaxError as exc:
            raise InputError([_syntax(source, exc)]) from None
        if unknown:
            raise InputError([_unknown(source, unknown[0], context)])


def _all_xml(tpl: Any) -> list[str]:
    """The body, headers and footers of a template, as docxtpl hands them to Jinja."""
    from docx.oxml import parse_xml

    tpl.init_docx()
    out = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            out.append(tpl.patch_xml(tpl.xml_to_string(parse_xml(part.blob))))
    return out


def _unknown(source: str, tag: str, context: Mapping[str, Any]) -> Finding:
    available = "、".join(sorted(k for k in context if not k.startswith("_")))
    return finding("template-unknown-tag", None, name=source, tag=tag, available=available)


def _syntax(source: str, exc: jinja2.TemplateSyntaxError) -> Finding:
    near = ""
    context_lines = getattr(exc, "docx_context", None)
    if context_lines:
        text = "".join(context_lines).strip()
        if text:
            near = f"（附近的文字：“{text[:60]}”）"
    return finding("template-syntax", None, name=source, detail=template_store.syntax_detail(exc), near=near)


def merge_repeated(document: Document) -> None:
    """Merge the indicator columns of every table the way the seeds print them.

    In a column headed by a name of ``MERGED_HEADERS``, consecutive equal names become one
    cell; a run is broken wherever a column to its left starts a new run, so a level-2
    name never spans two level-1 indicators. A column headed by a label of
    ``LABEL_HEADERS`` whose data cells are empty becomes one cell from the header down.
    The block ends at the first row with another number of cells (the total row).
    """
    from docx.oxml.ns import qn
    from docx.table import Table

    for tbl in document.element.body.iter(qn("w:tbl")):
        rows = Table(tbl, document).rows
        if not rows:
            continue
        header = [c.text.strip() for c in rows[0].cells]
        if not any(h in MERGED_HEADERS or h in LABEL_HEADERS for h in header):
            continue
        width = len(rows[0]._tr.tc_lst)
        body = []
        for row in rows[1:]:
            # row.cells repeats a spanned cell once per grid column: count the real cells
            if len(row._tr.tc_lst) != width:
                break
            body.append(row.cells)
        if not body:
            continue
        for col, text in enumerate(header):
            if text in LABEL_HEADERS and all(not r[col].text.strip() for r in body):
                rows[0].cells[col].merge(body[-1][col])
        _merge_columns(body, [i for i, h in enumerate(header) if h in MERGED_HEADERS])


def _merge_columns(body: list[Any], columns: list[int]) -> None:
    starts: set[int] = set()  # rows where a column to the left starts a run
    for col in columns:
        texts = [cells[col].text.strip() for cells in body]
        runs, start = [], 0
        for i in range(1, len(body) + 1):
            if i == len(body) or i in starts or texts[i] != texts[start]:
                runs.append((start, i))
                start = i
        for first, end in runs:
            starts.add(first)
            if end - first > 1 and texts[first]:
                for j in range(first + 1, end):
                    _clear(body[j][col])
                body[first][col].merge(body[end - 1][col])


def _clear(cell: Any) -> None:
    """Empty a cell completely, so that merging does not carry its text into the merged cell."""
    for para in cell.paragraphs[1:]:
        para._element.getparent().remove(para._element)
    p = cell.paragraphs[0]._element
    for child in list(p):
        if child.tag != p.tag.replace("}p", "}pPr"):
            p.remove(child)


#: Width of the printed area of a landscape A4 page with 1.5 cm margins, in twips (dxa).
LANDSCAPE_WIDTH_DXA = round(26.7 * 567)


def table_xml(table: PrintedTable) -> Markup:
    """A final-accounts table (:class:`~jixiao.render.accounts_tables.PrintedTable`) as the
    WordprocessingML of one ``w:tbl``: cells written, spans merged (gridSpan / vMerge),
    header rows repeated, rows never split. Written as text: building it through python-docx
    took a second for the nine tables; this takes milliseconds.
    """
    from jixiao.render.build_templates import BODY_FONT, HEADING_FONT, LATIN_FONT

    rows = [*table.head, *table.body]
    widths = [round(LANDSCAPE_WIDTH_DXA * w / 100) for w in table.widths]
    size = 15 if table.columns > 8 else 16  # half-points
    # every grid position: the cell starting there, or the cell whose rowspan covers it
    starts = {(r, c): cell for r, c, cell in table.placed(rows)}
    covered: dict[tuple[int, int], Cell] = {}
    for (r, c), start in starts.items():
        for dr in range(1, start.rowspan):
            covered[(r + dr, c)] = start
    jc = {"left": "left", "right": "right", "center": "center"}
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for r in range(len(rows)):
        out.append(
            "<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < len(table.head) else "") + "</w:trPr>"
        )
        c = 0
        while c < table.columns:
            cell = starts.get((r, c))
            cont = covered.get((r, c)) if cell is None else None
            span = cell.colspan if cell is not None else cont.colspan if cont is not None else 1
            width = sum(widths[c : c + span])
            props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if span > 1:
                props += f'<w:gridSpan w:val="{span}"/>'
            if cell is not None and cell.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>'
            elif cont is not None:
                props += "<w:vMerge/>"
            props += '<w:vAlign w:val="center"/>'
            run = ""
            align = "center"
            if cell is not None:
                align = jc.get(cell.align, "left")
                if cell.text:
                    font = HEADING_FONT if cell.head else BODY_FONT
                    bold = "<w:b/>" if cell.bold else ""
                    run = (
                        f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
                        f'w:eastAsia="{font}"/>{bold}<w:sz w:val="{size}"/></w:rPr>'
                        f'<w:t xml:space="preserve">{xml_escape(cell.text)}</w:t></w:r>'
                    )
            out.append(
                f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:spacing w:before="0" w:after="0" '
                f'w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="{align}"/>'
                f'<w:rPr><w:sz w:val="{size}"/></w:rPr></w:pPr>{run}</w:p></w:tc>'
            )
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return Markup("".join(out))
