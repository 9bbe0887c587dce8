"""The department's totals the text restates against its own final-accounts tables (seed
001: 收入支出决算总表 本年支出合计 741.64; its report says 全年实际执行数 741.99)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.check.published.audit import audit_document
from jixiao.read.published.text import parse

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in tests/data/seeds")


def _errors(text: str) -> list[tuple[str | None, str | None]]:
    report = audit_document(parse(text, "t.txt"), {"accounts-tables", "text-vs-accounts"})
    return [(f.printed, f.expected) for f in report.errors if f.code == "claim-conflict"]


def _seed() -> str:
    (path,) = SEEDS.glob("001_*.txt")
    return path.read_text(encoding="utf-8")


def test_a_total_the_report_restates_differently():
    assert _errors(_seed()) == [("741.99 万元", "741.64万元")]
    assert _errors(_seed().replace("741.99 万元", "741.64 万元")) == []


def test_only_the_departments_own_total_of_the_tables_year():
    text = _seed().replace("741.99 万元", "741.64 万元")
    for sentence in (
        "科普工作经费项目全年预算数为60万元，全年执行数为50万元。",  # a project's
        "2023年全年实际执行数为700万元。",  # another year's
        "上年全年实际执行数为700万元。",
    ):
        assert _errors(text + "\n\n" + sentence) == [], sentence
    assert _errors(text + "\n\n2024年全年实际执行数为700万元。") == [("700万元", "741.64万元")]
