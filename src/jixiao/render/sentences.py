"""Sentences computed from the model: the report paragraphs whose every number is arithmetic.

A person writes 工作开展情况; jixiao writes "总分值100分，自评得分97分。其中投入指标15分，
得分15分；…". Each function returns a list of paragraphs (empty when it has nothing to
say), so a template only loops over them.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.numbers import ZERO, NumberFormatError, parse_measure
from jixiao.model.framework import RuleKind
from jixiao.render.context import MISSING, Detail, Pair, execution_leaf, funds, shown_actual
from jixiao.render.fmt import money, pct, score
from jixiao.score.results import Evaluation, IndicatorResult

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _num(i: int) -> str:
    return _CIRCLED[i - 1] if i <= len(_CIRCLED) else f"({i})"


def _joined(parts: list[str]) -> str:
    return "；".join(parts)


def level1_summary(ev: Evaluation) -> list[str]:
    """'总分值100分，自评得分97分。其中投入指标15分，得分15分；…。'"""
    head = f"总分值{score(ev.full_score)}分，"
    head += f"自评得分{score(ev.total)}分。" if ev.total is not None else "部分指标未能计分，暂无总分。"
    parts = [
        f"{top.name}{score(top.weight)}分，得分{score(top.score)}分"
        for top in ev.indicators
        if top.weight is not None and top.score is not None
    ]
    return [head + (f"其中{_joined(parts)}。" if parts else "")]


def grade_summary(ev: Evaluation) -> list[str]:
    """The total, the grade and the level-1 scores (报告“综合评价结论”)."""
    if ev.total is None:
        return ["部分指标缺少计分所需数据，暂不能得出总分和评价等级。"]
    text = f"依据自评指标体系，{ev.year}年度{_subject(ev)}自评得分为{score(ev.total)}分"
    text += f"，评价等级为“{ev.grade}”。" if ev.grade else "。"
    parts = [f"{top.name}得分{score(top.score)}分" for top in ev.indicators if top.score is not None]
    if parts:
        text += f"其中，{'，'.join(parts)}。"
    if ev.total_uncapped is not None and ev.total_uncapped != ev.total:
        text += f"因预算执行率未达要求，总分由{score(ev.total_uncapped)}分调整为{score(ev.total)}分。"
    return [text]


def _subject(ev: Evaluation) -> str:
    return f"“{ev.project}”项目" if ev.project else "我单位整体"


def lost_points(ev: Evaluation) -> list[str]:
    """One sentence per indicator that did not get its full weight, with its reason."""
    out = []
    for leaf in ev.walk():
        if not leaf.is_leaf or leaf.weight is None or leaf.score is None or leaf.score >= leaf.weight:
            continue
        text = (
            f"“{leaf.name}”分值{score(leaf.weight)}分，得{score(leaf.score)}分，"
            f"扣{score(leaf.weight - leaf.score)}分"
        )
        facts = []
        if leaf.target:
            facts.append(f"指标值{quoted(leaf.target)}")
        if leaf.actual:
            facts.append(f"完成值{quoted(shown_actual(leaf))}")
        if facts:
            text += f"（{'，'.join(facts)}）"
        if leaf.deviation_reason:
            text += f"。偏差原因：{leaf.deviation_reason.rstrip('。')}"
        if leaf.remedy:
            text += f"。改进措施：{leaf.remedy.rstrip('。')}"
        out.append(text + "。")
    return out


def quoted(value: str) -> str:
    """A written value in a sentence: numbers as they are, words in quotation marks."""
    try:
        is_number = parse_measure(value).is_number
    except NumberFormatError:
        is_number = False
    return value if is_number else f"“{value}”"


def indicator_counts(ev: Evaluation) -> list[str]:
    """'本次自评指标体系包括3个一级指标、7个二级指标、27个三级指标…'"""
    counts = {1: 0, 2: 0, 3: 0}
    single = []
    for ind in ev.walk():
        if ind.level == 1 and ind.is_leaf:
            single.append(ind)
        elif ind.level in counts:
            counts[ind.level] += 1
    names = "、".join(top.name for top in ev.indicators if not top.is_leaf)
    text = (
        f"本次自评指标体系包括{counts[1]}个一级指标、{counts[2]}个二级指标、{counts[3]}个三级指标，"
        f"总分值{score(ev.full_score)}分。"
    )
    if names:
        text += f"一级指标为{names}。"
    if single:
        text += "另设" + "、".join(f"{s.name}（{score(s.weight)}分）" for s in single) + "单独计分。"
    return [text]


def funds_paras(pair: Pair) -> list[str]:
    """Budget and execution (资金到位与执行情况), from the submission's figures."""
    sub, ev = pair.submission, pair.evaluation
    f = funds(sub, ev)
    if not f.any:
        return []
    out = []
    if f.budget_initial is not None:
        text = f"{sub.year}年年初预算资金{money(f.budget_initial)}万元"
        if f.budget_adjustment is not None and f.budget_adjustment != ZERO:
            verb = "增加" if f.budget_adjustment > ZERO else "减少"
            text += f"；经年中调整，{verb}预算资金{money(abs(f.budget_adjustment))}万元"
        if f.budget_total is not None:
            text += f"；全年预算资金总额{money(f.budget_total)}万元"
        out.append(text + "。")
    elif f.budget_total is not None:
        out.append(f"{sub.year}年度预算总额{money(f.budget_total)}万元。")
    split = []
    if f.funds_fiscal is not None:
        split.append(f"财政性资金{money(f.funds_fiscal)}万元")
    if f.funds_other is not None:
        split.append(f"其他资金{money(f.funds_other)}万元")
    if f.budget_basic is not None:
        split.append(f"基本支出{money(f.budget_basic)}万元")
    if f.budget_project is not None:
        split.append(f"项目支出{money(f.budget_project)}万元")
    if split:
        out.append(f"按资金来源和结构分：{'，'.join(split)}。")
    if f.spent is not None:
        text = f"全年实际执行数为{money(f.spent)}万元"
        if f.execution_rate is not None:
            text += f"，预算执行率为{pct(f.execution_rate)}"
        out.append(text + "。")
    leaf = execution_leaf(ev)
    if leaf is not None and leaf.score is not None and leaf.weight is not None:
        out.append(f"“{leaf.name}”分值{score(leaf.weight)}分，得分{score(leaf.score)}分。")
    return out


