"""Scoring of one leaf indicator: pick its rule, gather its inputs, apply the rule, and
compare the result with the printed score.

A missing input is never silently zero: for data being entered it is an error
(``missing-value``); for a published document it is a note and the printed score stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from jixiao.core.findings import Finding, Location, Severity, finding
from jixiao.core.numbers import (
    ALTERNATIVE_ROUNDINGS,
    ONE,
    ZERO,
    Comparator,
    Measure,
    NumberFormatError,
    convert_money,
    parse_measure,
    percent_text,
    plain,
    round_half_up,
)
from jixiao.derive.ratios import ratios
from jixiao.model.framework import Framework, RuleKind, Tier
from jixiao.model.submission import Entry, Submission, Written
from jixiao.score import rules, stated
from jixiao.score.results import ScoreSource
from jixiao.score.tree import Node

_DIRECTION_WORDS = {
    Comparator.at_least: "正向（≥）",
    Comparator.at_most: "反向（≤）",
    Comparator.equal: "等于（=）",
}


@cache
def _hints() -> dict[Comparator, tuple[str, ...]]:
    text = resources.files("jixiao.score").joinpath("direction_hints.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return {Comparator(k): tuple(v) for k, v in raw.items()}


@lru_cache(maxsize=4096)
def hinted_direction(name: str) -> Comparator | None:
    """The direction an indicator's name suggests, if any of the hint words is in it."""
    for direction, words in _hints().items():
        if any(w in name for w in words):
            return direction
    return None


@dataclass(slots=True)
class LeafScore:
    """The outcome of scoring one leaf."""

    rule: RuleKind | None = None
    rule_text: str = ""
    actual_value: Decimal | None = None
    tier: Tier | None = None
    raw: Decimal | None = None
    score: Decimal | None = None
    source: ScoreSource | None = None
    execution_rate: Decimal | None = None
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class _Job(LeafScore):
    """One leaf being scored: its node, entry, weight, location and printed score, and the
    outcome so far."""

    node: Node
    entry: Entry
    weight: Decimal
    where: Location
    stated: Decimal | None = None
    #: the target as read when the rule was inferred from it (read once per leaf)
    target: Measure | None = None

    def report(self, code: str, fld: str | None = None, **params: Any) -> None:
        self.findings.append(finding(code, self.where.merged(field=fld), **params))

    def unverifiable(self, code: str, fld: str, published: bool, **params: Any) -> None:
        """A row that cannot be scored as written: an error for data being entered; for a
        published document a warning (the document is not shown wrong), and its printed
        score is then counted with a note."""
        severity = Severity.warning if published else None
        self.findings.append(finding(code, self.where.merged(field=fld), severity=severity, **params))


