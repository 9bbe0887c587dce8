"""Indicator frameworks (指标体系): a tree of indicators, their weights and scoring rules.

A framework is data: a YAML file under ``jixiao/frameworks/data``. Loading it builds these
frozen models; :mod:`jixiao.frameworks.catalog` validates the tree and reports problems
as Findings.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from jixiao.core.numbers import ONE, Comparator, Dec, Rounding


class RuleKind(StrEnum):
    """How a leaf indicator is scored (see :mod:`jixiao.score.rules`)."""

    quantitative = "quantitative"  # 定量：正向 W×B/A, 反向 W×A/B (or linear), 等于
    execution_rate = "execution_rate"  # 预算执行率：W×执行率, capped at W
    qualitative = "qualitative"  # 定性：达成/部分达成/未达成, score within the tier's band
    judgement = "judgement"  # 是否判断：相关/合规/健全…, full or zero
    deduction = "deduction"  # 扣分：每发现一例扣 X 分，扣完为止

    @property
    def label(self) -> str:
        return {
            "quantitative": "定量",
            "execution_rate": "预算执行率",
            "qualitative": "定性",
            "judgement": "是否判断",
            "deduction": "扣分",
        }[self.value]


class Tier(StrEnum):
    """Qualitative tiers: 达成 / 部分达成 / 未达成."""

    achieved = "achieved"
    partly = "partly"
    missed = "missed"

    @property
    def label(self) -> str:
        return {
            "achieved": "达成预期指标",
            "partly": "部分达成预期指标并具有一定效果",
            "missed": "未达成预期指标且效果较差",
        }[self.value]


class ReverseRule(StrEnum):
    """How a missed at_most (反向) target is scored.

    ``ratio``: W × A / B (湖北自评表注 2; the default of the national rule read as 比例计分).
    ``linear``: W × (1 − (B − A) / A), zero from B ≥ 2A (a provincial system's rule).
    """

    ratio = "ratio"
    linear = "linear"


class Band(BaseModel):
    """The score interval of a qualitative tier, as fractions of the weight.

    ``low`` is always included; ``high`` is included when ``high_inclusive``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tier: Tier
    low: Dec
    high: Dec
    high_inclusive: bool = False

    def contains(self, rate: Decimal) -> bool:
        if rate < self.low:
            return False
        return rate <= self.high if self.high_inclusive else rate < self.high

    def describe(self, weight: Decimal) -> str:
        close = "]" if self.high_inclusive else ")"
        return f"[{(self.low * weight).normalize():f}, {(self.high * weight).normalize():f}{close} 分"


#: The national bands of 财预〔2020〕10号: 100–80%（含）, 80–60%（含）, 60–0%.
NATIONAL_BANDS: tuple[Band, ...] = (
    Band(tier=Tier.achieved, low=Decimal("0.8"), high=ONE, high_inclusive=True),
    Band(tier=Tier.partly, low=Decimal("0.6"), high=Decimal("0.8")),
    Band(tier=Tier.missed, low=Decimal(0), high=Decimal("0.6")),
)


class GradeBand(BaseModel):
    """A grade (优/良/中/差) from ``min`` points (inclusive) upwards."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    min: Dec


NATIONAL_GRADES: tuple[GradeBand, ...] = (
    GradeBand(name="优", min=Decimal(90)),
    GradeBand(name="良", min=Decimal(80)),
    GradeBand(name="中", min=Decimal(60)),
    GradeBand(name="差", min=Decimal(0)),
)


def grade_for(grades: tuple[GradeBand, ...], score: Decimal) -> str:
    """The grade of ``score`` among ``grades`` (bands inclusive at their lower end; below
    every band, the lowest)."""
    for band in sorted(grades, key=lambda g: g.min, reverse=True):
        if score >= band.min:
            return band.name
    return min(grades, key=lambda g: g.min).name


class Overshoot(BaseModel):
    """Penalty when the actual value reaches ``ratio`` × target (e.g. 130%): ``penalty`` points off.

    ``penalty`` 0 only warns. ``waived_by_reason``: no penalty when a deviation reason is given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ratio: Dec = Decimal("1.3")
    penalty: Dec = Decimal(0)
    waived_by_reason: bool = False


class ExecutionCap(BaseModel):
    """The total may not exceed ``max_total`` when the execution rate is below ``below``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    below: Dec
    max_total: Dec


class IndicatorSpec(BaseModel):
    """One indicator of a framework.

    Attributes:
        name: its name, unique among its siblings.
        weight: its weight (分值) in points; None when the submission sets it.
        fixed: the submission may not change the weight.
        rule: how a leaf is scored; None for a leaf whose rule the submission declares.
        direction: ≥/≤/= for quantitative leaves when the target text carries none.
        target: a default target (指标值), as written.
        derive: id of a ratio computed from the submission's figures (jixiao.derive).
        per_case: points off per case, for deduction leaves.
        pass_values: the answers that earn full marks for judgement leaves.
        open: the submission may add its own indicators below this one.
        children: sub-indicators.
        note: the framework's explanation of the indicator (评分标准).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    weight: Dec | None = Field(default=None, ge=0)
    fixed: bool = False
    rule: RuleKind | None = None
    direction: Comparator | None = None
    target: str | None = None
    derive: str | None = None
    per_case: Dec | None = None
    pass_values: tuple[str, ...] | None = None
    open: bool = False
    children: tuple[IndicatorSpec, ...] = ()
    note: str = ""


class Framework(BaseModel):
    """An indicator framework (指标体系) with its scoring settings.

    Attributes:
        id: identifier used by submissions (``xinxiang-2021-department``).
        name: Chinese title.
        kind: ``department`` (部门整体) or ``project`` (项目支出).
        region, year, source: where it comes from (文件号, 表样).
        total: the full score, normally 100.
        rounding: how scores are rounded.
        grades: grade bands, highest first.
        bands: qualitative tier bands.
        reverse_rule: how missed at_most targets are scored.
        overshoot: provincial rule for actuals far above target, if any.
        execution_caps: provincial caps of the total by execution rate, if any.
        pass_values: default full-mark answers of judgement leaves.
        indicators: the level-1 indicators.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: str = Field(pattern=r"^(department|project)$")
    region: str = ""
    year: int | None = None
    source: str = ""
    description: str = ""
    total: Dec = Decimal(100)
    rounding: Rounding = Rounding()
    grades: tuple[GradeBand, ...] = Field(default=NATIONAL_GRADES, min_length=1)
    bands: tuple[Band, ...] = NATIONAL_BANDS
    reverse_rule: ReverseRule = ReverseRule.ratio
    overshoot: Overshoot | None = None
    execution_caps: tuple[ExecutionCap, ...] = ()
    pass_values: tuple[str, ...] = (
        "相关",
        "科学",
        "合理",
        "完整",
        "真实",
        "合规",
        "健全",
        "公开",
        "规范",
        "达标",
        "明确",
        "及时",
        "有效",
        "是",
    )
    indicators: tuple[IndicatorSpec, ...]

    def grade(self, score: Decimal) -> str:
        """The grade for a total ``score`` (bands inclusive at their lower end)."""
        return grade_for(self.grades, score)

    def band(self, tier: Tier) -> Band:
        for band in self.bands:
            if band.tier is tier:
                return band
        raise KeyError(tier)

    def tier_of(self, rate: Decimal) -> Tier | None:
        for band in self.bands:
            if band.contains(rate):
                return band.tier
        return None
