"""Bad input: each gives a Chinese message naming the place, never a traceback."""

from __future__ import annotations

import textwrap

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao import api
from jixiao.cli.main import app
from jixiao.core.findings import InputError

GOOD = """
department: 测试单位
year: 2024
summary: {general_budget: 10.00, income_total: 10.00, income_sum: 10.00, classes: {"206": 10.00},
          expense_total: 10.00, expense_sum: 10.00}
income:
  total: {total: 10.00, fiscal: 10.00}
  rows:
    - {code: "206", name: 科学技术支出, total: 10.00, fiscal: 10.00}
    - {code: "20601", name: 科学技术管理事务, total: 10.00, fiscal: 10.00}
    - {code: "2060101", name: 行政运行, total: 10.00, fiscal: 10.00}
"""


def _write(tmp_path, text, name="accounts.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def _refused(path):
    with pytest.raises(InputError) as caught:
        api.load_accounts(path)
    return caught.value.findings


def _cli(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_malformed_yaml(tmp_path):
    path = _write(
        tmp_path,
        GOOD.replace("  total: {total: 10.00, fiscal: 10.00}", "  total: {total: 10.00, fiscal: 10.00"),
    )
    (f,) = _refused(path)
    assert f.code == "syntax-error"
    assert f.location.line is not None
    result = _cli("check", path)
    assert result.exit_code == 2
    assert "YAML 语法错误" in result.output


def test_text_in_a_number_cell(tmp_path):
    path = _write(tmp_path, GOOD.replace("name: 行政运行, total: 10.00", "name: 行政运行, total: 十万"))
    (f,) = _refused(path)
    assert f.code == "invalid-number"
    assert "“十万”不是金额" in f.message
    assert f.location.table == "公开02表（收入决算表）"
    assert f.location.row == "2060101 行政运行"
    assert f.location.column == "本年收入合计"
    assert f.location.line == 10
    result = _cli("check", path)
    assert result.exit_code == 2
    assert "第10行" in result.output
    assert "行“2060101 行政运行”" in result.output


def test_wrong_unit_for_the_file(tmp_path):
    path = _write(tmp_path, GOOD.replace("year: 2024", "year: 2024\nunit: 元"))
    (f,) = _refused(path)
    assert f.code == "invalid-value"
    assert "金额单位" in f.message
    assert "万元" in f.message
    assert f.location.line == 3


def test_wrong_unit_in_a_cell(tmp_path):
    path = _write(
        tmp_path, GOOD.replace("summary: {general_budget: 10.00", "summary: {general_budget: 100000元")
    )
    (f,) = _refused(path)
    assert f.code == "invalid-number"
    assert "单位不是万元" in f.message
    assert "请换算为万元" in f.message
    assert f.location.row == "一、一般公共预算财政拨款收入（第1行）"


def test_a_unit_written_in_the_cell_is_read_when_it_is_wanyuan(tmp_path):
    path = _write(
        tmp_path, GOOD.replace("summary: {general_budget: 10.00", "summary: {general_budget: 10.00万元")
    )
    assert api.load_accounts(path).accounts.summary.general_budget == 10


def test_negative_amount(tmp_path):
    path = _write(tmp_path, GOOD.replace("expense_total: 10.00", "expense_total: -10.00"))
    (f,) = _refused(path)
    assert f.code == "negative-amount"
    assert f.location.row == "本年支出合计（第58行）"


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('code: "2060101"', 'code: "206010"', "不是有效的功能分类科目编码"),
        ('code: "20601", name: 科学技术管理事务', 'code: "206", name: 科学技术支出', "出现了两次"),
        ('classes: {"206": 10.00}', 'classes: {"20601": 10.00}', "不是类级科目"),
        ("year: 2024", "year: 二〇二四", "整数"),
        ("department: 测试单位", "department: 测试单位\ncolour: red", "未知字段"),
    ],
)
def test_bad_values_are_named(tmp_path, old, new, words):
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    findings = _refused(path)
    assert any(words in f.message for f in findings), [f.message for f in findings]
    assert all(f.location.line for f in findings)


def test_empty_table(tmp_path):
    path = _write(tmp_path, GOOD + "expense: ~\n")
    report = api.check_accounts(api.load_accounts(path))
    empty = [f for f in report.findings if f.code == "accounts-empty-table"]
    assert "公开03表（支出决算表）没有任何数据" in [f.message for f in empty]
    result = _cli("check", path)
    assert result.exit_code == 1
    assert "公开03表（支出决算表）没有任何数据" in result.output