class LeafScorer:
    """Scores the leaves of one submission under one framework (per submission)."""

    def __init__(self, framework: Framework, submission: Submission):
        self.fw = framework
        self.sub = submission
        self.published = submission.origin.value == "published"

    def score(self, node: Node, weight: Decimal | None, where: Location) -> LeafScore:
        entry = node.entry
        spec = node.spec
        if entry is None and spec is not None and (spec.derive or spec.rule is RuleKind.execution_rate):
            entry = _bare_entry(node.key)  # computed from the figures alone
        if weight is None or entry is None:
            out = LeafScore()
            if weight is not None:
                self._missing(out, where, "该指标的下级指标或完成情况", None)
                return out
            # A transcription holds only what the document prints: a row printed without its
            # weight is unknown, so its printed score is counted and marked, never judged.
            printed = stated.score(entry.score, None, where, out.findings) if entry is not None else None
            self._missing(out, where.merged(field="weight"), "该指标的分值", printed)
            return out
        job = _Job(node=node, entry=entry, weight=weight, where=where)
        if entry.score is not None:
            job.stated = stated.score(entry.score, weight, where, job.findings)
        rule = entry.rule or (spec.rule if spec is not None else None)
        if entry.score_rate is not None and entry.actual is None and entry.tier is None and rule is None:
            self._summary(job)
            return job
        job.rule = rule or self._infer_rule(job)
        if job.rule is RuleKind.qualitative:
            self._qualitative(job)
            return job
        _APPLY[job.rule](self, job)
        self._settle(job)
        return job

    # -- inputs ---------------------------------------------------------------------------
    def _infer_rule(self, job: _Job) -> RuleKind:
        """The rule of an indicator that declares none, from what the entry gives."""
        node, entry = job.node, job.entry
        if entry.cases is not None:
            return RuleKind.deduction
        if entry.tier is not None:
            return RuleKind.qualitative
        target = entry.target if entry.target is not None else (node.spec.target if node.spec else None)
        try:
            measure = parse_measure(target) if target is not None else None
        except NumberFormatError:
            return RuleKind.quantitative  # a malformed number: reported when it is read
        job.target = measure
        if measure is not None and measure.is_number:
            return RuleKind.quantitative
        pass_values = (node.spec.pass_values if node.spec else None) or self.fw.pass_values
        if measure is not None and measure.text in pass_values:
            return RuleKind.judgement
        return RuleKind.qualitative

    def _missing(self, out: LeafScore, where: Location, what: str, printed: Decimal | None) -> None:
        """A needed input is absent: an error for data being entered; for a published
        document a note, and the printed score is counted."""
        if self.published and printed is not None:
            out.findings.append(finding("unverifiable-score", where, what=what, printed=plain(printed)))
            out.score, out.source = printed, ScoreSource.stated
            return
        out.findings.append(finding("missing-value", where, what=what))

    def _measure(self, job: _Job, written: Written | None, fld: str) -> Measure | None:
        if written is None:
            return None
        try:
            return parse_measure(written)
        except NumberFormatError as exc:
            job.report("invalid-number", fld, detail=str(exc))
            return None

    def _derived(self, job: _Job, printed: Measure | None) -> Decimal | None:
        """The actual value computed from the figures when the indicator is derived (the
        execution rate always is, when the figures are given); checked against the printed."""
        spec = job.node.spec
        rid = job.entry.derive or (spec.derive if spec else None)
        if rid is None and job.rule is RuleKind.execution_rate:
            rid = "budget_execution_rate"
        if rid is None:
            return None
        ratio = ratios().get(rid)
        if ratio is None:
            job.report("unknown-ratio", "derive", name=rid, available="、".join(ratios()))
            return None
        value = ratio.compute(self.sub.figures)
        if value is None:
            if ratio.denominator.value(self.sub.figures) == 0:
                # A figure given as 0 is not a missing figure: say which one makes it fail.
                names = ratio.denominator.names()
                fld = f"figures.{names[0]}" if names else "actual"
                where = job.where.merged(field=fld, line=self.sub.lines.get(fld))
                job.findings.append(
                    finding("zero-denominator", where, what=ratio.name, formula=ratio.formula)
                )
            return None
        if printed is not None and printed.value is not None and printed.unit in ("%", ""):
            fraction = stated.as_fraction(printed, printed.value)
            if not stated.rate_close(fraction, value, job.entry.actual):
                job.report(
                    "rate-mismatch",
                    "actual",
                    printed=printed.text,
                    expected=percent_text(value),
                    what=ratio.name,
                    formula=ratio.formula,
                )
        return value

    def _direction(self, job: _Job, target: Measure | None) -> Comparator:
        node, spec = job.node, job.node.spec
        parent = node.path[-2] if len(node.path) > 1 else ""
        hinted = hinted_direction(node.name) or hinted_direction(parent)
        written = target.comparator if target is not None else None
        if written not in (None, Comparator.equal) and hinted not in (None, written):
            job.report(
                "direction-suspicious",
                "target",
                target=target.text if target else "",
                direction=_DIRECTION_WORDS[written],
                name=node.name,
                usual=_DIRECTION_WORDS[hinted],
            )
        return (
            written
            or job.entry.direction
            or (spec.direction if spec else None)
            or hinted
            or Comparator.at_least
        )

    def _convert(self, job: _Job, target: Measure, actual: Measure, value: Decimal) -> Decimal | None:
        bare = "" in (target.unit, actual.unit) and 0 not in (target.value, value)
        if bare and (target.unit == "%") != (actual.unit == "%"):
            # 80 against ≥90% (or 80% against 90): a factor of 100 apart, never guessed.
            # Zero is zero in any unit, so "0" against ≤10% stays comparable.
            job.unverifiable(
                "unit-percent-bare", "actual", self.published, target=target.text, actual=actual.text
            )
            return None
        if not actual.unit or not target.unit or actual.unit == target.unit:
            return value
        units = {"target_unit": target.unit, "actual_unit": actual.unit}
        converted = convert_money(value, actual.unit, target.unit)
        if converted is None:
            job.report("unit-mismatch", "actual", **units)
            return None
        job.report("unit-converted", "actual", **units)
        return converted

    # -- rules ----------------------------------------------------------------------------
    def _summary(self, job: _Job) -> None:
        """A level given only as a printed score rate (项目自评汇总表): weight × rate."""
        written = job.entry.score_rate
        rate = stated.rate(written, job.where, job.findings) if written is not None else None
        if rate is None:
            return
        job.rule_text = "按所列得分率折算：分值×得分率"
        job.raw = job.weight * rate
        job.score = self.fw.rounding.apply(job.raw)
        job.source = ScoreSource.summary
        if job.stated is not None and written is not None:
            stated.rate_mismatch(written, job.stated, job.weight, job.where, job.findings)

    def _quantitative(self, job: _Job) -> None:
        entry, spec = job.entry, job.node.spec
        target_written = entry.target if entry.target is not None else (spec.target if spec else None)
        target = job.target or self._measure(job, target_written, "target")
        actual = self._measure(job, entry.actual, "actual")
        derived = self._derived(job, actual)
        direction = self._direction(job, target)
        job.rule_text = rules.quantitative_text(direction, self.fw.reverse_rule)
        if target is None or target.value is None:
            return
        value = derived
        if value is None and actual is not None and actual.value is not None:
            value = self._convert(job, target, actual, actual.value)
        elif value is None and actual is not None:
            # A word where a number is expected is not a missing value: say what was read.
            job.unverifiable(
                "actual-not-number", "actual", self.published, actual=actual.text, target=target.text
            )
        if value is None:
            return
        job.actual_value = value
        if target.value == 0 and direction is Comparator.at_least:
            job.report("zero-target", "target")
            return
        if target.value < 0 and direction is not Comparator.equal:
            # a ratio to a negative target reads a miss as a success (≤-200 against -180)
            job.report("negative-measure", "target", target=target.text, actual=plain(value))
            return
        job.raw = rules.quantitative(job.weight, target.value, value, direction, self.fw.reverse_rule)
        self._overshoot(job, target.value, value, direction)

    def _overshoot(self, job: _Job, target: Decimal, actual: Decimal, direction: Comparator) -> None:
        rule = self.fw.overshoot
        if rule is None or direction is not Comparator.at_least or target <= 0 or job.raw is None:
            return
        ratio = actual / target
        if ratio < rule.ratio:
            return
        reason = bool(job.entry.deviation_reason.strip())
        penalty = ZERO if (rule.waived_by_reason and reason) else rule.penalty
        text = f"，扣 {plain(penalty)} 分" if penalty else ("" if reason else "，请说明原因")
        job.report(
            "overshoot",
            "actual",
            ratio=percent_text(ratio, 0),
            threshold=percent_text(rule.ratio, 0),
            penalty=text,
        )
        job.raw = max(ZERO, job.raw - penalty)

    def _execution(self, job: _Job) -> None:
        job.rule_text = f"预算执行率：{plain(job.weight)}分×执行率，不超过分值"
        printed = self._measure(job, job.entry.actual, "actual")
        rate = self._derived(job, printed)
        if rate is None and printed is not None and printed.value is not None:
            rate = stated.as_fraction(printed, printed.value)
        if rate is None:
            return
        job.actual_value = job.execution_rate = rate
        if rate > ONE:
            job.report("execution-over-100", "actual", printed=percent_text(rate))
        job.raw = rules.execution_rate(job.weight, rate)

    def _judgement(self, job: _Job) -> None:
        spec = job.node.spec
        pass_values = (spec.pass_values if spec and spec.pass_values else None) or self.fw.pass_values
        target = stated.text(job.entry.target) or (spec.target if spec else None)
        job.rule_text = "是否判断：符合得满分，否则不得分"
        if job.entry.actual is not None:
            job.raw = rules.judgement(job.weight, str(job.entry.actual), target, pass_values)

    def _deduction(self, job: _Job) -> None:
        spec = job.node.spec
        per_case = spec.per_case if spec is not None else None
        if per_case is None:
            job.report("missing-value", "per_case", what="每例扣分数")
            return
        job.rule_text = f"扣分：每发现一例扣{plain(per_case)}分，扣完为止"
        if job.entry.cases is not None:
            job.raw = rules.deduction(job.weight, per_case, job.entry.cases)

    def _qualitative(self, job: _Job) -> None:
        weight, printed = job.weight, job.stated
        job.rule_text = "定性指标：按档次区间确定分值"
        tier = job.entry.tier
        if tier is None and printed is not None and weight:
            tier = self.fw.tier_of(printed / weight)
        job.tier = tier
        if tier is None:
            self._missing(job, job.where.merged(field="tier"), "定性指标的档次或得分", printed)
            return
        band = self.fw.band(tier)
        if printed is None:
            proposal = self.fw.rounding.apply(rules.band_top(weight, band))
            job.report("score-proposed", tier=tier.label, expected=plain(proposal))
            job.raw = job.score = proposal
            job.source = ScoreSource.proposed
            return
        job.raw = job.score = printed
        job.source = ScoreSource.evaluator
        if printed > weight:
            job.report("score-above-weight", "score", printed=plain(printed), expected=plain(weight))
            job.score = weight
        elif printed < 0:
            job.report("score-negative", "score", printed=plain(printed))
            job.score = ZERO
        elif not rules.in_band(weight, printed, band):
            job.report(
                "score-out-of-band",
                "score",
                tier=tier.label,
                band=band.describe(weight),
                printed=plain(printed),
            )

    def _settle(self, job: _Job) -> None:
        """Round the rule's score and compare it with the printed one."""
        weight, printed = job.weight, job.stated
        if job.raw is None:
            if not any(f.severity is Severity.error for f in job.findings):
                self._missing(job, job.where, _missing_what(job), printed)
            elif self.published and printed is not None:
                job.score, job.source = printed, ScoreSource.stated
            return
        job.score = self.fw.rounding.apply(job.raw)
        job.source = ScoreSource.rule
        if printed is None:
            needs_reason = job.rule is not RuleKind.execution_rate and job.score < weight
            if not self.published and needs_reason and not job.entry.deviation_reason:
                job.report("deviation-reason-missing", printed=plain(job.score), weight=plain(weight))
            return
        if printed > weight:
            job.report("score-above-weight", "score", printed=plain(printed), expected=plain(weight))
            return
        if printed == job.score:
            return
        weight_places = max(0, -int(weight.normalize().as_tuple().exponent))
        for alt in ALTERNATIVE_ROUNDINGS:
            if alt.places < weight_places:
                continue  # a weight of 1.25 is not scored in whole points: 0.9955 -> 0 is no tail
            if alt != self.fw.rounding and alt.apply(job.raw) == printed:
                job.report(
                    "score-rounding",
                    "score",
                    printed=plain(printed),
                    expected=plain(job.score),
                    raw=plain(round_half_up(job.raw, 4)),
                    used=alt.describe(),
                    framework=self.fw.rounding.describe(),
                )
                return
        job.report(
            "score-mismatch",
            "score",
            printed=plain(printed),
            expected=plain(job.score),
            rule=job.rule_text,
            hint=_mismatch_hint(job, printed),
        )


