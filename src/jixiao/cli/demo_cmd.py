"""``jixiao demo``: a short, readable tour of the bundled examples.

One summary table for the self-evaluations, the first errors each example contains, one
line for the final accounts, and what to try next. Places are given as the example's name
and line, never as the path the package happens to be installed under.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

import typer
from rich.console import Console
from rich.text import Text

from jixiao import api
from jixiao.cli import show
from jixiao.core.findings import Finding, Severity, count

#: Errors listed per example; the rest are counted.
SHOWN_PER_EXAMPLE = 2


def _examples() -> list[Traversable]:
    folder = resources.files("jixiao").joinpath("examples")
    return sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)


def _place(f: Finding, name: str) -> str:
    loc = f.location
    bits = [f"examples/{name}"]
    if loc.line is not None:
        bits.append(f"第{loc.line}行")
    if loc.indicator:
        bits.append(f"指标“{loc.indicator}”")
    elif loc.table:
        bits.append(loc.table)
    return "，".join(bits)


def _first_errors(console: Console, name: str, findings: list[Finding]) -> None:
    errors = [f for f in findings if f.severity is Severity.error]
    if not errors:
        totals = count(findings)
        console.print(
            Text(
                f"  · 没有错误（警告 {totals[Severity.warning]} 个，提示 {totals[Severity.note]} 个，"
                "如文件未列出、无法复核的数字）",
                style="green",
            )
        )
    for f in errors[:SHOWN_PER_EXAMPLE]:
        console.print(Text(f"  · {f.message}（{_place(f, name)}）"))
    if len(errors) > SHOWN_PER_EXAMPLE:
        console.print(Text(f"    ……另有 {len(errors) - SHOWN_PER_EXAMPLE} 个错误", style="dim"))


def demo_cmd() -> None:
    """用内置示例（转录自公开的自评表和部门决算）演示计分、决算审核与问题发现。"""
    console = Console(highlight=False, soft_wrap=False)
    console.print(Text("jixiao 演示：内置示例均原样转录自公开发布的材料。", style="bold"))
    evaluations = []
    found: list[tuple[str, list[Finding]]] = []
    examples = _examples()
    for entry in (e for e in examples if e.name.startswith("score-")):
        with resources.as_file(entry) as path:
            scored = api.score_file(path)
        evaluations += scored
        found.append((entry.name, [f for e in scored for f in e.findings]))
    show.batch_summary(console, evaluations)
    console.print(Text("原文件中与其计分规则不符之处（每个示例列出前几个）：", style="bold"))
    for name, findings in found:
        console.print(Text(name, style="cyan"))
        _first_errors(console, name, findings)
    for entry in (e for e in examples if e.name.startswith("accounts-")):
        name = entry.name.replace("-xinxiang-2024.yaml", "-explanation.txt")
        text = resources.files("jixiao").joinpath("examples", name)
        with resources.as_file(entry) as path, resources.as_file(text) as text_path:
            report = api.check_accounts_file(path, text_path=text_path if text_path.exists() else None)
        totals = count(report.findings)
        acc = report.accounts
        console.print(
            Text(
                f"部门决算审核：{acc.department} {acc.year}年度（{entry.name}）："
                f"错误 {totals[Severity.error]} 个，警告 {totals[Severity.warning]} 个，"
                f"提示 {totals[Severity.note]} 个",
                style="bold",
            )
        )
        _first_errors(console, entry.name, list(report.findings))
    console.print(
        "\n逐项查看：jixiao score 申报文件.yaml（加 --notes 另列提示）"
        "\n其他命令：jixiao check 决算.yaml、jixiao audit 报告.pdf、jixiao render 文件 --out 目录；"
        "jixiao --help 列出全部命令。"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)
