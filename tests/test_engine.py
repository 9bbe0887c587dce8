"""The scoring engine, with inputs written as the users write them (YAML snippets)."""

from decimal import Decimal as D

from tests.conftest import flat

from jixiao.score.results import ScoreSource

HEAD = """
department: 测试单位
year: 2024
framework: test-framework
"""


def test_quantitative_scores_totals_and_grade(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 95}
indicators:
  - {path: 产出指标/数量指标/培训人次, weight: 30, target: ≥1000人次, actual: 800人次}
  - {path: 产出指标/成本指标/人均成本, weight: 30, target: ≤200元, actual: 250元, deviation_reason: 物价上涨}
  - {path: 效益指标/社会效益/知晓率, weight: 30, target: ≥90%, actual: 95%}
"""
    )
    assert ev.find("预算执行率").score == D("9.50")
    assert ev.find("培训人次").score == D("24.00")  # 30 × 800/1000
    assert ev.find("人均成本").score == D("24.00")  # 反向: 30 × 200/250
    assert ev.find("知晓率").score == D("30")
    assert ev.find("产出指标").score == D("48.00")
    assert ev.total == D("87.50")
    assert ev.grade == "良"
    assert ev.complete
    # 培训人次 missed its target without a reason: the department is reminded.
    assert flat(ev) == [("deviation-reason-missing", "产出指标/数量指标/培训人次")]


def test_missing_value_is_never_zero(score_text):
    text = (
        HEAD
        + """
figures: {budget_total: 100, spent: 100}
indicators:
  - {path: 产出指标/数量指标/培训人次, weight: 60, target: ≥1000人次}
  - {path: 效益指标/社会效益/知晓率, weight: 30, target: ≥90%, actual: 95%}
"""
    )
    ev = score_text(text)
    assert ev.find("培训人次").score is None
    assert not ev.complete
    assert ev.grade is None
    assert ("missing-value", "产出指标/数量指标/培训人次") in flat(ev, severity="error")
    missing = next(f for f in ev.findings if f.code == "missing-value")
    assert "完成值" in missing.message
    lines = text.lstrip().splitlines()
    assert missing.location.line == 1 + next(i for i, x in enumerate(lines) if "培训人次" in x)


def test_printed_scores_are_checked_against_the_rule(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 100}
indicators:
  - {path: 产出指标/数量指标/实现率, weight: 60, target: ≥95%, actual: 70%, score: 42}
  - {path: 效益指标/社会效益/知晓率, weight: 30, target: ≥90%, actual: 95%, score: 30}
stated: {total: 82, grade: 良}
"""
    )
    mismatch = next(f for f in ev.findings if f.code == "score-mismatch")
    assert mismatch.printed == "42"
    assert mismatch.expected == "44.21"  # 60 × 70/95
    assert "分值×完成值" in mismatch.message  # 42 = 60 × 70%: the usual slip is named
    assert ("total-differs", "（总分）") in flat(ev)
    assert ev.total == D("84.21")


def test_other_rounding_is_a_note_naming_it(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 86}
indicators:
  - {path: 预算执行率, score: 9}
  - {path: 产出指标/数量指标/完成率, weight: 60, target: ≥90%, actual: 95%}
  - {path: 效益指标/社会效益/知晓率, weight: 30, target: ≥90%, actual: 95%}
"""
    )
    rounding = next(f for f in ev.findings if f.code == "score-rounding")
    assert rounding.severity.value == "note"
    assert "四舍五入取整" in rounding.message
    assert rounding.expected == "8.6"
    assert not ev.errors


def test_subtotal_and_total_that_do_not_add_up(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 100}
indicators:
  - {path: 预算执行率, score: 10}
  - {path: 产出指标, score: 60}
  - {path: 产出指标/数量指标/完成率, weight: 60, target: ≥90%, actual: 81%, score: 54}
  - {path: 效益指标/社会效益/知晓率, weight: 30, target: ≥90%, actual: 95%, score: 30}
stated: {total: 100}
"""
    )
    codes = flat(ev, severity="error")
    assert ("total-mismatch", "产出指标") in codes
    # The printed total is the sum of the printed subtotals (10 + 60 + 30) but not of the
    # rules' scores: 10 + 54 + 30.
    assert ("total-differs", "（总分）") in codes
    differs = next(f for f in ev.findings if f.code == "total-differs")
    assert (differs.printed, differs.expected) == ("100", "94")


