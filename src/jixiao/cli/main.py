"""The ``jixiao`` command: a thin shell over :mod:`jixiao.api`.

Exit codes: 0 no error Finding; 1 at least one error Finding; 2 the input cannot be read;
3 internal error (see :mod:`jixiao.cli.failure`).
"""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jixiao import api
from jixiao.cli import (
    accounts_cmd,
    audit_cmd,
    demo_cmd,
    failure,
    render_cmd,
    show,
    stream,
    web_cmd,
    zh,
)

zh.install()  # the framework's own usage lines and errors in Chinese, for every command

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="jixiao（绩效）：绩效自评计分、部门决算校验与公开报告审核。",
)
frameworks_app = typer.Typer(
    add_completion=False, help="列出或查看内置指标体系。", invoke_without_command=True
)
app.add_typer(frameworks_app, name="frameworks")
failure.register(app)
accounts_cmd.register(app)
demo_cmd.register(app)
render_cmd.register(app)
audit_cmd.register(app)
web_cmd.register(app)

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

FrameworkFiles = Annotated[
    list[Path] | None,
    typer.Option("--framework-file", "-F", help="额外的指标体系文件（YAML），可重复给出。"),
]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _fail_input(exc: api.InputError, as_json: bool) -> None:
    if as_json:
        payload = {"input_errors": [f.model_dump(mode="json") for f in exc.findings]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        show.input_errors(_console(), exc.findings)
    raise typer.Exit(EXIT_INPUT)


@app.command("score")
def score_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="申报文件（YAML、JSON 或 Excel 自评表），或存放申报文件的文件夹（含子文件夹）；可给出多个。",
            show_default=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果。")] = False,
    framework_file: FrameworkFiles = None,
    notes: Annotated[bool, typer.Option("--notes", help=show.NOTES_HELP)] = False,
) -> None:
    """对申报文件计分：指标得分、各级合计、总分、等级与发现的问题。

    多个文件或文件夹逐个读取、计分并输出（终端上显示进度条），结束时列出合计。
    """
    try:
        frameworks = api.catalog(framework_file or [])
    except api.InputError as exc:
        _fail_input(exc, as_json)
        return
    if stream.is_stream(files):
        _score_stream(stream.expand(files, api.SUBMISSION_SUFFIXES), frameworks, as_json, notes)
        return
    try:
        evaluations = api.score_file(files[0], frameworks=frameworks)
    except api.InputError as exc:
        _fail_input(exc, as_json)
        return
    findings = [f for e in evaluations for f in e.findings]
    if as_json:
        payload = [e.model_dump(mode="json") for e in evaluations]
        sys.stdout.write(
            json.dumps(payload if len(payload) > 1 else payload[0], ensure_ascii=False, indent=2) + "\n"
        )
    else:
        console = _console()
        for evaluation in evaluations:
            show.evaluation(console, evaluation, notes=notes)
        if len(evaluations) > 1:
            show.batch_summary(console, evaluations)
    if api.input_errors(findings):
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if api.has_errors(findings) else EXIT_OK)


def _score_stream(paths: list[Path], frameworks: api.Catalog, as_json: bool, notes: bool) -> None:
    """Many files, one at a time: each evaluation printed as soon as it is scored (on a
    terminal one line and its problems; with --json one list of evaluations, the shape of
    a file of several submissions), nothing kept but the counts."""
    console = _console()

    def documents(path: Path, evaluations: list[api.Evaluation]) -> list[stream.Document]:
        return [
            (
                e.findings,
                partial(e.model_dump, mode="json"),
                partial(show.evaluation_line, console, path, e, notes=notes),
            )
            for e in evaluations
        ]

    results = api.score_files(paths, frameworks=frameworks)
    code = stream.run(
        results, len(paths), documents, label="计分", unit="份", noun="申报", as_json=as_json, console=console
    )
    raise typer.Exit(code)


@frameworks_app.callback()
def frameworks_list(
    ctx: typer.Context,
    framework_file: FrameworkFiles = None,
) -> None:
    """列出可用的指标体系。"""
    if ctx.invoked_subcommand is not None:
        ctx.obj = framework_file
        return
    try:
        catalog = api.catalog(framework_file or [])
    except api.InputError as exc:
        _fail_input(exc, False)
        return
    show.framework_list(_console(), catalog)


@frameworks_app.command("show")
def frameworks_show(
    ctx: typer.Context,
    framework_id: Annotated[str, typer.Argument(help="指标体系 ID。", show_default=False)],
) -> None:
    """显示一个指标体系的指标树、分值与计分设置。"""
    try:
        catalog = api.catalog(ctx.obj or [])
    except api.InputError as exc:
        _fail_input(exc, False)
        return
    fw = catalog.get(framework_id)
    if fw is None:
        _console().print(f"未知的指标体系“{framework_id}”，可用的有：{'、'.join(catalog.ids())}")
        raise typer.Exit(EXIT_INPUT)
    show.framework(_console(), fw)


def main() -> None:
    """Console-script entry point: exit 3 with a crash report on an internal error."""
    failure.run(app)


if __name__ == "__main__":  # pragma: no cover
    main()
