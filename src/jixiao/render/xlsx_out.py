"""Excel workbooks written with openpyxl, styled like the official forms.

Numbers are written as numbers (Decimal cells with a number format: money ``0.00``, rates
``0.00%``), so a reviewer can add them up; the indicator levels are merged cells as in the
seeds; every sheet prints on A4, fitted to the page width, with its header rows repeated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core import outputs
from jixiao.core.sheets import text_only
from jixiao.model.selfeval_tables import selfeval_layout
from jixiao.render.context import LeafRow
from jixiao.render.documents import Doc
from jixiao.render.fmt import pct, score

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF1F5")
MONEY, RATE, SCORE = "0.00", "0.00%", "General"

Cell = str | Decimal | int | None


def merge(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Merge a range of cells as ``ws.merge_cells`` does, without its border arithmetic.

    openpyxl's own merge gives each covered cell the border sides of the top-left cell one
    by one (most of an Excel file's time); here every covered cell keeps the style it was
    written with (a bordered table's cells carry the whole border), which the spreadsheet
    shows the same.
    """
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCellRange

    coord = CellRange(min_row=first_row, min_col=first_col, max_row=last_row, max_col=last_col).coord
    mcr = MergedCellRange.__new__(MergedCellRange)
    CellRange.__init__(mcr, range_string=coord)
    mcr.ws = ws
    mcr.start_cell = ws.cell(first_row, first_col)
    ws.merged_cells.add(mcr)
    for row in range(first_row, last_row + 1):
        for col in range(first_col, last_col + 1):
            if row == first_row and col == first_col:
                continue
            old = ws._cells.get((row, col))
            cell = MergedCell(ws, row, col)
            if old is not None and old.has_style:
                cell._style = copy(old._style)
            ws._cells[row, col] = cell


