"""The ``jixiao`` command: a thin shell over :mod:`jixiao.api`.

Exit codes: 0 no error Finding; 1 at least one error Finding; 2 the input cannot be read.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from jixiao import api
from jixiao.cli import accounts_cmd, render_cmd, show, web_cmd

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
accounts_cmd.register(app)
render_cmd.register(app)
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
    file: Annotated[Path, typer.Argument(help="申报文件（YAML 或 JSON）。", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果。")] = False,
    framework_file: FrameworkFiles = None,
) -> None:
    """对申报文件计分：指标得分、各级合计、总分、等级与发现的问题。"""
    try:
        frameworks = api.catalog(framework_file or [])
        evaluations = api.score_file(file, frameworks=frameworks)
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
            show.evaluation(console, evaluation)
        if len(evaluations) > 1:
            show.batch_summary(console, evaluations)
    if api.input_errors(findings):
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if api.has_errors(findings) else EXIT_OK)


@app.command("audit")
def audit_cmd(
    file: Annotated[
        Path, typer.Argument(help="公开的报告：txt、md、docx、pdf 或 xlsx。", show_default=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果。")] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="另存为 HTML：原文中标出每个问题的位置。", show_default=False),
    ] = None,
    notes: Annotated[bool, typer.Option("--notes", help="也列出全部提示（尾差、无法核对的数字）。")] = False,
) -> None:
    """审核已公开的报告：逐一核对文中和表中的数字，列出前后不符之处。"""
    try:
        report, doc = api.audit(file)
    except api.InputError as exc:
        _fail_input(exc, as_json)
        return
    if html is not None:
        try:
            html.write_text(api.audit_html(report, doc), encoding="utf-8")
        except OSError as exc:
            _console().print(f"无法写入“{html}”：{exc.strerror}")
            raise typer.Exit(EXIT_INPUT) from None
    if as_json:
        sys.stdout.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        show.audit(_console(), report, html, notes=notes)
    raise typer.Exit(EXIT_FINDINGS if api.has_errors(report.findings) else EXIT_OK)


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


@app.command("demo")
def demo_cmd() -> None:
    """用内置示例（转录自公开的自评表和部门决算）演示计分、决算审核与问题发现。"""
    console = _console()
    folder = resources.files("jixiao").joinpath("examples")
    examples = sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)
    all_evaluations = []
    for entry in (e for e in examples if e.name.startswith("score-")):
        with resources.as_file(entry) as path:
            evaluations = api.score_file(path)
        console.rule(f"自评计分：{entry.name}")
        for evaluation in evaluations:
            show.evaluation(console, evaluation)
        all_evaluations += evaluations
    show.batch_summary(console, all_evaluations)
    for entry in (e for e in examples if e.name.startswith("accounts-")):
        text = folder.joinpath(entry.name.replace("-xinxiang-2024.yaml", "-explanation.txt"))
        with resources.as_file(entry) as path, resources.as_file(text) as text_path:
            report = api.check_accounts_file(path, text_path=text_path if text_path.exists() else None)
        console.rule(f"部门决算审核：{entry.name}")
        acc = report.accounts
        console.print(Text(f"{acc.department} {acc.year}年度部门决算（九张公开表与情况说明）", style="bold"))
        show.findings(console, report.findings, notes=False)
    console.print(
        "\n以上示例均转录自公开发布的材料；所列“错误”即原文件中与其规则不符之处。"
        "\n接着可以试试：jixiao score 文件、jixiao check 文件、jixiao audit 报告.pdf、"
        "jixiao render 文件 --out 目录。"
    )


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("已中断\n")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
