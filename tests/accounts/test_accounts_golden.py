"""Golden tests on seed 001 (新乡市科学技术协会 2024年度部门决算) as transcribed.

The expected results below were worked out by hand from the published tables, not taken
from the program's output: the published 公开02/03/05表 print 21011 行政事业单位医疗 as 31.83
while its three 项 add up to 31.82 (6.97 + 9.32 + 15.53); 公开06表 prints 301 as 433.53
(its 款 add up to 433.52) and 302 as 36.28 (its 款 add up to 36.30). Everything else adds
up exactly.
"""

from __future__ import annotations

import json
from decimal import Decimal

from typer.testing import CliRunner

from jixiao.cli.main import app
from jixiao.core.findings import Severity

D = Decimal

#: (rule, row, column) -> (status, left, right): every instance that does not simply hold.
EXPECTED_NOT_PASSING = {
    # rounding tails: the 款 21011 against its three 项, in each column that prints it
    ("T02-TREE", "21011", "total"): ("tail", D("31.83"), D("31.82")),
    ("T02-TREE", "21011", "fiscal"): ("tail", D("31.83"), D("31.82")),
    ("T03-TREE", "21011", "total"): ("tail", D("31.83"), D("31.82")),
    ("T03-TREE", "21011", "basic"): ("tail", D("31.83"), D("31.82")),
    ("T05-TREE", "21011", "total"): ("tail", D("31.83"), D("31.82")),
    ("T05-TREE", "21011", "basic"): ("tail", D("31.83"), D("31.82")),
    # 公开06表: 类 against its 款
    ("T06-TREE", "301", None): ("tail", D("433.53"), D("433.52")),
    ("T06-TREE", "302", None): ("tail", D("36.28"), D("36.30")),
    # items whose 决算 is more than 10% off the 年初预算: the text gives a reason for each
    ("W-BUDGET-ITEM", "2060101", None): ("explained", D("26.20"), D("16.120")),  # 187.40 vs 161.20
    ("W-BUDGET-ITEM", "2060199", None): ("explained", D("29.05"), D("24.063")),  # 211.58 vs 240.63
    ("W-BUDGET-ITEM", "2060702", None): ("explained", D("48.90"), D("4.990")),  # 98.80 vs 49.90
    ("W-BUDGET-ITEM", "2080501", None): ("explained", D("22.48"), D("9.274")),  # 115.22 vs 92.74
    ("W-BUDGET-ITEM", "2089999", None): ("explained", D("0.21"), D("0.119")),  # 0.98 vs 1.19
    ("W-BUDGET-ITEM", "2130599", None): ("explained", D("2.99"), D("0")),  # 2.99 vs 0
    # “其他” 项 (2060199 + 2089999 + 2130599 = 215.55) above 20% of 741.64
    ("W-OTHER-SHARE", None, None): ("fail", D("215.55"), D("148.328")),
    # no data for these
    ("Y1-OPENING", None, None): ("skip", None, None),
    ("W-THREE-PUBLIC-PREVIOUS", None, None): ("skip", D("2.46"), None),
}


def test_every_instance_that_does_not_hold_is_the_expected_one(seed_report):
    found = {
        (o.rule, o.row, o.column): (o.status, o.left, o.right)
        for o in seed_report.outcomes
        if o.status not in ("pass", "empty")
    }
    assert found == EXPECTED_NOT_PASSING


def test_tails_count_their_printed_terms(seed_report):
    # 21011 and its three 项: 4 printed figures, tolerance 0.02; 301 and 9 款: 10, 0.05
    assert seed_report.outcome("T02-TREE", "21011", "total").terms == 4
    assert seed_report.outcome("T06-TREE", "301").terms == 10
    assert seed_report.outcome("T06-TREE", "302").terms == 11
    tails = [f for f in seed_report.findings if f.code == "accounts-rounding-tail"]
    assert len(tails) == 8
    assert all(f.severity is Severity.note for f in tails)
    t301 = next(f for f in tails if f.location.row == "301 工资福利支出")
    assert (t301.printed, t301.expected) == ("433.53", "433.52")
    assert "0.05" in t301.message
    assert "四舍五入尾差" in t301.message


