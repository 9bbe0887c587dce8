"""A self-evaluation submission (绩效自评申报): one department or project, one year.

The values are kept as the user (or the published document) wrote them: a target like
'≧90%' stays text here and is read by :func:`jixiao.core.numbers.parse_measure` when scored,
so the Findings can quote it.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WrapValidator, field_validator
from pydantic_core import PydanticCustomError, core_schema

from jixiao.core import limits
from jixiao.core.numbers import Comparator, Dec
from jixiao.model.framework import RuleKind, Tier


def _text_as_written(value: object, handler: core_schema.ValidatorFunctionWrapHandler) -> object:
    """Text is kept as written, as the union below keeps it, without first being tried as a
    number; anything else is validated by the union."""
    return value if type(value) is str else handler(value)


#: A value as written: a number or a text such as '≥90%', '7个', '达标'.
Written = Annotated[Dec | str, WrapValidator(_text_as_written)]


class Origin(StrEnum):
    """Where the data comes from.

    ``entry``: a department fills it in; a missing input is an error.
    ``published``: transcribed from a published document; an input the document does not
    print is noted, and the printed score stands in for the unverifiable one.
    """

    entry = "entry"
    published = "published"


class Entry(BaseModel):
    """The submission's data for one indicator, named by its path.

    Attributes:
        path: indicator names from level 1 down, joined by '/'
            (``投入指标/工作目标/年度履职目标相关性``); a unique leaf name alone also works.
        weight: the weight (分值) in points, for indicators the framework leaves open.
        rule, direction: the scoring rule and ≥/≤/= of an indicator the submission adds.
        target: 指标值 as written.
        actual: 完成值 as written.
        tier: the evaluator's tier of a qualitative indicator.
        score: the score stated (printed) for this indicator; for a qualitative one, the
            evaluator's score. For a non-leaf indicator, the printed subtotal.
        score_rate: the printed 得分率 (a fraction), mainly for level-1 summaries.
        cases: number of cases found, for deduction rules.
        deviation_reason, remedy: 偏差原因分析 / 改进措施.
        line: the line of the input file this entry starts on (set by the reader).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(min_length=1)
    weight: Dec | None = Field(default=None, ge=0)
    rule: RuleKind | None = None
    direction: Comparator | None = None
    target: Written | None = None
    actual: Written | None = None
    tier: Tier | None = None
    score: Written | None = None
    score_rate: Written | None = None
    cases: int | None = Field(default=None, ge=0)
    derive: str | None = None
    deviation_reason: str = ""
    remedy: str = ""
    line: int | None = None

    @field_validator("path")
    @classmethod
    def _levels(cls, path: str) -> str:
        # A path of thousands of levels would build a tree too deep to walk; no framework
        # has more than a few levels.
        most = limits.LIMITS.indicator_levels
        if path.count("/") >= most:
            levels = path.count("/") + 1
            raise PydanticCustomError(
                "too_many_levels",
                "，指标路径最多 {most} 级，这里有 {levels} 级",
                {"most": most, "levels": levels},
            )
        return path

    @property
    def names(self) -> tuple[str, ...]:
        return path_names(self.path)


@lru_cache(maxsize=16384)
def path_names(path: str) -> tuple[str, ...]:
    """The levels of an indicator path, blanks around each dropped (the same paths recur in
    every submission of a framework, so each is split once)."""
    return tuple(p.strip() for p in path.split("/") if p.strip())


class Stated(BaseModel):
    """What a document printed about the whole: total, grade, score rate (as written)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    total: Written | None = None
    grade: str | None = None
    score_rate: Written | None = None
    line: int | None = None


class Submission(BaseModel):
    """One self-evaluation: a department (or one of its projects) for one year.

    Attributes:
        department: 部门（单位）名称.
        project: 项目名称, for a project self-evaluation.
        year: the budget year evaluated.
        framework: id of the indicator framework.
        origin: ``entry`` or ``published`` (see :class:`Origin`).
        figures: raw amounts and counts by name (万元 for money): ``budget_total``,
            ``spent`` ... (catalogue: ``jixiao/derive/figures.yaml``).
        indicators: one :class:`Entry` per indicator given.
        stated: the printed total, grade and score rate.
        summary: 总体目标 / 实际完成情况 and other narrative fields.
        lines: the input line of each field (``figures.spent`` -> 12), set by the reader.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    department: str = Field(min_length=1)
    project: str | None = None
    year: int = Field(ge=1990, le=2100)
    framework: str
    origin: Origin = Origin.entry
    figures: dict[str, Dec] = Field(default_factory=dict)
    indicators: tuple[Entry, ...] = ()
    stated: Stated = Stated()
    summary: dict[str, str] = Field(default_factory=dict)
    source: str | None = None
    lines: dict[str, int] = Field(default_factory=dict, exclude=True)

    @property
    def title(self) -> str:
        return f"{self.department}·{self.project}" if self.project else self.department

    def figure(self, name: str) -> Decimal | None:
        return self.figures.get(name)
