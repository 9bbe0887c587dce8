"""The 情况说明: generated from the tables in seed 001's wording, and a department's own
text checked figure by figure."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from jixiao import api
from jixiao.check.accounts.explanation import check_text
from jixiao.cli.main import app

#: Sentences of seed 001's published 情况说明 (copied from the seed, not from the program):
#: the generated text must contain each of them.
PUBLISHED = [
    "2024年度收、支总计均为741.64万元。与上年度相比，收、支总计各减少70.14万元，下降8.64%。",
    "2024年度收入合计741.64万元，其中：财政拨款收入741.64万元，占100.00%。",
    "2024年度支出合计741.64万元，其中：基本支出599.20万元，占80.79%；项目支出142.44万元，占19.21%。",
    "2024年度财政拨款收、支总计均为741.64万元。与上年度相比，财政拨款收、支总计各减少70.14万元，下降8.64%。",
    "2024年度一般公共预算财政拨款支出741.64万元，占支出合计的100.00%。",
    "科学技术（类）支出538.43万元，占72.60%；社会保障和就业（类）支出168.39万元，占22.71%；"
    "卫生健康（类）支出31.83万元，占4.29%；农林水（类）支出2.99万元，占0.40%。",
    "2024年度一般公共预算财政拨款支出年初预算为667.77万元，支出决算为741.64万元，完成年初预算的111.06%。",
    "科学技术支出（类）科学技术管理事务（款）行政运行（项）。年初预算为161.20万元，支出决算为187.40万元，"
    "完成年初预算的116.25%。决算数与年初预算数存在差异的主要原因是本年度行政人员工资增加。",
    "年初预算为49.90万元，支出决算为98.80万元，完成年初预算的198.00%。",
    "年初预算为40.65万元，支出决算为40.65万元，完成年初预算的100.00%。决算数与年初预算数无差异。",
    "年初预算为1.19万元，支出决算为0.98万元，完成年初预算的82.35%。",
    "2024年度一般公共预算财政拨款基本支出599.20万元。其中：人员经费562.92万元，主要包括：基本工资、津贴补贴、"
    "奖金、绩效工资、机关事业单位基本养老保险缴费、职工基本医疗保险缴费、公务员医疗补助缴费、其他社会保障缴费、"
    "住房公积金、离休费、退休费；公用经费36.28万元，主要包括：办公费、印刷费、差旅费、劳务费、工会经费、福利费、"
    "公务用车运行维护费、其他交通费用、税金及附加费用、其他商品和服务支出。",
    "2024年度政府性基金预算财政拨款支出年初预算为0万元，支出决算为0万元，完成年初预算的0%。",
    "2024年度一般公共预算财政拨款“三公”经费支出预算为2.60万元，支出决算为2.46万元，完成预算的94.62%。",
    "因公出国（境）费支出决算0万元，完成预算的0%，占0%；公务用车购置及运行费支出决算2.20万元，完成预算的100.00%，"
    "占89.43%；公务接待费支出决算0.26万元，完成预算的65.00%，占10.57%。",
    "公务接待费预算为0.40万元，支出决算为0.26万元，完成预算的65.00%。",
    "2024年度机关运行经费支出36.28万元，比2023年度增加0.06万元，增长0.17%。",
    "授予中小企业合同金额0.63万元，占政府采购支出总额的100.00%，其中：授予小微企业合同金额0.63万元，"
    "占授予中小企业合同金额的100.00%。",
    "2024年期末，我部门共有车辆2辆，其中：省级领导干部用车0辆、主要领导干部用车0辆、机要通信用车0辆、应急保障车1辆、"
    "执法执勤用车0辆、特种专业技术用车1辆、离退休干部用车0辆、其他用车0辆；单位价值100万元（含）以上设备0台（套）。",
    "其中，项目8个，共涉及资金143.55万元，占一般公共预算项目支出总额的100.78%。",
    "项目全年预算数为30万元，执行数为26.6万元，完成预算的88.67%。",
]

#: The percentages seed 001 prints, each of which the generated text must reproduce.
PERCENTAGES = [
    "80.79%", "19.21%", "72.60%", "22.71%", "4.29%", "0.40%", "116.25%", "94.62%",
    "89.43%", "10.57%", "65.00%", "111.06%", "8.64%", "87.93%", "124.24%", "104.85%",
    "106.36%", "103.57%", "95.88%", "98.79%", "0.17%", "100.78%", "99.67%",
]  # fmt: skip


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_generated_text_has_the_published_sentences(seed):
    text = _flat(api.explain_accounts(seed.accounts).text())
    missing = [s for s in PUBLISHED if _flat(s) not in text]
    assert not missing


def test_generated_text_reproduces_the_printed_percentages(seed):
    text = api.explain_accounts(seed.accounts).text()
    printed = set(re.findall(r"\d+(?:\.\d+)?%", text))
    assert set(PERCENTAGES) <= printed


def test_generated_text_has_the_thirteen_sections(seed):
    explanation = api.explain_accounts(seed.accounts)
    assert [s.id for s in explanation.sections] == [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
    ]  # fmt: skip


def test_item_without_initial_budget_has_no_completion_rate(seed):
    # seed 001, item 12: 年初预算为0万元 — the published text gives no percentage
    text = _flat(api.explain_accounts(seed.accounts).text())
    assert "年初预算为0万元，支出决算为2.99万元。决算数与年初预算数存在差异" in text


def test_the_published_text_against_the_tables(seed, seed_text_path):
    report = api.check_accounts(seed, text=seed_text_path.read_text(encoding="utf-8"), text_file="说明.txt")
    text_findings = [f for f in report.findings if f.code.startswith("accounts-text")]
    assert [(f.code, f.location.line) for f in text_findings if f.severity.value != "note"] == [
        ("accounts-text-name", 71)
    ]
    name = next(f for f in text_findings if f.code == "accounts-text-name")
    assert name.printed == "农林水支出（类）巩固脱贫衔接乡村振兴（款）其他扶贫支出（项）"
    assert (
        name.expected
        == "农林水支出（类）巩固脱贫攻坚成果衔接乡村振兴（款）其他巩固脱贫攻坚成果衔接乡村振兴支出（项）"
    )
    unchecked = [f for f in text_findings if f.code == "accounts-text-unchecked"]
    # the 机关运行经费 reason's own figures, the 1—9月 paragraph, 时序进度, the projects' score rates
    assert "1.53万元" in unchecked[0].message
    assert any("140.14万元" in f.message for f in unchecked)
    assert not any("741.64" in f.message or "8.64%" in f.message for f in unchecked)


def test_generated_text_checks_clean(seed):
    text = api.explain_accounts(seed.accounts).text()
    findings = check_text(seed.accounts, text)
    assert [f for f in findings if f.severity.value != "note"] == []


def _mutate(seed_text: str, old: str, new: str) -> str:
    assert seed_text.count(old) >= 1, old
    return seed_text.replace(old, new, 1)


def test_wrong_figures_in_the_text_are_errors(seed, seed_text_path):
    published = seed_text_path.read_text(encoding="utf-8")
    cases = [
        ("下降8.64%", "下降8.46%", "8.46%", "8.64%"),
        ("基本支出599.20万元，占80.79%", "基本支出599.20万元，占80.97%", "80.97%", "80.79%"),
        ("科学技术（类）支出538.43万元", "科学技术（类）支出538.34万元", "538.34", "538.43"),
        ("完成年初预算的116.25%", "完成年初预算的116.52%", "116.52%", "116.25%"),
        ("占89.43%", "占89.34%", "89.34%", "89.43%"),
        ("共有车辆2辆", "共有车辆3辆", "3", "2"),
        ("收、支总计各减少70.14万元", "收、支总计各增加70.14万元", "增加", "减少"),
        ("2024年度收、支总计均为741.64万元", "2023年度收、支总计均为741.64万元", "2023", "2024"),
    ]
    for old, new, printed, expected in cases:
        findings = check_text(seed.accounts, _mutate(published, old, new), file="说明.txt")
        errors = [f for f in findings if f.severity.value == "error"]
        assert [(f.code, f.printed, f.expected) for f in errors] == [
            ("accounts-text-mismatch", printed, expected)
        ], old
        assert errors[0].location.quote
        assert errors[0].location.line


def test_without_last_year_the_change_is_checked_against_itself(seed, seed_text_path):
    published = seed_text_path.read_text(encoding="utf-8")
    data = seed.accounts.model_dump()
    data["narrative"]["previous"] = {}
    accounts = type(seed.accounts).model_validate(data)
    findings = check_text(accounts, published)
    assert not [f for f in findings if f.severity.value == "error"]
    assert any(f.code == "accounts-text-unverifiable" and f.printed == "70.14" for f in findings)
    # 70.14 / (741.64 + 70.14) = 8.64%: a wrong rate contradicts its own sentence
    wrong = check_text(accounts, published.replace("下降8.64%", "下降9.64%", 1))
    errors = [f for f in wrong if f.severity.value == "error"]
    assert {(f.code, f.printed, f.expected) for f in errors} == {
        ("accounts-text-inconsistent", "9.64%", "8.64%")
    }


def test_a_claim_of_no_fund_spending_is_checked(seed):
    data = seed.accounts.model_dump()
    data["fund"] = {"total": {"total": 5, "project": 5}, "rows": [], "note": ""}
    accounts = type(seed.accounts).model_validate(data)
    text = (
        "七、政府性基金预算财政拨款支出决算情况说明\n"
        "我部门2024年度没有政府性基金收入，也没有使用政府性基金安排的支出。"
    )
    findings = check_text(accounts, text)
    assert [f.code for f in findings if f.severity.value == "error"] == ["accounts-text-mismatch"]


def test_cli_explain_writes_the_text(seed_path, tmp_path):
    out = tmp_path / "说明.txt"
    result = CliRunner().invoke(app, ["explain", str(seed_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("一、收入支出决算总体情况说明")
    assert "完成年初预算的111.06%" in text


def test_cli_check_with_text(seed_path, seed_text_path):
    result = CliRunner().invoke(app, ["check", str(seed_path), "--text", str(seed_text_path)])
    assert result.exit_code == 0, result.output
    assert "其他扶贫支出" in result.output