class Sheet:
    """A worksheet being filled row by row, with the forms' styles."""

    def __init__(self, ws: Worksheet, widths: Sequence[float]):
        self.ws = ws
        self.row = 1
        self.cols = len(widths)
        self.widths = list(widths)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        self._styles: set[str] = set(ws.parent.named_styles)
        self._records: dict[str, Any] = {}

    def put(self, cell: Any, name: str) -> None:
        """Give ``cell`` the named style ``name`` (from :meth:`style`). After its first use the
        style's record is copied: openpyxl looks a named style up by name in a list and
        rebuilds its record on every assignment, most of a workbook's time."""
        record = self._records.get(name)
        if record is None:
            cell.style = name
            self._records[name] = copy(cell._style)
        else:
            cell._style = copy(record)

    def style(
        self,
        *,
        size: float = 10,
        bold: bool = False,
        align: str = "center",
        fill: bool = False,
        fmt: str | None = None,
        border: bool = True,
        wrap: bool = True,
    ) -> str:
        """The name of a named style with these properties, registered on first use.

        A named style is set on a cell in one step; setting font, border, alignment and
        format one by one made the workbooks three times slower to write.
        """
        name = f"jx-{size}-{int(bold)}-{align}-{int(fill)}-{fmt or ''}-{int(border)}-{int(wrap)}"
        if name not in self._styles:
            style = NamedStyle(name=name)
            style.font = Font(name=FONT, size=size, bold=bold)
            style.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
            if border:
                style.border = BORDER
            if fill:
                style.fill = HEAD_FILL
            if fmt:
                style.number_format = fmt
            self.ws.parent.add_named_style(style)
            self._styles.add(name)
        return name

    def title(self, text: str, size: int = 16) -> None:
        self.merged(text, font=Font(name=FONT, size=size, bold=True), height=30, border=False)

    def line(self, text: str, *, align: str = "left", size: float = 10.5) -> None:
        self.merged(text, font=Font(name=FONT, size=size), align=align, border=False)

    def merged(
        self,
        text: Cell,
        *,
        font: Font | None = None,
        align: str = "center",
        height: float | None = None,
        border: bool = True,
        first: int = 1,
        last: int | None = None,
        wrap: bool = True,
    ) -> None:
        last = last or self.cols
        ws = self.ws
        cell = ws.cell(self.row, first, text)
        size = font.size if font is not None else 10.5
        bold = bool(font.bold) if font is not None else False
        self.put(cell, self.style(size=size, bold=bold, align=align, border=border, wrap=wrap))
        if border:
            edge = self.style(border=True)
            for c in range(first + 1, last + 1):
                self.put(ws.cell(self.row, c), edge)
        if last > first:
            merge(ws, self.row, first, self.row, last)
        if height:
            ws.row_dimensions[self.row].height = height
        elif isinstance(text, str) and wrap:
            self.fit_height([text], [(first, last)] if last > first else [], size=size)
        self.row += 1

    def cells(
        self,
        values: Sequence[Cell],
        *,
        formats: Sequence[str | None] = (),
        head: bool = False,
        aligns: str = "",
        bold: bool = False,
        spans: Sequence[tuple[int, int]] = (),
        merged_down: Sequence[int] = (),
    ) -> int:
        """Write one row; ``spans`` are (first, last) 1-based columns merged after writing;
        ``merged_down`` the columns merged with the rows below later (their text does not
        set this row's height)."""
        ws = self.ws
        for i, value in enumerate(values, start=1):
            cell = ws.cell(self.row, i, value)
            align = {"l": "left", "r": "right", "c": "center"}.get(aligns[i - 1] if i <= len(aligns) else "c")
            fmt = formats[i - 1] if i <= len(formats) else None
            if not isinstance(value, Decimal | int):
                fmt = None
            self.put(cell, self.style(bold=head or bold, align=align or "center", fill=head, fmt=fmt))
        for first, last in spans:
            merge(ws, self.row, first, self.row, last)
        self.fit_height([None if i in merged_down else v for i, v in enumerate(values, start=1)], spans)
        self.row += 1
        return self.row - 1

    def fit_height(
        self, values: Sequence[Cell], spans: Sequence[tuple[int, int]] = (), size: float = 10
    ) -> None:
        """Give the current row the height its longest wrapped text needs.

        Spreadsheet programs do not grow a row for the wrapped text of a merged cell, and
        LibreOffice not even for a plain one: without this a long 偏差原因 overlaps the
        rows below it when printed.
        """
        span_of = dict(spans)
        lines = 1
        for i, value in enumerate(values, start=1):
            if not isinstance(value, str) or not value:
                continue
            width = sum(self.widths[i - 1 : span_of.get(i, i)])
            lines = max(lines, text_lines(value, width * 10 / size))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = lines * size * 1.32 + 4

    def merge_down(self, col: int, first: int, last: int) -> None:
        if last > first:
            merge(self.ws, first, col, last, col)

    def repeat_rows(self, first: int, last: int) -> None:
        self.ws.print_title_rows = f"{first}:{last}"


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (a Chinese
    character is two characters wide in a spreadsheet's unit)."""
    usable = max(width - 1.5, 2.0)
    lines = 0
    for para in text.split("\n"):
        chars = sum(2 if ord(ch) > 0x2E80 else 1 for ch in para)
        lines += max(1, math.ceil(chars / usable))
    return lines


def _merge_levels(sheet: Sheet, rows: Sequence[LeafRow], first_row: int, cols: tuple[int, int]) -> None:
    """Merge the level-1 and level-2 cells of consecutive rows with the same names."""
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j].l1 == rows[i].l1:
            j += 1
        sheet.merge_down(cols[0], first_row + i, first_row + j - 1)
        k = i
        while k < j:
            m = k
            while m < j and rows[m].l2 == rows[k].l2:
                m += 1
            if rows[k].l2:
                sheet.merge_down(cols[1], first_row + k, first_row + m - 1)
            k = m
        i = j


def self_table_tree(doc: Doc, ctx: Mapping[str, Any], ws: Worksheet) -> None:
    """Seed 000: 一级/二级/三级指标, 指标值, 完成值, 分值, 得分."""
    sheet = Sheet(ws, [12, 14, 24, 22, 22, 8, 8])
    sheet.ws.title = "自评表"
    sheet.title(f"{ctx['department']}整体绩效自评表")
    sheet.line(f"（{ctx['year']}年度）", align="center")
    sheet.cells(
        ["部门（单位）名称", ctx["department"], None, None, None, None, None], aligns="cl", spans=[(2, 7)]
    )
    _tree_top(sheet, ctx)
    _tree_rows(sheet, ctx)
    sheet.line(
        f"评价等级：{ctx['grade']}　得分率：{pct(ctx['score_rate'])}　指标体系：{ctx['framework_name']}"
    )
    notes_lines(sheet, ctx)


