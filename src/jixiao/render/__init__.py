"""Render: the documents a finance bureau asks for, in xlsx, docx, pdf and html.

The renderers sit in a registry keyed by format (one small module each); the documents
and their contexts are planned in :mod:`documents`; templates are package data in
``templates/`` that users may export, edit and pass back. See ``docs.md``.
"""

from __future__ import annotations

import atexit
import importlib
import multiprocessing
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Future
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jixiao.core.findings import Finding, InputError, finding
from jixiao.core.outputs import prepare_folder
from jixiao.frameworks.catalog import Catalog
from jixiao.render.context import Pair
from jixiao.render.documents import Doc, Kind, build_context, plan
from jixiao.render.layout import outlines
from jixiao.render.template_store import Templates

#: Format -> the module that writes it (imported on first use: the PDF engines are slow to load).
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
    kind: Kind
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
    jobs: int = 1,
) -> RenderResult:
    """Write every document of ``pairs`` (and ``extra_docs``) into ``out_dir``.

    ``jobs`` > 1 writes the files in that many processes: this one and ``jobs - 1`` workers,
    the longest first (the layout of the PDFs is the largest part of a full set), each file to
    a free worker, else written here. The workers are kept for the next render (see
    :func:`shutdown`). ``jobs`` 0 chooses (:func:`_workers`): as many as :func:`default_jobs`
    when there is a PDF to write, else one. The default 1 starts no process, as a web server
    calling this would want.

    Raises InputError (Chinese Findings) for an unknown format or outline, a broken user
    template or one using a name jixiao does not provide -- before any file is written.
    """
    fmts = check_formats(formats)
    check_outline(outline)
    templates = templates or Templates()
    docs = [*plan(pairs, catalog, outline=outline), *extra_docs]
    chosen = [(doc, wanted) for doc in docs if (wanted := tuple(f for f in fmts if f in doc.formats))]
    if not chosen:
        detail = f"所选格式 {'、'.join(fmts)} 不适用于文件中的任何文档"
        raise InputError([finding("nothing-to-render", None, detail=detail)])
    findings: list[Finding] = []
    if any(VISUAL & set(wanted) for _, wanted in chosen):
        from jixiao.render.fonts import font_findings

        findings += font_findings()
    written: list[Written] = []
    for doc, wanted in chosen:
        findings += doc.findings
        written += [Written(out_dir / f"{doc.stem}.{fmt}", fmt, doc.kind, doc.title) for fmt in wanted]

    # this process writes documents too: ``processes - 1`` workers beside it
    helpers = _workers(jobs, chosen) - 1
    pool = _pool(helpers)
    # a document (its context and every file of it) is the unit of work, so a context is
    # built once, by the process that writes its files; the longest first (the 部门决算 with
    # its PDF is the largest part of a full set), each to a worker when one is free, else
    # written here
    order = chosen if pool is None else sorted(chosen, key=_cost, reverse=True)
    work = [_DocJob(doc, wanted, with_findings) for doc, wanted in order]
    if templates.overrides:  # every user template is checked before anything is written
        work = [job.prepared() for job in work]
        _preflight(work, templates)
    prepare_folder(out_dir, [w.path for w in written])  # no symlink followed, no file for a folder
    futures: list[Future[list[Finding]]] = []
    try:
        for job in work:
            if pool is not None and sum(not f.done() for f in futures) < helpers:
                futures.append(pool.submit(_task, job, out_dir, templates))
            else:
                job.write(out_dir, templates)
        problems = [f for future in futures for f in future.result()]
    except BaseException as exc:
        for future in futures:
            future.cancel()
        if isinstance(exc, BrokenExecutor):  # a worker died: start afresh next time
            shutdown()
        raise
    if problems:
        raise InputError(problems)
    return RenderResult(tuple(written), tuple(findings))


def _cost(item: tuple[Doc, tuple[str, ...]]) -> tuple[bool, bool, int]:
    """A document's rough cost, for ordering the work: PDFs first, the 部门决算 first of all."""
    doc, wanted = item
    return "pdf" in wanted, doc.publication is not None, len(wanted)


