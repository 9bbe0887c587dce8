"""Each scoring rule on its own."""

from decimal import Decimal as D

import pytest

from jixiao.core.numbers import Comparator
from jixiao.model.framework import NATIONAL_BANDS, Band, ReverseRule, Tier
from jixiao.score import rules


def test_at_least_full_when_met_else_proportional():
    assert rules.at_least(D(5), D("0.95"), D("1")) == D(5)
    assert rules.at_least(D(5), D("0.95"), D("0.95")) == D(5)
    assert rules.at_least(D(5), D("0.95"), D("0.70")).quantize(D("0.01")) == D("3.68")


def test_at_most_ratio_and_linear_differ_as_the_sources_say():
    # Hubei W×A/B vs the vendor's linear rule: A=10, B=15 gives 0.667W vs 0.5W.
    assert rules.at_most_ratio(D(6), D(10), D(15)) == D(4)
    assert rules.at_most_linear(D(6), D(10), D(15)) == D(3)
    assert rules.at_most_linear(D(6), D(10), D(20)) == D(0)
    assert rules.at_most_ratio(D(6), D(10), D(8)) == D(6)


def test_equal_with_zero_target():
    assert rules.equal(D(2), D(0), D(0)) == D(2)
    assert rules.equal(D(2), D(0), D("0.1")) == D(0)
    assert rules.equal(D(2), D(4), D(2)) == D(1)


def test_quantitative_dispatches_on_direction_and_reverse_rule():
    assert rules.quantitative(D(5), D(10), D(20), Comparator.at_most) == D("2.5")
    assert rules.quantitative(D(5), D(10), D(15), Comparator.at_most, ReverseRule.linear) == D("2.5")
    assert rules.quantitative(D(5), D(10), D(5), Comparator.at_least) == D("2.5")


def test_execution_rate_is_capped_at_the_weight():
    assert rules.execution_rate(D(20), D("1.1444")) == D(20)  # seed 002: 114.44% -> 20
    assert rules.execution_rate(D(10), D("0.9967")) == D("9.967")
    assert rules.execution_rate(D(10), D("-0.1")) == D(0)


@pytest.mark.parametrize(
    ("score", "tier", "inside"),
    [
        (D(4), Tier.achieved, True),
        (D(5), Tier.achieved, True),
        (D("3.9"), Tier.achieved, False),
        (D("3.5"), Tier.partly, True),
        (D(3), Tier.partly, True),
        (D(4), Tier.partly, False),
        (D("2.9"), Tier.missed, True),
        (D(3), Tier.missed, False),
    ],
)
def test_national_bands(score, tier, inside):
    band = next(b for b in NATIONAL_BANDS if b.tier is tier)
    assert rules.in_band(D(5), score, band) is inside


def test_band_top_is_below_an_exclusive_bound():
    partly = Band(tier=Tier.partly, low=D("0.6"), high=D("0.8"))
    assert rules.band_top(D(5), partly) == D("3.99")
    achieved = Band(tier=Tier.achieved, low=D("0.8"), high=D(1), high_inclusive=True)
    assert rules.band_top(D(5), achieved) == D(5)


def test_judgement():
    pv = ("合规", "健全")
    assert rules.judgement(D(1), "合规", "合规", pv) == D(1)
    assert rules.judgement(D(1), "不合规", "合规", pv) == D(0)
    assert rules.judgement(D(1), "健全", None, pv) == D(1)
    assert rules.judgement(D(1), "基本健全但有缺失", None, pv) == D(0)


def test_deduction_stops_at_zero():
    assert rules.deduction(D(5), D(1), 2) == D(3)
    assert rules.deduction(D(5), D(2), 7) == D(0)
