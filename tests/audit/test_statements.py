"""Sentences read as statements: a sentence in, the roles and bindings or findings out."""

from decimal import Decimal

import pytest

from jixiao import api
from jixiao.core.numbers import percent_possible, rounding_interval
from jixiao.read.published.statements.bind import canonical, changes, read, shares
from jixiao.read.published.statements.parse import Role, parse
from jixiao.read.published.statements.unit import document_unit


def _errors(tmp_path, text):
    path = tmp_path / "说明.txt"
    path.write_text(text, encoding="utf-8")
    report, _ = api.audit(path)
    return sorted((f.code, f.printed, f.expected) for f in report.findings if f.severity.value == "error")


def _roles(sentence):
    return [(f.written, f.role) for f in parse(sentence).figures]


# -- roles ------------------------------------------------------------------------------------------
def test_each_figure_takes_its_role_from_the_words_before_it():
    sentence = (
        "2023年度“三公”经费支出决算为62.07万元，完成全年预算84.82万元的73.2%，"
        "比上年决算数增加38.97万元，增长168.7%；比2019年决算数减少24.87万元，降低28.6%。"
    )
    assert _roles(sentence) == [
        ("62.07万元", Role.current),
        ("84.82万元", Role.adjusted),  # the budget inside "完成…的" is not this year's amount
        ("73.2%", Role.completion),
        ("38.97万元", Role.change),
        ("168.7%", Role.change_rate),
        ("24.87万元", Role.change),
        ("28.6%", Role.change_rate),
    ]
    assert [len(c.figures) for c in parse(sentence).clauses] == [5, 2, 0]


def test_a_stated_base_a_share_and_its_named_base():
    assert _roles("公务接待支出124万元，比上年累计支出148万元下降24万元，下降16%") == [
        ("124万元", Role.current),
        ("148万元", Role.previous),
        ("24万元", Role.change),
        ("16%", Role.change_rate),
    ]
    (share,) = [
        f for f in parse("其中基本支出12,270.36万元，占总支出的45.46%").figures if f.role is Role.share
    ]
    assert share.base == "总支出"
    assert share.value == Decimal("45.46")


def test_listed_numbers_share_the_unit_written_after_the_last():
    figures = parse("收、支总计各是4125.49,4143.91万元，各下降23.51%、38.28%").figures
    assert [(f.written, f.member, f.size) for f in figures] == [
        ("4125.49万元", 0, 2),
        ("4143.91万元", 1, 2),
        ("23.51%", 0, 2),
        ("38.28%", 1, 2),
    ]


def test_names_lose_year_speaker_numbering_and_fillers():
    assert canonical("2016年我院支出合计为") == "支出合计"
    assert canonical("1. 基本支出预算 ") == "基本支出预算"
    assert canonical("本年度我院财政拨款收入共计") == "财政拨款收入"


def test_traditional_characters_with_readings_are_read_as_simplified():
    st = parse("公務(wù)接待費支出決算6.28萬元,占34.88%")
    part, share = st.figures
    assert (part.written, part.role, part.name) == ("6.28万元", Role.current, "公务接待费支出决算")
    assert share.role is Role.share
    assert st.text[st.figures[0].start :].startswith("6.28")
    assert st.source(part.start) == len("公務(wù)接待費支出決算")  # quotes come from the source


def test_fund_names_are_not_budgets():
    sentence = (
        "一般公共预算财政拨款支出总计1741.75万元，与上年相比减少53.7万元，降低2.99%；"
        "完成年初预算100%，决算数大于预算数55.93万元"
    )
    assert _roles(sentence)[:2] == [("1741.75万元", Role.current), ("53.7万元", Role.change)]
    assert _roles(sentence)[-1] == ("55.93万元", Role.change)


def test_the_document_unit_comes_from_its_headings_then_its_amounts():
    assert document_unit(["单位：元", "合计 1,234.00"]) == "元"
    assert document_unit(["支出123,456.70元，其中公用经费3,000.00元", "结余2万元"]) == "元"
    assert document_unit(["没有金额"]) is None


# -- bindings -------------------------------------------------------------------------------------------
def test_a_change_opening_its_own_clause_is_measured_from_this_year_amount():
    r = read(
        [
            "支出决算为62.07万元，比上年决算数增加38.97万元，增长168.7%；比2019年决算数减少24.87万元，降低28.6%。"
        ]
    )
    first, second = changes(r, 0)
    assert first.previous is not None
    assert first.previous.value == Decimal("23.10")
    assert second.previous is not None
    assert second.previous.value == Decimal("86.94")


def test_a_change_without_an_amount_of_this_year_is_not_bound():
    (claim,) = changes(
        read(["公务用车运行维护费支出决算比预算无增减变化，比去年增加1.05万元，增长35.8%。"]), 0
    )
    assert claim.previous is None  # 无法确定基数


def test_a_change_named_like_a_stated_quantity_takes_its_value():
    r = read(
        [
            "公务接待费支出决算为116,416.00元。",
            "三公经费增加10.00元。",
            "其中：公务接待费支出决算增加56,716.00元，增长95.00%。",
        ]
    )
    (claim,) = changes(r, 2)
    assert claim.previous is not None
    assert claim.previous.value * 10000 == Decimal("59700.00")


def test_a_share_in_a_list_is_taken_of_the_list_total_not_of_the_change():
    r = read(["支出合计350.20万元，较上年决算数增加90.5万元，增长34.85%，其中：基本支出210万元，占59.97%。"])
    (claim,) = shares(r, 0)
    assert claim.base is not None
    assert claim.base.value == Decimal("350.20")


