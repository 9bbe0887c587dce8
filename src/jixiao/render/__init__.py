"""Render: the documents a finance bureau asks for, in xlsx, docx, pdf and html.

The renderers sit in a registry keyed by format (one small module each); the documents
and their contexts are planned in :mod:`documents`; templates are package data in
``templates/`` that users may export, edit and pass back. See ``docs.md``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jixiao.core.findings import Finding, InputError, finding
from jixiao.frameworks.catalog import Catalog
from jixiao.render.context import Pair
from jixiao.render.documents import Doc, build_context, plan
from jixiao.render.layout import outlines
from jixiao.render.template_store import Templates

#: Format -> the module that writes it (imported on first use: WeasyPrint is slow to load).
RENDERERS: Mapping[str, str] = MappingProxyType(
    {
        "xlsx": "jixiao.render.xlsx_out",
        "docx": "jixiao.render.docx_out",
        "pdf": "jixiao.render.pdf_out",
        "html": "jixiao.render.html_out",
    }
)
VISUAL = frozenset({"docx", "pdf", "html"})


@dataclass(frozen=True)
class Written:
    """A file written: where, in which format, which document."""

    path: Path
    format: str
    kind: str
    title: str


@dataclass(frozen=True)
class RenderResult:
    """The files written and the Findings of the render (missing texts, fonts)."""

    files: tuple[Written, ...]
    findings: tuple[Finding, ...]


def check_formats(formats: Iterable[str] | None) -> tuple[str, ...]:
    """The formats asked for, in registry order; InputError for an unknown one."""
    if formats is None:
        return tuple(RENDERERS)
    asked = [f.strip().lower() for f in formats if f.strip()]
    unknown = [f for f in asked if f not in RENDERERS]
    if unknown:
        raise InputError([finding("unknown-format", None, format=unknown[0], available="、".join(RENDERERS))])
    return tuple(f for f in RENDERERS if f in asked)


def check_outline(outline: str | None) -> None:
    if outline is not None and outline not in outlines():
        raise InputError([finding("unknown-outline", None, name=outline, available="、".join(outlines()))])


def render_pairs(
    pairs: Sequence[Pair],
    out_dir: Path,
    *,
    catalog: Catalog,
    formats: Iterable[str] | None = None,
    templates: Templates | None = None,
    with_findings: bool = False,
    outline: str | None = None,
    extra_docs: Sequence[Doc] = (),
) -> RenderResult:
    """Write every document of ``pairs`` (and ``extra_docs``) into ``out_dir``.

    Raises InputError (Chinese Findings) for an unknown format or outline, a broken user
    template or one using a name jixiao does not provide -- before any file is written.
    """
    fmts = check_formats(formats)
    check_outline(outline)
    templates = templates or Templates()
    docs = [*plan(pairs, catalog, outline=outline), *extra_docs]
    jobs: list[tuple[Doc, tuple[str, ...], dict[str, Any]]] = []
    for doc in docs:
        wanted = tuple(f for f in fmts if f in doc.formats)
        if not wanted:
            continue
        charts = bool(VISUAL & set(wanted)) and doc.kind in ("report", "accounts")
        jobs.append((doc, wanted, build_context(doc, with_findings=with_findings, want_charts=charts)))
    if not jobs:
        detail = f"所选格式 {'、'.join(fmts)} 不适用于文件中的任何文档"
        raise InputError([finding("nothing-to-render", None, detail=detail)])
    _preflight(jobs, templates)
    findings: list[Finding] = []
    if any(VISUAL & set(w) for _, w, _ in jobs):
        from jixiao.render.fonts import font_findings

        findings += font_findings()
    written: list[Written] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for doc, wanted, ctx in jobs:
        findings += doc.findings
        for fmt in wanted:
            path = out_dir / f"{doc.stem}.{fmt}"
            _write(fmt, doc, ctx, path, templates)
            written.append(Written(path, fmt, doc.kind, doc.title))
    return RenderResult(tuple(written), tuple(findings))


def _preflight(jobs: Sequence[tuple[Doc, tuple[str, ...], dict[str, Any]]], templates: Templates) -> None:
    """Check every user template against its document's context before writing anything."""
    if not templates.overrides:
        return
    from docxtpl import DocxTemplate

    from jixiao.render import docx_out
    from jixiao.render.fmt import environment

    checked: set[str] = set()
    for doc, wanted, ctx in jobs:
        if "docx" in wanted and doc.template in templates.overrides and doc.template not in checked:
            checked.add(doc.template)
            tpl = DocxTemplate(templates.docx(doc.template))
            docx_out.check(tpl, environment(), ctx, templates.source(doc.template))


def _write(fmt: str, doc: Doc, ctx: Mapping[str, Any], path: Path, templates: Templates) -> None:
    module = importlib.import_module(RENDERERS[fmt])
    try:
        if fmt == "docx":
            module.write(doc, ctx, path, templates)
        else:
            module.write(doc, ctx, path)
    except OSError as exc:
        raise InputError(
            [finding("write-failed", None, path=str(path), detail=exc.strerror or str(exc))]
        ) from None
