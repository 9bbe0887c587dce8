"""Property tests of the scoring engine (hypothesis)."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import api
from jixiao.core.numbers import Comparator
from jixiao.model.submission import Stated, Submission
from jixiao.score import rules

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)
weights = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)
directions = st.sampled_from([Comparator.at_least, Comparator.at_most, Comparator.equal])


@given(weights, amounts, amounts, directions)
def test_a_score_never_exceeds_its_weight_nor_goes_below_zero(weight, target, actual, direction):
    score = rules.quantitative(weight, target, actual, direction)
    assert Decimal(0) <= score <= weight


@given(weights, amounts, amounts, amounts)
def test_scores_are_monotone_in_the_actual_value(weight, target, a, b):
    low, high = min(a, b), max(a, b)
    assert rules.at_least(weight, target, low) <= rules.at_least(weight, target, high)
    assert rules.at_most_ratio(weight, target, low) >= rules.at_most_ratio(weight, target, high)
    assert rules.at_most_linear(weight, target, low) >= rules.at_most_linear(weight, target, high)


# A submission under the national framework: its level-1 weights are fixed (50/30/10 + 10),
# the leaves split each level's weight.
LEVELS = {"产出指标/数量指标": 50, "效益指标/社会效益指标": 30, "满意度指标/服务对象满意度指标": 10}


@st.composite
def submissions(draw):
    indicators = []
    for parent, total in LEVELS.items():
        n = draw(st.integers(min_value=1, max_value=4))
        cuts = sorted(draw(st.lists(st.integers(0, total * 100), min_size=n - 1, max_size=n - 1)))
        bounds = [0, *cuts, total * 100]
        for i in range(n):
            weight = Decimal(bounds[i + 1] - bounds[i]) / 100
            target = draw(st.integers(min_value=1, max_value=1000))
            actual = draw(st.integers(min_value=0, max_value=2000))
            sign = draw(st.sampled_from(["≥", "≤"]))
            indicators.append(
                {
                    "path": f"{parent}/指标{i}",
                    "weight": weight,
                    "target": f"{sign}{target}个",
                    "actual": f"{actual}个",
                    "deviation_reason": "说明",
                }
            )
    budget = draw(amounts)
    spent = draw(st.decimals(min_value=Decimal(0), max_value=budget * 2, places=2))
    return Submission.model_validate(
        {
            "department": "测试单位",
            "year": 2024,
            "framework": "national-2020-project",
            "figures": {"budget_total": budget, "spent": spent},
            "indicators": indicators,
        }
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(submissions())
def test_totals_are_sums_and_nothing_exceeds_its_weight(sub):
    ev = api.score(sub)
    assert ev.complete
    for ind in ev.walk():
        assert Decimal(0) <= ind.score <= ind.weight
        if ind.children:
            assert ind.score == sum(c.score for c in ind.children)
    assert ev.total == sum(r.score for r in ev.indicators)
    assert ev.total <= ev.full_score
    assert not [f for f in ev.findings if f.severity.value == "error"]


def _with_printed_scores(sub, ev, change=None):
    """The submission with the scores it would print if it were right (one changed)."""
    entries = []
    for e in sub.indicators:
        score = ev.find(e.path).score
        if change == e.path:
            weight = ev.find(e.path).weight
            # a change of 1 point: more than any other rounding of the same raw score could explain
            score = score + 1 if score + 1 <= weight else score - 1
        entries.append(e.model_copy(update={"score": score}))
    return sub.model_copy(
        update={"indicators": tuple(entries), "stated": Stated(total=ev.total, grade=ev.grade)}
    )


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(submissions(), st.data())
def test_a_consistent_document_has_no_error_and_one_changed_number_has_one(sub, data):
    ev = api.score(sub)
    consistent = _with_printed_scores(sub, ev)
    assert not api.score(consistent).errors
    positive = [e.path for e in sub.indicators if ev.find(e.path).weight >= 1]
    if not positive:
        return
    changed = _with_printed_scores(sub, ev, change=data.draw(st.sampled_from(positive)))
    assert api.score(changed).errors
