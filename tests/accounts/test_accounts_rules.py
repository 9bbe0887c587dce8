"""The rules engine: expressions, missing cells, rounding tails, 出错说明, crashing rules, and
user rule files (refused with their line when wrong)."""

from __future__ import annotations

import dataclasses
import textwrap
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from jixiao import api
from jixiao.check.formulas import evaluate, expr
from jixiao.check.formulas.ruleset import Outcome, RuleSet, builtin_rules, run
from jixiao.cli.main import app
from jixiao.core.findings import InputError
from jixiao.model.accounts_grid import build
from jixiao.read.accounts.reader import from_data

#: One income table, as a department would write it: 20601 prints 100.01 while its two
#: 项 add up to 100.00 (n = 3 printed figures on the two sides: tolerance 0.015, a tail);
#: 20607 prints 50.02 while its one 项 is 50.00 (n = 2: tolerance 0.01, an error).
INCOME = """
department: 测试单位
year: 2024
income:
  total: {total: 150.03, fiscal: 150.03}
  rows:
    - {code: "206", total: 150.03, fiscal: 150.03}
    - {code: "20601", total: 100.01, fiscal: 100.01}
    - {code: "2060101", total: 60.00, fiscal: 60.00}
    - {code: "2060199", total: 40.00, fiscal: 40.00}
    - {code: "20607", total: 50.02, fiscal: 50.02}
    - {code: "2060702", total: 50.00, fiscal: 50.00}
basic:
  items: {"302": 1.00, "30201": 1.00}
"""


def _accounts(text: str):
    import yaml

    from jixiao.read.structured import _DecimalLoader

    return from_data(yaml.load(textwrap.dedent(text), Loader=_DecimalLoader))


def _outcomes(acc, rules=None):
    findings, records = run(rules or builtin_rules(), acc, build(acc))
    return findings, {(o.rule, o.row, o.column): o for o in map(Outcome._make, records)}


def test_a_tail_within_n_times_half_a_cent_is_a_note_beyond_it_an_error():
    findings, out = _outcomes(_accounts(INCOME), builtin_rules().select(["T02"]))
    assert out[("T02-TREE", "20601", "total")].status == "tail"  # 0.01 ≤ 3 × 0.005
    assert out[("T02-TREE", "20601", "total")].terms == 3
    assert out[("T02-TREE", "20607", "total")].status == "fail"  # 0.02 > 2 × 0.005
    assert out[("T02-TREE", "20607", "total")].terms == 2
    assert out[("T02-TREE", "206", "total")].status == "pass"
    by_code = {(f.code, f.location.row) for f in findings if f.location.column == "本年收入合计"}
    assert by_code == {
        ("accounts-rounding-tail", "20601 科学技术管理事务"),
        ("accounts-sum-mismatch", "20607 科学技术普及"),
    }


def test_an_empty_cell_and_a_written_zero_differ():
    rules_text = """
    rules:
      - {id: U-SKIP, title: 跳过, left: "basic[30217]", op: "=", right: "0", missing: skip, message: "{left}"}
      - {id: U-ZERO, title: 记零, left: "basic[30217]", op: "=", right: "0", missing: zero, message: "{left}"}
    """
    rules = _rules(rules_text)
    empty = _accounts(INCOME)
    _, out = _outcomes(empty, rules)
    assert out[("U-SKIP", None, None)].status == "skip"
    assert out[("U-ZERO", None, None)].status == "empty"  # holds, nothing printed
    written = _accounts(INCOME.replace('"30201": 1.00', '"30201": 1.00, "30217": 0'))
    _, out = _outcomes(written, rules)
    assert out[("U-SKIP", None, None)].status == "pass"
    assert out[("U-SKIP", None, None)].terms == 1
    assert written.basic.items["30217"] == 0


def _rules(text: str) -> RuleSet:
    from jixiao.check.formulas.ruleset import compile_rules
    from jixiao.read.structured import parse

    return compile_rules(parse(textwrap.dedent(text), "rules.yaml"))


