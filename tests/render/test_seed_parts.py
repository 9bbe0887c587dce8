"""The seed tables' missing parts: the 新乡 2021 table's top block (年度履职目标, 年度主要任务,
预算情况 with 资金来源 and 资金结构) and its 注 1–3; the 襄阳 table's 备注 1–4; the 附件1
table of reports filled for the 预算执行 and qualitative rows."""

from __future__ import annotations

from docx import Document
from openpyxl import load_workbook
from tests.render.conftest import SEED_000, Rendered

from jixiao import api
from jixiao.render.documents import table_notes
from jixiao.render.fmt import money, pct


def _xlsx_text(path) -> list[str]:
    ws = load_workbook(path).worksheets[0]
    return [" ".join(str(v) for v in row if v is not None) for row in ws.iter_rows(values_only=True)]


def _docx_text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def test_tree_table_has_the_top_block_and_notes(seed000: Rendered):
    sub = api.load_submissions(SEED_000)[0]
    notes = table_notes("tree")
    assert notes.head == "注"
    assert len(notes.notes) == 3
    for path in (seed000.file("self-table", "xlsx"), seed000.file("self-table", "docx")):
        text = "\n".join(_xlsx_text(path)) if path.suffix == ".xlsx" else _docx_text(path)
        for label in (
            "年度履职目标",
            "年度主要任务",
            "任务名称",
            "主要内容",
            "预算情况",
            "部门预算总额（万元）",
        ):
            assert label in text, (path.suffix, label)
        assert "资金来源：（1）财政性资金" in text
        assert "资金结构：（1）基本支出" in text
        assert sub.summary["年度履职目标"].splitlines()[0] in text
        for key in ("budget_total", "funds_fiscal", "budget_basic", "budget_project"):
            value = sub.figures[key]
            assert money(value) in text or str(float(value)) in text, key
        for i, note in enumerate(notes.notes, start=1):
            assert f"{i}. {note}" in text


def test_execution_block_table_has_its_remarks(seed002: Rendered):
    notes = table_notes("execution-block")
    assert notes.head == "备注"
    assert len(notes.notes) == 4
    for path in (seed002.file("self-table", "xlsx"), seed002.file("self-table", "docx")):
        text = "\n".join(_xlsx_text(path)) if path.suffix == ".xlsx" else _docx_text(path)
        assert "备注：" in text
        for i, note in enumerate(notes.notes, start=1):
            assert f"{i}. {note}" in text


def test_report_appendix_rows_are_filled(seed001: Rendered):
    ev = seed001.evaluation()
    doc = Document(str(seed001.file("report", "docx")))
    table = next(t for t in doc.tables if t.rows[0].cells[2].text == "三级指标" and len(t.columns) == 7)
    rows = {r.cells[0].text if not r.cells[2].text else r.cells[2].text: r for r in table.rows[1:]}
    execution = rows["预算执行情况"]
    assert execution.cells[3].text == "100%"
    assert execution.cells[4].text == pct(ev.execution_rate)
    qualitative = [r for r in ev.walk() if r.is_leaf and r.rule and r.rule.value == "qualitative"]
    assert qualitative
    for leaf in qualitative:
        row = rows[leaf.name]
        assert row.cells[3].text, leaf.name
        assert row.cells[4].text, leaf.name
