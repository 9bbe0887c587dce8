"""Shared helpers: write a submission (and a framework) from YAML text and score it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from jixiao import api
from jixiao.score.results import Evaluation

# Timing belongs to bench/, not to tests: no per-example deadline, so a loaded machine
# (the first example also loads the catalogues) cannot make a property test flaky.
settings.register_profile("jixiao", deadline=None)
settings.load_profile("jixiao")

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "src" / "jixiao" / "examples"

#: A small framework for engine tests: 10 execution + 60 output + 30 effect.
TEST_FRAMEWORK = """
id: test-framework
name: 测试指标体系
kind: project
indicators:
  - {name: 预算执行率, weight: 10, fixed: true, rule: execution_rate}
  - name: 产出指标
    weight: 60
    fixed: true
    open: true
  - name: 效益指标
    weight: 30
    fixed: true
    open: true
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def _write(text: str, name: str = "submission.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def score_text(write: Callable[[str, str], Path]) -> Callable[..., Evaluation]:
    """Score a submission given as YAML text, against the test framework (or another)."""

    def _score(text: str, framework: str = TEST_FRAMEWORK) -> Evaluation:
        fw_path = write(framework, "framework.yaml")
        path = write(text)
        catalog = api.catalog([fw_path])
        (evaluation,) = api.score_file(path, frameworks=catalog)
        return evaluation

    return _score


def flat(evaluation: Evaluation, *, severity: str | None = None) -> list[tuple[str, str | None]]:
    """(code, indicator-or-field) pairs of an evaluation's findings."""
    return [f.flat() for f in evaluation.findings if severity is None or f.severity.value == severity]