def _tree_top(sheet: Sheet, ctx: Mapping[str, Any]) -> None:
    """Seed 000's block above the indicators: 年度履职目标, 年度主要任务, 预算情况 (部门预算总额,
    资金来源, 资金结构)."""
    goal = "\n".join(ctx["text"]("年度履职目标"))
    sheet.cells(["年度履职目标", goal, None, None, None, None, None], aligns="cl", spans=[(2, 7)])
    top = sheet.cells(
        ["年度主要任务", "任务名称", None, "主要内容", None, None, None], head=True, spans=[(2, 3), (4, 7)]
    )
    tasks = ctx["tasks"] or [None]
    for task in tasks:
        name, content = (task.name, task.content) if task else ("\n".join(ctx["text"]("主要任务")), "")
        sheet.cells([None, name, None, content, None, None, None], aligns="cll", spans=[(2, 3), (4, 7)])
    sheet.merge_down(1, top, sheet.row - 1)
    f = ctx["funds"]
    first = sheet.row
    for label, value in (
        ("部门预算总额（万元）", f.budget_total),
        ("资金来源：（1）财政性资金", f.funds_fiscal),
        ("　　　　　（2）其他资金", f.funds_other),
        ("资金结构：（1）基本支出", f.budget_basic),
        ("　　　　　（2）项目支出", f.budget_project),
    ):
        sheet.cells(
            ["预算情况", label, None, None, value, None, None],
            formats=[None, None, None, None, MONEY],
            aligns="clllr",
            spans=[(2, 4), (5, 7)],
            merged_down=(1,),
        )
    sheet.merge_down(1, first, sheet.row - 1)


def notes_lines(sheet: Sheet, ctx: Mapping[str, Any]) -> None:
    """The notes printed under the table (注 1–3, 备注 1–4)."""
    notes = ctx.get("table_notes")
    if not notes or not notes.notes:
        return
    sheet.line(f"{notes.head}：")
    for i, text in enumerate(notes.notes, start=1):
        sheet.line(f"{i}. {text}", size=9)


def _tree_rows(sheet: Sheet, ctx: Mapping[str, Any]) -> None:
    head = sheet.cells(selfeval_layout("tree").heads("indicators"), head=True)
    sheet.repeat_rows(head, head)
    rows: list[LeafRow] = ctx["rows"]
    first = sheet.row
    for r in rows:
        sheet.cells(
            [r.l1, r.l2, r.l3, r.target, r.actual, r.weight, r.score],
            formats=[None] * 5 + [SCORE, SCORE],
            aligns="cclllrr",
            merged_down=(1, 2),
        )
    _merge_levels(sheet, rows, first, (1, 2))
    sheet.cells(
        ["总分", None, None, None, None, ctx["full_score"], ctx["total"]],
        bold=True,
        formats=[None] * 5 + [SCORE, SCORE],
        spans=[(1, 5)],
    )