def test_rounding_intervals_decide_whether_a_rate_can_be_right():
    def possible(num, den, printed):
        return percent_possible(
            rounding_interval(Decimal(num)), rounding_interval(Decimal(den)), Decimal(printed)
        )

    assert possible("20.63", "1.96", "1055.4")  # 1052.55% at face value, 1055.4% within rounding
    assert not possible("2570.97", "6714.88", "38.28")  # truncated, not rounded
    assert possible("2570.97", "6714.88", "38.29")
    assert not possible("19", "60", "43.78")  # whole 万元 still allow only 30.33%~33.05%


# -- findings ---------------------------------------------------------------------------------------------
def test_correct_change_statements_raise_no_error(tmp_path):
    text = (
        "2023年度“三公”经费财政拨款支出决算为62.07万元，完成全年预算84.82万元的73.2%，比上年决算数增加"
        "38.97万元，增长168.7%；比2019年决算数减少24.87万元，降低28.6%。其中：公务接待费支出决算为22.59万元，"
        "完成预算43.2万元的52.3%，比上年决算数增加20.63万元，增长1,055.4%；本年公务用车购置支出减少0万元。\n"
        "财政拨款收入总计980.40万元，与2019年相比增加120.60万元，增长14.03%；财政拨款支出总计1870.91万元。\n"
    )
    assert _errors(tmp_path, text) == []


def test_a_wrong_change_rate_is_an_error_with_the_right_base(tmp_path):
    text = (
        "“三公”经费支出决算为62.07万元，比上年决算数增加38.97万元，增长168.7%；"
        "比2019年决算数减少24.87万元，降低30.6%。\n"
    )
    assert _errors(tmp_path, text) == [("change-mismatch", "30.6%", "28.61%")]


def test_amounts_in_yuan_are_measured_in_yuan(tmp_path):
    text = "公用经费支出决算为70,000.00元，比上年减少123,456.70元，下降41.20%。\n"
    assert _errors(tmp_path, text) == [("change-mismatch", "41.20%", "63.82%")]
    good = "公用经费支出决算为176,364.00元，比上年减少123,456.70元，下降41.18%。\n"
    assert _errors(tmp_path, good) == []


def test_parallel_lists_bind_member_by_member(tmp_path):
    text = (
        "2022年度收、支总计各是500.00,400.00万元。"
        "与上年相比，收、支总计各减少100.00,100.00万元，各下降16.67%、25.00%。\n"
    )
    assert _errors(tmp_path, text) == [("change-mismatch", "25.00%", "20.00%")]


def test_shares_adding_up_to_100_are_checked_against_the_sum_of_their_parts(tmp_path):
    lines = [
        "其中：",
        "（一）甲类支出 600.00 元，占支出总预算 60.00%。",
        "（二）乙类支出 250.00 元，占支出总预算 25.00%。",
        "（三）丙类支出 149.50 元，占支出总预算 14.94%。",
        "（四）丁类支出 0.50 元，占支出总预算 0.06%。",
        "四、其他情况说明",
    ]
    assert _errors(tmp_path, "\n".join(lines) + "\n") == [
        ("percent-mismatch", "0.06%", "0.05%"),
        ("percent-mismatch", "14.94%", "14.95%"),
    ]


def test_shares_not_adding_up_without_a_total_are_left_alone(tmp_path):
    text = (
        "其中：\n（一）甲类支出 600.00 元，占支出总预算 50.00%。\n"
        "（二）乙类支出 250.00 元，占支出总预算 20.00%。\n"
    )
    assert _errors(tmp_path, text) == []


def test_a_complete_breakdown_across_sentences_must_add_up(tmp_path):
    text = (
        "2024 年本年一般公共预算基本支出 900.00 元，其中：\n人员经费 800.00 元，主要包括：基本工资。\n"
        "公用经费 50.00 元，主要包括：办公费。\n五、其他\n"
    )
    assert _errors(tmp_path, text) == [("sum-mismatch", "900.00", "850.00")]


def test_parts_that_overlap_are_not_a_sum_error(tmp_path):
    text = (
        "涉及项目资金143.55万元，其中：年初预算项目涉及资金90.55万元；"
        "新增追加项目涉及资金53万元；转移支付项目涉及资金53万元。\n"
    )
    assert _errors(tmp_path, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "1" * 40000,
        "其中" * 20000 + "1万元",
        "增加1万元，增长1%，" * 4000,
        "（" * 20000 + "1万元",
        "1," * 20000,
    ],
)
def test_hostile_sentences_are_read_without_failing(text):
    r = read([text, text])
    assert len(r.statements) == 2
    list(changes(r, 0))
    list(shares(r, 0))


def test_a_completion_rate_against_a_budget_given_as_a_difference(tmp_path):
    wrong = (
        "本单位支出总计1741.75万元，与上年相比减少53.7万元，降低2.99%；"
        "完成年初预算100%，决算数大于预算数55.93万元。\n"
    )
    assert _errors(tmp_path, wrong) == [("percent-mismatch", "100%", "103.32%")]
    right = wrong.replace("100%", "103.32%")
    assert _errors(tmp_path, right) == []
    no_amount = "完成年初预算100%，决算数大于预算数，主要原因是人员增加。\n"
    assert _errors(tmp_path, no_amount) == []
