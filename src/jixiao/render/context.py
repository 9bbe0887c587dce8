"""What a template sees: views of a scored submission, built once, read by every format.

Every number in a document comes from here, and here it comes from the model: the
Evaluation (scores, totals, grade) and the Submission (figures in 万元, targets and actuals
as written, the texts only a person can write in ``summary``). The names below are the
template vocabulary documented in ``docs.md``; a template using another name is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.core.findings import Finding, sort_findings
from jixiao.derive.ratios import ratios
from jixiao.model.framework import RuleKind, Tier
from jixiao.model.submission import Submission
from jixiao.render.fmt import pct, score
from jixiao.score.results import Evaluation, IndicatorResult

#: The mark a missing text leaves in the document, so that nobody submits it unnoticed.
MISSING = "【待填写：{label}】"


@dataclass(frozen=True)
class Pair:
    """A submission and its evaluation: what one document is made of."""

    submission: Submission
    evaluation: Evaluation
    file: str | None = None  # the input file, as the user named it

    @property
    def is_project(self) -> bool:
        return self.submission.project is not None


@dataclass(frozen=True)
class LeafRow:
    """One leaf of the indicator table, with the names of its level-1/2/3 ancestors.

    ``l2``/``l3`` are empty for a leaf higher up (预算执行情况 at level 1); a deeper leaf
    joins its lower names into ``l3``. ``l1_label`` carries the weight ('产出指标（40分）').
    """

    l1: str
    l2: str
    l3: str
    l1_label: str
    ind: IndicatorResult

    @property
    def target(self) -> str:
        return shown_target(self.ind)

    @property
    def actual(self) -> str:
        return shown_actual(self.ind)

    @property
    def weight(self) -> Decimal | None:
        return self.ind.weight

    @property
    def score(self) -> Decimal | None:
        return self.ind.score

    @property
    def reason(self) -> str:
        """偏差原因分析及改进措施, as one cell."""
        parts = [p for p in (self.ind.deviation_reason, self.ind.remedy) if p]
        return "；".join(parts)


def shown_target(ind: IndicatorResult) -> str:
    """指标值 as a table shows it: as written; for the budget execution rate, which scores
    分值×执行率, the 100% that earns the full weight; for a qualitative indicator without
    one, the top tier (达成预期指标), against which its tier was judged."""
    if ind.target:
        return ind.target
    if ind.rule is RuleKind.execution_rate:
        return "100%"
    if ind.rule is RuleKind.qualitative:
        return Tier.achieved.label
    return ""


def shown_actual(ind: IndicatorResult) -> str:
    """完成值 as a document shows it: as written, except the budget execution rate, which is
    the rate the score was computed from (a printed rate that differs is a Finding, listed
    in the reviewer's copy beside the recomputed one: one figure per quantity everywhere)."""
    if ind.rule is RuleKind.execution_rate and ind.actual_value is not None:
        return pct(ind.actual_value)
    if not ind.actual and ind.rule is RuleKind.qualitative and ind.tier is not None:
        return ind.tier.label
    return ind.actual or ""


@dataclass(frozen=True)
class Funds:
    """The money of a submission, 万元, from its figures; None where not given."""

    budget_initial: Decimal | None
    budget_adjustment: Decimal | None
    budget_total: Decimal | None
    budget_basic: Decimal | None
    budget_project: Decimal | None
    funds_fiscal: Decimal | None
    funds_other: Decimal | None
    funds_carried: Decimal | None
    spent: Decimal | None
    spent_basic: Decimal | None
    spent_project: Decimal | None
    carryover: Decimal | None
    execution_rate: Decimal | None
    carryover_rate: Decimal | None

    @property
    def any(self) -> bool:
        return any(
            v is not None for v in (self.budget_total, self.spent, self.budget_basic, self.budget_initial)
        )


@dataclass(frozen=True)
class Detail:
    """One paragraph of the indicator analysis: a heading (level 1 or 2) or a text."""

    text: str
    heading: int = 0


@dataclass(frozen=True)
class ProjectLine:
    """One row of the 项目支出自评汇总表 (seed 001), from a project's evaluation."""

    number: int
    name: str
    budget_total: Decimal | None
    spent: Decimal | None
    execution_rate: Decimal | None
    output_rate: Decimal | None
    effect_rate: Decimal | None
    satisfaction_rate: Decimal | None
    total: Decimal | None
    grade: str | None
    reason: str


@dataclass(frozen=True)
class Texts:
    """The department's own texts (``Submission.summary``), paragraph by paragraph."""

    summary: Mapping[str, str]

    def present(self, *keys: str) -> bool:
        return any(self.summary.get(k, "").strip() for k in keys)

    def paras(self, *keys: str, default: str | None = None) -> list[str]:
        """The paragraphs of the first key given; ``default`` or a visible 【待填写】 mark
        when none is."""
        for key in keys:
            value = self.summary.get(key, "").strip()
            if value:
                return [p.strip() for p in value.splitlines() if p.strip()]
        return [default] if default is not None else [MISSING.format(label=keys[0])]

    def get(self, key: str, default: str = "") -> str:
        return self.summary.get(key, "").strip() or default


@dataclass(frozen=True)
class Charts:
    """PNG images by chart name (``level1``, ``budget``, ``trend``, ``income``, ``expense``)."""

    images: Mapping[str, bytes] = field(default_factory=dict)


def rows(evaluation: Evaluation, *, skip_execution: bool = False) -> list[LeafRow]:
    """The leaves of the indicator tree in order, each with its ancestors' names."""
    out: list[LeafRow] = []
    for top in evaluation.indicators:
        label = top.name if top.weight is None else f"{top.name}（{score(top.weight)}分）"
        for leaf in top.walk():
            if not leaf.is_leaf:
                continue
            if skip_execution and leaf.rule is RuleKind.execution_rate:
                continue
            names = leaf.path.split("/")
            l2 = names[1] if len(names) > 1 else ""
            l3 = "/".join(names[2:]) if len(names) > 2 else ""
            if len(names) == 2:  # a level-2 leaf: its name is the level-3 cell too
                l3 = names[1]
            out.append(LeafRow(l1=names[0], l2=l2, l3=l3, l1_label=label, ind=leaf))
    return out


def funds(submission: Submission, evaluation: Evaluation | None = None) -> Funds:
    """The submission's money figures and the rates derived from them."""
    f = submission.figures
    rate = evaluation.execution_rate if evaluation is not None else None
    if rate is None:
        rate = ratios()["budget_execution_rate"].compute(f) if "budget_execution_rate" in ratios() else None
    carry = ratios()["carryover_rate"].compute(f) if "carryover_rate" in ratios() else None
    return Funds(
        budget_initial=f.get("budget_initial"),
        budget_adjustment=f.get("budget_adjustment"),
        budget_total=f.get("budget_total"),
        budget_basic=f.get("budget_basic"),
        budget_project=f.get("budget_project"),
        funds_fiscal=f.get("funds_fiscal"),
        funds_other=f.get("funds_other"),
        funds_carried=f.get("funds_carried"),
        spent=f.get("spent"),
        spent_basic=f.get("spent_basic"),
        spent_project=f.get("spent_project"),
        carryover=f.get("carryover"),
        execution_rate=rate,
        carryover_rate=carry,
    )


def execution_leaf(evaluation: Evaluation) -> IndicatorResult | None:
    """The budget-execution indicator (预算执行情况 / 预算执行率), if the framework has one."""
    return next((r for r in evaluation.walk() if r.rule is RuleKind.execution_rate), None)


def level_rate(evaluation: Evaluation, prefix: str) -> Decimal | None:
    """The score rate of the level-1 indicator whose name starts with ``prefix``."""
    for top in evaluation.indicators:
        if top.name.startswith(prefix):
            return top.score_rate
    return None


def project_lines(pairs: Sequence[Pair]) -> list[ProjectLine]:
    """The rows of the 项目支出自评汇总表, one per project evaluation."""
    out = []
    for i, pair in enumerate(pairs, start=1):
        sub, ev = pair.submission, pair.evaluation
        fd = funds(sub, ev)
        reasons = [r.deviation_reason for r in ev.walk() if r.is_leaf and r.deviation_reason]
        reason = sub.summary.get("偏差原因", "").strip() or "；".join(dict.fromkeys(reasons))
        out.append(
            ProjectLine(
                number=i,
                name=sub.project or sub.department,
                budget_total=fd.budget_total,
                spent=fd.spent,
                execution_rate=fd.execution_rate,
                output_rate=level_rate(ev, "产出"),
                effect_rate=level_rate(ev, "效益"),
                satisfaction_rate=level_rate(ev, "满意度"),
                total=ev.total,
                grade=ev.grade,
                reason=reason,
            )
        )
    return out


def project_totals(lines: Sequence[ProjectLine]) -> dict[str, Decimal | None]:
    """The 合计 of the 项目支出自评汇总表: the budgets and spending given (None when none is)."""
    budgets = [p.budget_total for p in lines if p.budget_total is not None]
    spent = [p.spent for p in lines if p.spent is not None]
    return {
        "projects_budget": sum(budgets, Decimal(0)) if budgets else None,
        "projects_spent": sum(spent, Decimal(0)) if spent else None,
    }


def base(
    pair: Pair,
    *,
    with_findings: bool,
    charts: Charts,
    projects: Sequence[Pair] = (),
    extra_findings: Sequence[Finding] = (),
) -> dict[str, Any]:
    """The names every self-evaluation document can use (see docs.md)."""
    from jixiao.render import sentences

    sub, ev = pair.submission, pair.evaluation
    texts = Texts(sub.summary)
    found = sort_findings([*ev.findings, *extra_findings]) if with_findings else []
    exec_leaf = execution_leaf(ev)
    fd = funds(sub, ev)
    text_fn: Callable[..., list[str]] = texts.paras
    return {
        "department": sub.department,
        "project": sub.project or "",
        "year": sub.year,
        "title": ev.title,
        "framework_name": ev.framework_name,
        "ev": ev,
        "total": ev.total,
        "full_score": ev.full_score,
        "score_rate": ev.score_rate,
        "grade": ev.grade or "",
        "level1": list(ev.indicators),
        "rows": rows(ev),
        "indicator_rows": rows(ev, skip_execution=True),
        "execution": exec_leaf,
        "funds": fd,
        "fig": dict(sub.figures),
        "text": text_fn,
        "text_or": texts.get,
        "has_text": texts.present,
        "paras": sentences.all_paras(pair, list(projects)),
        "projects": project_lines(projects),
        "details": sentences.details(pair),
        "charts": dict(charts.images),
        "with_findings": with_findings,
        "findings": found,
    }