def self_table_execution_block(doc: Doc, ctx: Mapping[str, Any], ws: Worksheet) -> None:
    """Seed 002: 预算执行情况 block, 年度目标, 绩效指标, 偏差原因分析, 改进措施."""
    sheet = Sheet(ws, [16, 14, 14, 26, 16, 16, 10])
    sheet.ws.title = "自评表"
    sheet.title(f"{ctx['year']}年度{ctx['department']}部门整体绩效自评表")
    sheet.line(f"单位名称：{ctx['department']}　　填报日期：{ctx['text_or']('报告日期', '')}")
    f = ctx["funds"]
    ex = ctx["execution"]
    sheet.cells(["单位名称", ctx["department"], None, None, None, None, None], aligns="cl", spans=[(2, 7)])
    sheet.cells(
        ["基本支出总额（万元）", f.spent_basic, None, "项目支出总额（万元）", f.spent_project, None, None],
        formats=[None, MONEY, None, None, MONEY],
        spans=[(2, 3), (5, 7)],
    )
    weight = ex.weight if ex else None
    label = f"预算执行情况（万元）（{score(weight)}分）" if weight is not None else "预算执行情况（万元）"
    heads = selfeval_layout("execution-block").heads
    top = sheet.cells([label, None, None, *heads("execution")], head=True, spans=[(2, 3)])
    sheet.cells(
        [None, "部门整体支出总额", None, f.budget_total, f.spent, f.execution_rate, ex.score if ex else None],
        formats=[None, None, None, MONEY, MONEY, RATE, SCORE],
        aligns="cccrrrr",
        spans=[(2, 3)],
    )
    sheet.merge_down(1, top, top + 1)
    sheet.cells(
        ["年度目标", "\n".join(ctx["text"]("年度履职目标")), None, None, None, None, None],
        aligns="cl",
        spans=[(2, 7)],
    )
    head = sheet.cells(heads("indicators"), head=True)
    rows: list[LeafRow] = ctx["indicator_rows"]
    first = sheet.row
    for r in rows:
        sheet.cells(
            [None, r.l1_label, r.l2, r.l3, r.target, r.actual, r.score],
            formats=[None] * 6 + [SCORE],
            aligns="ccclllr",
            merged_down=(1, 2, 3),
        )
    sheet.merge_down(1, head, sheet.row - 1)
    _merge_levels(sheet, rows, first, (2, 3))
    sheet.cells(
        ["总分", None, None, None, None, None, ctx["total"]],
        bold=True,
        formats=[None] * 6 + [SCORE],
        spans=[(1, 6)],
    )
    sheet.cells(
        [
            "偏差大或目标未完成原因分析",
            "\n".join(ctx["text"]("偏差原因", default="无")),
            None,
            None,
            None,
            None,
            None,
        ],
        aligns="cl",
        spans=[(2, 7)],
    )
    sheet.cells(
        [
            "改进措施及结果应用方案",
            "\n".join(ctx["text"]("改进措施及结果应用", "改进措施")),
            None,
            None,
            None,
            None,
            None,
        ],
        aligns="cl",
        spans=[(2, 7)],
    )
    sheet.line(f"评价等级：{ctx['grade']}　指标体系：{ctx['framework_name']}")
    notes_lines(sheet, ctx)


def project_table(doc: Doc, ctx: Mapping[str, Any], ws: Worksheet) -> None:
    """项目支出绩效自评表 (财预〔2020〕10号 表样)."""
    sheet = Sheet(ws, [10, 12, 12, 20, 14, 14, 8, 8, 22])
    sheet.ws.title = "项目自评表"
    layout = selfeval_layout("project")
    sheet.title(layout.title)
    sheet.line(f"（{ctx['year']}年度）", align="center")
    text_or: Callable[[str, str], str] = ctx["text_or"]
    f, ex = ctx["funds"], ctx["execution"]
    sheet.cells(
        ["项目名称", None, ctx["project"], None, None, None, None, None, None],
        aligns="ccl",
        spans=[(1, 2), (3, 9)],
    )
    sheet.cells(
        [
            "主管部门",
            None,
            text_or("主管部门", ctx["department"]),
            None,
            None,
            "实施单位",
            text_or("实施单位", ctx["department"]),
            None,
            None,
        ],
        aligns="ccl",
        spans=[(1, 2), (3, 5), (7, 9)],
    )
    top = sheet.cells(["项目资金（万元）", None, None, *layout.heads("execution")], head=True, spans=[(1, 2)])
    fmts = [None, None, None, MONEY, MONEY, MONEY, SCORE, RATE, SCORE]
    sheet.cells(
        [
            None,
            None,
            "年度资金总额",
            f.budget_initial,
            f.budget_total,
            f.spent,
            ex.weight if ex else None,
            f.execution_rate,
            ex.score if ex else None,
        ],
        formats=fmts,
        aligns="ccc" + "r" * 6,
        spans=[(1, 2)],
    )
    for label, amount in (
        ("其中：当年财政拨款", f.funds_fiscal),
        ("上年结转资金", f.funds_carried),
        ("其他资金", f.funds_other),
    ):
        sheet.cells(
            [None, None, label, None, amount, None, "—", None, "—"],
            formats=fmts,
            aligns="ccc" + "r" * 6,
            spans=[(1, 2)],
        )
    sheet.merge_down(1, top, sheet.row - 1)
    goal = sheet.cells(
        ["年度总体目标", None, "预期目标", None, None, None, "实际完成情况", None, None],
        head=True,
        spans=[(1, 2), (3, 6), (7, 9)],
    )
    sheet.cells(
        [
            None,
            None,
            "\n".join(ctx["text"]("预期目标", "年度履职目标")),
            None,
            None,
            None,
            "\n".join(ctx["text"]("实际完成情况")),
            None,
            None,
        ],
        aligns="ccl" + "ccclcc",
        spans=[(1, 2), (3, 6), (7, 9)],
    )
    sheet.merge_down(1, goal, goal + 1)
    head = sheet.cells(layout.heads("indicators"), head=True)
    rows: list[LeafRow] = ctx["indicator_rows"]
    first = sheet.row
    for r in rows:
        sheet.cells(
            [None, r.l1, r.l2, r.l3, r.target, r.actual, r.weight, r.score, r.reason],
            formats=[None] * 6 + [SCORE, SCORE],
            aligns="ccclllrrl",
            merged_down=(1, 2, 3),
        )
    sheet.merge_down(1, head, sheet.row - 1)
    _merge_levels(sheet, rows, first, (2, 3))
    sheet.cells(
        ["总分", None, None, None, None, None, ctx["full_score"], ctx["total"], ctx["grade"]],
        bold=True,
        formats=[None] * 6 + [SCORE, SCORE],
        spans=[(1, 6)],
    )