def test_structure_findings(tmp_path):
    text = GOOD.replace('    - {code: "20601", name: 科学技术管理事务, total: 10.00, fiscal: 10.00}\n', "")
    text = text.replace("name: 行政运行", "name: 行政运转")
    text += 'basic: {items: {"30201": 1.234, "30298": 1}}\n'
    report = api.check_accounts(api.load_accounts(_write(tmp_path, text)))
    codes = {(f.code, f.location.row) for f in report.findings}
    assert ("accounts-missing-parent", "2060101 行政运行") in codes
    assert ("accounts-code-name", "2060101 行政运行") in codes
    assert ("accounts-precision", "30201 办公费") in codes
    assert ("accounts-unknown-code", "30298") in codes


def test_unsupported_format_and_missing_file(tmp_path):
    (f,) = _refused(tmp_path / "accounts.csv")
    assert f.code == "unsupported-format"
    (f,) = _refused(tmp_path / "none.yaml")
    assert f.code == "file-not-found"
    result = _cli("check", tmp_path / "none.yaml")
    assert result.exit_code == 2
    assert "找不到文件" in result.output


def _seed_workbook(seed, tmp_path):
    path = tmp_path / "accounts.xlsx"
    api.write_accounts(seed.accounts, path)
    return path


def test_missing_sheet_in_excel(seed, tmp_path):
    path = _seed_workbook(seed, tmp_path)
    wb = load_workbook(path)
    del wb["公开06表"]
    wb.save(path)
    (f,) = _refused(path)
    assert f.code == "invalid-structure"
    assert "缺少工作表“一般公共预算财政拨款基本支出决算明细表”" in f.message
    result = _cli("check", path)
    assert result.exit_code == 2


def test_text_in_an_excel_number_cell(seed, tmp_path):
    path = _seed_workbook(seed, tmp_path)
    wb = load_workbook(path)
    ws = wb["公开02表"]
    assert ws["B10"].value == "行政运行"
    ws["C10"] = "一百八十七"
    wb.save(path)
    (f,) = _refused(path)
    assert f.code == "invalid-number"
    assert (f.location.sheet, f.location.field) == ("公开02表", "C10")
    assert f.location.row == "2060101 行政运行"
    result = _cli("check", path)
    assert "工作表“公开02表”" in result.output
    assert "C10" in result.output


def test_wrong_unit_in_an_excel_sheet(seed, tmp_path):
    path = _seed_workbook(seed, tmp_path)
    wb = load_workbook(path)
    ws = wb["公开05表"]
    ws.cell(3, ws.max_column, "单位：元")
    wb.save(path)
    (f,) = _refused(path)
    assert f.code == "invalid-value"
    assert f.location.sheet == "公开05表"
    assert "万元" in f.message


def test_excel_header_changed(seed, tmp_path):
    path = _seed_workbook(seed, tmp_path)
    wb = load_workbook(path)
    wb["公开03表"]["E5"] = "项目经费"
    wb.save(path)
    (f,) = _refused(path)
    assert f.location.sheet == "公开03表"
    assert f.location.field == "E5"
    assert "应为“项目支出”" in f.message


def test_not_a_workbook(tmp_path):
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(b"not a zip file")
    (f,) = _refused(path)
    assert f.code == "syntax-error"
    assert "Excel" in f.message


@pytest.mark.parametrize(
    ("items", "flagged"),
    [
        # sub-cent terms adding up to whole cents: each is still flagged
        ('{"30201": 0.005, "30202": 0.005}', {"30201 办公费", "30202 印刷费"}),
        # a sum too long to be exact: the sub-cent digits would be rounded away
        ('{"30201": 999999999999999, "30202": 0.000000000000001}', {"30202 印刷费"}),
        # a trailing zero is not more precision
        ('{"30201": 2.200, "30202": 1}', set()),
    ],
)
def test_every_amount_below_the_cent_is_flagged(tmp_path, items, flagged):
    report = api.check_accounts(api.load_accounts(_write(tmp_path, GOOD + f"basic: {{items: {items}}}\n")))
    got = {f.location.row for f in report.findings if f.code == "accounts-precision"}
    assert got == flagged
