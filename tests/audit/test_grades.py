"""The grade a report's text states is checked against its framework's grade bands."""

from __future__ import annotations

from decimal import Decimal

from jixiao.check.published.audit import audit_document
from jixiao.check.published.consistency import check_score_claims
from jixiao.model.framework import GradeBand
from jixiao.read.published.flow import sentences
from jixiao.read.published.text import parse

TEXT = "部门整体支出绩效自评得分{score}分，评价等级为“{grade}”。\n"


def _grades(text: str, bands: tuple[GradeBand, ...] | None) -> list[tuple[str | None, str | None]]:
    doc = parse(text, "t.txt")
    found = check_score_claims(list(sentences(doc)), "t.txt", bands)
    return [(f.printed, f.expected) for f in found if f.code == "grade-mismatch"]


def test_a_document_without_tables_is_graded_on_the_national_bands():
    def mismatches(score: str, grade: str) -> list[tuple[str | None, str | None]]:
        report = audit_document(parse(TEXT.format(score=score, grade=grade), "t.txt"), {"score-claims"})
        return [(f.printed, f.expected) for f in report.findings if f.code == "grade-mismatch"]

    assert mismatches("91.5", "优") == []
    assert mismatches("85", "优") == [("优", "良")]


def test_the_framework_bands_decide():
    # a province grading 优 from 95, 良 from 85, 合格 from 60, 不合格 below
    bands = (
        GradeBand(name="优", min=Decimal(95)),
        GradeBand(name="良", min=Decimal(85)),
        GradeBand(name="合格", min=Decimal(60)),
        GradeBand(name="不合格", min=Decimal(0)),
    )
    assert _grades(TEXT.format(score="92", grade="良"), bands) == []
    assert _grades(TEXT.format(score="92", grade="优"), bands) == [("优", "良")]
    assert _grades(TEXT.format(score="70", grade="良"), bands) == [("良", "合格")]
    assert _grades(TEXT.format(score="55", grade="合格"), bands) == [("合格", "不合格")]


def test_unbound_bands_say_nothing():
    assert _grades(TEXT.format(score="85", grade="优"), None) == []
