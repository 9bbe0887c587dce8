"""Score stage: apply a framework's rules to a submission; totals, grade, Findings.

The engine never raises on bad data: every problem becomes a Finding and scoring goes on
with what can be scored. A missing value is never silently zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

import yaml

from jixiao.core.findings import Finding, Location, finding, sort_findings
from jixiao.core.numbers import (
    ALTERNATIVE_ROUNDINGS,
    COMPARATOR_SIGN,
    HUNDRED,
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
from jixiao.derive.ratios import check_figures, ratios, tail_tolerance
from jixiao.model.framework import Framework, RuleKind, Tier
from jixiao.model.submission import Origin, Submission, Written
from jixiao.score import rules
from jixiao.score.results import Evaluation, IndicatorResult, ScoreSource
from jixiao.score.tree import Node, build, check_weights, weight_of

_DIRECTION_WORDS = {Comparator.at_least: "正向（≥）", Comparator.at_most: "反向（≤）", Comparator.equal: "等于（=）"}


@cache
def _hints() -> dict[Comparator, tuple[str, ...]]:
    text = resources.files("jixiao.score").joinpath("direction_hints.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return {Comparator(k): tuple(v) for k, v in raw.items()}


def hinted_direction(*names: str) -> Comparator | None:
    """The direction an indicator's name suggests (first name that matches a hint)."""
    for name in names:
        for direction, words in _hints().items():
            if any(w in name for w in words):
                return direction
    return None


@dataclass
class _Leaf:
    """Working state of one leaf while it is scored."""

    weight: Decimal | None
    rule: RuleKind | None = None
    rule_text: str = ""
    actual_value: Decimal | None = None
    tier: Tier | None = None
    raw: Decimal | None = None
    score: Decimal | None = None
    source: ScoreSource | None = None
    findings: list[Finding] = field(default_factory=list)


class Scorer:
    """Scores submissions against one framework. Holds no state between submissions."""

    def __init__(self, framework: Framework):
        self.framework = framework
        self.rounding = framework.rounding

    # -- public -------------------------------------------------------------------------
    def evaluate(self, submission: Submission, file: str | None = None) -> Evaluation:
        fw = self.framework
        roots, findings = build(fw, submission, file)
        findings += check_weights(fw, roots, file)
        base = Location(file=file)
        findings += check_figures(submission.figures, base)
        for name, value in submission.figures.items():
            if value < 0:
                findings.append(
                    finding("negative-amount", base.merged(field=f"figures.{name}"), name=name, printed=plain(value))
                )
        ctx = _Context(self, submission, file)
        results = [ctx.node(n) for n in roots]
        findings += ctx.findings
        level_scores = [r.score for r in results]
        complete = all(s is not None for s in level_scores) and ctx.complete
        known = [s for s in level_scores if s is not None]
        total_uncapped = sum(known, ZERO) if known else None
        total = total_uncapped
        exec_rate = ctx.execution_rate
        if total is not None and exec_rate is not None:
            total = self._cap(total, exec_rate, findings, base)
        grade = fw.grade(total) if total is not None and complete else None
        score_rate = total / fw.total if total is not None and fw.total else None
        self._check_stated(submission, total, grade, score_rate, complete, results, findings, base)
        return Evaluation(
            title=submission.title,
            department=submission.department,
            project=submission.project,
            year=submission.year,
            framework_id=fw.id,
            framework_name=fw.name,
            indicators=tuple(results),
            total=total,
            total_uncapped=total_uncapped,
            full_score=fw.total,
            score_rate=round_half_up(score_rate, 4) if score_rate is not None else None,
            grade=grade,
            complete=complete,
            stated_total=_text(submission.stated.total),
            stated_grade=submission.stated.grade,
            execution_rate=exec_rate,
            findings=tuple(sort_findings(findings)),
        )

    # -- totals ---------------------------------------------------------------------------
    def _cap(self, total: Decimal, rate: Decimal, findings: list[Finding], base: Location) -> Decimal:
        for cap in sorted(self.framework.execution_caps, key=lambda c: c.below):
            if rate < cap.below and total > cap.max_total:
                findings.append(
                    finding(
                        "total-capped",
                        base.merged(indicator="（总分）"),
                        rate=percent_text(rate),
                        below=percent_text(cap.below, 0),
                        cap=plain(cap.max_total),
                        raw=plain(total),
                    )
                )
                return cap.max_total
        return total

    def _check_stated(
        self,
        submission: Submission,
        total: Decimal | None,
        grade: str | None,
        score_rate: Decimal | None,
        complete: bool,
        results: list[IndicatorResult],
        findings: list[Finding],
        base: Location,
    ) -> None:
        stated = submission.stated
        where = base.merged(indicator="（总分）")
        full = self.framework.total
        stated_total = _stated_score(stated.total, full, where, findings)
        if stated_total is not None:
            sum_stated = _sum_stated(results)
            if sum_stated is not None and abs(sum_stated - stated_total) > tail_tolerance(len(results)):
                findings.append(
                    finding("total-mismatch", where, printed=plain(stated_total), expected=plain(sum_stated), what="总分")
                )
            elif total is not None and complete and not _close(stated_total, total):
                findings.append(
                    finding("total-differs", where, printed=plain(stated_total), expected=plain(total), what="总分")
                )
        if stated.grade and grade and stated.grade.strip() != grade:
            findings.append(
                finding("grade-mismatch", where, printed=stated.grade, expected=grade, score=plain(total or ZERO))
            )
        if stated.score_rate is not None:
            rate = _stated_rate(stated.score_rate, where, findings)
            basis = stated_total if stated_total is not None else total
            if rate is not None and basis is not None and full:
                expected = basis / full
                if not _rate_close(rate, expected, stated.score_rate):
                    findings.append(
                        finding(
                            "score-rate-mismatch",
                            where.merged(field="score_rate"),
                            printed=_text(stated.score_rate),
                            expected=percent_text(expected),
                            score=plain(basis),
                            weight=plain(full),
                        )
                    )


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) < Decimal("0.005")


