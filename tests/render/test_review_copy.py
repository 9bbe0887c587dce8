"""Documents give one figure per quantity; the reviewer's copy lists the printed figures that
differed beside the recomputed ones, names problems in Chinese, and the PDF's 目录 has page
numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from tests.render.conftest import EXAMPLES, SEED_001, SEED_001_PROJECTS, SEED_002

from jixiao import api
from jixiao.render.fmt import pct

ACCOUNTS = EXAMPLES / "accounts-001-xinxiang-2024.yaml"


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("review")
    return api.render(
        [SEED_001, SEED_001_PROJECTS, ACCOUNTS], out, with_findings=True, formats=["pdf", "docx"]
    )


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "".join("".join(parts).split())


def _file(result, kind: str, fmt: str) -> Path:
    return next(w.path for w in result.files if w.kind == kind and w.format == fmt)


def test_report_shows_the_recomputed_rate_and_lists_the_printed_one(review):
    ev = api.score_file(SEED_001)[0]
    printed = next(r.actual for r in ev.walk() if r.rule and r.rule.value == "execution_rate")
    assert printed != pct(ev.execution_rate)  # the example prints a rate that differs
    text = _docx_text(_file(review, "report", "docx"))
    body, appendix = text.split("附录：审核发现的问题")
    assert pct(ev.execution_rate) in body
    assert printed not in body
    # the appendix: the printed rate beside the recomputed one, and no English code
    assert printed + pct(ev.execution_rate) in appendix
    assert "rate-mismatch" not in appendix
    assert "预算执行率" in appendix


def test_accounts_section_13_takes_the_recomputed_project_score(review):
    replaced = [f for f in review.findings if f.code == "figure-replaced"]
    assert replaced, "the example's 十三 prints a score that the project's evaluation does not give"
    text = _docx_text(_file(review, "accounts", "docx"))
    body, appendix = text.split("附录：审核发现的问题")
    for f in replaced:
        assert f"项目自评得分为{f.expected}分" in body
        assert f"项目自评得分为{f.printed}分" not in body
        assert f.printed + f.expected in appendix


def test_pdf_contents_give_page_numbers(review):
    with pdfplumber.open(_file(review, "accounts", "pdf")) as pdf:
        toc = pdf.pages[1].extract_text()
        pages = [p.extract_text() or "" for p in pdf.pages]
    entries = re.findall(r"^(第[一二三四五]部分)\s*\S*?[\s.…]*?(\d+)$", toc, flags=re.M)
    assert len(entries) == 5
    for part, page in entries:
        assert part in pages[int(page) - 1], (part, page)


def test_summary_table_columns_read_alike(review):
    doc = Document(str(_file(review, "project-summary", "docx")))
    table = next(t for t in doc.tables if any(c.text == "项目名称" for c in t.rows[0].cells))
    head = [c.text for c in table.rows[0].cells]
    rate_cols = [i for i, h in enumerate(head) if "率" in h]
    total = next(i for i, h in enumerate(head) if "得分" in h and "率" not in h)
    rows = [[c.text for c in r.cells] for r in table.rows[1:] if r.cells[0].text.strip().isdigit()]
    assert rows
    for r in rows:
        assert all(re.fullmatch(r"\d+\.\d\d%", r[i]) for i in rate_cols), r
        assert re.fullmatch(r"\d+\.\d\d", r[total]), r


def test_score_title_names_the_framework_apart():
    from typer.testing import CliRunner

    from jixiao.cli.main import app

    out = CliRunner().invoke(app, ["score", str(SEED_002)]).output
    assert "）·" not in out
    assert "指标体系：" in out
