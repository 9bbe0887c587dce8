"""`jixiao audit` on the five seeds exactly as given: the findings an auditor reading them
would list, and no other error. The recognisers know nothing of these files."""

from pathlib import Path

import pytest

from jixiao import api

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def _seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def _audit(prefix: str):
    report, _ = api.audit(_seed(prefix))
    return report


def _by_code(report, severity):
    return sorted((f.code, f.printed, f.expected) for f in report.findings if f.severity.value == severity)


pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in tests/data/seeds")


def test_seed_000_xinxiang_2021_self_evaluation():
    report = _audit("000")
    assert report.year == 2021
    assert report.recognised == ("按行断开的绩效自评表（29 项指标）",)
    assert _by_code(report, "error") == [
        # the text says 效益指标 得分30分; the table's 效益 items add up to 8-1 + 8 + 7 + 7 = 29
        ("claim-conflict", "30", "29"),
        # 学会工作目标1实现率 70% against ≥95%: 5 × 70/95, not 5 × 70%
        ("score-mismatch", "3.5", "3.68"),
        # 总分 97 printed; the 29 rows of the table add up to 96
        ("total-mismatch", "97", "96"),
    ]
    assert _by_code(report, "warning") == [
        ("direction-suspicious", None, None),  # 政府采购执行率 written ≦95%
        ("numbering-duplicate", "（四）", None),  # two sections numbered （四）
    ]


def test_seed_001_xinxiang_2024_final_accounts_and_report():
    report = _audit("001")
    assert report.year == 2024
    assert len([r for r in report.recognised if r.startswith("项目自评汇总表")]) == 8
    assert len([r for r in report.recognised if r.startswith("公开0")]) == 9  # the nine tables
    errors = _by_code(report, "error")
    assert ("percent-mismatch", "88.53%", "88.64%") in errors  # 741.99 / 837.1
    assert ("sum-mismatch", "837.10", "838.10") in errors  # 667.77 + 170.33 stated as 837.1
    assert ("claim-conflict", "838.1 万元", "837.1 万元") in errors  # 全年预算 stated twice
    assert ("unit-suspicious", "2.46 元", "2.46万元") in errors  # 三公 执行数 in 元
    # 表3-1 prints 预算执行 88.53% scored 9.84 of 10; the text states 预算执行率为88.53%, so
    # the score is the slip (10 × 88.53% = 8.85), and the 合计 97.84 that counts it
    assert ("score-mismatch", "9.84", "8.85") in errors
    assert ("total-includes-wrong-score", "97.84", "96.85") in errors
    assert ("score-as-percent", "100%", "100") in errors  # a project's 自评得分 written "100%"
    assert ("total-differs", "90.31", "89.82") in errors  # 会市合作 project by its own rates
    warnings = _by_code(report, "warning")
    assert warnings.count(("year-mismatch", "2022", "2024")) == 3
    assert ("numbering-duplicate", "⑩", None) in warnings
    # 情况说明 五(三)12 names the item by old 科目 names; the 其他 items are 29% of spending
    assert "accounts-text-name" in {w[0] for w in warnings}
    assert ("accounts-reasonableness", "215.55", "148.33") in warnings
    # the tables themselves add up: their differences are rounding tails (notes)
    tails = [f for f in report.findings if f.code == "accounts-rounding-tail"]
    assert tails
    assert all(f.severity.value == "note" for f in tails)
    # the report's 全年实际执行数 741.99 against the tables' 本年支出合计 741.64
    assert ("claim-conflict", "741.99 万元", "741.64万元") in errors
    assert len(errors) == 9  # and no other error


def test_seed_002_xiangyang_form_without_level3_weights():
    report = _audit("002")
    assert report.recognised == ("绩效自评表“2021年度市科协部门整体绩效自评表”（12 项指标）",)
    # 预算执行 114.44% = 3014.42 / 2634.17 scored 20 (capped), 20 + 39 + 24 + 10 = 93: all hold;
    # without the level-3 weights the rows cannot be scored one by one.
    assert not report.errors
    assert [f.code for f in report.findings] == ["table-not-scored"]


def test_seed_003_xianghe_report_structure():
    report = _audit("003")
    assert report.year == 2019
    assert not report.errors
    gaps = [(f.printed, f.expected, f.location.line) for f in report.findings if f.code == "numbering-gap"]
    # the table of contents skips 三、; （二）部门效果情况 has no （一）; 三、 comes after 四、
    assert [(p, e) for p, e, _ in gaps] == [("四、", "三、"), ("（二）", "（一）"), ("三、", "五、")]


def test_seed_004_leshan_income_shares():
    report = _audit("004")
    assert report.year == 2022
    assert _by_code(report, "error") == [
        # 上年结转 0.84 of 163.68 is 0.51%, printed 0%
        ("percent-mismatch", "0%", "0.51%"),
        # the parts 0.84 + 163.68 + 0 + 0 exceed the stated 163.68
        ("sum-mismatch", "163.68", "164.52"),
    ]
    assert not [f for f in report.findings if f.severity.value == "warning"]


def test_every_finding_names_its_place():
    for prefix in ("000", "001", "002", "003", "004"):
        for f in _audit(prefix).findings:
            loc = f.location
            assert loc.file
            assert loc.line or loc.table or loc.quote, f