def _rate_close(stated: Decimal, computed: Decimal, written: Written | None) -> bool:
    """A printed rate agrees when it equals the computed one at the printed precision."""
    places = _percent_places(written)
    return round_half_up(stated * HUNDRED, places) == round_half_up(computed * HUNDRED, places)


def _percent_places(written: Written | None) -> int:
    text = str(written or "").replace("%", "").replace("％", "")
    return len(text.split(".")[1]) if "." in text else 0


def _text(value: Written | None) -> str | None:
    if value is None:
        return None
    return plain(value) if isinstance(value, Decimal) else str(value)


def _sum_stated(results: list[IndicatorResult]) -> Decimal | None:
    """Sum of the printed scores of ``results`` (their subtotals, else their leaves)."""
    total = ZERO
    for r in results:
        value = _stated_value(r)
        if value is None:
            return None
        total += value
    return total


def _stated_value(result: IndicatorResult) -> Decimal | None:
    if result.stated is not None:
        try:
            measure = parse_measure(result.stated)
        except NumberFormatError:
            return None
        if measure.value is None:
            return None
        if measure.unit == "%" and result.weight is not None:
            return measure.value * result.weight
        return measure.value
    if result.children:
        return _sum_stated(list(result.children))
    return None


def _stated_score(
    written: Written | None, weight: Decimal | None, where: Location, findings: list[Finding]
) -> Decimal | None:
    """A printed score as a number; a score written as a percentage is reported and converted."""
    if written is None:
        return None
    try:
        measure = parse_measure(written)
    except NumberFormatError as exc:
        findings.append(finding("invalid-number", where.merged(field="score"), detail=str(exc)))
        return None
    if measure.value is None:
        findings.append(finding("invalid-number", where.merged(field="score"), detail=f"得分“{written}”不是数字"))
        return None
    if measure.unit == "%":
        converted = measure.value * weight if weight is not None else None
        findings.append(
            finding(
                "score-as-percent",
                where.merged(field="score"),
                printed=str(written),
                expected=plain(converted) if converted is not None else "?",
                weight=plain(weight) if weight is not None else "?",
            )
        )
        return converted
    return measure.value


