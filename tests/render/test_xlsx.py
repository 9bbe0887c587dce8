"""Excel: reopen every workbook and read its numbers back; they must equal the model's."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook
from tests.render.conftest import Rendered, dec, same

from jixiao.render.context import project_lines, rows


def _table_after(ws, header: str) -> tuple[int, list[tuple]]:
    """(row number of the header, the value rows after it up to the 总分 row)."""
    values = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(values) if header in r)
    body = []
    for r in values[start + 1 :]:
        if r[0] == "总分" or r[0] == "合计":
            break
        body.append(r)
    return start + 1, body


def test_tree_table_numbers_equal_the_model(seed000: Rendered):
    ev = seed000.evaluation()
    wb = load_workbook(seed000.file("self-table", "xlsx"))
    ws = wb["自评表"]
    _, body = _table_after(ws, "三级指标")
    expected = rows(ev)
    assert len(body) == len(expected)
    for got, want in zip(body, expected, strict=True):
        assert got[2] == want.l3
        assert same(got[5], want.weight)
        assert same(got[6], want.score)
    total_row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "总分")
    assert same(total_row[5], ev.full_score)
    assert same(total_row[6], ev.total)


def test_tree_table_merges_the_level_names(seed000: Rendered):
    ws = load_workbook(seed000.file("self-table", "xlsx"))["自评表"]
    header, _body = _table_after(ws, "三级指标")
    merged = {str(r) for r in ws.merged_cells.ranges}
    first = header + 1
    # 投入指标 has five leaves (seed 000), 工作目标 three of them
    assert f"A{first}:A{first + 4}" in merged
    assert f"B{first}:B{first + 2}" in merged
    assert ws.print_title_rows == f"${header}:${header}"


def test_numbers_are_numbers_not_text(seed000: Rendered):
    ws = load_workbook(seed000.file("self-table", "xlsx"))["自评表"]
    _, body = _table_after(ws, "三级指标")
    assert all(isinstance(r[5], int | float) and isinstance(r[6], int | float) for r in body)


def test_findings_sheet_on_request(seed000: Rendered, seed001: Rendered):
    wb = load_workbook(seed000.file("self-table", "xlsx"))
    ws = wb["审核发现的问题"]
    titles = [r[1] for r in ws.iter_rows(min_row=3, values_only=True) if r[1]]
    assert titles == [f.title for f in _sorted(seed000.evaluation().findings)]
    assert "审核发现的问题" not in load_workbook(seed001.file("self-table", "xlsx")).sheetnames


def _sorted(findings):
    from jixiao.core.findings import sort_findings

    return sort_findings(findings)


def test_execution_block_layout(seed002: Rendered):
    """Seed 002: 预算数 (A), 执行数 (B), 执行率, 得分 in the 预算执行 block; indicator rows."""
    ev = seed002.evaluation()
    ws = load_workbook(seed002.file("self-table", "xlsx"))["自评表"]
    values = list(ws.iter_rows(values_only=True))
    block = next(r for r in values if r[1] == "部门整体支出总额")
    assert same(block[3], Decimal("2634.17"))
    assert same(block[4], Decimal("3014.42"))
    assert same(block[5], ev.execution_rate, places=4)
    assert same(block[6], ev.find("预算执行情况").score)
    _, body = _table_after(ws, "年度绩效指标")
    expected = rows(ev, skip_execution=True)
    assert [r[3] for r in body] == [r.l3 for r in expected]
    assert all(same(got[6], want.score) for got, want in zip(body, expected, strict=True))
    total = next(r for r in values if r[0] == "总分")
    assert same(total[6], ev.total)
    reason = next(r for r in values if r[0] == "偏差大或目标未完成原因分析")
    assert "一体化系统" in reason[1]


def test_project_tables_and_summary(seed001: Rendered):
    pairs = _pairs(seed001)
    tables = seed001.files("project-table", "xlsx")
    assert len(tables) == len(pairs) == 8
    for written, (sub, ev) in zip(tables, pairs, strict=True):
        ws = load_workbook(written.path).active
        values = list(ws.iter_rows(values_only=True))
        assert values[2][2] == ev.project
        funds = next(r for r in values if r[2] == "年度资金总额")
        assert same(funds[4], sub.figures["budget_total"])
        assert same(funds[5], sub.figures["spent"])
        assert same(funds[7], ev.execution_rate, places=4)
        assert same(funds[8], ev.find("预算执行率").score)
        total = next(r for r in values if r[0] == "总分")
        assert same(total[7], ev.total)
    ws = load_workbook(seed001.file("project-summary", "xlsx")).active
    _, body = _table_after(ws, "项目名称")
    from jixiao.render.context import Pair

    lines = project_lines([Pair(s, e) for s, e in _pairs(seed001)])
    assert len(body) == len(lines)
    for got, line in zip(body, lines, strict=True):
        assert got[1] == line.name
        assert same(got[2], line.budget_total)
        assert same(got[3], line.spent)
        assert same(got[4], line.execution_rate, places=4)
        assert same(got[5], line.output_rate, places=4)
        assert same(got[6], line.effect_rate, places=4)
        assert same(got[7], line.satisfaction_rate, places=4)
        assert same(got[8], line.total)
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
    assert dec(total[2]) == sum((line.budget_total for line in lines), Decimal(0))


def _pairs(rendered: Rendered):
    from tests.render.conftest import SEED_001_PROJECTS

    from jixiao import api

    subs = api.load_submissions(SEED_001_PROJECTS)
    return [(s, api.score(s, file=str(SEED_001_PROJECTS))) for s in subs]