def spending(pair: Pair) -> list[str]:
    """Spending by basic/project (部门财政资金支出情况)."""
    f = funds(pair.submission, pair.evaluation)
    out = []
    if f.spent is not None:
        text = f"{pair.submission.year}年度实际支出{money(f.spent)}万元"
        parts = []
        if f.spent_basic is not None:
            parts.append(f"基本支出{money(f.spent_basic)}万元，占{_share(f.spent_basic, f.spent)}")
        if f.spent_project is not None:
            parts.append(f"项目支出{money(f.spent_project)}万元，占{_share(f.spent_project, f.spent)}")
        out.append(text + (f"，其中：{'；'.join(parts)}" if parts else "") + "。")
    elif f.budget_total is not None and (f.budget_basic is not None or f.budget_project is not None):
        parts = []
        if f.budget_basic is not None:
            parts.append(f"基本支出{money(f.budget_basic)}万元")
        if f.budget_project is not None:
            parts.append(f"项目支出{money(f.budget_project)}万元")
        out.append(
            f"{pair.submission.year}年度支出预算{money(f.budget_total)}万元，其中：{'，'.join(parts)}。"
        )
    return out


def _share(part: Decimal, whole: Decimal) -> str:
    return pct(part / whole) if whole else "—"


def carryover(pair: Pair) -> list[str]:
    """Carry-over (结转结余) and its rate."""
    f = funds(pair.submission, pair.evaluation)
    if f.carryover is None:
        return [MISSING.format(label="结转结余总额（figures.carryover）")]
    text = f"部门财政资金结转结余{money(f.carryover)}万元"
    if f.carryover_rate is not None:
        text += f"，结转结余率{pct(f.carryover_rate)}"
    return [text + "。"]


