"""CLI command ``audit``: one published report, or many (files and folders) in parallel.

A thin shell over :mod:`jixiao.api`. One document: its Findings in full (as before).
Several: a progress bar on a terminal, then a summary table, one row per document, most
errors first (``--summary`` also writes it as a workbook). Exit codes as the rest of the
CLI: 0 no error Finding, 1 error Findings (in any document), 2 the input cannot be read
(for several documents: none had errors but some could not be read).
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao import api
from jixiao.cli import show, stream
from jixiao.core import outputs

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

_WORST_SHOWN = 48  # characters of the worst problem shown in the terminal's summary

#: Suffixes a folder is searched for (the formats the audit reads).
SUFFIXES = (".pdf", ".docx", ".xlsx", ".txt", ".md")


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


@dataclass(frozen=True)
class _Options:
    as_json: bool
    html: Path | None
    notes: bool
    only: list[str]
    skip: list[str]
    jobs: int | None
    summary: Path | None


def audit_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="公开的报告（txt、md、docx、pdf、xlsx），或存放报告的文件夹（含子文件夹）；可给出多个。",
            show_default=False,
        ),
    ] = None,
    *,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果。")] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="另存为 HTML：原文中标出每个问题的位置。审核多个文件时给出文件夹，每个文件一页。",
            show_default=False,
        ),
    ] = None,
    notes: Annotated[bool, typer.Option("--notes", help=show.NOTES_HELP)] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="只运行这些审核项（名称或中文名），可重复。审核项见 --list-checks。"),
    ] = None,
    skip: Annotated[
        list[str] | None, typer.Option("--skip", help="不运行这些审核项（名称或中文名），可重复。")
    ] = None,
    list_checks: Annotated[
        bool, typer.Option("--list-checks", help="列出全部审核项的名称与说明，然后退出。")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="同时审核的文件数（进程数），默认为处理器核数。", min=1),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option("--summary", help="把汇总（每个文件一行）另存为 Excel 工作簿，如 汇总.xlsx。"),
    ] = None,
) -> None:
    """审核已公开的报告：逐一核对文中和表中的数字，列出前后不符之处。可一次审核多个文件或整个文件夹。"""
    if list_checks:
        _print_checks()
        return
    if not paths:
        _console().print("请给出要审核的报告文件或文件夹（jixiao audit --help 查看用法）。")
        raise typer.Exit(EXIT_INPUT)
    try:
        api.audit_check_names(only or [], skip or [])
    except api.InputError as exc:
        _fail_input(exc, as_json)
    files = stream.expand(paths, SUFFIXES)
    if not files:
        _console().print(f"在所给的位置没有找到可审核的文件（{'、'.join(SUFFIXES)}）。")
        raise typer.Exit(EXIT_INPUT)
    options = _Options(as_json, html, notes, only or [], skip or [], jobs, summary)
    if len(files) == 1 and files[0] in paths and summary is None:
        _one(files[0], options)
        return
    _many(files, options)


def _print_checks() -> None:
    table = Table(title="审核项（--only / --skip 可用名称或中文名）", header_style="bold")
    for column in ("名称", "中文名", "核对内容"):
        table.add_column(column)
    for name, label, doc in api.audit_checks():
        table.add_row(name, label, doc)
    _console().print(table)


def _fail_input(exc: api.InputError, as_json: bool) -> None:
    if as_json:
        payload = {"input_errors": [f.model_dump(mode="json") for f in exc.findings]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        show.input_errors(_console(), exc.findings)
    raise typer.Exit(EXIT_INPUT)


def _one(file: Path, options: _Options) -> None:
    as_json, html = options.as_json, options.html
    try:
        report, doc = api.audit(file, only=options.only, skip=options.skip)
    except api.InputError as exc:
        _fail_input(exc, as_json)
        return
    if html is not None:
        target = html / f"{file.stem}.html" if html.is_dir() and not html.is_symlink() else html
        try:
            outputs.write(target, api.audit_html(report, doc))
        except api.InputError as exc:
            _fail_input(exc, as_json)
            return
        html = target
    if as_json:
        sys.stdout.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        show.audit(_console(), report, html, notes=options.notes)
    raise typer.Exit(EXIT_FINDINGS if api.has_errors(report.findings) else EXIT_OK)


def audit_one(file: str, only: list[str], skip: list[str], html_dir: str | None) -> dict[str, Any]:
    """One document, in a worker process: its report (or why it cannot be read), its
    department and kind, and its HTML page written to ``html_dir``."""
    from jixiao.render.audit_summary import identify

    path = Path(file)
    try:
        report, doc = api.audit(path, only=only, skip=skip)
    except api.InputError as exc:
        return {"file": file, "input_errors": exc.findings}
    except Exception as exc:  # one document's failure must not stop the others
        return {"file": file, "crash": f"{type(exc).__name__}: {exc}"[:200]}
    department, kind = identify(doc, report)
    html = None
    if html_dir is not None:
        html = str(Path(html_dir) / f"{path.stem}.html")
        try:
            outputs.write(Path(html), api.audit_html(report, doc))
        except api.InputError as exc:
            html = exc.findings[0].message
    return {"file": file, "report": report, "department": department, "kind": kind, "html": html}


def _many(files: list[Path], options: _Options) -> None:
    from jixiao.render import audit_summary as summaries

    as_json, html, summary = options.as_json, options.html, options.summary
    console = _console()
    if html is not None:
        try:
            outputs.prepare_folder(html)
        except api.InputError as exc:
            _fail_input(exc, as_json)
            return
    results = _run(files, options)
    rows = []
    unreadable = 0
    for result in results:
        if "report" in result:
            rows.append(summaries.row(result["report"], result["department"], result["kind"]))
        else:
            unreadable += 1
            rows.append(summaries.unreadable_row(result["file"], _problems(result)))
    rows = summaries.ordered(rows)
    if summary is not None:
        try:
            summaries.write_xlsx(rows, summary)
        except api.InputError as exc:
            _fail_input(exc, as_json)
            return
    errors = any(api.has_errors(r["report"].findings) for r in results if "report" in r)
    if as_json:
        payload = [_json(result) for result in _by_file(results, rows)]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        _summary_table(console, rows, summary)
        if options.notes:
            for result in _by_file(results, rows):
                if "report" in result:
                    show.audit(console, result["report"], None, notes=True)
    if errors:
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_INPUT if unreadable else EXIT_OK)


def _problems(result: dict[str, Any]) -> list[api.Finding]:
    from jixiao.core.findings import Location, finding

    if "input_errors" in result:
        return list(result["input_errors"])
    detail = result.get("crash", "")
    return [finding("internal-error", Location(file=result["file"]), rule="审核", detail=detail)]


def _by_file(results: list[dict[str, Any]], rows: list[Any]) -> list[dict[str, Any]]:
    """The results in the order of the summary rows."""
    index = {r["file"]: r for r in results}
    return [index[row.file] for row in rows]


def _json(result: dict[str, Any]) -> dict[str, Any]:
    if "report" in result:
        out: dict[str, Any] = result["report"].model_dump(mode="json")
        out.update(department=result["department"], document_kind=result["kind"])
        return out
    return {"file": result["file"], "input_errors": [f.model_dump(mode="json") for f in _problems(result)]}


def _run(files: list[Path], options: _Options) -> list[dict[str, Any]]:
    """Audit ``files`` in ``--jobs`` worker processes, with a progress bar on a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    only, skip = options.only, options.skip
    html_dir = str(options.html) if options.html else None
    show_progress = not options.as_json
    workers = max(1, min(options.jobs or os.cpu_count() or 1, len(files)))
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("审核"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=not (show_progress and console.is_terminal),
    )
    results: list[dict[str, Any]] = []
    if workers == 1:
        with progress:
            task = progress.add_task("", total=len(files))
            for file in files:
                progress.update(task, description=file.name)
                results.append(audit_one(str(file), only, skip, html_dir))
                progress.advance(task)
        return results
    # All tasks are submitted (and the workers started) before the progress bar starts
    # its drawing thread.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(audit_one, str(f), only, skip, html_dir) for f in files]
        with progress:
            task = progress.add_task("", total=len(files))
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as exc:  # a worker that died (out of memory, killed)
                    failed = str(files[futures.index(future)])
                    result = {"file": failed, "crash": f"{type(exc).__name__}: {exc}"[:200]}
                results.append(result)
                progress.update(task, description=Path(result["file"]).name)
                progress.advance(task)
    return results


