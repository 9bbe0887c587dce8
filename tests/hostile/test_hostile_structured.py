"""YAML and JSON readers against hostile files: bombs, depth, control characters, keys,
surrogates, and parser messages in Chinese (issue defects 3 and 7)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.hostile.helpers import ACCOUNTS, ALIAS_BOMB, SUBMISSION

from jixiao import api
from jixiao.core.findings import InputError
from jixiao.read.structured import parse


def refused(call, *args):
    with pytest.raises(InputError) as info:
        call(*args)
    return info.value.findings


def test_alias_bomb_is_refused_quickly_in_score_check_and_frameworks(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB + "department: *h\n", encoding="utf-8")
    assert len(ALIAS_BOMB.encode()) < 600
    began = time.monotonic()
    for call in (api.score_file, api.load_accounts, lambda p: api.catalog([p])):
        findings = refused(call, bomb)
        assert "锚点" in findings[0].message
        assert "超过" in findings[0].message
    assert time.monotonic() - began < 10  # 2.5 GB and 30 s each before


def test_a_mistyped_value_is_never_quoted_past_about_a_hundred_characters(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        SUBMISSION.read_text(encoding="utf-8").replace("year: 2024", "year: " + "九" * 5000), "utf-8"
    )
    findings = refused(api.score_file, path)
    assert all(len(f.message) < 300 for f in findings)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_characters_give_a_clean_message_with_the_line(char: str) -> None:
    findings = refused(parse, f"a: 1\nb: x{char}y\n", "x.yaml")
    assert findings[0].location.line == 2
    assert f"U+{ord(char):04X}" in findings[0].message


@pytest.mark.parametrize("name", ["x.yaml", "x.json"])
def test_nesting_depth_1000_is_refused(name: str) -> None:
    findings = refused(parse, "[" * 1000 + "]" * 1000, name)
    assert "嵌套" in findings[0].message


def test_json_nested_beyond_the_recursion_limit_is_refused() -> None:
    assert "嵌套" in refused(parse, "[" * 100_000 + "]" * 100_000, "x.json")[0].message


@pytest.mark.parametrize("text", ["? [1, 2]\n: 3\n", "{[1, 2]: 3}\n", "? {a: 1}\n: 3\n"])
def test_a_list_or_mapping_used_as_a_key_is_refused(text: str) -> None:
    assert "键不能是列表或键值表" in refused(parse, text, "x.yaml")[0].message


def test_recursive_anchor_is_refused() -> None:
    assert "循环引用" in refused(parse, "a: &a [*a]\n", "x.yaml")[0].message


def test_lone_surrogate_in_json_is_refused_before_printing(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"department": "\\ud800", "year": 2024}', encoding="utf-8")
    assert "代理项" in refused(api.score_file, path)[0].message


BROKEN_YAML = [
    "a:\n  b: 1\n c: 2\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "- a\nb: 1\n",
    "a: 'x\n",
    'a: "\\q"\n',
    "a: b: c\n",
    "a:\n\t- 1\n",
    "a: *nope\n",
    "a: &x 1\nb: &x 2\nc: [*x\n",
    "--- 1\n--- 2\n",
    "a: |x\n  t\n",
    "a: @b\n",
    "%YAML 2.0\n---\na: 1\n",
    "? a\n? a\n- b\n",
    "a: !!python/object/apply:os.system ['id']\n",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_parser_messages_are_chinese_with_line_and_column(text: str) -> None:
    finding = refused(parse, text, "x.yaml")[0]
    detail = finding.message.split("：", 1)[1]
    assert finding.location.line is not None
    assert not any(word in detail for word in ("expected", "found", "while", "could not"))
    assert "第" in detail
    assert "列" in detail


def test_accounts_read_the_same_limits(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        ACCOUNTS.read_text(encoding="utf-8") + "\nextra: " + "[" * 500 + "]" * 500 + "\n", "utf-8"
    )
    assert "嵌套" in refused(api.load_accounts, path)[0].message


def test_an_indicator_path_of_a_thousand_levels_is_refused_not_walked(tmp_path: Path) -> None:
    # Found by bench/fuzz.py: a path of 1,003 levels built a tree too deep to walk (RecursionError).
    path = tmp_path / "s.yaml"
    deep = "/".join(["社会效益"] * 1003)
    entry = f"  - {{path: {deep}, weight: 1, target: ≥1个, actual: 1个}}\n"
    path.write_text(SUBMISSION.read_text(encoding="utf-8").replace("stated:\n", entry + "stated:\n"), "utf-8")
    findings = refused(api.score_file, path)
    assert "最多 8 级" in findings[0].message
    assert "1003 级" in findings[0].message
    assert len(findings[0].message) < 300


@pytest.mark.parametrize("escape", ["", "\\ud83d\\ude00"])  # an escaped surrogate pair: every node walked
@pytest.mark.parametrize("inner", ["", "1", "[]", '{"a": 1}'])
def test_json_depth_is_bounded_at_the_same_level_however_it_is_checked(escape: str, inner: str) -> None:
    from jixiao.core import limits

    def nested(levels: int) -> str:
        return f'{{"k{escape}": ' * (levels - 1) + "[" + inner + "]" + "}" * (levels - 1)

    def depth(levels: int) -> int:  # of the deepest value, the root at 1
        return levels + {"": 0, "1": 1, "[]": 1, '{"a": 1}': 2}[inner]

    limit = limits.LIMITS.nesting_depth
    for levels in range(limit - 3, limit + 2):
        if depth(levels) > limit:
            assert "嵌套" in refused(parse, nested(levels), "x.json")[0].message
        else:
            assert parse(nested(levels), "x.json").data is not None
