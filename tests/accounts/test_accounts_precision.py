"""Figures in findings are shown at the precision at which they differ, and an amount with
more decimals than the table's unit allows is a finding of its own."""

from __future__ import annotations

from tests.conftest import EXAMPLES

from jixiao import api

SOURCE = (EXAMPLES / "accounts-001-xinxiang-2024.yaml").read_text(encoding="utf-8")


def _check(tmp_path, old: str, new: str):
    assert old in SOURCE
    path = tmp_path / "accounts.yaml"
    path.write_text(SOURCE.replace(old, new, 1), encoding="utf-8")
    return api.check_accounts_file(path)


def test_an_error_never_shows_two_equal_figures(tmp_path):
    report = _check(tmp_path, "  income_sum: 741.64\n", "  income_sum: 741.643\n")
    (balance, *_) = [f for f in report.findings if "T01-BALANCE" in f.message]
    assert balance.severity.value == "error"
    assert "741.643" in balance.message
    assert "741.640" in balance.message
    assert balance.printed != balance.expected


def test_a_rounding_tail_shows_the_third_decimal_and_its_limit_as_it_is(tmp_path):
    old = '{code: "2060702", name: 科普活动, total: 98.80, fiscal: 98.80}'
    report = _check(tmp_path, old, old.replace("total: 98.80", "total: 98.804"))
    tails = [
        f.message for f in report.findings if f.code == "accounts-rounding-tail" and "98.804" in f.message
    ]
    assert tails, [f.message for f in report.findings]
    assert "98.800" in tails[0]
    assert "0.004" in tails[0]
    assert "尾差限度 0.01，" in tails[0]


def test_an_amount_with_three_decimals_is_its_own_finding(tmp_path):
    old = '{code: "2060702", name: 科普活动, total: 98.80, fiscal: 98.80}'
    report = _check(tmp_path, old, old.replace("total: 98.80", "total: 98.804"))
    own = [f for f in report.findings if "98.804 有 3 位小数" in f.message]
    assert len(own) == 1
    assert own[0].severity.value == "warning"
    assert own[0].location.line is not None
