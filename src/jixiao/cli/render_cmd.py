"""``jixiao render`` and ``jixiao templates export``: the documents, from the command line.

Exit codes as the other commands: 0 written and no error Finding; 1 written, with error
Findings in the input (a reviewer's copy lists them with ``--with-findings``); 2 nothing
written because an input or a template cannot be used.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jixiao import api
from jixiao.cli import show

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _formats(values: list[str] | None) -> list[str] | None:
    """'--format pdf --format docx' and '--format pdf,docx' both work."""
    if not values:
        return None
    return [part for value in values for part in value.replace("，", ",").split(",") if part.strip()]


def render_cmd(  # noqa: PLR0917 - typer maps each parameter to an option
    files: Annotated[
        list[Path],
        typer.Argument(
            help="申报文件（YAML/JSON，可含多个项目）或部门决算文件，可给出多个。", show_default=False
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="输出目录（不存在时自动创建）。", show_default=False)
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="只生成这些格式：xlsx、docx、pdf、html（可重复或用逗号分隔）。"),
    ] = None,
    template: Annotated[
        list[Path] | None,
        typer.Option("--template", "-t", help="用自己修改过的 Word 模板（.docx，或放模板的目录），可重复。"),
    ] = None,
    with_findings: Annotated[
        bool, typer.Option("--with-findings", help="在文档附录中列出发现的问题（审核用副本）。")
    ] = False,
    outline: Annotated[
        str | None,
        typer.Option("--outline", help="报告提纲：xinxiang-2021、xinxiang-2024、xianghe、leshan。"),
    ] = None,
    framework_file: Annotated[
        list[Path] | None,
        typer.Option("--framework-file", "-F", help="额外的指标体系文件（YAML），可重复给出。"),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="并行写出文档的进程数（默认自动：有 PDF 时为处理器核数，最多 4；1 为不并行）。",
            show_default=False,
        ),
    ] = 0,
) -> None:
    """生成自评表、自评报告、项目自评汇总表与部门决算公开文档（Excel、Word、PDF、HTML）。"""
    console = _console()
    # WeasyPrint and fontTools report unsupported CSS through logging: not for the user.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        with console.status("正在生成文档……"):
            result = api.render(
                files,
                out,
                formats=_formats(formats),
                templates=template or [],
                with_findings=with_findings,
                outline=outline,
                frameworks=api.catalog(framework_file or []),
                jobs=max(jobs, 0),  # 0: chosen by the render (never slower than one process)
            )
    except api.InputError as exc:
        show.input_errors(console, exc.findings)
        raise typer.Exit(EXIT_INPUT) from None
    table = Table(title=f"已生成 {len(result.files)} 个文件（{out}）", header_style="bold")
    table.add_column("文档", no_wrap=True)
    table.add_column("格式", no_wrap=True)
    table.add_column("文件", overflow="fold")
    for written in result.files:
        table.add_row(written.title, written.format, written.path.name)
    console.print(table)
    _notes(console, result.findings)
    errors = [f for f in result.findings if f.severity is api.Severity.error]
    if errors:
        console.print(
            f"输入中有 {len(errors)} 个错误"
            "（用 jixiao score 查看详情，或加 --with-findings 在文档附录中列出）。"
        )
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_OK)


def _notes(console: Console, findings: tuple[api.Finding, ...]) -> None:
    """The render's own Findings: missing texts grouped by file, the others one by one."""
    missing: dict[str, list[str]] = {}
    for f in findings:
        if f.code == "text-missing":
            key = (f.location.field or "").removeprefix("summary.")
            keys = missing.setdefault(f.location.file or "", [])
            if key not in keys:
                keys.append(key)
        elif f.code in _render_codes():
            console.print(f.describe())
    for file, keys in missing.items():
        console.print(
            f"[提示] {file or '申报文件'}：报告所需的 {len(keys)} 项文字材料未填写（summary（文字材料）中的"
            f"{'、'.join(keys)}），文档中以“【待填写】”标出。"
        )


def _render_codes() -> frozenset[str]:
    from jixiao.core.findings import catalogue

    return frozenset(c for c, spec in catalogue().items() if spec.stage == "render")


def export_cmd(
    folder: Annotated[Path, typer.Argument(help="导出到的目录（不存在时自动创建）。", show_default=False)],
) -> None:
    """把内置模板（Word 模板、HTML 模板与样式表）导出到目录，修改后用 render --template 使用。"""
    console = _console()
    try:
        written = api.export_templates(folder)
    except api.InputError as exc:
        show.input_errors(console, exc.findings)
        raise typer.Exit(EXIT_INPUT) from None
    for path in written:
        console.print(str(path))
    console.print(
        f"已导出 {len(written)} 个模板。用 Word 修改 .docx 模板后："
        f"jixiao render 申报文件.yaml --out 输出目录 --template {folder}/模板.docx"
    )


def register(app: typer.Typer) -> None:
    """Add ``render`` and ``templates export`` to the main command."""
    app.command("render")(render_cmd)
    templates_app = typer.Typer(
        add_completion=False, no_args_is_help=True, help="文档模板：导出内置模板以便修改。"
    )
    templates_app.command("export")(export_cmd)
    app.add_typer(templates_app, name="templates")
