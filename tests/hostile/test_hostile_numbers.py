"""Absurd numbers and values accepted without a word (issue defects 4 and 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.hostile.helpers import ACCOUNTS

from jixiao import api
from jixiao.core.findings import InputError
from jixiao.read.structured import parse


def refused(call, *args):
    with pytest.raises(InputError) as info:
        call(*args)
    return info.value.findings


@pytest.mark.parametrize(
    "change",
    [
        ("total: 95", "total: 1.0e-999999999"),  # stated total: grew to 11 GB
        ("spent: 26.6", "spent: 1.0e-999999999"),  # amount: MemoryError
        ("weight: 30,", "weight: 1.0e+26,"),  # InvalidOperation
        ("budget_total: 30", "budget_total: 1.0e+27"),
        ("budget_total: 30", "budget_total: " + "9" * 5000),
    ],
)
def test_absurd_numbers_in_a_submission_are_refused_with_the_line(simple, change) -> None:
    findings = refused(api.score_file, simple(change))
    assert findings[0].location.line is not None
    assert "超出范围" in findings[0].message or "位数过多" in findings[0].message


@pytest.mark.parametrize(
    "number", ["1e400", "1e999999999", "-1e400", "1e-400", "9" * 4400, "NaN", "Infinity"]
)
def test_json_numbers_are_refused_as_yaml_refuses_them(number: str) -> None:
    findings = refused(parse, '{"a": [1, ' + number + "]}", "x.json")
    assert findings[0].code == "syntax-error"
    assert len(findings[0].message) < 250


def test_yaml_and_json_agree_on_1e400() -> None:
    refused(parse, "a: 1.0e+400\n", "x.yaml")
    refused(parse, '{"a": 1e400}', "x.json")


def test_template_from_json_with_a_huge_exponent_does_not_hang(tmp_path: Path) -> None:
    data = api.load_accounts(ACCOUNTS)
    assert data is not None
    text = json.dumps({"department": "某单位", "year": 2024, "tables": {"summary": {"x": "@@"}}}).replace(
        '"@@"', "1e999999999"
    )
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    assert "超出范围" in refused(api.load_accounts, path)[0].message


def test_negative_weight_is_refused(simple) -> None:
    findings = refused(api.score_file, simple(("weight: 25, target: ≥1000", "weight: -25, target: ≥1000")))
    assert "应≥0" in findings[0].message


def test_nan_as_an_actual_is_not_a_number(simple) -> None:
    evaluation = api.score_file(simple(("actual: 96%", "actual: NaN")))[0]
    assert any("NaN" in f.message and "不是有效的数字" in f.message for f in evaluation.findings)


def test_a_negative_at_most_target_is_not_given_full_marks(simple) -> None:
    path = simple(("target: ≤200元, actual: 180元", "target: ≤-200元, actual: -180元"))
    evaluation = api.score_file(path)[0]
    assert "negative-measure" in {f.code for f in evaluation.findings}
    assert "不完整" in evaluation.model_dump_json() or evaluation.total is None or evaluation.total < 95


def test_a_negative_actual_under_a_positive_at_most_target_still_scores(simple) -> None:
    evaluation = api.score_file(simple(("target: ≤200元, actual: 180元", "target: ≤5%, actual: -3%")))[0]
    assert "negative-measure" not in {f.code for f in evaluation.findings}
