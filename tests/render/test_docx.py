"""Word: reopen every document with python-docx and read its numbers back."""

from __future__ import annotations

from docx import Document
from tests.render.conftest import Rendered, same

from jixiao.render import sentences
from jixiao.render.context import Pair, rows


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def _body_rows(table, header: str) -> list[list[str]]:
    """The data rows below the row holding ``header``, up to the 总分/合计 row."""
    out, started = [], False
    for row in table.rows:
        texts = [c.text.strip() for c in row.cells]
        if header in texts:
            started = True
            continue
        if started:
            if texts[0] in ("总分", "合计"):
                break
            out.append(texts)
    return out


def _indicator_table(doc):
    """The indicator table (below seed 000's block of 履职目标, 主要任务 and 预算情况)."""
    return next(t for t in doc.tables if any(c.text == "三级指标" for c in t.rows[0].cells))


def test_tree_table_numbers_equal_the_model(seed000: Rendered):
    ev = seed000.evaluation()
    doc = Document(seed000.file("self-table", "docx"))
    table = _indicator_table(doc)
    body = _body_rows(table, "三级指标")
    expected = rows(ev)
    assert [r[2] for r in body] == [r.l3 for r in expected]
    for got, want in zip(body, expected, strict=True):
        assert same(got[5], want.weight)
        assert same(got[6], want.score)
    total = next(r for r in table.rows if r.cells[0].text == "总分")
    assert same(total.cells[-1].text, ev.total)
    assert same(total.cells[-2].text, ev.full_score)


def test_level_columns_are_merged_cells(seed000: Rendered):
    table = _indicator_table(Document(seed000.file("self-table", "docx")))
    first_column = [row._tr.tc_lst[0].vMerge for row in table.rows[1:6]]
    # 投入指标: one cell over its five rows
    assert first_column == ["restart", "continue", "continue", "continue", "continue"]


def test_no_template_tag_is_left(seed000: Rendered, seed001: Rendered, seed002: Rendered):
    for rendered in (seed000, seed001, seed002):
        for written in rendered.result.files:
            if written.format == "docx":
                text = _text(Document(written.path))
                assert "{{" not in text, written.path.name
                assert "{%" not in text, written.path.name
                assert Document(written.path).core_properties.category == ""


def test_report_sentences_and_level1_table(seed001: Rendered):
    ev = seed001.evaluation()
    doc = Document(seed001.file("report", "docx"))
    text = _text(doc)
    pair = Pair(_submission(), ev)
    for sentence in (
        sentences.grade_summary(ev) + sentences.funds_paras(pair) + sentences.indicator_counts(ev)
    ):
        assert sentence in text
    table31 = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标" and len(t.rows) == 4)
    names = [c.text for c in table31.rows[0].cells[1:-1]]
    assert names == [top.name for top in ev.indicators]
    for i, top in enumerate(ev.indicators, start=1):
        assert same(table31.rows[1].cells[i].text, top.weight)
        assert same(table31.rows[2].cells[i].text, top.score_rate, places=4)
        assert same(table31.rows[3].cells[i].text, top.score)
    assert same(table31.rows[3].cells[-1].text, ev.total)
    assert len(doc.inline_shapes) >= 1  # the level-1 chart


def _submission():
    from tests.render.conftest import SEED_001

    from jixiao import api

    return api.load_submissions(SEED_001)[0]


def test_report_marks_missing_texts(seed000: Rendered):
    text = _text(Document(seed000.file("report", "docx")))
    assert "【待填写：工作开展情况】" in text
    assert "学会工作；智库建设与人才表彰" in text  # summary.年度履职目标 as given
    assert "八、其他需要说明的问题\n无" in text  # default of an unwritten optional text


def test_findings_appendix_only_on_request(seed000: Rendered, seed001: Rendered):
    assert "附录：审核发现的问题" in _text(Document(seed000.file("report", "docx")))
    text = _text(Document(seed000.file("report", "docx")))
    found = seed000.evaluation().findings
    # the appendix names each problem in Chinese, never by its code
    assert all(f.title in text for f in found)
    assert not any(f.code in text for f in found if "-" in f.code)
    # each printed figure that differs stands beside the recomputed one
    assert all(f.printed in text and f.expected in text for f in found if f.printed and f.expected)
    assert "附录：审核发现的问题" not in _text(Document(seed001.file("report", "docx")))


def test_execution_block_table(seed002: Rendered):
    ev = seed002.evaluation()
    doc = Document(seed002.file("self-table", "docx"))
    text = _text(doc)
    assert "2634.17" in text
    assert "3014.42" in text
    block = next(r for t in doc.tables for r in t.rows if r.cells[1].text == "部门整体支出总额")
    assert same(block.cells[-1].text, ev.find("预算执行情况").score)
    assert same(block.cells[-2].text, ev.execution_rate, places=4)
    indicators = next(t for t in doc.tables if t.rows[0].cells[0].text == "年度绩效指标")
    body = _body_rows(indicators, "三级指标")
    expected = rows(ev, skip_execution=True)
    assert [r[3] for r in body] == [r.l3 for r in expected]
    assert all(same(got[6], want.score) for got, want in zip(body, expected, strict=True))
    # the label column spans the whole block (seed 002 prints it so)
    assert indicators.rows[0]._tr.tc_lst[0].vMerge == "restart"


def test_project_summary_rows(seed001: Rendered):
    doc = Document(seed001.file("project-summary", "docx"))
    body = _body_rows(doc.tables[0], "项目名称")
    projects = [e for e in seed001.evaluations if e.project]
    assert [r[1] for r in body] == [e.project for e in projects]
    assert all(same(r[8], e.total) for r, e in zip(body, projects, strict=True))