def test_qualitative_tier_band_and_proposal(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 100}
indicators:
  - {path: 产出指标/质量指标/活动效果, weight: 30, rule: qualitative, tier: partly, score: 25}
  - {path: 产出指标/质量指标/群众评价, weight: 30, rule: qualitative, tier: partly}
  - {path: 效益指标/社会效益/影响力, weight: 30, rule: qualitative, actual: 提升, score: 27}
"""
    )
    assert ("score-out-of-band", "产出指标/质量指标/活动效果") in flat(ev, severity="error")
    proposed = ev.find("群众评价")
    assert proposed.score == D("23.99")  # top of [60%, 80%) of 30
    assert proposed.source is ScoreSource.proposed
    assert ev.find("影响力").tier.value == "achieved"  # read from the band of 27/30


def test_judgement_and_deduction(score_text):
    framework = """
id: test-framework
name: 测试
kind: department
indicators:
  - name: 管理
    weight: 100
    children:
      - {name: 资金使用合规性, weight: 40, rule: judgement, target: 合规}
      - {name: 管理制度健全性, weight: 40, rule: judgement, target: 健全}
      - {name: 违规问题, weight: 20, rule: deduction, per_case: 5}
"""
    ev = score_text(
        HEAD
        + """
indicators:
  - {path: 资金使用合规性, actual: 合规}
  - {path: 管理制度健全性, actual: 不健全, deviation_reason: 制度修订中}
  - {path: 违规问题, cases: 3, deviation_reason: 已整改}
""",
        framework,
    )
    assert ev.find("资金使用合规性").score == D(40)
    assert ev.find("管理制度健全性").score == D(0)
    assert ev.find("违规问题").score == D(5)
    assert ev.total == D(45)
    assert ev.grade == "差"


def test_direction_that_contradicts_the_name_is_a_warning(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 100}
indicators:
  - {path: 产出指标/时效指标/政府采购执行率, weight: 60, target: ≦95%, actual: 95%}
  - {path: 效益指标/社会效益/项目成本, weight: 30, target: 100万元, actual: 120万元, deviation_reason: 涨价}
"""
    )
    assert flat(ev, severity="warning") == [("direction-suspicious", "产出指标/时效指标/政府采购执行率")]
    # A cost written without ≤ is read as 反向 from its name: 30 × 100/120.
    assert ev.find("项目成本").score == D("25.00")


def test_units_convert_or_refuse(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 100}
indicators:
  - {path: 产出指标/成本指标/总成本, weight: 30, target: ≤10万元, actual: 90000元}
  - {path: 产出指标/数量指标/人数, weight: 30, target: ≥10人, actual: 12个}
  - {path: 效益指标/社会效益/知晓率, weight: 30, target: ≥90%, actual: 95%}
"""
    )
    assert ev.find("总成本").score == D(30)
    assert ("unit-converted", "actual") not in flat(ev)
    assert ("unit-converted", "产出指标/成本指标/总成本") in flat(ev, severity="warning")
    assert ("unit-mismatch", "产出指标/数量指标/人数") in flat(ev, severity="error")


def test_zero_target_and_negative_amount_are_input_errors(score_text):
    from jixiao import api

    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: -5}
indicators:
  - {path: 产出指标/数量指标/新增数, weight: 60, target: ≥0个, actual: 3个}
  - {path: 效益指标/社会效益/知晓率, weight: 30, target: ≥90%, actual: 95%}
"""
    )
    codes = {f.code for f in api.input_errors(ev.findings)}
    assert codes == {"zero-target", "negative-amount"}


def test_weights_must_add_up_and_fixed_weights_hold(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 100}
indicators:
  - {path: 预算执行率, weight: 20}
  - {path: 产出指标/数量指标/a, weight: 50, target: 1, actual: 1}
  - {path: 效益指标/社会效益/b, weight: 30, target: 1, actual: 1}
"""
    )
    assert ("weight-mismatch", "预算执行率") in flat(ev)
    assert ("weight-sum", "产出指标") in flat(ev)


def test_unknown_and_duplicate_indicators(score_text):
    framework = """
id: test-framework
name: 测试
kind: department
indicators:
  - name: 管理
    weight: 100
    children:
      - {name: 资金使用合规性, weight: 100, rule: judgement, target: 合规}
"""
    ev = score_text(
        HEAD
        + """
