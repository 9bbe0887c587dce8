"""The time limit per document covers the whole of audit, score and check, not only the
reading: a document whose checks run unbounded is stopped with a Chinese message (exit 2)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from tests.hostile.helpers import ACCOUNTS, EXAMPLES, SUBMISSION
from typer.testing import CliRunner

from jixiao import api
from jixiao.check.published import audit as engine
from jixiao.cli.main import app
from jixiao.core import limits
from jixiao.core.findings import InputError

TEXT = EXAMPLES / "accounts-001-explanation.txt"


def _slow(*args, **kwargs):
    """A check that would run for 5 seconds (stands for a quadratic one on a hostile file)."""
    end = time.monotonic() + 5
    while time.monotonic() < end:
        time.sleep(0.01)
    raise AssertionError("the time limit did not stop the work")


@pytest.fixture
def one_second(monkeypatch):
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, seconds_per_document=1.0))


def _timed_out(call, action: str) -> str:
    began = time.monotonic()
    with pytest.raises(InputError) as info:
        call()
    assert time.monotonic() - began < 4
    (f,) = info.value.findings
    assert f.code == "input-timeout"
    assert f.message.startswith(action), f.message
    assert "--max-seconds" in f.message
    return f.message


def test_audit_checks_are_under_the_time_limit(monkeypatch, one_second) -> None:
    monkeypatch.setattr(engine, "audit_document", _slow)
    message = _timed_out(lambda: api.audit(TEXT), "审核")
    assert str(TEXT) in message


def test_a_check_that_would_swallow_errors_does_not_swallow_the_limit(monkeypatch, one_second) -> None:
    """The audit runs each check under "a failing check must not stop the others"; the time
    limit is not such a failure: it stops the whole audit (and nothing runs unbounded after)."""
    from jixiao.check.published import claims

    monkeypatch.setattr(claims, "check_shares", _slow)
    monkeypatch.setattr(claims, "check_sums", _slow)
    _timed_out(lambda: api.audit(TEXT), "审核")


def test_a_rule_that_would_swallow_errors_does_not_swallow_the_limit(monkeypatch, one_second) -> None:
    from jixiao.check.formulas import ruleset as rules

    monkeypatch.setattr(rules, "_run_rule", _slow)
    _timed_out(lambda: api.check_accounts_file(ACCOUNTS), "检查")


def test_scoring_is_under_the_time_limit(monkeypatch, one_second) -> None:
    monkeypatch.setattr(api, "score", _slow)
    _timed_out(lambda: api.score_file(SUBMISSION), "计分")


def test_checking_accounts_is_under_the_time_limit(monkeypatch, one_second) -> None:
    monkeypatch.setattr(api, "check_accounts", _slow)
    _timed_out(lambda: api.check_accounts_file(ACCOUNTS), "检查")


def test_the_reader_limit_inside_does_not_restart_the_clock(monkeypatch, one_second) -> None:
    """Reading takes part of the one limit; the checks do not get a fresh one after it."""
    from jixiao.read import structured

    real_load = structured.load

    def slow_load(*args, **kwargs):
        time.sleep(0.7)
        return real_load(*args, **kwargs)

    def half_slow(*args, **kwargs):
        time.sleep(0.7)
        raise AssertionError("the time limit did not stop the work")

    monkeypatch.setattr(structured, "load", slow_load)
    monkeypatch.setattr("jixiao.read.submission.load", slow_load)
    monkeypatch.setattr(api, "score", half_slow)
    _timed_out(lambda: api.score_file(SUBMISSION), "计分")


@pytest.mark.parametrize(
    ("args", "target", "attribute", "action"),
    [
        (["score", str(SUBMISSION)], api, "score", "计分"),
        (["check", str(ACCOUNTS)], api, "check_accounts", "检查"),
        (["audit", str(TEXT)], engine, "audit_document", "审核"),
    ],
)
def test_the_command_line_stops_a_slow_document_cleanly(monkeypatch, args, target, attribute, action) -> None:
    monkeypatch.setattr(limits, "LIMITS", limits.LIMITS)  # --max-seconds changes it: restored after
    monkeypatch.setattr(target, attribute, _slow)
    result = CliRunner().invoke(app, ["--max-seconds", "1", *args])
    assert result.exit_code == 2, result.output
    flat = "".join(result.output.split())
    assert f"{action}“" in flat, result.output
    assert "超过1秒" in flat
    assert "Traceback" not in result.output


def test_a_normal_document_is_not_affected(tmp_path: Path) -> None:
    assert api.score_file(SUBMISSION)
    report, _ = api.audit(TEXT)
    assert report is not None
