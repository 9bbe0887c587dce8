"""The table-sums check: a project form's 年度资金总额 against its 其中 rows, a row against
the 其中 rows under it, a form's 总分 against its level-1 weights — and silence whenever a
figure cannot be bound to its column with certainty."""

from __future__ import annotations

from jixiao.check.published.audit import audit_document
from jixiao.read.published.text import parse


def _errors(text: str) -> list[tuple[str, str | None, str | None]]:
    report = audit_document(parse(text, "t.txt"), {"table-sums"})
    return [(f.code, f.printed, f.expected) for f in report.errors]


_HEAD = "项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 "


def test_fund_total_in_spaced_text_against_its_parts():
    text = _HEAD + "年度资金总额: 100 120 0 10 0 0 其中:本年财政拨款 90 100 95 上年结转资金 其他资金 10 20 5"
    assert _errors(text) == [("sum-mismatch", "0", "100")]


def test_fund_total_that_adds_up_is_not_flagged():
    text = _HEAD + (
        "年度资金总额: 100 120 100 10 83.33% 8.33 其中:本年财政拨款 90 100 95 上年结转资金 其他资金 10 20 5"
    )
    assert _errors(text) == []


def test_rounded_parts_within_their_tail_are_not_flagged():
    text = _HEAD + "年度资金总额: 0.3 0.3 0.3 其中:财政拨款 0.14 0.14 0.14 其他资金 0.14 0.14 0.14"
    assert _errors(text) == []
    assert _errors(text.replace("0.3 0.3 0.3", "0.3 0.3 0.2")) == [("sum-mismatch", "0.2", "0.28")]


def test_rows_that_cannot_be_bound_are_silent():
    # two numbers for three amount columns: which column is empty is unknown
    text = _HEAD + "年度资金总额: 0 0 0 10 0 0 其中:本年财政拨款 90 89.974 上年结转资金 其他资金"
    assert _errors(text) == []
    # glued figures are not split
    text = _HEAD + "年度资金总额:202010100.00%10其中:本年财政拨款2020其他资金"
    assert _errors(text) == []


def test_fund_block_in_a_table():
    text = (
        "\t项目资金\n\t年初预算数\n\t全年预算数\n\t全年执行数\n\n"
        "\t年度资金总额\n\t50\n\t60\n\t40\n\n"
        "\t其中：财政拨款\n\t30\n\t30\n\t30\n\n"
        "\t其他资金\n\t10\n\t10\n\t10\n"
    )
    assert sorted(_errors(text)) == [
        ("sum-mismatch", "50", "40"),
        ("sum-mismatch", "60", "40"),
    ]


_SANGONG = """项 目 | 本年预算数 | 其中:财政拨款 |
合 计 | 34.35 | 34.35 |
1.因公出国(境)费用 | 0 | 0 |
2.公务接待费 | 1.70 | 1.70 |
3.公务用车费 | {car} | {car} |
其中:(1)公务用车运行维护费 | 32.65 | 32.65 |
(2)公务用车购置 | 0 | 0 |
"""


def test_a_row_smaller_than_its_sub_rows():
    # the same printed figure twice on one row is reported once
    assert _errors(_SANGONG.format(car="0")) == [("sum-mismatch", "0", "32.65")]
    assert _errors(_SANGONG.format(car="32.65")) == []
    # a whole known to be its parts: larger than them is wrong too
    assert _errors(_SANGONG.format(car="40")) == [("sum-mismatch", "40", "32.65")]


def test_sub_rows_that_need_not_be_complete_only_may_not_exceed():
    text = """项目 | 金额 |
支出合计 | {total} |
其中:(1)办公费 | 3 |
(2)印刷费 | 2 |
"""
    assert _errors(text.format(total="9")) == []
    assert _errors(text.format(total="3")) == [("parts-exceed-total", "3", "5")]


def test_form_total_below_its_level_weights_and_execution_score():
    form = (
        "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:202010100.00%10"
        "其中:本年财政拨款2020其他资金 产出指标(70分)数量指标… 效益指标(20分)社会效益指标(10分)… "
        "满意度指标(10分)服务对象满意度指标… 总分{total}"
    )
    assert _errors(form.format(total="100100")) == [("total-weight-mismatch", "100", "110")]
    assert _errors(form.format(total="110110")) == []
    # the 预算执行 weight inside a 100-point total: 90 of indicators
    assert _errors(form.replace("(70分)", "(60分)").format(total="100100")) == []


_SICHUAN = (
    (
        "预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率"
        " | 权重 | 得分 | 原因 | ||\n"
    )
    + """总额 | 0.00 | {total} | 3.36 | 100.00% | 10 | 10 | 1.预算执行率=预算执行数/调整后预算数 | |||
其中:财政资金 | 0.00 | 3.36 | 3.36 | 100.00% | / | / | ||||
财政专户管理资金 | 0.00 | 0.00 | 0.00 | 0.00% | / | / | ||||
单位资金 | 0.00 | 0.00 | 0.00 | 0.00% | / | / | ||||
其他资金 | / | / | ||||||||
"""
)


def test_fund_block_of_the_sichuan_form_with_its_header_one_cell_ahead():
    # the header row leads with the merged "预算执行情况(10分)" cell the data rows lack
    assert _errors(_SICHUAN.format(total="3.36")) == []
    assert _errors(_SICHUAN.format(total="3.63")) == [("sum-mismatch", "3.63", "3.36")]


def test_fund_block_with_a_merged_group_label_before_the_row_labels():
    text = (
        "| 项目资金（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
        "| 项目资金（万元） | 年度资金总额 | 100 | 100 | {spent} | 10 | 90% | 9 |\n"
        "| 项目资金（万元） | 其中：当年财政拨款 | 80 | 80 | 70 | — | — | — |\n"
        "| 项目资金（万元） | 上年结转资金 | | | | — | — | — |\n"
        "| 项目资金（万元） | 其他资金 | 20 | 20 | 20 | — | — | — |\n"
    )
    assert _errors(text.format(spent="90")) == []
    assert _errors(text.format(spent="95")) == [("sum-mismatch", "95", "90")]
