"""CLI commands for final accounts (部门决算): ``check``, ``explain``, ``template``.

A thin shell over :mod:`jixiao.api`. Exit codes as the rest of the CLI: 0 no error Finding,
1 error Findings, 2 the input (or a rule file) cannot be read.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from jixiao import api
from jixiao.cli import show, stream
from jixiao.core import outputs
from jixiao.core.findings import Severity, count

if TYPE_CHECKING:
    from jixiao.check.accounts.checks import AccountsReport
    from jixiao.check.formulas.ruleset import RuleSet

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
_STATUS = {
    "pass": "成立",
    "empty": "无数据",
    "tail": "尾差",
    "fail": "不成立",
    "explained": "已说明",
    "skip": "缺数据跳过",
    "crash": "运行出错",
}


def _console() -> Console:
    # soft wrap: long Chinese messages are left whole for the terminal to wrap (and to copy)
    return Console(highlight=False, soft_wrap=True)


def _write_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _input_failure(exc: api.InputError, as_json: bool) -> None:
    if as_json:
        _write_json({"input_errors": [f.model_dump(mode="json") for f in exc.findings]})
    else:
        show.input_errors(_console(), exc.findings)
    raise typer.Exit(EXIT_INPUT)


def check_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="部门决算文件（YAML、JSON 或 Excel 工作簿），或其所在的文件夹（含子文件夹）；可给出多个。",
            show_default=False,
        ),
    ],
    *,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", "-r", help="额外的审核规则文件（YAML），可重复给出。")
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="只运行这些规则（编号或标签），可重复。")
    ] = None,
    skip: Annotated[
        list[str] | None, typer.Option("--skip", help="不运行这些规则（编号或标签），可重复。")
    ] = None,
    text: Annotated[
        Path | None,
        typer.Option("--text", "-t", help="部门自己的情况说明（UTF-8 文本），逐一核对其中的数字。"),
    ] = None,
    notes: Annotated[bool, typer.Option("--notes", help=show.NOTES_HELP)] = False,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果。")] = False,
) -> None:
    """审核部门决算：九张公开表的表内、表间审核公式，尾差与错误分开；可同时核对情况说明。

    多个文件或文件夹逐个读取、审核并输出（终端上显示进度条），结束时列出合计。
    """
    try:
        ruleset = api.accounts_rules(rules or [], only=only or [], skip=skip or [])
    except api.InputError as exc:
        _input_failure(exc, as_json)
        return
    if stream.is_stream(files):
        if text is not None:
            _console().print("--text 核对一个部门的情况说明，只能与一个部门决算文件一起使用。")
            raise typer.Exit(EXIT_INPUT)
        _check_stream(stream.expand(files, api.ACCOUNTS_SUFFIXES), ruleset, as_json, notes)
        return
    try:
        report = api.check_accounts_file(files[0], rules=ruleset, text_path=text)
    except api.InputError as exc:
        _input_failure(exc, as_json)
        return
    findings = list(report.findings)
    if as_json:
        _write_json(_report_json(report, ruleset))
    else:
        _print_report(_console(), report, ruleset, notes=notes)
    if api.input_errors(findings):
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if api.has_errors(findings) else EXIT_OK)


def _report_json(report: AccountsReport, ruleset: RuleSet) -> dict[str, object]:
    return {
        "department": report.accounts.department,
        "year": report.accounts.year,
        "source": report.source,
        "rules": len(ruleset.rules),
        "statuses": report.statuses(),
        "findings": [f.model_dump(mode="json") for f in report.findings],
        "outcomes": [
            {
                "rule": o.rule,
                "row": o.row,
                "column": o.column,
                "status": o.status,
                "left": None if o.left is None else format(o.left, "f"),
                "right": None if o.right is None else format(o.right, "f"),
                "terms": o.terms,
            }
            for o in report.outcomes
            if o.status not in ("pass", "empty")
        ],
    }


def _print_report(console: Console, report: AccountsReport, ruleset: RuleSet, *, notes: bool) -> None:
    acc = report.accounts
    console.print(Text(f"{acc.department} {acc.year}年度部门决算", style="bold"))
    statuses = Counter(report.statuses())
    summary = "，".join(f"{_STATUS[k]} {v}" for k, v in sorted(statuses.items(), key=lambda kv: -kv[1]))
    console.print(f"审核规则 {len(ruleset.rules)} 条，共 {sum(statuses.values())} 项检查：{summary}")
    totals = count(report.findings)
    console.print(
        f"发现：错误 {totals[Severity.error]} 个，警告 {totals[Severity.warning]} 个，"
        f"提示 {totals[Severity.note]} 个"
    )
    show.findings(console, report.findings, notes=notes, count_line=False)


def _check_stream(paths: list[Path], ruleset: RuleSet, as_json: bool, notes: bool) -> None:
    """Many files, one at a time: each report printed as soon as it is checked, nothing
    kept but the counts (with --json one list of the single file's objects)."""
    console = _console()

    def documents(path: Path, report: AccountsReport) -> list[stream.Document]:

        def display() -> None:
            console.print(Text(str(path), style="dim"))
            _print_report(console, report, ruleset, notes=notes)

        return [(report.findings, lambda: _report_json(report, ruleset), display)]

    results = api.check_accounts_files(paths, rules=ruleset)
    code = stream.run(
        results, len(paths), documents, label="审核", unit="个", noun="部门", as_json=as_json, console=console
    )
    raise typer.Exit(code)


def explain_cmd(
    file: Annotated[
        Path, typer.Argument(help="部门决算文件（YAML、JSON 或 Excel 工作簿）。", show_default=False)
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入此文件（UTF-8 文本），不写则输出到终端。")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出（各部分的段落）。")] = False,
) -> None:
    """按决算表生成情况说明（第三部分 一至十三），措辞与公开的部门决算一致。"""
    try:
        loaded = api.load_accounts(file)
    except api.InputError as exc:
        _input_failure(exc, as_json)
        return
    explanation = api.explain_accounts(loaded.accounts)
    if as_json:
        _write_json(
            {
                "department": explanation.department,
                "year": explanation.year,
                "sections": [
                    {"id": s.id, "title": s.title, "paragraphs": list(s.paragraphs)}
                    for s in explanation.sections
                ],
            }
        )
    elif output is not None:
        try:
            outputs.write(output, explanation.text())
        except api.InputError as exc:
            _input_failure(exc, False)
            return
        _console().print(f"已写入情况说明：{output}（{len(explanation.sections)} 个部分）")
    else:
        sys.stdout.write(explanation.text())
    raise typer.Exit(EXIT_OK)


