"""Framework and rule files written to break the loader (issue defects 7 and 9)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.hostile.helpers import REPO

from jixiao import api
from jixiao.check.formulas import expr
from jixiao.check.formulas.ruleset import load_rules
from jixiao.core.findings import InputError

NATIONAL = REPO / "src" / "jixiao" / "frameworks" / "data" / "national-2020-project.yaml"


def framework(tmp_path: Path, *changes: tuple[str, str], extra: str = "") -> Path:
    text = NATIONAL.read_text(encoding="utf-8").replace("id: national-2020-project", "id: my-fw")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "fw.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "extra", "expected"),
    [
        ((("places: 2,", "places: -5,"),), "", "应≥0"),
        ((("places: 2,", "places: 100000,"),), "", "应≤10"),
        ((("id: my-fw", "id: [a, b]"),), "", "编号（id）应为文字"),
        ((), "grades: []\n", "grades"),
    ],
)
def test_broken_framework_files_are_refused(tmp_path: Path, changes, extra, expected) -> None:
    with pytest.raises(InputError) as info:
        api.catalog([framework(tmp_path, *changes, extra=extra)])
    assert expected in info.value.findings[0].message


RULE = """\
rules:
  - id: my-1
    title: 测试
    left: summary[income_total]
    op: "="
    right: summary[income_total]
    missing: zero
    code: accounts-rule-violated
    message: "{message}"
"""


def rule_file(tmp_path: Path, **fields: str) -> Path:
    text = RULE
    for key, value in fields.items():
        text = text.replace("{" + key + "}", value)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "message", ["{left:>300000000}", "{left:zz}", "{left:.2f}", "{}", "{left!x}", "{left"]
)
def test_rule_message_formats_are_checked_at_load(tmp_path: Path, message: str) -> None:
    with pytest.raises(InputError) as info:
        load_rules(rule_file(tmp_path, message=message))
    assert [f.code for f in info.value.findings] == ["invalid-value"]
    assert "消息" in info.value.findings[0].message


def test_the_same_rule_with_a_plain_message_loads(tmp_path: Path) -> None:
    assert load_rules(rule_file(tmp_path, message="合计 {left:>12} 与 {right}")) is not None


def test_a_sane_rule_message_still_loads() -> None:
    from jixiao.check.formulas.ruleset import message_fields

    assert message_fields("合计 {left:>12} 与 {right} 相差 {diff}") == ({"left", "right", "diff"}, None)


@pytest.mark.parametrize(
    "text",
    ["(" * 300 + "1" + ")" * 300, "+".join(["1"] * 1000), "-" * 500 + "1", "sum(" * 100 + "1" + ")" * 100],
)
def test_expressions_too_deep_or_too_long_are_refused_quickly(text: str) -> None:
    began = time.monotonic()
    with pytest.raises(expr.ExprError):
        expr.parse(text)
    assert time.monotonic() - began < 1
