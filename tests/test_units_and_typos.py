"""Input a scorer must not take at face value: unit slips, weights that do not add up,
typos in names, words where numbers belong. Each gets a Finding that says what was read."""

from __future__ import annotations

import pytest
from tests.conftest import flat

from jixiao.core.numbers import NumberFormatError, parse_measure

NATIONAL = "national-2020-project"


def _submission(rows: str, figures: str = "{budget_total: 10, spent: 10}") -> str:
    return (
        "department: 测试单位\nyear: 2024\nframework: national-2020-project\n"
        f"figures: {figures}\nindicators:\n{rows}"
    )


def _score(write, text: str):
    from jixiao import api

    (ev,) = api.score_file(write(text))
    return ev


@pytest.mark.parametrize(
    ("target", "actual"),
    [("≥90%", "80"), ("90", "80%"), ("≥90%", "95"), ("≤10", "12%")],
)
def test_a_percentage_against_a_bare_number_is_a_unit_finding_not_a_score(write, target, actual):
    ev = _score(
        write,
        _submission(
            f"  - {{path: 产出指标/数量指标/覆盖率, weight: 50, target: '{target}', actual: '{actual}'}}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 95%}\n"
        ),
    )
    assert ("unit-percent-bare", "产出指标/数量指标/覆盖率") in flat(ev, severity="error")
    leaf = ev.indicators[1].children[0].children[0]
    assert leaf.score is None  # neither full marks nor weight × 0.8 / 90
    assert not ev.complete
    assert ev.grade is None
    message = next(f.message for f in ev.findings if f.code == "unit-percent-bare")
    assert target in message
    assert actual in message


def test_zero_is_zero_in_any_unit(write):
    ev = _score(
        write,
        _submission(
            "  - {path: 产出指标/数量指标/结余率, weight: 50, target: ≤10%, actual: '0'}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 95%}\n"
        ),
    )
    assert ev.total == 100
    assert not ev.errors


def test_children_weights_above_the_level_weight_name_lines_and_weights(write):
    path = write(
        _submission(
            "  - {path: 产出指标/数量指标/培训人次, weight: 30, target: ≥1000人次, actual: 1200人次}\n"
            "  - {path: 产出指标/成本指标/人均成本, weight: 25, target: ≤200元, actual: 180元}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 95%}\n"
        )
    )
    from jixiao import api

    (ev,) = api.score_file(path)
    (f,) = [f for f in ev.findings if f.code == "weight-sum" and f.location.indicator == "产出指标"]
    assert f.location.file == str(path)
    assert f.location.line == 6
    for part in ("数量指标 30（第6行）", "成本指标 25（第7行）", "多出 5 分", "合计为 50"):
        assert part in f.message, f.message


def test_children_weights_below_the_level_weight_say_how_much_is_missing(write):
    ev = _score(
        write,
        _submission(
            "  - {path: 产出指标/数量指标/培训人次, weight: 40, target: ≥1000人次, actual: 1200人次}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 95%}\n"
        ),
    )
    (f,) = [f for f in ev.findings if f.code == "weight-sum" and f.location.indicator == "产出指标"]
    assert "少了 10 分" in f.message
    assert f.location.line == 6


def test_a_word_where_a_number_is_expected_says_what_was_read(write):
    ev = _score(
        write,
        _submission(
            "  - {path: 产出指标/数量指标/人次, weight: 50, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 较满意}\n"
        ),
    )
    codes = [code for code, _ in flat(ev)]
    assert "actual-not-number" in codes
    assert "missing-value" not in codes
    message = next(f.message for f in ev.findings if f.code == "actual-not-number")
    assert "较满意" in message
    assert "≥90%" in message


def test_a_zero_budget_is_not_a_missing_budget(write):
    ev = _score(
        write,
        _submission(
            "  - {path: 产出指标/数量指标/人次, weight: 50, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 95%}\n",
            figures="{budget_total: 0, spent: 26.6}",
        ),
    )
    codes = [code for code, _ in flat(ev)]
    assert "zero-denominator" in codes
    assert "missing-value" not in codes
    f = next(f for f in ev.findings if f.code == "zero-denominator")
    assert f.location.field == "figures.budget_total"
    assert f.location.line == 4


@pytest.mark.parametrize("text", ["9O%", "≥6O场", "≥9o%", "1O0人"])
def test_a_letter_o_for_a_zero_is_the_same_error_wherever_it_is(text):
    with pytest.raises(NumberFormatError, match="字母"):
        parse_measure(text)


def test_digits_and_units_without_a_letter_o_still_read():
    measure = parse_measure("≥60场")
    assert (measure.value, measure.unit) == (60, "场")
    assert parse_measure("5Ohm").unit == "Ohm"  # a word starting with O is a unit, not a slip


def test_a_target_with_letter_o_is_reported_like_an_actual_with_one(write):
    ev = _score(
        write,
        _submission(
            "  - {path: 产出指标/数量指标/场次, weight: 50, target: ≥6O场, actual: 7场}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 9O%}\n"
        ),
    )
    codes = [code for code, _ in flat(ev)]
    assert codes.count("invalid-number") == 2
    assert "unit-mismatch" not in codes


def test_a_slip_in_a_level_two_name_is_never_silent(write):
    ev = _score(
        write,
        _submission(
            "  - {path: 产出指标/数量指票/人次, weight: 50, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 95%}\n"
        ),
    )
    f = next(f for f in ev.findings if f.code == "indicator-name-near-miss")
    assert "数量指票" in f.message
    assert "“数量指标”" in f.message


def test_an_unknown_name_under_a_fixed_level_suggests_the_closest(write):
    text = (
        "department: 测试\nyear: 2021\nframework: xinxiang-2021-department\nindicators:\n"
        "  - {path: 产出指标/重点工作任务完成X/任务, weight: 5, target: ≥5场, actual: 6场}\n"
        "  - {path: 产岀指标/履职目标实现/任务, weight: 5, target: ≥5场, actual: 6场}\n"
    )
    ev = _score(write, text)
    messages = [f.message for f in ev.findings if f.code == "unknown-indicator"]
    assert any(
        "读到的二级指标是“重点工作任务完成X”" in m and "是否应为“重点工作任务完成”" in m for m in messages
    )
    assert any("读到的一级指标是“产岀指标”" in m and "是否应为“产出指标”" in m for m in messages)


def test_a_full_width_slash_in_a_path_is_named(write):
    ev = _score(
        write,
        _submission(
            "  - {path: 产出指标/数量指标/人次, weight: 50, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 效益指标／社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 95%}\n"
        ),
    )
    message = next(f.message for f in ev.findings if f.code == "unknown-indicator")
    assert "“／”不是层级分隔符" in message
    assert "效益指标/社会效益指标/人次" in message


def test_a_score_truncated_to_zero_under_a_fractional_weight_is_wrong_not_a_rounding(write):
    # 1.25 × 133 / 167 = 0.9955 -> 1.00; a printed 0 is not "the same, truncated to points".
    ev = _score(
        write,
        _submission(
            "  - {path: 产出指标/数量指标/人次, weight: 50, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 效益指标/社会效益指标/人次, weight: 30, target: ≥1人次, actual: 1人次}\n"
            "  - {path: 满意度指标/服务对象满意度指标/a, weight: 1.25, target: ≥167个, actual: 133个,"
            " score: 0}\n"
            "  - {path: 满意度指标/服务对象满意度指标/b, weight: 8.75, target: ≥1个, actual: 1个}\n"
        ),
    )
    assert ("score-mismatch", "满意度指标/服务对象满意度指标/a") in flat(ev, severity="error")
