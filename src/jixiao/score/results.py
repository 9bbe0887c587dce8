"""The result of scoring a submission: frozen, serialisable, ready to render or store."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any, Self

from pydantic import BaseModel, ConfigDict

from jixiao.core.findings import Finding, Severity
from jixiao.core.numbers import Dec
from jixiao.model.framework import RuleKind, Tier

#: Separator of indicator paths.
SEP = "/"


class ScoreSource(StrEnum):
    """Where an indicator's score comes from."""

    rule = "rule"  # computed by the framework's rule
    evaluator = "evaluator"  # a qualitative score given by the evaluator (checked against its band)
    proposed = "proposed"  # the top of a qualitative band, proposed when no score is given
    stated = "stated"  # the printed score, taken because the rule could not be applied
    summary = "summary"  # a level's score from its printed score rate (no leaves given)
    sum = "sum"  # sum of the children


class _Assembled(BaseModel):
    """A result built by the engine from values it computed out of validated input.

    :meth:`assemble` sets the fields without validating them again (what
    ``model_construct`` does, with each class's defaults taken once instead of per call):
    the input was validated when it was read, and the rules only yield Decimals of the
    context's precision. Building the models with validation would check every number of
    every submission twice.
    """

    @classmethod
    def assemble(cls, **values: Any) -> Self:
        fields = dict(_defaults(cls))
        fields.update(values)
        obj = cls.__new__(cls)
        object.__setattr__(obj, "__dict__", fields)
        object.__setattr__(obj, "__pydantic_fields_set__", set(values))
        object.__setattr__(obj, "__pydantic_extra__", None)
        object.__setattr__(obj, "__pydantic_private__", None)
        return obj


@cache
def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """Every field of ``cls`` in declaration order, with its default (None when required)."""
    return {
        name: None if info.is_required() else info.get_default(call_default_factory=True)
        for name, info in cls.model_fields.items()
    }


class IndicatorResult(_Assembled):
    """One scored indicator.

    Attributes:
        path, name, level: where it sits (level 1 is the top).
        weight: 分值 in points.
        rule, rule_text: the rule and its wording.
        target, actual: as written; ``actual_value`` the number used (fractions for %).
        tier: the qualitative tier.
        score: the score counted in the totals (rounded), None when unknown.
        raw: the unrounded rule score.
        stated: the printed score, as written.
        score_rate: score / weight.
        source: where ``score`` comes from.
        deviation_reason, remedy: 偏差原因 / 改进措施.
        children: sub-indicators.
    """

    model_config = ConfigDict(frozen=True)

    path: str
    name: str
    level: int
    weight: Dec | None
    rule: RuleKind | None = None
    rule_text: str = ""
    target: str | None = None
    actual: str | None = None
    actual_value: Dec | None = None
    tier: Tier | None = None
    score: Dec | None = None
    raw: Dec | None = None
    stated: str | None = None
    score_rate: Dec | None = None
    source: ScoreSource | None = None
    deviation_reason: str = ""
    remedy: str = ""
    children: tuple[IndicatorResult, ...] = ()

    def walk(self) -> Iterator[IndicatorResult]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def is_leaf(self) -> bool:
        return not self.children


class Evaluation(_Assembled):
    """A scored submission.

    Attributes:
        title, department, project, year: who and when.
        framework_id, framework_name: the framework used.
        indicators: the level-1 indicators with their subtrees.
        total: the total score (after any cap), None when a score is missing.
        total_uncapped: the total before an execution-rate cap.
        full_score: the framework's total (100).
        score_rate: total / full score.
        grade: 优/良/中/差 (the framework's grade bands).
        complete: every leaf has a score.
        stated_total, stated_grade: what the document printed.
        execution_rate: the budget execution rate used, if any.
        findings: every problem found, errors first.
    """

    model_config = ConfigDict(frozen=True)

    title: str
    department: str
    project: str | None = None
    year: int
    framework_id: str
    framework_name: str
    indicators: tuple[IndicatorResult, ...]
    total: Dec | None
    total_uncapped: Dec | None = None
    full_score: Dec
    score_rate: Dec | None = None
    grade: str | None = None
    complete: bool
    stated_total: str | None = None
    stated_grade: str | None = None
    execution_rate: Dec | None = None
    findings: tuple[Finding, ...] = ()

    def walk(self) -> Iterator[IndicatorResult]:
        for ind in self.indicators:
            yield from ind.walk()

    def find(self, path: str) -> IndicatorResult:
        """The indicator at ``path`` (or with that unique name); KeyError when absent."""
        matches = [r for r in self.walk() if path in (r.path, r.name)]
        if len(matches) != 1:
            raise KeyError(path)
        return matches[0]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.error]

    def level1(self) -> dict[str, Decimal | None]:
        return {r.name: r.score for r in self.indicators}
