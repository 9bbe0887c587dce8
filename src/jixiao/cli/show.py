"""Terminal rendering of results with rich (the CLI's only output code)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from jixiao.check.published.report import AuditReport
from jixiao.core import limits
from jixiao.core.findings import Finding, Severity, count
from jixiao.core.numbers import percent_text, plain
from jixiao.frameworks.catalog import Catalog
from jixiao.model.framework import Framework, IndicatorSpec, RuleKind
from jixiao.score.results import Evaluation, IndicatorResult

_STYLE = {Severity.error: "bold red", Severity.warning: "yellow", Severity.note: "cyan"}


def _num(value: Decimal | str | None) -> str:
    return "—" if value is None else value if isinstance(value, str) else plain(value)


#: One policy for every command that lists Findings (score, check, audit): notes are
#: counted but listed only with --notes, with this option help and this line.
NOTES_HELP = "同时列出全部提示（尾差、已说明、无法核对的数字等）。"


def hidden_notes(console: Console, hidden: int) -> None:
    """The line that says how many notes were not listed and how to see them."""
    if hidden:
        console.print(Text(f"另有 {hidden} 条提示，加 --notes 查看。", style="dim"))


def evaluation(console: Console, ev: Evaluation, *, notes: bool = False) -> None:
    """The indicator table, the totals and the Findings of one evaluation."""
    # The framework's own name may carry the year it was issued: keep it out of the title.
    title = f"{ev.title}（{ev.year}年度）"
    caption = f"指标体系：{ev.framework_name}"
    table = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    justify: JustifyMethod
    for col, justify in (
        ("一级指标", "left"),
        ("二级指标", "left"),
        ("三级指标", "left"),
        ("指标值", "left"),
        ("完成值", "left"),
        ("分值", "right"),
        ("得分", "right"),
        ("所列得分", "right"),
    ):
        table.add_column(col, justify=justify, overflow="fold")
    wrong = {f.location.indicator for f in ev.findings if f.severity is Severity.error}
    for level1 in ev.indicators:
        _rows(table, level1, wrong)
    console.print(table)
    total = _num(ev.total)
    rate = percent_text(ev.score_rate) if ev.score_rate is not None else "—"
    line = Text(f"总分 {total} / {_num(ev.full_score)}，得分率 {rate}，等级 {ev.grade or '—'}")
    if ev.stated_total is not None or ev.stated_grade:
        line.append(f"（文件所列：总分 {ev.stated_total or '—'}，等级 {ev.stated_grade or '—'}）")
    if not ev.complete:
        line.append("；有指标未能计分，总分不完整", style="yellow")
    console.print(line)
    findings(console, ev.findings, notes=notes)


def _rows(table: Table, node: IndicatorResult, wrong: set[str | None]) -> None:
    names = ["", "", ""]
    names[min(node.level, 3) - 1] = node.name
    style = "red" if node.path in wrong else ("bold" if node.level == 1 else None)
    table.add_row(
        *names,
        node.target or "",
        _actual(node),
        _num(node.weight),
        _num(node.score),
        node.stated or "",
        style=style,
    )
    for child in node.children:
        _rows(table, child, wrong)


def _actual(node: IndicatorResult) -> str:
    """The actual as written; a rate computed from the figures (预算执行率) is shown too."""
    if node.actual:
        return node.actual
    if node.rule is RuleKind.execution_rate and node.actual_value is not None:
        return f"{percent_text(node.actual_value)}（算得）"
    return ""


def findings(
    console: Console, items: Iterable[Finding], *, notes: bool = False, count_line: bool = True
) -> None:
    """Findings one by one with their place and any 出错说明; notes only when ``notes``."""
    items = list(items)
    if not items:
        console.print(Text("未发现问题。", style="green"))
        return
    if count_line:
        totals = count(items)
        errors, warnings, note_count = (totals[s] for s in (Severity.error, Severity.warning, Severity.note))
        console.print(f"发现问题：错误 {errors} 个，警告 {warnings} 个，提示 {note_count} 个")
    shown = [f for f in items if notes or f.severity is not Severity.note]
    cap = limits.LIMITS.findings_shown
    for f in shown[:cap]:
        where = f.location.describe()
        text = Text(f"  [{f.severity.label}] ", style=_STYLE[f.severity])
        text.append(f"{f.message}")
        if where:
            text.append(f"\n      位置：{where}", style="dim")
        if f.explanation:
            text.append(f"\n      出错说明：{f.explanation}", style="green")
        console.print(text)
    if len(shown) > cap:
        console.print(f"  ……还有 {len(shown) - cap} 条未列出（--json 输出全部，--max-findings 可放宽）")
    hidden_notes(console, len(items) - len(shown))


@dataclass
class Tally:
    """What a stream of many inputs found, counted as it goes (nothing else is kept)."""

    documents: int = 0
    with_errors: int = 0
    with_input_errors: int = 0
    unreadable: int = 0
    counts: dict[Severity, int] = field(default_factory=lambda: dict.fromkeys(Severity, 0))

    def add(self, items: Iterable[Finding], *, input_error: bool = False) -> None:
        totals = count(items)
        self.documents += 1
        for severity in Severity:
            self.counts[severity] += totals[severity]
        if input_error:
            self.with_input_errors += 1
        elif totals[Severity.error]:
            self.with_errors += 1

    def exit_code(self) -> int:
        """1 when a document has errors; else 2 when an input could not be read; else 0."""
        if self.with_errors:
            return 1
        return 2 if self.unreadable or self.with_input_errors else 0


def tally(console: Console, t: Tally, *, files: int, unit: str, noun: str) -> None:
    """The closing line of a stream: files, documents, findings, unreadable files
    (``unit`` and ``noun`` name the documents: 份 申报, 个 部门)."""
    c = t.counts
    wrong = t.with_errors + t.with_input_errors
    line = (
        f"共 {files} 个文件，{t.documents} {unit}{noun}，其中有错误的 {wrong} {unit}；"
        f"错误 {c[Severity.error]} 个，警告 {c[Severity.warning]} 个，提示 {c[Severity.note]} 个"
    )
    if t.unreadable:
        line += f"；无法读取的文件 {t.unreadable} 个"
    console.print(Text(line, style="bold"))


def listed(console: Console, items: Iterable[Finding], *, notes: bool) -> None:
    """The errors and warnings of one document of a stream (and its notes with ``notes``),
    without a line when there are none."""
    shown = [f for f in items if notes or f.severity is not Severity.note]
    if shown:
        findings(console, shown, notes=True, count_line=False)


def evaluation_line(console: Console, path: Path, ev: Evaluation, *, notes: bool = False) -> None:
    """One evaluation of a stream: a line with its total and grade, then its problems."""
    totals = count(ev.findings)
    style = "red" if totals[Severity.error] else ""
    line = Text(f"{path}：{ev.title}（{ev.year}年度）", style=style)
    line.append(f" 总分 {_num(ev.total)}，等级 {ev.grade or '—'}")
    if not ev.complete:
        line.append("（总分不完整）", style="yellow")
    line.append(f"；错误 {totals[Severity.error]} 个，警告 {totals[Severity.warning]} 个")
    console.print(line)
    listed(console, ev.findings, notes=notes)


def unreadable(console: Console, path: Path, items: Iterable[Finding]) -> None:
    """A file of a stream that cannot be read, and why."""
    console.print(Text(f"{path}：无法读取", style="bold red"))
    items = list(items)
    cap = limits.LIMITS.findings_shown
    for f in items[:cap]:
        console.print(f"  {f.message}")
    if len(items) > cap:
        console.print(f"  ……还有 {len(items) - cap} 条未列出（--max-findings 可放宽）")


def input_errors(console: Console, items: Iterable[Finding]) -> None:
    console.print(Text("无法读取输入：", style="bold red"))
    items = list(items)
    cap = limits.LIMITS.findings_shown
    for f in items[:cap]:
        where = f.location.describe()
        console.print(f"  {where}：{f.message}" if where else f"  {f.message}")
    if len(items) > cap:
        console.print(f"  ……还有 {len(items) - cap} 条未列出（--max-findings 可放宽）")


def batch_summary(console: Console, evaluations: list[Evaluation]) -> None:
    table = Table(title="汇总", header_style="bold")
    for col in ("名称", "年度", "总分", "所列总分", "等级", "错误", "警告"):
        table.add_column(col)
    for ev in evaluations:
        totals = count(ev.findings)
        table.add_row(
            ev.title,
            str(ev.year),
            _num(ev.total),
            ev.stated_total or "—",
            ev.grade or "—",
            str(totals[Severity.error]),
            str(totals[Severity.warning]),
        )
    console.print(table)


def framework_list(console: Console, catalog: Catalog) -> None:
    table = Table(title="可用的指标体系", header_style="bold")
    for col in ("ID", "名称", "类型", "地区", "一级指标（分值）"):
        table.add_column(col, overflow="fold")
    for fid in catalog.ids():
        fw = catalog.frameworks[fid]
        level1 = "、".join(f"{s.name}{_num(s.weight)}" for s in fw.indicators)
        kind = "部门整体" if fw.kind == "department" else "项目支出"
        table.add_row(fid, fw.name, kind, fw.region, level1)
    console.print(table)


def framework(console: Console, fw: Framework) -> None:
    tree = Tree(f"[bold]{fw.name}[/]（{fw.id}，满分 {_num(fw.total)}）")
    for spec in fw.indicators:
        _spec(tree, spec)
    console.print(tree)
    console.print(f"来源：{fw.source}")
    if fw.description:
        console.print(f"说明：{fw.description}")
    console.print(f"得分取舍：{fw.rounding.describe()}")
    grades = "；".join(f"{g.name} ≥ {_num(g.min)}" for g in fw.grades)
    console.print(f"等级：{grades}")
    bands = "；".join(
        f"{b.tier.label} {percent_text(b.low, 0)}–{percent_text(b.high, 0)}"
        + ("（含上限）" if b.high_inclusive else "")
        for b in fw.bands
    )
    console.print(f"定性档次：{bands}")
    reverse = "分值×指标值/完成值" if fw.reverse_rule.value == "ratio" else "线性扣减，完成值达指标值2倍时为0"
    console.print(f"反向指标：{reverse}")
    if fw.overshoot:
        ratio, penalty = percent_text(fw.overshoot.ratio, 0), _num(fw.overshoot.penalty)
        console.print(f"超额完成：完成值达指标值 {ratio} 时扣 {penalty} 分")
    for cap in fw.execution_caps:
        console.print(f"执行率低于 {percent_text(cap.below, 0)}：总分不超过 {_num(cap.max_total)}")


def _spec(parent: Tree, spec: IndicatorSpec) -> None:
    bits = [spec.name]
    if spec.weight is not None:
        bits.append(f"{_num(spec.weight)}分")
    if spec.rule is not None:
        bits.append(f"[{spec.rule.label}]")
    if spec.target:
        bits.append(f"指标值 {spec.target}")
    if spec.open:
        bits.append("（可自定下级指标）")
    node = parent.add(" ".join(bits))
    for child in spec.children:
        _spec(node, child)


def audit(console: Console, report: AuditReport, html: Path | None, *, notes: bool = False) -> None:
    """Summary and Findings of an audited document (notes only when asked for)."""
    kind = {"text": "文本", "docx": "Word", "pdf": "PDF", "xlsx": "Excel"}.get(report.kind, report.kind)
    pages = f"，{report.pages} 页" if report.pages else ""
    console.print(Text(f"审核：{report.file}（{kind}{pages}）", style="bold"))
    year = f"{report.year} 年度" if report.year else "未识别"
    console.print(
        f"识别年度：{year}；段落 {report.paragraphs}，表格 {report.tables}，句子 {report.sentences}"
    )
    for item in report.recognised:
        console.print(f"  识别出{item}")
    if not report.findings:
        console.print(Text("数字前后一致，未发现问题。", style="green"))
    else:
        table = Table(header_style="bold", show_lines=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("问题", overflow="fold", ratio=5)
        table.add_column("位置", overflow="fold", ratio=3)
        table.add_column("所列", overflow="fold", ratio=1)
        table.add_column("应为", overflow="fold", ratio=1)
        shown = [f for f in report.findings if notes or f.severity is not Severity.note]
        for f in shown:
            loc = f.location
            where = "，".join(
                x
                for x in (
                    (f"第{loc.page}页" if loc.page else "") + (f"第{loc.line}行" if loc.line else ""),
                    loc.table or "",
                    (loc.row and f"行“{loc.row}”") or "",
                    loc.indicator or "",
                    (loc.quote and f"“{loc.quote}”") or "",
                )
                if x
            )
            table.add_row(
                Text(f.severity.label, style=_STYLE[f.severity]),
                f.message,
                where,
                f.printed or "",
                f.expected or "",
            )
        console.print(table)
        totals = count(report.findings)
        errors, warnings, note_count = (totals[s] for s in (Severity.error, Severity.warning, Severity.note))
        console.print(f"共 {len(report.findings)} 处：错误 {errors}，警告 {warnings}，提示 {note_count}")
        hidden_notes(console, len(report.findings) - len(shown))
    if html is not None:
        console.print(f"已写出 HTML：{html}")