def _stated_rate(written: Written, where: Location, findings: list[Finding]) -> Decimal | None:
    try:
        measure = parse_measure(written)
    except NumberFormatError as exc:
        findings.append(finding("invalid-number", where.merged(field="score_rate"), detail=str(exc)))
        return None
    if measure.value is None:
        findings.append(finding("invalid-number", where.merged(field="score_rate"), detail=f"得分率“{written}”不是数字"))
        return None
    # '88.53%' is a fraction already; a bare number above 1 is read as a percentage.
    return measure.value if measure.unit == "%" or measure.value <= 1 else measure.value / HUNDRED


class _Context:
    """Scoring of one submission's tree (per call; never shared)."""

    def __init__(self, scorer: Scorer, submission: Submission, file: str | None):
        self.scorer = scorer
        self.fw = scorer.framework
        self.sub = submission
        self.file = file
        self.findings: list[Finding] = []
        self.complete = True
        self.execution_rate: Decimal | None = None
        self.published = submission.origin is Origin.published

    def where(self, node: Node, fld: str | None = None) -> Location:
        line = node.entry.line if node.entry else None
        return Location(file=self.file, line=line, indicator=node.key, field=fld)

    # -- tree -----------------------------------------------------------------------------
    def node(self, node: Node) -> IndicatorResult:
        weight = weight_of(node)
        entry = node.entry
        if node.children:
            children = tuple(self.node(c) for c in node.children)
            scores = [c.score for c in children]
            score = sum((s for s in scores if s is not None), ZERO) if all(s is not None for s in scores) else None
            result = IndicatorResult(
                path=node.key,
                name=node.name,
                level=node.level,
                weight=weight,
                score=score,
                stated=_text(entry.score) if entry else None,
                score_rate=_rate(score, weight),
                source=ScoreSource.sum if score is not None else None,
                children=children,
            )
            if entry is not None:
                self._check_subtotal(node, result)
            return result
        leaf = self.leaf(node, weight)
        self.findings += leaf.findings
        if leaf.score is None:
            self.complete = False
        return IndicatorResult(
            path=node.key,
            name=node.name,
            level=node.level,
            weight=weight,
            rule=leaf.rule,
            rule_text=leaf.rule_text,
            target=_text(entry.target) if entry and entry.target is not None else (node.spec.target if node.spec else None),
            actual=_text(entry.actual) if entry else None,
            actual_value=leaf.actual_value,
            tier=leaf.tier,
            score=leaf.score,
            raw=leaf.raw,
            stated=_text(entry.score) if entry else None,
            score_rate=_rate(leaf.score, weight),
            source=leaf.source,
            deviation_reason=entry.deviation_reason if entry else "",
            remedy=entry.remedy if entry else "",
        )

    def _check_subtotal(self, node: Node, result: IndicatorResult) -> None:
        entry = node.entry
        assert entry is not None  # noqa: S101 - caller guarantees
        where = self.where(node)
        stated = _stated_score(entry.score, result.weight, where, self.findings) if entry.score is not None else None
        if stated is not None:
            summed = _sum_stated(list(result.children))
            if summed is not None and abs(summed - stated) > tail_tolerance(len(result.children)):
                self.findings.append(
                    finding("total-mismatch", where, printed=plain(stated), expected=plain(summed), what=f"“{node.name}”得分")
                )
        if entry.score_rate is not None and result.weight:
            rate = _stated_rate(entry.score_rate, where, self.findings)
            basis = stated if stated is not None else result.score
            if rate is not None and basis is not None:
                expected = basis / result.weight
                if not _rate_close(rate, expected, entry.score_rate):
                    self.findings.append(
                        finding(
                            "score-rate-mismatch",
                            where.merged(field="score_rate"),
                            printed=_text(entry.score_rate),
                            expected=percent_text(expected),
                            score=plain(basis),
                            weight=plain(result.weight),
                        )
                    )

    # -- leaves ---------------------------------------------------------------------------
    def leaf(self, node: Node, weight: Decimal | None) -> _Leaf:
        entry = node.entry
        spec = node.spec
        leaf = _Leaf(weight=weight)
        where = self.where(node)
        if weight is None:
            leaf.findings.append(finding("missing-value", where.merged(field="weight"), what="分值"))
            return leaf
        stated = _stated_score(entry.score, weight, where, leaf.findings) if entry and entry.score is not None else None
        if entry is None:
            self._missing(leaf, where, "该指标的完成情况", stated)
            return leaf
        if entry.score_rate is not None and entry.actual is None and entry.tier is None and _rule_of(node) is None:
            return self._summary(node, leaf, stated, where)
        rule = _rule_of(node) or self._infer_rule(node)
        leaf.rule = rule
        if rule is RuleKind.quantitative:
            self._quantitative(node, leaf, where)
        elif rule is RuleKind.execution_rate:
            self._execution(node, leaf, where)
        elif rule is RuleKind.judgement:
            self._judgement(node, leaf, where)
        elif rule is RuleKind.deduction:
            self._deduction(node, leaf, where)
        else:
            self._qualitative(node, leaf, where, stated)
            self._check_above_weight(leaf, stated, where)
            return leaf
        self._settle(node, leaf, stated, where)
        return leaf

    def _summary(self, node: Node, leaf: _Leaf, stated: Decimal | None, where: Location) -> _Leaf:
        """A level given only as a printed score rate (项目自评汇总表): score = weight × rate."""
        entry = node.entry
        assert entry is not None and entry.score_rate is not None and leaf.weight is not None  # noqa: S101
        rate = _stated_rate(entry.score_rate, where, leaf.findings)
        if rate is None:
            return leaf
        leaf.rule_text = "按所列得分率折算：分值×得分率"
        leaf.raw = leaf.weight * rate
        leaf.score = self.scorer.rounding.apply(leaf.raw)
        leaf.source = ScoreSource.summary
        if stated is not None and not _close(stated, leaf.score):
            leaf.findings.append(
                finding(
                    "score-rate-mismatch",
                    where.merged(field="score_rate"),
                    printed=_text(entry.score_rate),
                    expected=percent_text(stated / leaf.weight),
                    score=plain(stated),
                    weight=plain(leaf.weight),
                )
            )
        return leaf

    def _infer_rule(self, node: Node) -> RuleKind:
        entry = node.entry
        assert entry is not None  # noqa: S101
        if entry.cases is not None:
            return RuleKind.deduction
        if entry.tier is not None:
            return RuleKind.qualitative
        target = entry.target if entry.target is not None else (node.spec.target if node.spec else None)
        try:
            measure = parse_measure(target) if target is not None else None
        except NumberFormatError:
            measure = None
        if measure is not None and measure.is_number:
            return RuleKind.quantitative
        pass_values = (node.spec.pass_values if node.spec else None) or self.fw.pass_values
        if measure is not None and measure.text in pass_values:
            return RuleKind.judgement
        return RuleKind.qualitative

    def _missing(self, leaf: _Leaf, where: Location, what: str, stated: Decimal | None) -> None:
        """A needed input is absent: error for entry data; for a published document, note it
        and count the printed score."""
        if self.published and stated is not None:
            leaf.findings.append(finding("unverifiable-score", where, what=what, printed=plain(stated)))
            leaf.score = stated
            leaf.source = ScoreSource.stated
            return
        leaf.findings.append(finding("missing-value", where, what=what))

    def _measure(self, written: Written | None, where: Location, leaf: _Leaf) -> Measure | None:
        if written is None:
            return None
        try:
            return parse_measure(written)
        except NumberFormatError as exc:
            leaf.findings.append(finding("invalid-number", where, detail=str(exc)))
            return None

    def _derived(self, node: Node, leaf: _Leaf, where: Location, stated_actual: Measure | None) -> Decimal | None:
        """The actual value computed from figures when the indicator is derived (or, for the
        execution rate, when the figures are given); compared with the printed value."""
        entry = node.entry
        rid = (entry.derive if entry else None) or (node.spec.derive if node.spec else None)
        if rid is None and leaf.rule is RuleKind.execution_rate:
            rid = "budget_execution_rate"
        if rid is None:
            return None
        ratio = ratios().get(rid)
        if ratio is None:
            leaf.findings.append(
                finding("unknown-ratio", where.merged(field="derive"), name=rid, available="、".join(ratios()))
            )
            return None
        value = ratio.compute(self.sub.figures)
        if value is None:
            return None
        if stated_actual is not None and stated_actual.value is not None and stated_actual.unit in ("%", ""):
            written = entry.actual if entry else None
            if not _rate_close(_as_fraction(stated_actual), value, written):
                leaf.findings.append(
                    finding(
                        "rate-mismatch",
                        where.merged(field="actual"),
                        printed=stated_actual.text,
                        expected=percent_text(value),
                        what=ratio.name,
                        formula=ratio.formula,
                    )
                )
        return value

    def _quantitative(self, node: Node, leaf: _Leaf, where: Location) -> None:
        entry = node.entry
        assert entry is not None and leaf.weight is not None  # noqa: S101
        spec = node.spec
        target_written = entry.target if entry.target is not None else (spec.target if spec else None)
        target = self._measure(target_written, where.merged(field="target"), leaf)
        actual = self._measure(entry.actual, where.merged(field="actual"), leaf)
        derived = self._derived(node, leaf, where, actual)
        direction = self._direction(node, target, leaf, where)
        leaf.rule_text = rules.quantitative_text(direction, self.fw.reverse_rule)
        if target is None or target.value is None:
            leaf.rule_text += "（缺指标值）"
            return
        actual_value = derived
        if actual_value is None:
            if actual is None or actual.value is None:
                return
            actual_value = self._convert(target, actual, leaf, where)
            if actual_value is None:
                return
        leaf.actual_value = actual_value
        if target.value == 0 and direction is Comparator.at_least:
            leaf.findings.append(finding("zero-target", where.merged(field="target")))
            return
        leaf.raw = rules.quantitative(leaf.weight, target.value, actual_value, direction, self.fw.reverse_rule)
        self._overshoot(node, leaf, where, target.value, actual_value, direction)

    def _direction(self, node: Node, target: Measure | None, leaf: _Leaf, where: Location) -> Comparator:
        entry = node.entry
        spec = node.spec
        parent = node.path[-2] if len(node.path) > 1 else ""
        hinted = hinted_direction(node.name) or hinted_direction(parent)
        written = target.comparator if target is not None else None
        if written is not None and hinted is not None and written is not hinted and written is not Comparator.equal:
            leaf.findings.append(
                finding(
                    "direction-suspicious",
                    where.merged(field="target"),
                    target=target.text if target else "",
                    direction=_DIRECTION_WORDS[written],
                    name=node.name,
                    usual=_DIRECTION_WORDS[hinted],
                )
            )
        return (
            written
            or (entry.direction if entry else None)
            or (spec.direction if spec else None)
            or hinted
            or Comparator.at_least
        )

    def _convert(self, target: Measure, actual: Measure, leaf: _Leaf, where: Location) -> Decimal | None:
        assert actual.value is not None  # noqa: S101
        if not actual.unit or not target.unit or actual.unit == target.unit:
            return actual.value
        converted = convert_money(actual.value, actual.unit, target.unit)
        if converted is None:
            leaf.findings.append(
                finding("unit-mismatch", where.merged(field="actual"), target_unit=target.unit, actual_unit=actual.unit)
            )
            return None
        leaf.findings.append(
            finding("unit-converted", where.merged(field="actual"), target_unit=target.unit, actual_unit=actual.unit)
        )
        return converted

    def _overshoot(
        self, node: Node, leaf: _Leaf, where: Location, target: Decimal, actual: Decimal, direction: Comparator
    ) -> None:
        rule = self.fw.overshoot
        if rule is None or direction is not Comparator.at_least or target <= 0 or leaf.raw is None:
            return
        ratio = actual / target
        if ratio < rule.ratio:
            return
        entry = node.entry
        reason = bool(entry and entry.deviation_reason.strip())
        penalty = rule.penalty if not (rule.waived_by_reason and reason) else ZERO
        text = f"，扣 {plain(penalty)} 分" if penalty else ("，请说明原因" if not reason else "")
        leaf.findings.append(
            finding(
                "overshoot",
                where.merged(field="actual"),
                ratio=percent_text(ratio, 0),
                threshold=percent_text(rule.ratio, 0),
                penalty=text,
            )
        )
        leaf.raw = max(ZERO, leaf.raw - penalty)

    def _execution(self, node: Node, leaf: _Leaf, where: Location) -> None:
        entry = node.entry
        assert entry is not None and leaf.weight is not None  # noqa: S101
        leaf.rule_text = f"预算执行率：{plain(leaf.weight)}分×执行率，不超过分值"
        stated = self._measure(entry.actual, where.merged(field="actual"), leaf)
        rate = self._derived(node, leaf, where, stated)
        if rate is None and stated is not None and stated.value is not None:
            rate = _as_fraction(stated)
        if rate is None:
            return
        leaf.actual_value = rate
        self.execution_rate = rate
        if rate > ONE:
            leaf.findings.append(finding("execution-over-100", where.merged(field="actual"), printed=percent_text(rate)))
        leaf.raw = rules.execution_rate(leaf.weight, rate)

    def _judgement(self, node: Node, leaf: _Leaf, where: Location) -> None:
        entry = node.entry
        assert entry is not None and leaf.weight is not None  # noqa: S101
        spec = node.spec
        pass_values = (spec.pass_values if spec and spec.pass_values else None) or self.fw.pass_values
        target = _text(entry.target) or (spec.target if spec else None)
        leaf.rule_text = "是否判断：符合得满分，否则不得分"
        if entry.actual is None:
            return
        leaf.raw = rules.judgement(leaf.weight, str(entry.actual), target, pass_values)

    def _deduction(self, node: Node, leaf: _Leaf, where: Location) -> None:
        entry = node.entry
        assert entry is not None and leaf.weight is not None  # noqa: S101
        per_case = node.spec.per_case if node.spec and node.spec.per_case is not None else None
        if per_case is None:
            leaf.findings.append(finding("missing-value", where.merged(field="per_case"), what="每例扣分数"))
            return
        leaf.rule_text = f"扣分：每发现一例扣{plain(per_case)}分，扣完为止"
        if entry.cases is None:
            return
        leaf.raw = rules.deduction(leaf.weight, per_case, entry.cases)

    def _qualitative(self, node: Node, leaf: _Leaf, where: Location, stated: Decimal | None) -> None:
        entry = node.entry
        assert entry is not None and leaf.weight is not None  # noqa: S101
        weight = leaf.weight
        leaf.rule = RuleKind.qualitative
        leaf.rule_text = "定性指标：按档次区间确定分值"
        tier = entry.tier
        if tier is None and stated is not None and weight:
            tier = self.fw.tier_of(stated / weight)
        leaf.tier = tier
        if tier is None:
            self._missing(leaf, where.merged(field="tier"), "定性指标的档次或得分", stated)
            return
        band = self.fw.band(tier)
        if stated is None:
            proposal = self.scorer.rounding.apply(rules.band_top(weight, band))
            leaf.findings.append(finding("score-proposed", where, tier=tier.label, expected=plain(proposal)))
            leaf.raw = leaf.score = proposal
            leaf.source = ScoreSource.proposed
            return
        leaf.raw = stated
        leaf.score = stated
        leaf.source = ScoreSource.evaluator
        if 0 <= stated <= weight and not rules.in_band(weight, stated, band):
            leaf.findings.append(
                finding(
                    "score-out-of-band",
                    where.merged(field="score"),
                    tier=tier.label,
                    band=band.describe(weight),
                    printed=plain(stated),
                )
            )

    def _check_above_weight(self, leaf: _Leaf, stated: Decimal | None, where: Location) -> None:
        if stated is None or leaf.weight is None:
            return
        if stated > leaf.weight:
            leaf.findings.append(
                finding("score-above-weight", where.merged(field="score"), printed=plain(stated), expected=plain(leaf.weight))
            )
            leaf.score = leaf.weight
        elif stated < 0:
            leaf.findings.append(finding("score-negative", where.merged(field="score"), printed=plain(stated)))
            leaf.score = ZERO

    def _settle(self, node: Node, leaf: _Leaf, stated: Decimal | None, where: Location) -> None:
        """Round the rule's score and compare it with the printed one."""
        weight = leaf.weight
        assert weight is not None  # noqa: S101
        if leaf.raw is None:
            if not any(f.severity.value == "error" for f in leaf.findings):
                self._missing(leaf, where, _missing_what(node, leaf), stated)
            elif self.published and stated is not None:
                leaf.score, leaf.source = stated, ScoreSource.stated
            return
        leaf.score = self.scorer.rounding.apply(leaf.raw)
        leaf.source = ScoreSource.rule
        if stated is None:
            if not self.published and leaf.score < weight and not (node.entry and node.entry.deviation_reason):
                leaf.findings.append(
                    finding("deviation-reason-missing", where, printed=plain(leaf.score), weight=plain(weight))
                )
            return
        if stated > weight:
            leaf.findings.append(
                finding("score-above-weight", where.merged(field="score"), printed=plain(stated), expected=plain(weight))
            )
            return
        if stated == leaf.score:
            return
        for alt in ALTERNATIVE_ROUNDINGS:
            if alt != self.scorer.rounding and alt.apply(leaf.raw) == stated:
                leaf.findings.append(
                    finding(
                        "score-rounding",
                        where.merged(field="score"),
                        printed=plain(stated),
                        expected=plain(leaf.score),
                        raw=plain(round_half_up(leaf.raw, 4)),
                        used=alt.describe(),
                        framework=self.scorer.rounding.describe(),
                    )
                )
                return
        leaf.findings.append(
            finding(
                "score-mismatch",
                where.merged(field="score"),
                printed=plain(stated),
                expected=plain(leaf.score),
                rule=leaf.rule_text,
                hint=_mismatch_hint(node, leaf, stated),
            )
        )


