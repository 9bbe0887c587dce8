"""The audit as an HTML page: the document's text with each Finding highlighted where it
is, and the summary and the list of Findings beside it."""

from __future__ import annotations

from importlib import resources

from jinja2 import select_autoescape
from markupsafe import Markup, escape

from jixiao.check.published.report import AuditReport
from jixiao.core.findings import Finding, Severity, count
from jixiao.core.templating import sandboxed_environment
from jixiao.model.document import Paragraph, PublishedDocument
from jixiao.read.published.flow import clean

_KIND = {"text": "文本文件", "docx": "Word 文档", "pdf": "PDF 文件", "xlsx": "Excel 工作簿"}


def render_html(report: AuditReport, doc: PublishedDocument) -> str:
    env = sandboxed_environment(autoescape=select_autoescape(["html"]))
    env.globals.update(anchor=anchor, where=where)
    template = env.from_string(
        resources.files("jixiao.render").joinpath("templates/audit.html").read_text("utf-8")
    )
    numbered = list(enumerate(report.findings, start=1))
    # A PDF numbers lines per page: a line is known by its page and its number.
    by_line: dict[tuple[int | None, int], list[tuple[int, Finding]]] = {}
    for n, f in numbered:
        if f.location.line is not None:
            by_line.setdefault((f.location.page, f.location.line), []).append((n, f))
    blocks: list[dict[str, object]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            marks = by_line.get((block.page, block.line or -1), [])
            blocks.append(
                {
                    "kind": "p",
                    "line": block.line,
                    "anchor": anchor(block.page, block.line),
                    "number": f"{block.page}·{block.line}" if block.page else block.line,
                    "html": _highlight(clean(block.text), marks),
                    "flag": _worst(marks),
                }
            )
        else:
            rows = []
            for i, row in enumerate(block.rows):
                line = block.row_lines[i] if i < len(block.row_lines) else None
                marks = by_line.get((block.page, line or -1), [])
                rows.append({"cells": row, "flag": _worst(marks)})
            blocks.append({"kind": "t", "index": block.index, "title": block.title, "rows": rows})
    counts = {s.value: n for s, n in count(report.findings).items()}
    return template.render(
        report=report,
        blocks=blocks,
        findings=report.findings,
        counts=counts,
        kind_label=_KIND.get(report.kind, report.kind),
    )


def anchor(page: int | None, line: int | None) -> str:
    """The HTML id of a line of the document (also used by the list of Findings)."""
    if line is None:
        return ""
    return f"p{page}l{line}" if page else f"l{line}"


def where(f: Finding) -> str:
    """Page and line of a Finding, in Chinese (“第3页第12行”)."""
    loc = f.location
    page = f"第{loc.page}页" if loc.page else ""
    line = f"第{loc.line}行" if loc.line else ""
    return page + line


def _worst(marks: list[tuple[int, Finding]]) -> str | None:
    if not marks:
        return None
    return min((f.severity for _, f in marks), key=lambda s: s.rank).value


def _highlight(text: str, marks: list[tuple[int, Finding]]) -> Markup:
    """Escape ``text`` and wrap each Finding's quoted words in a <mark>."""
    spans: list[tuple[int, int, int, Severity]] = []
    for n, f in marks:
        quote = (f.location.quote or "").rstrip("…")
        for candidate in (quote, quote[:20], quote[:10]):
            if candidate and candidate in text:
                start = text.index(candidate)
                spans.append((start, start + len(candidate), n, f.severity))
                break
    spans.sort()
    out = Markup()
    pos = 0
    for start, end, n, severity in spans:
        if start < pos:
            continue
        out += escape(text[pos:start])
        out += Markup('<mark class="{}" title="见右侧第{}条">{}<sup>{}</sup></mark>').format(
            severity.value, n, text[start:end], n
        )
        pos = end
    return out + escape(text[pos:])
