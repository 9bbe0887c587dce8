"""The self-evaluation table in Excel, both ways: ``jixiao template 自评表.xlsx --framework``
writes a blank workbook in the framework's seed layout with its input cells marked; ``jixiao
score 自评表.xlsx`` reads it back; a rendered 自评表.xlsx reads back to the same scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao import api
from jixiao.cli.main import app
from jixiao.frameworks.catalog import builtin
from jixiao.render.selfeval_xlsx import INFO_SHEET, INPUT_FILL

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "examples"
SUBMISSIONS = sorted(p for p in EXAMPLES.glob("score-*.yaml"))


@pytest.mark.parametrize("source", SUBMISSIONS, ids=lambda p: p.stem)
def test_a_rendered_table_reads_back_to_the_same_scores(tmp_path: Path, source: Path):
    result = api.render(source, tmp_path, formats=["xlsx"])
    tables = [w.path for w in result.files if w.kind in ("self-table", "project-table")]
    assert tables
    expected = {(e.project or "", e.department): e for e in api.score_file(source)}
    for path in tables:
        (ev,) = api.score_file(path)
        want = expected[(ev.project or "", ev.department)]
        assert ev.total == want.total, path.name
        assert ev.grade == want.grade
        assert ev.level1() == want.level1()


@pytest.mark.parametrize("framework", builtin().ids())
def test_blank_template_of_every_framework(tmp_path: Path, framework: str):
    path = tmp_path / "自评表.xlsx"
    out = CliRunner().invoke(app, ["template", str(path), "--framework", framework])
    assert out.exit_code == 0, out.output
    wb = load_workbook(path)
    assert INFO_SHEET in wb.sheetnames
    table = wb.worksheets[0]
    marked = [c for row in table.iter_rows() for c in row if c.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb]
    assert marked
    # no 完成值 or 得分 is filled in for the user (a framework's own 指标值 may be)
    head = next(row for row in table.iter_rows() if any(c.value == "三级指标" for c in row))
    own = {c.column for c in head if c.value in ("完成值", "实际完成值（B）", "实际完成值", "得分")}
    assert own
    assert all(c.value is None for c in marked if c.column in own)
    # read back empty: the missing fields are named with their sheet and cell
    with pytest.raises(api.InputError) as err:
        api.load_submissions(path)
    where = [f.location for f in err.value.findings]
    assert {loc.sheet for loc in where} == {INFO_SHEET}
    assert all(loc.field and loc.field.startswith("C") for loc in where)


def _fill(path: Path, score_text: object = None) -> None:
    wb = load_workbook(path)
    info = wb[INFO_SHEET]
    keys = {info.cell(r, 2).value: r for r in range(2, info.max_row + 1)}
    values = {"department": "某某局", "project": "培训项目", "year": 2024}
    values |= {"figures.budget_total": 30, "figures.spent": 27}
    for key, value in values.items():
        info.cell(keys[key], 3).value = value
    ws = wb.worksheets[0]
    rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1)}
    lines = {
        "产出指标": ["数量指标", "培训人次", "≥1000人次", "1200人次", 50, None],
        "效益指标": ["社会效益指标", "群众知晓度", "≥90%", "85%", 30, None],
        "满意度指标": ["服务对象满意度指标", "满意度", "≥90%", "96%", 10, score_text],
    }
    for level1, cells in lines.items():
        for col, value in enumerate(cells, start=3):
            ws.cell(rows[level1], col).value = value
    wb.save(path)


def test_a_filled_project_template_scores_like_the_yaml(tmp_path: Path):
    path = tmp_path / "自评表.xlsx"
    api.write_self_evaluation_template(path, "national-2020-project")
    _fill(path)
    (ev,) = api.score_file(path)
    yaml_file = tmp_path / "same.yaml"
    yaml_file.write_text(
        "department: 某某局\nproject: 培训项目\nyear: 2024\nframework: national-2020-project\n"
        "figures: {budget_total: 30, spent: 27}\nindicators:\n"
        "  - {path: 产出指标/数量指标/培训人次, weight: 50, target: ≥1000人次, actual: 1200人次}\n"
        "  - {path: 效益指标/社会效益指标/群众知晓度, weight: 30, target: ≥90%, actual: 85%}\n"
        "  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 96%}\n",
        encoding="utf-8",
    )
    (want,) = api.score_file(yaml_file)
    assert ev.total == want.total
    assert ev.level1() == want.level1()
    assert sorted(f.code for f in ev.findings) == sorted(f.code for f in want.findings)
    # a scoring finding names the sheet of the indicator table
    placed = [f for f in ev.findings if f.location.indicator]
    assert placed
    assert all(f.location.sheet == load_workbook(path).worksheets[0].title for f in placed)


def test_an_unreadable_cell_is_named(tmp_path: Path):
    path = tmp_path / "自评表.xlsx"
    api.write_self_evaluation_template(path, "national-2020-project")
    _fill(path, score_text="十分")
    out = CliRunner().invoke(app, ["score", str(path)])
    assert out.exit_code == 2
    ws = load_workbook(path).worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "十分")
    assert cell.coordinate in out.output
    assert ws.title in out.output
