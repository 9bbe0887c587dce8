"""Messages name a field in Chinese, not only by its English key (places, weight, rule ...):
the key's path stays in the location, with the Chinese beside it from the one glossary
(jixiao.core.fieldnames)."""

from __future__ import annotations

import re
from pathlib import Path

import pydantic
import pytest
from tests.hostile.helpers import REPO, SIMPLE
from typer.testing import CliRunner

from jixiao import api
from jixiao.cli.main import app
from jixiao.core import fieldnames
from jixiao.core.findings import InputError, Location

FRAMEWORK = REPO / "src" / "jixiao" / "frameworks" / "data" / "national-2020-project.yaml"


def _framework(tmp_path: Path, old: str, new: str) -> Path:
    text = FRAMEWORK.read_text(encoding="utf-8")
    assert old in text
    text = re.sub(r"^id: .*$", "id: test-fields", text.replace(old, new, 1), count=1, flags=re.MULTILINE)
    path = tmp_path / "fw.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _messages(call) -> list[str]:
    with pytest.raises(InputError) as info:
        call()
    return [f"{f.location.describe()}：{f.message}" for f in info.value.findings]


def test_a_framework_setting_is_named_in_chinese(tmp_path: Path) -> None:
    path = _framework(tmp_path, "places: 2", "places: 100000")
    (text,) = _messages(lambda: api.catalog([path]))
    assert "字段“rounding.places”（取整·小数位数）" in text
    assert "不是有效的小数位数" in text
    assert "不是有效的places" not in text


def test_a_submission_field_is_named_in_chinese_with_its_indicator(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SIMPLE.replace("weight: 25, target: ≤200元", "weight: -25, target: ≤200元"), "utf-8")
    (text,) = _messages(lambda: api.score_file(path))
    assert "字段“indicators.1.weight”（指标第2项·分值）" in text
    assert "“-25”不是有效的分值，应≥0" in text


def test_choices_are_listed_without_english_words(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SIMPLE + "origin: somewhere\n", "utf-8")
    (text,) = _messages(lambda: api.score_file(path))
    assert "不是有效的数据来源，可选：entry、published" in text
    assert " or " not in text


def test_a_yes_no_field_says_true_or_false(tmp_path: Path) -> None:
    text = FRAMEWORK.read_text(encoding="utf-8")
    # the first indicator gets a list where true/false belongs
    text = re.sub(r"^id: .*$", "id: test-fields", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"(\n\s+- name: [^\n]+\n)(\s+)", r"\1\2open: [true]\n\2", text, count=1)
    path = tmp_path / "fw.yaml"
    path.write_text(text, encoding="utf-8")
    messages = _messages(lambda: api.catalog([path]))
    assert any("不是有效的由单位自定，应为 true 或 false" in m for m in messages), messages
    assert not any("bool_type" in m for m in messages)


def test_a_missing_field_names_the_key_to_write(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SIMPLE.replace("department: 某某单位\n", ""), "utf-8")
    result = CliRunner().invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    assert "缺少必填项“部门（单位）名称（department）”" in "".join(result.output.split())


def test_a_rule_expression_is_named_by_its_side_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules:\n  - id: X-1\n    title: t\n    left: income[206].total +\n    op: '='\n"
        "    right: income[206].fiscal\n    message: x\n    missing: skip\n",
        encoding="utf-8",
    )
    (text,) = _messages(lambda: api.accounts_rules([path]))
    assert "的左式（left）“income[206].total +”" in text


def test_a_cell_reference_gets_no_gloss() -> None:
    assert Location(sheet="填报信息", field="C7").describe() == "工作表“填报信息”，字段“C7”"


def test_the_glossary_names_every_field_of_submissions_frameworks_and_rule_files() -> None:
    """A new field must get its Chinese name, or its messages would show the English key."""
    from jixiao.check.formulas import ruleset as rules
    from jixiao.core import numbers
    from jixiao.model import framework, submission

    missing = set()
    for module in (submission, framework, rules, numbers):
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, pydantic.BaseModel)
                and obj.__module__ == module.__name__
            ):
                for key, info in obj.model_fields.items():
                    if fieldnames.name(info.alias or key) is None:
                        missing.add(f"{obj.__name__}.{info.alias or key}")
    assert not missing