def project_summary(doc: Doc, ctx: Mapping[str, Any], ws: Worksheet) -> None:
    """部门（单位）项目支出自评汇总表 (seed 001, 第五部分 附件)."""
    sheet = Sheet(ws, [6, 40, 13, 12, 10, 11, 11, 11, 9, 30])
    sheet.ws.title = "项目支出自评汇总表"
    sheet.ws.page_setup.orientation = "landscape"
    layout = selfeval_layout("project-summary")
    sheet.title(layout.title)
    sheet.line(f"（{ctx['year']}年度）", align="center")
    sheet.line(f"部门（单位）名称：{ctx['department']}")
    head = sheet.cells(layout.heads("projects"), head=True)
    sheet.repeat_rows(head, head)
    for p in ctx["projects"]:
        sheet.cells(
            [getattr(p, key) for key, _ in layout.projects],
            formats=[None, None, MONEY, MONEY, RATE, RATE, RATE, RATE, MONEY],  # one format a column
            aligns="clrrrrrrrl",
        )
    sheet.cells(
        ["合计", None, ctx["projects_budget"], ctx["projects_spent"], None, None, None, None, None, None],
        bold=True,
        formats=[None, None, MONEY, MONEY],
        spans=[(1, 2)],
        aligns="ccrr",
    )


def findings_sheet(ctx: Mapping[str, Any], wb: Workbook) -> None:
    """The reviewer's copy: a sheet listing the Findings."""
    sheet = Sheet(wb.create_sheet("审核发现的问题"), [8, 18, 40, 60, 14, 14])
    sheet.title("审核发现的问题", size=14)
    head = sheet.cells(["级别", "问题", "位置", "说明", "文件所列", "复核应为"], head=True)
    sheet.repeat_rows(head, head)
    for f in ctx["findings"]:
        row = [f.severity.label, f.title, f.location.describe(), f.message, f.printed or "", f.expected or ""]
        sheet.cells(row, aligns="llllrr")
    if not ctx["findings"]:
        sheet.line("未发现问题。")


WRITERS: Mapping[str, Callable[[Doc, Mapping[str, Any], Worksheet], None]] = {
    "tree": self_table_tree,
    "execution-block": self_table_execution_block,
    "project": project_table,
    "project-summary": project_summary,
}


def write(doc: Doc, context: Mapping[str, Any], path: Path) -> None:
    wb = Workbook()
    if doc.publication is not None:
        from jixiao.render import accounts_doc

        accounts_doc.write_xlsx(doc, context, wb)
    else:
        WRITERS[doc.layout](doc, context, wb.active)
    if doc.pair is not None and doc.kind in ("self-table", "project-table"):
        # what the table does not show (framework, figures), so that the file reads back
        from jixiao.render.selfeval_xlsx import info_sheet

        sub = doc.pair.submission
        fields = {
            "department": sub.department,
            "project": sub.project,
            "year": sub.year,
            "framework": sub.framework,
            "origin": sub.origin.value,
        }
        # the 襄阳 layout prints no level-3 weights: they are kept beside the figures
        weights = (
            {r.ind.path: r.weight for r in context["indicator_rows"] if r.weight is not None}
            if doc.layout == "execution-block"
            else {}
        )
        info_sheet(wb, fields, sub.figures, weights)
    if context.get("with_findings"):
        findings_sheet(context, wb)
    wb.properties.creator = "jixiao"
    wb.properties.title = f"{doc.year}年度{doc.department}{doc.title}"
    text_only(wb)  # a name written "=..." stays text, never a formula
    outputs.save(path, wb.save)