def template_cmd(
    output: Annotated[
        Path,
        typer.Argument(
            help="要写入的文件：.xlsx（Excel），或 .yaml/.json（配合 --from）。", show_default=False
        ),
    ],
    source: Annotated[
        Path | None,
        typer.Option("--from", "-f", help="把这个部门决算文件导出为 OUTPUT（而不是空白模板）。"),
    ] = None,
    layout: Annotated[
        str, typer.Option("--layout", help="表样：henan-2024（河南2024）或 mof（财政部，“三公”表在前）。")
    ] = "henan-2024",
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework",
            help=(
                "写出这个指标体系的空白绩效自评表（部门整体或项目，见 jixiao frameworks），"
                "填好后用 jixiao score 计分。"
            ),
        ),
    ] = None,
) -> None:
    """写出空白的部门决算 Excel 模板（九张表各一页，另有情况说明数据、年初预算、出错说明），
    或导出已有数据；加 --framework 则写出空白的绩效自评表。"""
    console = _console()
    if framework is not None:
        try:
            api.write_self_evaluation_template(output, framework)
        except api.InputError as exc:
            _input_failure(exc, False)
            return
        console.print(
            f"已写出空白绩效自评表（指标体系 {framework}；浅黄底色为填写处，"
            f"另在“填报信息”页填写单位、年度和金额）：{output}"
        )
        raise typer.Exit(EXIT_OK)
    if layout not in ("henan-2024", "mof"):
        console.print(f"未知的表样“{layout}”，可选：henan-2024、mof")
        raise typer.Exit(EXIT_INPUT)
    try:
        accounts = api.load_accounts(source).accounts if source is not None else None
        api.write_accounts(accounts, output, layout=layout)
    except api.InputError as exc:
        _input_failure(exc, False)
        return
    what = f"已导出 {accounts.department} {accounts.year}年度部门决算" if accounts else "已写出空白模板"
    console.print(f"{what}：{output}")
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add the final-accounts commands (check, explain, template) to ``app``."""
    app.command("check")(check_cmd)
    app.command("explain")(explain_cmd)
    app.command("template")(template_cmd)