_APPLY = {
    RuleKind.quantitative: LeafScorer._quantitative,
    RuleKind.execution_rate: LeafScorer._execution,
    RuleKind.judgement: LeafScorer._judgement,
    RuleKind.deduction: LeafScorer._deduction,
}


@lru_cache(maxsize=1024)
def _bare_entry(path: str) -> Entry:
    """The entry of a leaf computed from the figures alone (frozen: made once per path)."""
    return Entry(path=path)


def _missing_what(job: _Job) -> str:
    rule = job.rule
    if rule is RuleKind.quantitative:
        spec = job.node.spec
        has_target = job.entry.target is not None or bool(spec and spec.target)
        return "完成值" if has_target else "指标值"
    if rule is RuleKind.execution_rate:
        return "预算数和执行数（或执行率）"
    if rule is RuleKind.deduction:
        return "发现问题的例数"
    return "完成值"


def _mismatch_hint(job: _Job, printed: Decimal) -> str:
    """Why a printed score may differ: the usual slips, recognised by recomputing them."""
    weight = job.weight
    actual = job.actual_value
    if printed == weight and job.raw is not None and job.raw < weight:
        return "；所列为满分，但完成值未达到指标值要求"
    if actual is None or job.rule is not RuleKind.quantitative:
        return ""
    if round_half_up(weight * actual, 2) == printed:
        return "；所列得分等于 分值×完成值，未与指标值相比"
    try:
        target = parse_measure(job.entry.target).value if job.entry.target is not None else None
    except NumberFormatError:
        target = None
    if target and actual:
        if round_half_up(weight * target / actual, 2) == printed:
            return "；所列得分按反向指标（分值×指标值/完成值）计算"
        if round_half_up(weight * actual / target, 2) == printed:
            return "；所列得分按正向指标（分值×完成值/指标值）计算"
    return ""