def test_an_explained_failure_is_kept_as_a_note_with_its_explanation():
    text = INCOME + textwrap.dedent("""
    explanations:
      "T02-TREE:20607:total": 系统导出时四舍五入方式不同，已与财政部门核对。
      "T02-ROW": 此说明用不上。
      "NO-SUCH-RULE": 无此规则。
    """)
    findings, out = _outcomes(_accounts(text), builtin_rules().select(["T02"]))
    assert out[("T02-TREE", "20607", "total")].status == "explained"
    explained = [f for f in findings if f.explanation]
    assert len(explained) == 1
    assert explained[0].severity.value == "note"
    assert explained[0].code == "accounts-sum-mismatch"
    assert explained[0].message.startswith("（已说明）")
    # the fiscal column of the same row is not explained: still an error
    assert out[("T02-TREE", "20607", "fiscal")].status == "fail"
    codes = {f.code for f in findings}
    assert {"accounts-explanation-unused", "accounts-explanation-unknown"} <= codes


def test_a_crashing_rule_becomes_an_internal_error_and_the_others_run():
    good = builtin_rules().get("T02-ROW")

    def boom(grid, append, fail):
        raise ZeroDivisionError("测试")

    bad = dataclasses.replace(builtin_rules().get("T02-TREE"), plan=boom)
    findings, out = _outcomes(_accounts(INCOME), RuleSet((bad, good)))
    crash = [f for f in findings if f.code == "internal-error"]
    assert len(crash) == 1
    assert "T02-TREE" in crash[0].message
    assert out[("T02-TREE", None, None)].status == "crash"
    assert out[("T02-ROW", "206", None)].status == "pass"


def test_rules_are_selected_by_id_or_tag():
    rules = builtin_rules()
    assert set(rules.select(["T09"]).ids()) == {"T09-SUM", "T09-VEHICLE"}
    assert "W-OTHER-SHARE" not in rules.select(skip=["reasonableness"]).ids()
    assert rules.select(["X6-ABROAD"]).ids() == ["X6-ABROAD"]


# --------------------------------------------------------------------------- expressions


@pytest.mark.parametrize(
    ("text", "scope", "message", "pos"),
    [
        ("income[206", expr.Scope(), "此处应为“]”", 10),
        ("1 +", expr.Scope(), "此处应为数字、单元格或函数", 3),
        ("收入[1]", expr.Scope(), "无法识别的字符“收”", 0),
        ("incme[206].total", expr.Scope(), "没有名为“incme”的表", 0),
        ("income[206].foo", expr.Scope(), "没有列“foo”", 0),
        ("income[totl].total", expr.Scope(), "没有行“totl”", 7),
        ("income[2060].total", expr.Scope(), "不是有效的支出功能分类科目编码", 7),
        ("income[@].total", expr.Scope(), "“@”只能用在写了逐行范围（each）的规则中", 7),
        ("income[206].$", expr.Scope(), "“$”只能用在写了逐列范围（columns）的规则中", 0),
        ("income[children(206)].total", expr.Scope(), "多行的引用只能用在 sum() 或 count() 中", 0),
        ("sum(1)", expr.Scope(), "sum() 的参数应为单元格集合", 0),
        ("fiscal[206]", expr.Scope(), "请写明列名", 0),
        ("avg(income[206].total)", expr.Scope(), "未知函数“avg”", 0),
        ("sum(basic[level(3)])", expr.Scope(), "level() 的参数应为 1 到 2", 10),
    ],
)
def test_expression_mistakes_are_named_with_their_position(text, scope, message, pos):
    with pytest.raises(expr.ExprError) as caught:
        expr.check(expr.parse(text), scope)
    assert message in caught.value.message
    assert caught.value.pos == pos


def test_expressions_evaluate_sums_over_code_prefixes():
    acc = _accounts(INCOME)
    grid = build(acc)
    node = expr.parse('sum(income[like("20601??")].total) + income[20607].fiscal - 10% * income[total].total')
    expr.check(node, expr.Scope())
    value, terms = evaluate.compile_expr(node, zero=True)(grid, None, None)
    assert value == Decimal("60.00") + Decimal("40.00") + Decimal("50.02") - Decimal("15.003")
    assert terms == 4
    under = expr.parse("sum(income[under(206)].total)")
    assert evaluate.compile_expr(under, zero=False)(grid, None, None)[0] == Decimal("300.03")
    count = expr.parse("count(income[level(3)].total)")
    assert evaluate.compile_expr(count, zero=False)(grid, None, None)[0] == 3