def _as_fraction(measure: Measure) -> Decimal:
    """A rate as a fraction: '88.53%' is one already; a bare 88.53 is read as a percentage."""
    assert measure.value is not None  # noqa: S101
    if measure.unit == "%" or measure.value <= 1:
        return measure.value
    return measure.value / HUNDRED


def _rule_of(node: Node) -> RuleKind | None:
    if node.entry is not None and node.entry.rule is not None:
        return node.entry.rule
    return node.spec.rule if node.spec is not None else None


def _rate(score: Decimal | None, weight: Decimal | None) -> Decimal | None:
    if score is None or not weight:
        return None
    return round_half_up(score / weight, 4)


def _missing_what(node: Node, leaf: _Leaf) -> str:
    entry = node.entry
    if leaf.rule is RuleKind.quantitative:
        has_target = entry is not None and entry.target is not None or (node.spec and node.spec.target)
        return "完成值" if has_target else "指标值"
    if leaf.rule is RuleKind.execution_rate:
        return "预算数和执行数（或执行率）"
    if leaf.rule is RuleKind.deduction:
        return "发现问题的例数"
    return "完成值"


def _mismatch_hint(node: Node, leaf: _Leaf, stated: Decimal) -> str:
    """Why a printed score may differ: the usual slips, recognised by recomputing them."""
    weight = leaf.weight
    actual = leaf.actual_value
    if weight is None:
        return ""
    if stated == weight and leaf.raw is not None and leaf.raw < weight:
        return "；所列为满分，但完成值未达到指标值"
    if actual is not None and leaf.rule is RuleKind.quantitative:
        if round_half_up(weight * actual, 2) == stated:
            return "；所列得分等于 分值×完成值，未与指标值相比"
        entry = node.entry
        target_written = entry.target if entry else None
        try:
            target = parse_measure(target_written).value if target_written is not None else None
        except NumberFormatError:
            target = None
        if target and actual:
            if round_half_up(weight * target / actual, 2) == stated:
                return "；所列得分按反向指标（分值×指标值/完成值）计算"
            if round_half_up(weight * actual / target, 2) == stated:
                return "；所列得分按正向指标（分值×完成值/指标值）计算"
    return ""


def sign_of(direction: Comparator) -> str:
    return COMPARATOR_SIGN[direction]
