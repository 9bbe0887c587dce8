"""A transcription holds only what the document prints: what it does not print is unknown,
and a row that cannot be verified is counted as printed with a note, never an error."""

from __future__ import annotations

from decimal import Decimal as D

from tests.conftest import flat

ROWS = """
department: 测试单位
year: 2021
framework: xiangyang-2021-department
origin: {origin}
figures: {{budget_total: 100, spent: 100}}
indicators:
  - {{path: 产出指标/成本指标/整体成本, target: ≤1411.9万元, actual: "2023.73", score: 5}}
  - {{path: 产出指标/成本指标/基本支出成本, target: ≤1122.1万元, actual: "990.69", score: 35}}
  - {{path: 效益指标/社会效益/影响力, rule: qualitative, target: 提升, actual: 提升, score: 30}}
  - {{path: 满意度指标/满意度/满意度, target: 90%以上, actual: 96.5%, score: 10}}
stated: {{total: 100}}
"""


def _score(write, origin: str):
    from jixiao import api

    (ev,) = api.score_file(write(ROWS.format(origin=origin)))
    return ev


def test_published_rows_without_weights_are_counted_as_printed_with_a_note(write):
    ev = _score(write, "published")
    assert not ev.errors, ev.errors
    notes = flat(ev, severity="note")
    assert ("unverifiable-score", "产出指标/成本指标/整体成本") in notes
    assert ev.find("产出指标").score == D(40)
    assert ev.total == D(100)


def test_rows_being_entered_without_weights_are_errors(write):
    ev = _score(write, "entry")
    assert ("missing-value", "产出指标/成本指标/整体成本") in flat(ev, severity="error")
    assert ev.find("产出指标").score is None


def test_a_level_above_its_weight_is_an_error_even_when_its_rows_print_no_weight(write):
    from jixiao import api

    text = ROWS.format(origin="published").replace("score: 35}", "score: 40}")
    (ev,) = api.score_file(write(text))
    (f,) = [f for f in ev.findings if f.code == "level-above-weight"]
    assert f.severity.value == "error"
    assert f.location.indicator == "产出指标"
    assert f.location.line == 7
    assert "45" in f.message
    assert "40" in f.message


def test_a_published_unit_slip_is_a_warning_and_the_printed_score_counts(write):
    from jixiao import api

    text = ROWS.format(origin="published").replace(
        "target: 90%以上, actual: 96.5%, score: 10", "weight: 10, target: 90%以上, actual: '96.5', score: 10"
    )
    (ev,) = api.score_file(write(text))
    assert not ev.errors, ev.errors
    (slip,) = [f for f in ev.findings if f.code == "unit-percent-bare"]
    assert slip.severity.value == "warning"
    assert ev.find("满意度指标").score == 10
    assert ("unverifiable-score", "满意度指标/满意度/满意度") in flat(ev, severity="note")