# --------------------------------------------------------------------------- rule files


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_a_user_rule_runs_with_its_message(tmp_path, seed_path):
    rules = _write(
        tmp_path,
        "extra.yaml",
        """
        rules:
          - id: LOCAL-THREE-PUBLIC
            title: “三公”经费决算不超过2万元
            left: three_public[actual].total
            op: "≤"
            right: "2"
            severity: warning
            missing: skip
            message: “三公”经费决算 {left} 万元，超过本地限额 {right} 万元
            tags: [local]
        """,
    )
    report = api.check_accounts(
        api.load_accounts(seed_path), rules=api.accounts_rules([rules], only=["local"])
    )
    assert [(f.code, f.severity.value) for f in report.findings if f.code != "accounts-precision"] == [
        ("accounts-rule-violated", "warning")
    ]
    assert "“三公”经费决算 2.46 万元，超过本地限额 2.00 万元" in report.findings[0].message
    result = CliRunner().invoke(app, ["check", str(seed_path), "--rules", str(rules), "--only", "local"])
    assert result.exit_code == 0
    assert "超过本地限额" in result.output


BAD_RULES = [
    (
        """
        rules:
          - id: BAD-TABLE
            title: 表名写错
            left: incme[206].total
            op: "="
            right: "0"
            missing: zero
            message: x
        """,
        4,
        "invalid-value",
        "没有名为“incme”的表",
    ),
    (
        """
        rules:
          - id: BAD-SYNTAX
            title: 少了右边
            left: income[206].total
            op: "="
            right: income[206].fiscal +
            missing: zero
            message: x
        """,
        6,
        "syntax-error",
        "第21个字符处",
    ),
    (
        """
        rules:
          - id: NO-MISSING
            title: 没写缺数据怎么办
            left: income[206].total
            op: "="
            right: income[206].fiscal
            message: x
        """,
        2,
        "missing-field",
        "missing",
    ),
    (
        """
        rules:
          - id: BAD-OP
            title: 比较符号
            left: income[206].total
            op: "<>"
            right: income[206].fiscal
            missing: zero
            message: x
        """,
        5,
        "invalid-value",
        "比较符号",
    ),
    (
        """
        rules:
          - id: T01-INCOME
            title: 与内置规则重名
            left: income[206].total
            op: "="
            right: income[206].fiscal
            missing: zero
            message: x
        """,
        2,
        "invalid-value",
        "编号重复",
    ),
    (
        """
        rules:
          - id: BAD-FIELD
            title: 消息字段
            left: income[206].total
            op: "="
            right: income[206].fiscal
            missing: zero
            message: "{lft} 不等"
        """,
        8,
        "invalid-value",
        "消息字段",
    ),
    (
        """
        rules:
          - id: BAD-YAML
            title: 名称: 冒号后没有引号
        """,
        3,
        "syntax-error",
        "YAML",
    ),
]


@pytest.mark.parametrize(("text", "line", "code", "words"), BAD_RULES)
def test_a_rule_file_with_a_mistake_is_refused_with_its_line(tmp_path, text, line, code, words):
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(InputError) as caught:
        api.accounts_rules([path])
    found = caught.value.findings[0]
    assert found.code == code
    assert found.location.line == line
    assert words in found.message


def test_cli_refuses_a_bad_rule_file_with_exit_code_2(tmp_path, seed_path):
    path = _write(tmp_path, "bad.yaml", BAD_RULES[0][0])
    result = CliRunner().invoke(app, ["check", str(seed_path), "--rules", str(path)])
    assert result.exit_code == 2
    assert "第4行" in result.output
    assert "没有名为“incme”的表" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_rule_name_in_only_is_refused(seed_path):
    with pytest.raises(InputError) as caught:
        api.accounts_rules(only=["T99"])
    assert "“T99”不是有效的规则编号或标签" in caught.value.findings[0].message
    result = CliRunner().invoke(app, ["check", str(seed_path), "--only", "T99"])
    assert result.exit_code == 2


FIGURES = ["0", "-0", "-0.004", "0.005", "1E+5", "1E-9", "2.200", "123.455", "-123.455", "99999999.995"]


@pytest.mark.parametrize("text", FIGURES)
def test_a_figure_in_a_message_is_written_in_full_rounded_half_up(text: str) -> None:
    from decimal import ROUND_HALF_UP

    from jixiao.check.formulas.ruleset import _show

    value = Decimal(text)
    assert _show(value) == format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    assert "E" not in _show(value)