indicators:
  - {path: 资金使用合规性, actual: 合规}
  - {path: 管理/资金使用合规性, actual: 合规}
  - {path: 管理/不存在的指标, actual: 合规}
""",
        framework,
    )
    assert ("duplicate-indicator", "管理/资金使用合规性") in flat(ev)
    assert ("unknown-indicator", "管理/不存在的指标") in flat(ev)


def test_overshoot_penalty_and_execution_caps_are_framework_data(score_text):
    framework = """
id: test-framework
name: 测试（含省级附加规则）
kind: project
overshoot: {ratio: 1.3, penalty: 2}
execution_caps:
  - {below: 0.8, max_total: 89}
  - {below: 0.7, max_total: 79}
  - {below: 0.6, max_total: 69}
  - {below: 0.5, max_total: 59}
indicators:
  - {name: 预算执行率, weight: 10, fixed: true, rule: execution_rate}
  - {name: 产出指标, weight: 90, fixed: true, open: true}
"""
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 100, spent: 65}
indicators:
  - {path: 产出指标/数量指标/培训人次, weight: 90, target: ≥100人次, actual: 140人次}
""",
        framework,
    )
    assert ev.find("培训人次").score == D(88)  # 90 − 2 for 140% of target
    assert ev.total_uncapped == D("94.50")
    assert ev.total == D(79)  # 65% execution: capped at 79
    assert {"overshoot", "total-capped"} <= {f.code for f in ev.findings}


def test_linear_reverse_rule_is_a_framework_setting(score_text):
    framework = """
id: test-framework
name: 测试（线性反向）
kind: project
reverse_rule: linear
indicators:
  - {name: 产出指标, weight: 100, fixed: true, open: true}
"""
    ev = score_text(
        HEAD
        + """
indicators:
  - {path: 产出指标/成本指标/成本, weight: 100, target: ≤10万元, actual: 15万元, deviation_reason: 涨价}
""",
        framework,
    )
    assert ev.total == D("50.00")


def test_score_as_percent_and_stated_rates(score_text):
    ev = score_text(
        HEAD
        + """
figures: {budget_total: 30, spent: 26.6}
indicators:
  - {path: 预算执行率, actual: 88.67%}
  - {path: 产出指标, score_rate: 91.9%}
  - {path: 效益指标, score_rate: 83.33%}
stated: {total: 90%}
"""
    )
    assert ev.find("产出指标").score == D("55.14")  # 60 × 91.9%
    assert ("score-as-percent", "（总分）") in flat(ev)


def test_fund_weighted_aggregation(score_text):
    from jixiao import api
    from jixiao.model.submission import Submission

    def project(fund, actual, rate, score):
        return Submission.model_validate(
            {
                "department": "测试单位",
                "year": 2021,
                "framework": "national-2020-project",
                "figures": {"budget_total": fund, "spent": fund},
                "indicators": [
                    {
                        "path": "产出指标/数量指标/培训人次",
                        "weight": 25,
                        "target": "≥100人次",
                        "actual": actual,
                    },
                    {"path": "产出指标/质量指标/合格率", "weight": 25, "target": "≥90%", "actual": rate},
                    {
                        "path": "效益指标/社会效益指标/影响",
                        "weight": 30,
                        "rule": "qualitative",
                        "score": score,
                    },
                    {
                        "path": "满意度指标/服务对象满意度指标/满意度",
                        "weight": 10,
                        "target": "≥90%",
                        "actual": "95%",
                    },
                ],
            }
        )

    merged = api.aggregate(
        [project(D(100), "60人次", "80%", D(30)), project(D(300), "30人次", "100%", D(24))]
    )
    by_path = {e.path: e for e in merged.indicators}
    assert by_path["产出指标/数量指标/培训人次"].actual == "90人次"  # absolute: summed
    assert by_path["产出指标/数量指标/培训人次"].target == "≥200人次"
    assert by_path["产出指标/质量指标/合格率"].actual == "95%"  # relative: (80×100 + 100×300)/400
    assert by_path["效益指标/社会效益指标/影响"].score == D("25.5")  # (30×100 + 24×300)/400
    ev = api.score(merged)
    assert ev.find("培训人次").score == D("11.25")  # 25 × 90/200, computed after summing
    assert api.weighted_total([(D(100), D(90)), (D(300), D(70))]) == D(75)