#: Figures of the seed that hold, with both sides as printed.
RIGHT = [
    ("T01-INCOME", None, None, "741.64", "741.64"),
    ("T01-EXPENSE", None, None, "741.64", "741.64"),  # 538.43 + 168.39 + 31.83 + 2.99
    ("T01-BALANCE", None, None, "741.64", "741.64"),
    ("T02-TREE", "206", "total", "538.43", "538.43"),  # 398.98 + 139.45
    ("T02-TREE", "20805", "fiscal", "167.41", "167.41"),  # 115.22 + 16.22 + 35.97
    ("T02-TOTAL", None, "total", "741.64", "741.64"),
    ("T03-ROW", "total", None, "741.64", "741.64"),  # 599.20 + 142.44
    ("T03-ROW", "206", None, "538.43", "538.43"),  # 398.98 + 139.45
    ("T03-TOTAL", None, "basic", "599.20", "599.20"),  # 398.98 + 168.39 + 31.83
    ("T03-TOTAL", None, "project", "142.44", "142.44"),  # 139.45 + 2.99
    ("T04-ROW", "206", None, "538.43", "538.43"),
    ("T04-EXPENSE", None, "general", "741.64", "741.64"),
    ("T04-BALANCE", None, None, "741.64", "741.64"),
    ("T05-TREE", "20607", "project", "139.45", "139.45"),  # 98.80 + 40.65
    ("T06-TREE", "303", None, "129.39", "129.39"),  # 18.89 + 110.50
    ("T06-PERSONNEL", None, None, "562.92", "562.92"),  # 433.53 + 129.39
    ("T06-PUBLIC", None, None, "36.28", "36.28"),
    ("T09-SUM", "budget", None, "2.60", "2.60"),  # 0.00 + 2.20 + 0.40
    ("T09-SUM", "actual", None, "2.46", "2.46"),  # 0.00 + 2.20 + 0.26
    ("T09-VEHICLE", "actual", None, "2.20", "2.20"),
    ("X1-FISCAL", None, None, "741.64", "741.64"),
    ("X2-CLASS", "210", None, "31.83", "31.83"),
    ("X3-CLASS", "213", None, "2.99", "2.99"),
    ("X4-BASIC", None, None, "599.20", "599.20"),  # 562.92 + 36.28
    ("X6-RECEPTION", None, None, "0", "0.26"),  # 30217 empty ≤ 0.26
    ("X6-VEHICLE-RUNNING", None, None, "2.20", "2.20"),
    ("N-BUDGET-TOTAL", None, None, "667.77", "667.77"),  # the twelve items' 年初预算
    ("N-PROCUREMENT", None, None, "0.63", "0.63"),
    ("W-BUDGET-ITEM", "2060705", None, "0.00", "4.065"),  # 40.65 = 40.65
    ("W-OFFICE-RUNNING", None, None, "36.28", "36.28"),
    ("W-THREE-PUBLIC-BUDGET", None, "reception", "0.26", "0.40"),
]


def test_the_right_figures_hold(seed_report):
    for rule, row, column, left, right in RIGHT:
        o = seed_report.outcome(rule, row, column)
        assert o is not None, (rule, row, column)
        assert o.status == "pass", (rule, row, column, o.status)
        assert (o.left, o.right) == (D(left), D(right)), (rule, row, column)


def test_printed_empty_rows_stay_empty(seed_report, seed):
    # 公开05表 prints 20808 抚恤 and 2080801 死亡抚恤 with empty cells
    row = next(r for r in seed.accounts.general.rows if r.code == "20808")
    assert (row.total, row.basic, row.project) == (None, None, None)
    assert seed_report.outcome("T05-TREE", "20808", "total").status == "empty"
    # the “三公” table prints written zeros: they are zeros, not empty cells
    assert seed.accounts.three_public.actual.abroad == 0
    assert seed.accounts.three_public.actual.abroad is not None


def test_every_rule_ran(seed_report):
    from jixiao.check.formulas.ruleset import builtin_rules

    ran = {o.rule for o in seed_report.outcomes}
    # the fund and capital tables are empty: their tree rules have no rows to run on
    assert set(builtin_rules().ids()) - ran == {"T07-TREE", "T08-TREE"}
    assert not any(o.status == "crash" for o in seed_report.outcomes)


def test_findings_of_the_seed(seed_report):
    flat = sorted((f.severity.value, f.code, f.location.row or "") for f in seed_report.findings)
    assert [f for f in flat if f[0] != "note"] == [("warning", "accounts-reasonableness", "")]
    notes = [f for f in flat if f[0] == "note"]
    assert len(notes) == 14  # 8 tails + 6 explained deviations
    explained = [f for f in seed_report.findings if f.explanation]
    assert {f.explanation for f in explained} >= {"本年度行政人员工资增加", "此项目预算，不在我单位申报"}
    assert all(f.message.startswith("（已说明）") for f in explained)


def test_cli_check_on_the_seed(seed_path):
    result = CliRunner().invoke(app, ["check", str(seed_path)])
    assert result.exit_code == 0, result.output
    assert "新乡市科学技术协会 2024年度部门决算" in result.output
    assert "错误 0 个，警告 1 个，提示 14 个" in result.output


def test_cli_check_json_on_the_seed(seed_path):
    result = CliRunner().invoke(app, ["check", str(seed_path), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["statuses"]["tail"] == 8
    assert {(o["rule"], o["row"]) for o in data["outcomes"] if o["status"] == "tail"} >= {
        ("T06-TREE", "301"),
        ("T06-TREE", "302"),
    }
    codes = [f["code"] for f in data["findings"]]
    assert codes.count("accounts-rounding-tail") == 8


def test_cli_check_streams_many_files_and_folders(seed_path, tmp_path):
    folder = tmp_path / "决算"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(seed_path.read_bytes())
    (folder / "b.yaml").write_text("department: [\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(seed_path), str(folder)])
    assert result.output.count("新乡市科学技术协会 2024年度部门决算") == 2
    assert "b.yaml：无法读取" in result.output
    assert "共 3 个文件，2 个部门，其中有错误的 0 个；错误 0 个，警告 2 个，提示 28 个" in result.output
    assert result.exit_code == 2  # no errors, but a file could not be read
    as_json = CliRunner().invoke(app, ["check", "--json", str(folder)])
    data = json.loads(as_json.output)
    assert [d.get("department") for d in data] == ["新乡市科学技术协会", None]
    assert data[0]["statuses"]["tail"] == 8  # the single file's object, as a list item
    assert data[1]["input_errors"][0]["code"] == "syntax-error"


def test_cli_check_text_goes_with_one_file_only(seed_path, seed_text_path):
    result = CliRunner().invoke(app, ["check", str(seed_path), str(seed_path), "--text", str(seed_text_path)])
    assert result.exit_code == 2
    assert "只能与一个部门决算文件一起使用" in result.output