def _summary_table(console: Console, rows: list[Any], summary: Path | None) -> None:
    from jixiao.render.audit_summary import COLUMNS

    table = Table(title=f"审核汇总（{len(rows)} 个文件）", header_style="bold", show_lines=False)
    for column in COLUMNS:
        table.add_column(column, overflow="fold", no_wrap=column in ("年度", "错误", "警告", "提示"))
    for r in rows:
        cells = [str(c) for c in r.cells()]
        cells[0] = Path(r.file).name
        if len(cells[-1]) > _WORST_SHOWN:  # the workbook has it whole
            cells[-1] = cells[-1][: _WORST_SHOWN - 1] + "…"
        style = "red" if r.errors else ("yellow" if r.warnings else "")
        table.add_row(*(Text(c) for c in cells), style=style)
    console.print(table)
    totals = [sum(r.errors for r in rows), sum(r.warnings for r in rows)]
    clean = sum(1 for r in rows if not r.errors and not r.warnings)
    console.print(f"共 {len(rows)} 个文件：错误 {totals[0]}，警告 {totals[1]}；{clean} 个文件未发现问题。")
    if summary is not None:
        console.print(f"已写出汇总：{summary}")


def register(app: typer.Typer) -> None:
    """Add the ``audit`` command to ``app``."""
    app.command("audit")(audit_cmd)
