"""The final-accounts publication (seed 001): the nine tables, the 情况说明, the 名词解释 and
the two structure charts, in every format; numbers read back equal the model's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook
from tests.render.conftest import EXAMPLES, SEED_001, SEED_001_PROJECTS, same

from jixiao import api
from jixiao.derive.accounts.explain import generate
from jixiao.read.accounts.reader import read_accounts
from jixiao.render.accounts_tables import printed_tables
from jixiao.render.agree import project_scores
from jixiao.render.context import Pair

ACCOUNTS = EXAMPLES / "accounts-001-xinxiang-2024.yaml"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("accounts")
    result = api.render([ACCOUNTS, SEED_001, SEED_001_PROJECTS], out, with_findings=True)
    files = {w.format: w.path for w in result.files if w.kind == "accounts"}
    return read_accounts(ACCOUNTS).accounts, files, result


def _flat(text: str) -> str:
    return "".join(text.split())


def test_is_recognised_among_submission_files(published):
    _, files, result = published
    assert set(files) == {"xlsx", "docx", "pdf", "html"}
    kinds = {w.kind for w in result.files}
    assert {"self-table", "report", "project-table", "project-summary", "accounts"} <= kinds


def test_printed_tables_follow_the_model(published):
    acc, _, _ = published
    tables = {t.id: t for t in printed_tables(acc)}
    assert [t.number for t in tables.values()] == [f"公开0{i}表" for i in range(1, 10)]
    summary = tables["summary"]
    labels = {row[0].text: row[2].value for row in summary.body}
    assert labels["本年收入合计"] == acc.summary.income_total
    assert labels["一、一般公共预算财政拨款收入"] == acc.summary.general_budget
    expense = {row[3].text: row[5].value for row in summary.body}
    assert expense["六、科学技术支出"] == acc.summary.classes["206"]
    assert expense["本年支出合计"] == acc.summary.expense_total
    assert len(summary.body) == 31  # 行次 1–31 and 32–62, as printed


def test_xlsx_tables_equal_the_model(published):
    acc, files, _ = published
    wb = load_workbook(files["xlsx"])
    assert [ws.title for ws in wb.worksheets][:9] == [f"公开0{i}表" for i in range(1, 10)]
    income = {r[0]: r for r in wb["公开02表"].iter_rows(values_only=True) if r[0]}
    for row in acc.income.rows:
        got = income[row.code]
        assert same(got[2], row.total)
        assert same(got[3], row.fiscal)
    basic = {}
    for r in wb["公开06表"].iter_rows(values_only=True):
        for i in (0, 3, 6):
            if r[i] and str(r[i]).isdigit():
                basic[str(r[i])] = r[i + 2]
    for code, value in acc.basic.items.items():
        assert same(basic[code], value), code
    three = list(wb["公开09表"].iter_rows(values_only=True))
    values = next(r for r in reversed(three) if isinstance(r[0], int | float))
    assert same(values[0], acc.three_public.budget.total)
    assert same(values[6], acc.three_public.actual.total)
    assert same(values[11], acc.three_public.actual.reception)
    assert "项目支出自评汇总表" in wb.sheetnames


def test_docx_tables_text_and_charts(published):
    acc, files, _ = published
    doc = Document(files["docx"])
    assert any(s.orientation == WD_ORIENT.LANDSCAPE for s in doc.sections)
    # 公开05表: the coded table with 小计 / 基本支出 / 项目支出 (five columns)
    general = next(
        t for t in doc.tables if len(t.columns) == 5 and any(c.text == "2060101" for c in t.columns[0].cells)
    )
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in general.rows}
    for row in acc.general.rows:
        assert same(rows[row.code][2] or None, row.total)
        assert same(rows[row.code][3] or None, row.basic)
    text = _flat("\n".join(p.text for p in doc.paragraphs))
    # section 十三 gives each project the score recomputed from its self-evaluation
    pairs = [Pair(s, api.score(s)) for s in api.load_submissions(SEED_001_PROJECTS)]
    shown, _ = project_scores(acc, pairs, None)
    for section in generate(shown).sections:
        for paragraph in section.paragraphs:
            assert _flat(paragraph) in text
    assert "一般公共预算财政拨款“三公”经费" in text  # 名词解释
    assert len(doc.inline_shapes) == 3  # 收入总计 against last year, 图1 and 图2


def test_pdf_pages_and_text(published):
    acc, files, _ = published
    with pdfplumber.open(files["pdf"]) as pdf:
        # the body of each page, without its running header and page number
        text = _flat("".join(p.crop((0, 40, p.width, p.height - 40)).extract_text() for p in pdf.pages))
        landscape = [p for p in pdf.pages if p.width > p.height]
        assert len(landscape) >= 9  # each table on a landscape page
        for page in pdf.pages:
            assert any("CJK" in c["fontname"] for c in page.chars[:50])
    assert "图1：收入决算结构图" in text
    assert "图2：支出决算结构图" in text
    pairs = [Pair(s, api.score(s)) for s in api.load_submissions(SEED_001_PROJECTS)]
    for section in generate(project_scores(acc, pairs, None)[0]).sections:
        assert _flat(section.paragraphs[-1]) in text


def test_html_has_every_table(published):
    acc, files, _ = published
    html = files["html"].read_text(encoding="utf-8")
    for table in printed_tables(acc):
        assert table.title in html
    assert html.count("data:image/png;base64,") == 3
    assert "附录：审核发现的问题" in html


def test_accounts_alone(tmp_path: Path):
    """Without the department's submissions: 概况 marked to fill in, projects from the accounts."""
    result = api.render(ACCOUNTS, tmp_path, formats=["html"])
    html = result.files[0].path.read_text(encoding="utf-8")
    assert "【待填写：部门职责】" in html
    acc = read_accounts(ACCOUNTS).accounts
    for project in acc.narrative.performance.projects:
        assert project.name in html
    assert Decimal("741.64") == acc.summary.income_sum