def project_results(projects: list[Pair]) -> list[str]:
    """One paragraph per project self-evaluation (部门决算“项目绩效自评结果”的写法)."""
    if not projects:
        return [MISSING.format(label="项目支出绩效自评结果（随申报文件一并给出项目自评）")]
    out = []
    for i, pair in enumerate(projects, start=1):
        sub, ev = pair.submission, pair.evaluation
        f = funds(sub, ev)
        text = f"{i}、{sub.project}项目绩效自评情况：项目自评得分为{score(ev.total)}分"
        text += f"，评价等级为“{ev.grade}”。" if ev.grade else "。"
        if f.budget_total is not None and f.spent is not None:
            text += f"项目全年预算数为{money(f.budget_total)}万元，执行数为{money(f.spent)}万元"
            text += f"，完成预算的{pct(f.execution_rate)}。" if f.execution_rate is not None else "。"
        reason = sub.summary.get("偏差原因", "").strip()
        if reason:
            text += f"发现的主要问题及原因：{reason.rstrip('。')}。"
        out.append(text)
    return out


def details(pair: Pair) -> list[Detail]:
    """The indicator analysis: each level-1 and level-2 indicator, then each leaf.

    A leaf's explanation is the submission's ``summary['说明/<name>']`` (or its path).
    """
    sub, ev = pair.submission, pair.evaluation
    out: list[Detail] = []
    for i, top in enumerate(ev.indicators, start=1):
        out.append(Detail(f"{i}. {top.name}{_weight_score(top)}", heading=1))
        if top.is_leaf:
            out += _leaf_lines(top, sub.summary, prefix="")
            continue
        for j, mid in enumerate(top.children, start=1):
            if mid.is_leaf:
                out += _leaf_lines(mid, sub.summary, prefix=_num(j))
                continue
            out.append(Detail(f"（{j}）{mid.name}{_weight_score(mid)}", heading=2))
            for k, leaf in enumerate(x for x in mid.walk() if x.is_leaf and x is not mid):
                out += _leaf_lines(leaf, sub.summary, prefix=_num(k + 1))
    return out


def _weight_score(ind: IndicatorResult) -> str:
    if ind.weight is None:
        return ""
    text = f"：分值{score(ind.weight)}分"
    if ind.score is not None:
        text += f"，得分{score(ind.score)}分"
        if ind.score_rate is not None:
            text += f"，得分率{pct(ind.score_rate)}"
    return text + "。"


def _leaf_lines(leaf: IndicatorResult, summary: dict[str, str], prefix: str) -> list[Detail]:
    facts = []
    if leaf.rule is RuleKind.execution_rate and leaf.actual_value is not None:
        facts.append(f"预算执行率{pct(leaf.actual_value)}")
    else:
        if leaf.target:
            facts.append(f"指标值{quoted(leaf.target)}")
        if leaf.actual:
            facts.append(f"完成值{quoted(leaf.actual)}")
    if leaf.weight is not None:
        facts.append(f"分值{score(leaf.weight)}分")
    if leaf.score is not None:
        facts.append(f"得{score(leaf.score)}分")
    lines = [Detail(f"{prefix}{leaf.name}：{'，'.join(facts)}。" if facts else f"{prefix}{leaf.name}。")]
    note = summary.get(f"说明/{leaf.path}", "") or summary.get(f"说明/{leaf.name}", "")
    lines += [Detail(p.strip()) for p in note.splitlines() if p.strip()]
    if leaf.deviation_reason:
        lines.append(Detail(f"偏差原因：{leaf.deviation_reason}"))
    if leaf.remedy:
        lines.append(Detail(f"改进措施：{leaf.remedy}"))
    return lines


def all_paras(pair: Pair, projects: list[Pair] | None = None) -> dict[str, list[str]]:
    """Every named sentence list an outline can ask for (``paras: NAME``)."""
    ev = pair.evaluation
    return {
        "level1_summary": level1_summary(ev),
        "grade_summary": grade_summary(ev),
        "lost_points": lost_points(ev),
        "indicator_counts": indicator_counts(ev),
        "funds": funds_paras(pair),
        "spending": spending(pair),
        "carryover": carryover(pair),
        "project_results": project_results(projects or []),
    }