@dataclass(frozen=True)
class _DocJob:
    """A document to write in ``wanted`` formats: the unit of work of a render, so that its
    context is built once, by the process that writes its files (unless built beforehand
    for the preflight of user templates)."""

    doc: Doc
    wanted: tuple[str, ...]
    with_findings: bool
    context: dict[str, Any] | None = None

    def built_context(self) -> dict[str, Any]:
        """The document's template context: the one built beforehand, else built now."""
        if self.context is not None:
            return self.context
        charts = bool(VISUAL & set(self.wanted)) and self.doc.kind in ("report", "accounts")
        return build_context(self.doc, with_findings=self.with_findings, want_charts=charts)

    def prepared(self) -> _DocJob:
        return replace(self, context=self.built_context())

    def write(self, out_dir: Path, templates: Templates) -> None:
        ctx = self.built_context()
        for fmt in sorted(self.wanted, key=lambda f: f != "pdf"):
            _write(fmt, self.doc, ctx, out_dir / f"{self.doc.stem}.{fmt}", templates)


def _task(job: _DocJob, out_dir: Path, templates: Templates) -> list[Finding]:
    """One document, in a worker process; its problems come back as Findings (an exception
    with Findings does not survive the trip between processes)."""
    try:
        job.write(out_dir, templates)
    except InputError as exc:
        return list(exc.findings)
    return []


def default_jobs() -> int:
    """The processes a render uses by default: the cores this process may run on, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def _workers(jobs: int, order: Sequence[tuple[Doc, tuple[str, ...]]]) -> int:
    """How many processes write the files (this one included); 1: no worker process.

    ``jobs`` 0 chooses: workers pay only when there is a PDF to lay out (the PDF layout
    is most of a full set) and more than one core; a few Word and Excel files are written
    faster here than they can be sent to another process.
    """
    tasks = sum(len(wanted) for _, wanted in order)
    if jobs > 0:
        return min(jobs, tasks)
    pdfs = sum("pdf" in wanted for _, wanted in order)
    if pdfs == 0 or tasks < 3:
        return 1
    return min(default_jobs(), tasks)


#: The worker processes, kept for the next render (forked once, they keep the modules, fonts
#: and templates they have loaded). Shut down at exit or by :func:`shutdown`.
_POOL: list[Any] = []

#: What a worker forked from the fork server imports before its first file.
_PRELOAD = [
    "jixiao.render",
    "jixiao.render.pdf_out",
    "jixiao.render.typst_out",
    "jixiao.render.docx_out",
    "jixiao.render.xlsx_out",
]


def _pool(workers: int) -> Any:
    """A pool of ``workers`` processes (the one kept from the last render if of that size),
    or None for no worker process.

    The workers are forked from this process (all at once, at the first file sent) once it
    has loaded the PDF engine, the fonts and the styles. But Typst's threads do not survive
    a fork: a process forked after Typst laid out a page here waits forever. So once this
    process has laid out a page with Typst, new workers are forked from a fork server that
    never does, and load the fonts when they start."""
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if _POOL and _POOL[0][0] == workers:
        return _POOL[0][1]
    shutdown()
    from concurrent.futures import ProcessPoolExecutor

    from jixiao.render import pdf_out, typst_out

    pdf_out.warm_up()
    if pdf_out.engine() == "typst" and typst_out.laid_out_here():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=pdf_out.warm_up)
    else:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    if not _POOL:
        atexit.register(shutdown)
    _POOL[:] = [(workers, pool)]
    return pool


def shutdown() -> None:
    """Stop the worker processes kept between renders (none is kept after this)."""
    if _POOL:
        _, pool = _POOL.pop()
        pool.shutdown(wait=True, cancel_futures=True)


def _write_failed(path: Path, exc: OSError) -> InputError:
    return InputError([finding("write-failed", None, path=str(path), detail=exc.strerror or str(exc))])


def _preflight(jobs: Sequence[_DocJob], templates: Templates) -> None:
    """Check every user template against its document's context before writing anything."""
    if not templates.overrides:
        return
    from docxtpl import DocxTemplate

    from jixiao.render import docx_out
    from jixiao.render.fmt import environment

    checked: set[str] = set()
    for job in jobs:
        doc = job.doc
        if "docx" in job.wanted and doc.template in templates.overrides and doc.template not in checked:
            checked.add(doc.template)
            tpl = DocxTemplate(templates.docx(doc.template))
            docx_out.check(tpl, environment(), job.context or {}, templates.source(doc.template))


def _write(fmt: str, doc: Doc, ctx: Mapping[str, Any], path: Path, templates: Templates) -> None:
    module = importlib.import_module(RENDERERS[fmt])
    try:
        if fmt == "docx":
            module.write(doc, ctx, path, templates)
        else:
            module.write(doc, ctx, path)
    except OSError as exc:
        raise _write_failed(path, exc) from None
