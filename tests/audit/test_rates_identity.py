"""Named rates (rates.yaml) and the budget identity on the statement model: each operand
bound with certainty, rounding allowed for through rounding intervals."""

from __future__ import annotations

from decimal import Decimal

from jixiao.check.published.audit import audit_document
from jixiao.check.published.claims import percent_agrees
from jixiao.read.published.text import parse


def _errors(text: str, check: str) -> list[tuple[str, str | None, str | None]]:
    report = audit_document(parse(text, "t.txt"), {check})
    return [(f.code, f.printed, f.expected) for f in report.errors]


def test_a_named_rate_against_its_amounts():
    text = "全年预算数为130万元，执行数96万元，预算执行率{rate}%。"
    assert _errors(text.format(rate="73.85"), "rates") == []
    assert _errors(text.format(rate="80"), "rates") == [("percent-mismatch", "80%", "73.85%")]


def test_operands_from_the_sentence_before():
    text = "全年预算数为130万元，执行数96万元。预算执行率为{rate}%。"
    assert _errors(text.format(rate="73.85"), "rates") == []
    assert _errors(text.format(rate="83.85"), "rates") == [("percent-mismatch", "83.85%", "73.85%")]


def test_two_candidates_of_different_value_are_silent():
    text = "全年预算数为130万元，项目一执行数96万元，项目二执行数30万元，预算执行率80%。"
    assert _errors(text, "rates") == []


def test_rounded_amounts_allow_the_rate():
    # 0.9 may be 0.85..0.95 and 1.2 1.15..1.25: any rate from 68% to 82.6% is possible
    text = "全年预算数1.2万元，执行数0.9万元，预算执行率{rate}%。"
    assert _errors(text.format(rate="70"), "rates") == []
    assert _errors(text.format(rate="90"), "rates") == [("percent-mismatch", "90%", "75.00%")]


def test_an_operand_written_in_yuan():
    text = "三公预算数2.6万元，三公经费执行数2.46元，控制率94.62%。"
    assert _errors(text, "rates") == [("unit-suspicious", "2.46元", "2.46万元")]


def test_budget_identity():
    text = "年初预算数为100万元，年中追加预算20.5万元，调减5万元，全年预算数为{total}万元。"
    assert _errors(text.format(total="115.5"), "budget-identity") == []
    assert _errors(text.format(total="125.5"), "budget-identity") == [("sum-mismatch", "125.50", "115.50")]
    # across a sentence end
    text = "年初预算100万元，追加20万元。全年预算数为{total}万元。"
    assert _errors(text.format(total="120"), "budget-identity") == []
    assert _errors(text.format(total="130"), "budget-identity") == [("sum-mismatch", "130.00", "120.00")]


def test_budget_identity_is_silent_when_an_amount_between_is_unexplained():
    text = "年初预算100万元，其他收入3万元，追加20万元，全年预算数为130万元。"
    assert _errors(text, "budget-identity") == []


def test_percent_agrees_is_percent_possible():
    assert percent_agrees(Decimal("96"), Decimal("130"), Decimal("73.85"), 2)
    assert percent_agrees(Decimal("96"), Decimal("130"), Decimal("73.8"), 1)
    assert percent_agrees(Decimal("96.00"), Decimal("130.00"), Decimal("74"), 0)
    assert not percent_agrees(Decimal("96.00"), Decimal("130.00"), Decimal("75"), 0)
    assert percent_agrees(Decimal("0"), Decimal("0"), Decimal("0"), 0)


_LEVELS = (
    "一级指标\t预算执行情况\t产出指标\t合计\n"
    "权重\t10\t90\t100\n"
    "得分率\t88.53%\t100%\t99.84%\n"
    "得分\t9.84\t90\t99.84\n"
)


def test_a_score_against_the_rate_the_text_states():
    text = "全年预算数100万元，执行数88.53万元，预算执行率为88.53%。\n\n" + _LEVELS
    assert sorted(_errors(text, "sideways-tables")) == [
        ("score-mismatch", "9.84", "8.85"),
        ("total-includes-wrong-score", "99.84", "98.85"),
    ]


def test_without_the_rate_in_the_text_the_rate_is_blamed():
    assert _errors(_LEVELS, "sideways-tables") == [("score-rate-mismatch", "88.53%", "98.40%")]


def _year_slips(text: str) -> list[tuple[str | None, str | None]]:
    report = audit_document(parse(text, "t.txt"), {"years"})
    return [(f.printed, f.expected) for f in report.findings if f.code == "year-mismatch"]


def test_a_report_naming_its_own_title_with_another_year():
    opening = "某区教育局2023年度部门整体绩效自评报告\n"
    # the report's own title, with or without a unit name before it, in another year: a slip
    for unit in ("", "局", "某区教育局"):
        text = opening + f"2022年度{unit}部门整体绩效自评报告及自评表按时上报财政局。\n"
        assert _year_slips(text) == [("2022", "2023")], unit
    # the same year, a comparison with last year, or a sentence between: no slip
    assert _year_slips(opening + "2023年度某区教育局部门整体绩效自评报告按时上报。\n") == []
    assert _year_slips(opening + "2022年，与上年度部门整体绩效自评报告相比有改进。\n") == []
    assert _year_slips(opening + "2022年度。部门整体绩效自评报告已上报。\n") == []
