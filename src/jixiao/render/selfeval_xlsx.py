"""The self-evaluation table in Excel, both ways: the 填报信息 sheet every 自评表.xlsx carries
(who, which year, which framework, the money figures), and the blank workbook of a framework
(``jixiao template 自评表.xlsx --framework NAME``) in the layout render writes, its input
cells marked. :mod:`jixiao.read.self_table` reads both back into a Submission.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core import outputs
from jixiao.derive.ratios import figure_labels, figure_units
from jixiao.frameworks.catalog import Catalog, builtin
from jixiao.model.selfeval_tables import heads_of
from jixiao.model.submission import Submission

#: The sheet holding the submission's fields; its presence marks a self-evaluation workbook.
INFO_SHEET = "填报信息"
#: Its rows: label, key (what the reader uses), value.
INFO_FIELDS = (
    ("部门（单位）名称", "department"),
    ("项目名称（项目支出自评时填写）", "project"),
    ("年度", "year"),
    ("指标体系", "framework"),
    ("数据来源（entry 填报；published 转录已公开的文件）", "origin"),
)
#: Input cells: the fill of the final-accounts template, unlocked.
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def info_sheet(
    wb: Workbook,
    fields: Mapping[str, Any],
    figures: Mapping[str, Any],
    weights: Mapping[str, Any] | None = None,
) -> Worksheet:
    """Write the 填报信息 sheet: the fields, every money figure the catalogue knows, and the
    weights (分值) of the indicators whose layout does not print them."""
    ws = wb.create_sheet(INFO_SHEET)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 40
    for col, text in enumerate(("项目", "键", "值"), start=1):
        cell = ws.cell(1, col, text)
        cell.font = Font(bold=True)
        cell.border = _BORDER
    units = figure_units()
    lines = [
        *((label, key, fields.get(key)) for label, key in INFO_FIELDS),
        *(
            (f"{label}（{units.get(key, '')}）", f"figures.{key}", figures.get(key))
            for key, label in figure_labels().items()
        ),
        *((f"分值：{path}", f"weight.{path}", weight) for path, weight in (weights or {}).items()),
    ]
    row = _FIRST_LINE
    for label, key, value in lines:
        _line(ws, row, (label, key, value))
        row += 1
    ws.cell(
        row + 1,
        1,
        "注：浅黄底色的单元格为填写处；金额以万元为单位。"
        "指标表中的数字、文字按原样填写（如 ≥90%、7个、达标）。",
    )
    return ws


#: The row of the sheet's first line under its header (the one whose styles are set).
_FIRST_LINE = 2


def _line(ws: Worksheet, row: int, values: tuple[str, str, Any]) -> None:
    """One line of the 填报信息 sheet: label, key and the value a user fills in. The styles
    are set on the first line and copied to the others (setting each one costs a lookup of
    the workbook's style lists: most of the sheet's time)."""
    cells = [ws.cell(row, col, value) for col, value in enumerate(values, start=1)]
    if row > _FIRST_LINE:
        for col, cell in enumerate(cells, start=1):
            cell._style = copy(ws.cell(_FIRST_LINE, col)._style)
        return
    for cell in cells:
        cell.border = _BORDER
    cells[2].fill = INPUT_FILL
    cells[2].protection = Protection(locked=False)
    cells[2].alignment = Alignment(horizontal="left")


def mark_inputs(ws: Worksheet) -> int:
    """Fill the cells of the indicator table a user fills in (指标值, 完成值, 得分, 偏差原因)
    from the header row down to the 总分 row; returns how many were marked."""
    from jixiao.read.self_table import find_header

    head_row, columns = find_header(ws)
    if head_row is None:
        return 0
    wanted = [c for h, c in columns.items() if h in heads_of("target", "actual", "score", "reason")]
    names = [c for h, c in columns.items() if h in heads_of("l2", "l3")]
    marked = 0
    for r in range(head_row + 1, ws.max_row + 1):
        first = next((str(v).strip() for v in (ws.cell(r, c).value for c in range(1, 4)) if v), "")
        if first in ("总分", "合计"):
            break
        # where the framework leaves the lower levels open, their names are filled in too
        open_names = [c for c in names if ws.cell(r, c).value is None]
        for c in [*wanted, *open_names]:
            cell = ws.cell(r, c)
            if type(cell).__name__ == "MergedCell":
                continue
            cell.fill = INPUT_FILL
            marked += 1
    return marked


def write_blank(framework_id: str, path: Path, *, catalog: Catalog | None = None) -> None:
    """A blank self-evaluation workbook of ``framework_id`` in its seed layout: every
    indicator the framework fixes, nothing filled in, the input cells marked."""
    from jixiao.render import xlsx_out
    from jixiao.render.context import Pair
    from jixiao.render.documents import build_context, plan
    from jixiao.score.engine import Scorer

    catalog = catalog or builtin()
    fw = catalog.get(framework_id)
    if fw is None:
        from jixiao.core.findings import InputError, finding

        raise InputError(
            [finding("unknown-framework", None, name=framework_id, available="、".join(catalog.ids()))]
        )
    project = "（项目名称）" if fw.kind == "project" else None
    sub = Submission(department="（部门名称）", project=project, year=2000, framework=fw.id)
    pair = Pair(sub, Scorer(fw).evaluate(sub), None)
    docs = [d for d in plan([pair], catalog) if d.kind in ("self-table", "project-table")]
    doc = docs[0]
    ctx = build_context(doc, with_findings=False, want_charts=False)
    xlsx_out.write(doc, ctx, path)
    wb = load_workbook(path)
    info = wb[INFO_SHEET]
    for r in range(2, info.max_row + 1):
        if info.cell(r, 2).value in ("department", "project", "year"):
            info.cell(r, 3).value = None
    _blank_placeholders(wb.worksheets[0])
    mark_inputs(wb.worksheets[0])
    wb.active = 0
    outputs.save(path, wb.save)


def write_filled(submission: Submission, path: Path, *, catalog: Catalog | None = None) -> None:
    """The self-evaluation workbook of a filled-in ``submission`` in its seed layout, the
    input cells marked: what a user downloads, edits in Excel and reads back with
    :func:`jixiao.read.self_table.read_workbook`."""
    from jixiao.render import xlsx_out
    from jixiao.render.context import Pair
    from jixiao.render.documents import build_context, plan
    from jixiao.score.engine import Scorer

    catalog = catalog or builtin()
    fw = catalog.get(submission.framework)
    if fw is None:
        from jixiao.core.findings import InputError, finding

        available = "、".join(catalog.ids())
        raise InputError([finding("unknown-framework", None, name=submission.framework, available=available)])
    pair = Pair(submission, Scorer(fw).evaluate(submission), None)
    doc = next(d for d in plan([pair], catalog) if d.kind in ("self-table", "project-table"))
    xlsx_out.write(doc, build_context(doc, with_findings=False, want_charts=False), path)
    wb = load_workbook(path)
    _stated_scores(wb.worksheets[0], submission)
    mark_inputs(wb.worksheets[0])
    wb.active = 0
    wb.save(path)


def _stated_scores(ws: Worksheet, submission: Submission) -> None:
    """The 得分 column as the department stated it (blank where it stated none), not as
    computed: read back, the workbook gives the same data it was written from."""
    from jixiao.read.self_table import _indicators, find_header

    head, columns = find_header(ws)
    col = next((columns[h] for h in heads_of("score") if h in columns), None)
    if head is None or col is None:
        return
    stated = {e.path: e.score for e in submission.indicators}
    for entry in _indicators(ws, ""):
        cell = ws.cell(entry["line"], col)
        if type(cell).__name__ == "MergedCell":
            continue
        value = stated.get(entry["path"])
        cell.value = None if value is None else str(value)


def _blank_placeholders(ws: Worksheet) -> None:
    """The blank workbook shows no invented name or year in its headings."""
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                text = c.value.replace("（部门名称）", "").replace("（项目名称）", "")
                text = text.replace("2000年度", "    年度")
                text = text.replace("【待填写：", "【填写：")
                c.value = text or None
