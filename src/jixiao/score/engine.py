"""Score stage: apply a framework's rules to a submission; totals, grade and Findings.

The engine never raises on bad data: every problem becomes a Finding and scoring goes on
with what can be scored. Leaves are scored by :mod:`jixiao.score.leaf`; this module walks
the tree, adds up the levels, caps and grades the total, and compares the printed
subtotals, total, score rates and grade with the computed ones.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from jixiao.core.findings import Finding, Location, finding, sort_findings
from jixiao.core.numbers import ZERO, percent_text, plain, quantized, round_half_up, tail_tolerance
from jixiao.derive.ratios import check_figures
from jixiao.model.framework import Framework
from jixiao.model.submission import Submission
from jixiao.score import stated
from jixiao.score.leaf import LeafScorer
from jixiao.score.results import Evaluation, IndicatorResult, ScoreSource
from jixiao.score.tree import (
    Node,
    Plan,
    build,
    check_weights,
    compile_plan,
    first_line,
    total_of,
)

TOTAL = "（总分）"


#: Plans of the frameworks scored lately, by identity (a framework is frozen); the
#: framework is kept beside its plan so that its id is not reused while cached.
_PLANS: dict[int, tuple[Framework, Plan]] = {}
_PLANS_KEPT = 64


def plan_of(framework: Framework) -> Plan:
    """The framework compiled once (see :class:`jixiao.score.tree.Plan`), however many
    scorers are made for it (``api.score`` makes one per submission)."""
    held = _PLANS.get(id(framework))
    if held is not None and held[0] is framework:
        return held[1]
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.clear()
    plan = compile_plan(framework)
    _PLANS[id(framework)] = (framework, plan)
    return plan


class Scorer:
    """Scores submissions against one framework. Holds no state between submissions."""

    def __init__(self, framework: Framework):
        self.framework = framework
        self.plan = plan_of(framework)

    def evaluate(self, submission: Submission, file: str | None = None) -> Evaluation:
        fw = self.framework
        roots, findings = build(self.plan, submission, file)
        findings += check_weights(fw, roots, file)
        base = Location(file=file)
        findings += check_figures(submission.figures, base, submission.lines)
        for name, value in submission.figures.items():
            if value < 0:
                where = base.merged(field=f"figures.{name}", line=submission.lines.get(f"figures.{name}"))
                findings.append(finding("negative-amount", where, name=name, printed=plain(value)))
        walk = _Walk(fw, submission, file)
        results = [walk.node(n) for n in roots]
        findings += walk.findings
        scores = [r.score for r in results]
        complete = walk.complete and all(s is not None for s in scores)
        known = [s for s in scores if s is not None]
        total_uncapped = sum(known, ZERO) if known else None
        total = total_uncapped
        if total is not None and walk.execution_rate is not None:
            total = self._cap(total, walk.execution_rate, findings, base)
        grade = fw.grade(total) if total is not None and complete else None
        score_rate = total / fw.total if total is not None and fw.total else None
        where = base.merged(indicator=TOTAL, line=submission.stated.line)
        findings += self._check_stated(
            submission=submission, total=total, grade=grade, complete=complete, results=results, where=where
        )
        # Every value below was computed from a validated submission and framework: the
        # results are assembled, not validated again (validation is the reading's job).
        return Evaluation.assemble(
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
            stated_total=stated.text(submission.stated.total),
            stated_grade=submission.stated.grade,
            execution_rate=walk.execution_rate,
            findings=tuple(sort_findings(findings)),
        )

    def _cap(self, total: Decimal, rate: Decimal, findings: list[Finding], base: Location) -> Decimal:
        """Provincial rule: the total may not exceed a cap when the execution rate is low."""
        for cap in sorted(self.framework.execution_caps, key=lambda c: c.below):
            if rate < cap.below and total > cap.max_total:
                findings.append(
                    finding(
                        "total-capped",
                        base.merged(indicator=TOTAL),
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
        *,
        submission: Submission,
        total: Decimal | None,
        grade: str | None,
        complete: bool,
        results: list[IndicatorResult],
        where: Location,
    ) -> list[Finding]:
        """The printed total, grade and score rate against the items and the rules."""
        out: list[Finding] = []
        printed = submission.stated
        full = self.framework.total
        printed_total = stated.score(printed.total, full, where, out)
        if printed_total is not None:
            summed = stated.sum_of(results)
            if summed is not None and abs(summed - printed_total) > tail_tolerance(len(results)):
                out.append(
                    finding(
                        "total-mismatch",
                        where,
                        printed=plain(printed_total),
                        expected=plain(summed),
                        what="总分",
                    )
                )
            elif total is not None and complete and not stated.close(printed_total, total):
                out.append(
                    finding(
                        "total-differs",
                        where,
                        printed=plain(printed_total),
                        expected=plain(total),
                        what="总分",
                    )
                )
        if printed.grade and grade and printed.grade.strip() != grade:
            out.append(
                finding(
                    "grade-mismatch",
                    where,
                    printed=printed.grade,
                    expected=grade,
                    score=plain(total if total is not None else ZERO),
                )
            )
        basis = printed_total if printed_total is not None else total
        if printed.score_rate is not None and basis is not None and full:
            stated.rate_mismatch(printed.score_rate, basis, full, where, out)
        return out


class _Walk:
    """One submission's tree being scored (per call; never shared)."""

    def __init__(self, framework: Framework, submission: Submission, file: str | None):
        self.leaves = LeafScorer(framework, submission)
        self.file = file
        self.findings: list[Finding] = []
        self.complete = True
        self.execution_rate: Decimal | None = None

    def node(self, node: Node) -> IndicatorResult:
        return self._branch(node) if node.children else self._leaf(node)

    def _branch(self, node: Node) -> IndicatorResult:
        weight = node.weight
        entry = node.entry
        children = tuple([self.node(c) for c in node.children])
        scores = [c.score for c in children]
        score = total_of(scores)
        result = IndicatorResult.assemble(
            path=node.key,
            name=node.name,
            level=len(node.path),
            weight=weight,
            score=score,
            stated=stated.text(entry.score) if entry else None,
            score_rate=_rate(score, weight),
            source=ScoreSource.sum if score is not None else None,
            children=children,
        )
        if weight is not None and score is not None and score > weight:
            self._above_weight(node, children, weight, score)
        if entry is None:
            return result
        where = _location(self.file, entry.line, node.key)
        printed = stated.score(entry.score, weight, where, self.findings)
        if printed is not None:
            summed = stated.sum_of(children)
            if summed is not None and abs(summed - printed) > tail_tolerance(len(children)):
                self.findings.append(
                    finding(
                        "total-mismatch",
                        where,
                        printed=plain(printed),
                        expected=plain(summed),
                        what=f"“{node.name}”得分",
                    )
                )
        basis = printed if printed is not None else score
        if entry.score_rate is not None and weight and basis is not None:
            stated.rate_mismatch(entry.score_rate, basis, weight, where, self.findings)
        return result

    def _above_weight(
        self, node: Node, children: tuple[IndicatorResult, ...], weight: Decimal, score: Decimal
    ) -> None:
        """A level scoring above its weight is never left silent. When the children's weights
        are all known and add up to something else, ``weight-sum`` already says which to fix;
        otherwise (weights not printed) the children's scores are what to check."""
        weights = [c.weight for c in children]
        summed = total_of(weights)
        if summed is not None and summed != weight:
            return
        parts = "、".join(f"{c.name} {plain(c.score)}" for c in children if c.score is not None)
        where = _location(self.file, first_line(node), node.key)
        self.findings.append(
            finding(
                "level-above-weight",
                where,
                name=node.name,
                printed=plain(score),
                expected=plain(weight),
                parts=parts,
            )
        )

    def _leaf(self, node: Node) -> IndicatorResult:
        weight = node.weight
        entry = node.entry
        where = _location(self.file, entry.line if entry else None, node.key)
        leaf = self.leaves.score(node, weight, where)
        self.findings += leaf.findings
        if leaf.score is None:
            self.complete = False
        if leaf.execution_rate is not None:
            self.execution_rate = leaf.execution_rate
        if (
            entry is not None
            and entry.score_rate is not None
            and entry.score is not None
            and weight
            and leaf.source is not ScoreSource.summary
        ):
            printed = stated.score(entry.score, weight, where, [])
            if printed is not None:
                stated.rate_mismatch(entry.score_rate, printed, weight, where, self.findings)
        target = entry.target if entry is not None and entry.target is not None else None
        return IndicatorResult.assemble(
            path=node.key,
            name=node.name,
            level=len(node.path),
            weight=weight,
            rule=leaf.rule,
            rule_text=leaf.rule_text,
            target=stated.text(target) if target is not None else (node.spec.target if node.spec else None),
            actual=stated.text(entry.actual) if entry else None,
            actual_value=leaf.actual_value,
            tier=leaf.tier,
            score=leaf.score,
            raw=leaf.raw,
            stated=stated.text(entry.score) if entry else None,
            score_rate=_rate(leaf.score, weight),
            source=leaf.source,
            deviation_reason=entry.deviation_reason if entry else "",
            remedy=entry.remedy if entry else "",
        )


@lru_cache(maxsize=8192)
def _location(file: str | None, line: int | None, indicator: str) -> Location:
    """Locations are frozen: the same indicator of the same file is built once."""
    return Location(file=file, line=line, indicator=indicator)


_RATE_STEP = Decimal("0.0001")


def _rate(score: Decimal | None, weight: Decimal | None) -> Decimal | None:
    if score is None or not weight:
        return None
    return quantized(score / weight, _RATE_STEP)  # round_half_up(…, 4)
