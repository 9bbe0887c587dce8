"""Build the Word templates shipped in ``templates/`` (a development tool).

The .docx templates are package data that users edit in Word; this module is where they
come from. The report templates follow the outlines in ``outlines/*.yaml``; the table
templates follow the seeds' tables. Run after changing an outline or a layout::

    python -m jixiao.render.build_templates

A test rebuilds them in memory and fails when the shipped files are out of date.
Each template records what it is for in its document properties (category
``jixiao-template:NAME``), so a user's renamed copy is still recognised.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as PageSection
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import CharacterStyle
from docx.table import Table, _Cell
from docx.text.run import Run

from jixiao.model.selfeval_tables import selfeval_layout
from jixiao.render.layout import Block, Outline, OutlineSection, outlines
from jixiao.render.template_store import CATEGORY

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋", "黑体", "方正小标宋简体"
LATIN_FONT = "Times New Roman"
BODY_PT, TABLE_PT = 14, 10.5

# A docx template is a Word document whose text holds Jinja tags; these helpers keep the
# builders below readable.


def _fonts(
    target: Run | CharacterStyle, east_asia: str, size: float | None = None, bold: bool | None = None
) -> None:
    font = target.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def _new_document(title: str, name: str, landscape: bool = False) -> Document:
    doc = docx.Document()
    props = doc.core_properties
    props.title = title
    props.category = CATEGORY + name
    props.author = "jixiao"
    # docxtpl renders the core properties too: no Jinja braces in them.
    props.comments = (
        "jixiao 模板：双花括号中为数据，%p、%tr 标签为段落和表格行的循环，详见 jixiao/render/docs.md。"
    )
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_height, section.page_width = section.page_width, section.page_height
    section.left_margin = section.right_margin = Cm(2.4)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_PT)
    normal.paragraph_format.line_spacing = 1.35
    normal.paragraph_format.space_after = Pt(0)
    for level, (size, font) in {1: (15, HEADING_FONT), 2: (14, "楷体"), 3: (14, BODY_FONT)}.items():
        style = doc.styles[f"Heading {level}"]
        _fonts(style, font, size, bold=level != 2)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(8 if level == 1 else 4)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    _page_number_footer(section)
    return doc


def _page_number_footer(section: PageSection) -> None:
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("— ")
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    para.add_run(" —")


def _para(
    container: Document,
    text: str = "",
    *,
    align: str | None = None,
    indent: bool = False,
    bold: bool = False,
    size: float | None = None,
    font: str | None = None,
    style: str | None = None,
) -> None:
    para = container.add_paragraph(style=style)
    if align:
        para.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
        }[align]
    if indent:
        para.paragraph_format.first_line_indent = Pt(2 * (size or BODY_PT))
    if text:
        run = para.add_run(text)
        if bold or size or font:
            _fonts(run, font or BODY_FONT, size, bold=bold or None)


def _tag(container: Document, tag: str) -> None:
    """A paragraph holding only a {%p %} tag: docxtpl removes the paragraph itself."""
    container.add_paragraph(tag)


def _cell(
    cell: _Cell, text: str, *, bold: bool = False, align: str = "center", size: float = TABLE_PT
) -> None:
    para = cell.paragraphs[0]
    para.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    para.paragraph_format.first_line_indent = Pt(0)
    para.paragraph_format.line_spacing = 1.0
    # the paragraph mark's size sets the height of an empty cell: the table's, not Normal's
    mark = OxmlElement("w:rPr")
    half_points = OxmlElement("w:sz")
    half_points.set(qn("w:val"), str(round(size * 2)))
    mark.append(half_points)
    para._p.get_or_add_pPr().append(mark)
    if text:
        run = para.add_run(text)
        _fonts(run, BODY_FONT if not bold else HEADING_FONT, size, bold=bold or None)


def _table(doc: Document, cols: int, widths: list[float]) -> Table:
    table: Table = doc.add_table(rows=0, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Cm(width)
    return table


def _row(
    table: Table, texts: list[str], *, bold: bool = False, aligns: str | None = None, header: bool = False
) -> None:
    row = table.add_row()
    for i, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
        cell.width = table.columns[i].width
        align = {"c": "center", "l": "left", "r": "right"}[aligns[i]] if aligns else "center"
        _cell(cell, text, bold=bold, align=align)
    if header:
        tr_pr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        tr_pr.append(el)


def _merge_row(table: Table, text: str, *, bold: bool = False, align: str = "left") -> None:
    """A row whose cells are merged into one (a label or a loop tag)."""
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    _cell(merged, text, bold=bold, align=align)


def _loop_rows(table: Table, loop: str, cells: list[str], aligns: str) -> None:
    """Three rows: {%tr for %}, the data row, {%tr endfor %}."""
    _merge_row(table, "{%tr " + loop + " %}")
    _row(table, cells, aligns=aligns)
    _merge_row(table, "{%tr endfor %}")


def _findings_appendix(doc: Document) -> None:
    _tag(doc, "{%p if with_findings %}")
    _para(doc, "附录：审核发现的问题", style="Heading 1")
    _para(doc, "以下问题由 jixiao 按指标体系和校验规则自动发现，供审核参考。", indent=True)
    table = _table(doc, 6, [1.2, 2.2, 3.4, 5.4, 2.0, 2.0])
    _row(table, ["级别", "问题", "位置", "说明", "文件所列", "复核应为"], bold=True, header=True)
    _loop_rows(
        table,
        "for f in findings",
        [
            "{{ f.severity.label }}",
            "{{ f.title }}",
            "{{ f.location.describe() }}",
            "{{ f.message }}",
            "{{ f.printed or '' }}",
            "{{ f.expected or '' }}",
        ],
        "clllrr",
    )
    _tag(doc, "{%p endif %}")


# --- the indicator tables -------------------------------------------------------------

TREE_WIDTHS = [2.0, 2.3, 3.3, 2.9, 2.9, 1.3, 1.5]


def _tree_table(doc: Document) -> None:
    table = _table(doc, 7, TREE_WIDTHS)
    _row(table, selfeval_layout("tree").heads("indicators"), bold=True, header=True)
    _loop_rows(
        table,
        "for r in rows",
        [
            "{{ r.l1 }}",
            "{{ r.l2 }}",
            "{{ r.l3 }}",
            "{{ r.target }}",
            "{{ r.actual }}",
            "{{ r.weight|score }}",
            "{{ r.score|score }}",
        ],
        "cclllrr",
    )
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[4])
    _cell(merged, "总分", bold=True)
    _cell(row.cells[5], "{{ full_score|score }}", bold=True)
    _cell(row.cells[6], "{{ total|score }}", bold=True)


def _tree_top(doc: Document) -> None:
    """Seed 000's block above the indicators: 年度履职目标, 年度主要任务, 预算情况."""
    table = _table(doc, 3, [3.0, 4.6, 8.6])
    row = table.add_row()
    _cell(row.cells[0], "年度履职目标", bold=True)
    goal = row.cells[1].merge(row.cells[2])
    _cell(goal, "{{ text_or('年度履职目标', '【待填写：年度履职目标】') }}", align="left")
    _row(table, ["年度主要任务", "任务名称", "主要内容"], bold=True)
    _merge_row(table, "{%tr for t in tasks %}")
    _row(table, ["", "{{ t.name }}", "{{ t.content }}"], aligns="cll")
    _merge_row(table, "{%tr endfor %}")
    _merge_row(table, "{%tr if not tasks %}")
    _row(table, ["", "{{ text_or('主要任务', '【待填写：主要任务】') }}", ""], aligns="cll")
    _merge_row(table, "{%tr endif %}")
    for label, value in (
        ("部门预算总额（万元）", "funds.budget_total"),
        ("资金来源：（1）财政性资金", "funds.funds_fiscal"),
        ("　　　　　（2）其他资金", "funds.funds_other"),
        ("资金结构：（1）基本支出", "funds.budget_basic"),
        ("　　　　　（2）项目支出", "funds.budget_project"),
    ):
        first = label.startswith("部门预算总额")
        _row(table, ["预算情况" if first else "", label, "{{ " + value + "|money }}"], aligns="clr")


def _table_notes(doc: Document) -> None:
    """The notes under a table (注 1–3 of seed 000, 备注 1–4 of seed 002)."""
    _tag(doc, "{%p if table_notes.notes %}")
    _para(doc, "{{ table_notes.head }}：", size=TABLE_PT)
    _tag(doc, "{%p for n in table_notes.notes %}")
    _para(doc, "{{ loop.index }}. {{ n }}", size=TABLE_PT)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")


def self_table_tree() -> Document:
    doc = _new_document(selfeval_layout("tree").title, "self-table-tree")
    _para(doc, "{{ department }}整体绩效自评表", align="center", bold=True, size=18, font=TITLE_FONT)
    _para(doc, "（{{ year }}年度）", align="center")
    _para(doc, "部门（单位）名称：{{ department }}", size=TABLE_PT)
    _tree_top(doc)
    _tree_table(doc)
    _para(doc, "评价等级：{{ grade }}　　得分率：{{ score_rate|pct }}", size=TABLE_PT)
    _para(doc, "指标体系：{{ framework_name }}", size=TABLE_PT)
    _table_notes(doc)
    _findings_appendix(doc)
    return doc


def self_table_execution_block() -> Document:
    """Seed 002: 预算执行情况 block, 年度目标, 绩效指标, 偏差原因分析, 改进措施."""
    layout = selfeval_layout("execution-block")
    doc = _new_document("部门整体绩效自评表", "self-table-execution-block")
    _para(
        doc,
        "{{ year }}年度{{ department }}部门整体绩效自评表",
        align="center",
        bold=True,
        size=16,
        font=TITLE_FONT,
    )
    _para(doc, "单位名称：{{ department }}　　　填报日期：{{ text_or('报告日期', '') }}", size=TABLE_PT)
    widths = [2.3, 2.1, 2.2, 3.2, 2.3, 2.4, 1.7]
    table = _table(doc, 7, widths)
    row = table.add_row()
    _cell(row.cells[0], "单位名称", bold=True)
    _cell(row.cells[1].merge(row.cells[6]), "{{ department }}", align="left")
    row = table.add_row()
    _cell(row.cells[0], "基本支出总额", bold=True)
    _cell(row.cells[1].merge(row.cells[2]), "{{ funds.spent_basic|money }}万元")
    _cell(row.cells[3], "项目支出总额", bold=True)
    _cell(row.cells[4].merge(row.cells[6]), "{{ funds.spent_project|money }}万元")
    row = table.add_row()
    _cell(
        row.cells[0], "预算执行情况（万元）（{{ execution.weight|score if execution else '' }}分）", bold=True
    )
    _cell(row.cells[1].merge(row.cells[2]), "")
    for cell, text in zip(row.cells[3:], layout.heads("execution"), strict=True):
        _cell(cell, text, bold=True)
    row = table.add_row()
    _cell(row.cells[0], "")
    _cell(row.cells[1].merge(row.cells[2]), "部门整体支出总额")
    _cell(row.cells[3], "{{ funds.budget_total|money }}", align="right")
    _cell(row.cells[4], "{{ funds.spent|money }}", align="right")
    _cell(row.cells[5], "{{ funds.execution_rate|pct }}", align="right")
    _cell(row.cells[6], "{{ execution.score|score if execution else '' }}", align="right")
    table.cell(2, 0).merge(table.cell(3, 0))
    row = table.add_row()
    _cell(row.cells[0], "年度目标", bold=True)
    _cell(row.cells[1].merge(row.cells[6]), "{{ text('年度履职目标')|join('\\n') }}", align="left")
    table = _table(doc, 7, widths)
    _row(table, layout.heads("indicators"), bold=True, header=True)
    _loop_rows(
        table,
        "for r in indicator_rows",
        [
            "",
            "{{ r.l1_label }}",
            "{{ r.l2 }}",
            "{{ r.l3 }}",
            "{{ r.target }}",
            "{{ r.actual }}",
            "{{ r.score|score }}",
        ],
        "ccclllr",
    )
    row = table.add_row()
    _cell(row.cells[0].merge(row.cells[5]), "总分", bold=True)
    _cell(row.cells[6], "{{ total|score }}分", bold=True)
    row = table.add_row()
    _cell(row.cells[0], "偏差大或目标未完成原因分析", bold=True)
    _cell(row.cells[1].merge(row.cells[6]), "{{ text('偏差原因', default='无')|join('\\n') }}", align="left")
    row = table.add_row()
    _cell(row.cells[0], "改进措施及结果应用方案", bold=True)
    _cell(
        row.cells[1].merge(row.cells[6]),
        "{{ text('改进措施及结果应用', '改进措施')|join('\\n') }}",
        align="left",
    )
    _para(doc, "评价等级：{{ grade }}　　指标体系：{{ framework_name }}", size=TABLE_PT)
    _table_notes(doc)
    _findings_appendix(doc)
    return doc


def project_table() -> Document:
    """项目支出绩效自评表 (财预〔2020〕10号 附件 表样)."""
    layout = selfeval_layout("project")
    doc = _new_document(layout.title, "project-table")
    _para(doc, layout.title, align="center", bold=True, size=18, font=TITLE_FONT)
    _para(doc, "（{{ year }}年度）", align="center")
    widths = [1.5, 1.8, 1.9, 2.6, 1.8, 1.8, 1.1, 1.6, 2.1]
    table = _table(doc, 9, widths)
    row = table.add_row()
    _cell(row.cells[0].merge(row.cells[1]), "项目名称", bold=True)
    _cell(row.cells[2].merge(row.cells[8]), "{{ project }}", align="left")
    row = table.add_row()
    _cell(row.cells[0].merge(row.cells[1]), "主管部门", bold=True)
    _cell(row.cells[2].merge(row.cells[4]), "{{ text_or('主管部门', department) }}", align="left")
    _cell(row.cells[5], "实施单位", bold=True)
    _cell(row.cells[6].merge(row.cells[8]), "{{ text_or('实施单位', department) }}", align="left")
    row = table.add_row()
    _cell(row.cells[0].merge(row.cells[1]), "项目资金（万元）", bold=True)
    for cell, text in zip(row.cells[2:], ["", *layout.heads("execution")], strict=True):
        _cell(cell, text, bold=True)
    funds_rows = [
        (
            "年度资金总额",
            "{{ funds.budget_initial|money }}",
            "{{ funds.budget_total|money }}",
            "{{ funds.spent|money }}",
            "{{ execution.weight|score if execution else '' }}",
            "{{ funds.execution_rate|pct }}",
            "{{ execution.score|score if execution else '' }}",
        ),
        ("其中：当年财政拨款", "", "{{ funds.funds_fiscal|money }}", "", "—", "", "—"),
        ("上年结转资金", "", "{{ funds.funds_carried|money }}", "", "—", "", "—"),
        ("其他资金", "", "{{ funds.funds_other|money }}", "", "—", "", "—"),
    ]
    for texts in funds_rows:
        row = table.add_row()
        _cell(row.cells[0].merge(row.cells[1]), "")
        for cell, text in zip(row.cells[2:], texts, strict=True):
            _cell(cell, text, align="right" if text.startswith("{{") else "center")
    row = table.add_row()
    _cell(row.cells[0].merge(row.cells[1]), "年度总体目标", bold=True)
    _cell(row.cells[2].merge(row.cells[5]), "预期目标", bold=True)
    _cell(row.cells[6].merge(row.cells[8]), "实际完成情况", bold=True)
    row = table.add_row()
    _cell(row.cells[0].merge(row.cells[1]), "")
    _cell(
        row.cells[2].merge(row.cells[5]), "{{ text('预期目标', '年度履职目标')|join('\\n') }}", align="left"
    )
    _cell(row.cells[6].merge(row.cells[8]), "{{ text('实际完成情况')|join('\\n') }}", align="left")
    table = _table(doc, 9, widths)
    _row(table, layout.heads("indicators"), bold=True, header=True)
    _loop_rows(
        table,
        "for r in indicator_rows",
        [
            "",
            "{{ r.l1 }}",
            "{{ r.l2 }}",
            "{{ r.l3 }}",
            "{{ r.target }}",
            "{{ r.actual }}",
            "{{ r.weight|score }}",
            "{{ r.score|score }}",
            "{{ r.reason }}",
        ],
        "ccclllrrl",
    )
    row = table.add_row()
    _cell(row.cells[0].merge(row.cells[5]), "总分", bold=True)
    _cell(row.cells[6], "{{ full_score|score }}", bold=True)
    _cell(row.cells[7], "{{ total|score }}", bold=True)
    _cell(row.cells[8], "{{ grade }}", bold=True)
    _findings_appendix(doc)
    return doc


def _projects_table(doc: Document) -> None:
    table = _table(doc, 10, [0.9, 4.0, 1.5, 1.4, 1.3, 1.3, 1.3, 1.3, 1.2, 1.9])
    _row(table, selfeval_layout("project-summary").heads("projects"), bold=True, header=True)
    _loop_rows(
        table,
        "for p in projects",
        [
            "{{ p.number }}",
            "{{ p.name }}",
            "{{ p.budget_total|money }}",
            "{{ p.spent|money }}",
            "{{ p.execution_rate|pct }}",
            "{{ p.output_rate|pct }}",
            "{{ p.effect_rate|pct }}",
            "{{ p.satisfaction_rate|pct }}",
            "{{ p.total|score_fixed }}",
            "{{ p.reason }}",
        ],
        "clrrrrrrrl",
    )


def project_summary() -> Document:
    """部门（单位）项目支出自评汇总表 (seed 001, 第五部分 附件)."""
    title = selfeval_layout("project-summary").title
    doc = _new_document(title, "project-summary", landscape=True)
    _para(doc, title, align="center", bold=True, size=18, font=TITLE_FONT)
    _para(doc, "（{{ year }}年度）", align="center")
    _para(doc, "部门（单位）名称：{{ department }}", size=TABLE_PT)
    _projects_table(doc)
    _para(
        doc,
        "共{{ projects|length }}个项目，全年预算数合计{{ projects_budget|money }}万元，"
        "执行数合计{{ projects_spent|money }}万元。",
        size=TABLE_PT,
    )
    _findings_appendix(doc)
    return doc


# --- the reports ------------------------------------------------------------------------


def _level1_table(doc: Document) -> None:
    """表3-1: one column per level-1 indicator, and the total."""
    _para(doc, "表3-1 部门整体得分情况", align="center", bold=True, size=TABLE_PT + 1)
    # docxtpl replaces a cell holding a {%tc %} tag by the tag: the loop needs cells of its own.
    table = _table(doc, 5, [2.6, 0.4, 3.0, 0.4, 2.6])
    rows = [
        ("一级指标", "{{ l.name }}", "合计"),
        ("权重", "{{ l.weight|score }}", "{{ full_score|score }}"),
        ("得分率", "{{ l.score_rate|pct }}", "{{ score_rate|pct }}"),
        ("得分", "{{ l.score|score }}", "{{ total|score }}"),
    ]
    for first, each, last in rows:
        row = table.add_row()
        head = first == "一级指标"
        _cell(row.cells[0], first, bold=True)
        _cell(row.cells[1], "{%tc for l in level1 %}")
        _cell(row.cells[2], each, bold=head)
        _cell(row.cells[3], "{%tc endfor %}")
        _cell(row.cells[4], last, bold=head)


def _block(doc: Document, block: Block) -> None:
    kind = block.kind
    if kind == "text":
        _para(doc, block.text or "", indent=True)
    elif kind == "field":
        keys = ", ".join(f"'{k}'" for k in block.field or ())
        call = f"text({keys}, default='{block.default}')" if block.default is not None else f"text({keys})"
        if block.optional:
            _tag(doc, "{%p if has_text(" + keys + ") %}")
        _tag(doc, "{%p for p in " + call + " %}")
        _para(doc, "{{ p }}", indent=True)
        _tag(doc, "{%p endfor %}")
        if block.optional:
            _tag(doc, "{%p endif %}")
    elif kind == "paras":
        _tag(doc, "{%p for p in paras." + str(block.paras) + " %}")
        _para(doc, "{{ p }}", indent=True)
        _tag(doc, "{%p endfor %}")
    elif kind == "details":
        _tag(doc, "{%p for d in details %}")
        _tag(doc, "{%p if d.heading == 1 %}")
        _para(doc, "{{ d.text }}", indent=True, bold=True, font=HEADING_FONT, size=BODY_PT)
        _tag(doc, "{%p elif d.heading == 2 %}")
        _para(doc, "{{ d.text }}", indent=True, font="楷体", size=BODY_PT)
        _tag(doc, "{%p else %}")
        _para(doc, "{{ d.text }}", indent=True)
        _tag(doc, "{%p endif %}")
        _tag(doc, "{%p endfor %}")
    elif kind == "table":
        if block.table == "level1":
            _level1_table(doc)
        elif block.table == "indicators":
            _para(
                doc,
                "{{ department }}整体绩效自评表（{{ year }}年度）",
                align="center",
                bold=True,
                size=TABLE_PT + 1,
            )
            _tree_table(doc)
        else:
            _tag(doc, "{%p if projects %}")
            _projects_table(doc)
            _tag(doc, "{%p endif %}")
    elif kind == "chart":
        _tag(doc, "{%p if charts.get('" + str(block.chart) + "') %}")
        _para(doc, "{{ charts['" + str(block.chart) + "'] }}", align="center")
        _tag(doc, "{%p endif %}")


def _section(doc: Document, section: OutlineSection, depth: int) -> None:
    optional = section.optional_keys()
    if optional:
        _tag(doc, "{%p if has_text(" + ", ".join(f"'{k}'" for k in optional) + ") %}")
    if section.when == "projects":
        _tag(doc, "{%p if projects %}")
    if section.title:
        _para(doc, section.title, style=f"Heading {min(depth, 3)}")
    for block in section.blocks:
        _block(doc, block)
    for child in section.sections:
        _section(doc, child, depth + 1)
    if section.when == "projects":
        _tag(doc, "{%p endif %}")
    if optional:
        _tag(doc, "{%p endif %}")


def report(outline: Outline) -> Document:
    doc = _new_document("部门整体支出绩效自评报告", f"report-{outline.id}")
    if outline.cover:
        for i, line in enumerate(outline.cover):
            big = i == 1
            _para(
                doc,
                line,
                align="left" if i == 0 else "center",
                bold=big,
                size=22 if big else 16,
                font=TITLE_FONT if big else HEADING_FONT if i == 0 else BODY_FONT,
            )
            if big:
                for _ in range(6):
                    doc.add_paragraph()
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, outline.title, align="center", bold=True, size=20, font=TITLE_FONT)
    if outline.subtitle:
        _para(doc, outline.subtitle, align="center", size=16, font=HEADING_FONT)
    if outline.byline:
        _para(doc, outline.byline, align="center", size=BODY_PT)
    for section in outline.sections:
        _section(doc, section, 1)
    for section in outline.appendix:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _section(doc, section, 1)
    for line in outline.closing:
        _para(doc, line, align="right")
    _findings_appendix(doc)
    return doc


# --- the final-accounts publication -----------------------------------------------------


def _page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _text_field(doc: Document, key: str) -> None:
    _tag(doc, "{%p for p in text('" + key + "') %}")
    _para(doc, "{{ p }}", indent=True)
    _tag(doc, "{%p endfor %}")


def accounts() -> Document:
    """部门决算 (seed 001): cover, 目录, 概况, the nine tables (landscape), 情况说明 with its
    two charts, 名词解释 and 附件. The tables themselves are placed by the renderer
    (``subdocs``): their rows follow the data, their layout ``accounts_tables``."""
    doc = _new_document("部门决算", "accounts")
    _accounts_front(doc)
    _accounts_tables(doc)
    _accounts_explanation(doc)
    _findings_appendix(doc)
    return doc


def _accounts_front(doc: Document) -> None:
    """Cover, 目录 and 第一部分 部门概况."""
    for _ in range(6):
        doc.add_paragraph()
    _para(doc, "{{ year }}年度", align="center", size=22, font=HEADING_FONT)
    _para(doc, "{{ department }}部门决算", align="center", bold=True, size=26, font=TITLE_FONT)
    for _ in range(10):
        doc.add_paragraph()
    _para(doc, "{{ text_or('报告日期', '') }}", align="center", size=16)
    _page_break(doc)
    _para(doc, "目　录", align="center", bold=True, size=18, font=HEADING_FONT)
    _para(doc, "第一部分　部门概况", bold=True, font=HEADING_FONT, size=BODY_PT)
    _para(doc, "一、部门职责　二、机构设置", indent=True)
    _para(doc, "第二部分　{{ year }}年度部门决算表", bold=True, font=HEADING_FONT, size=BODY_PT)
    _tag(doc, "{%p for t in tables %}")
    _para(doc, "{{ loop.index|cn }}、{{ t.title }}（{{ t.number }}）", indent=True)
    _tag(doc, "{%p endfor %}")
    _para(doc, "第三部分　{{ year }}年度部门决算情况说明", bold=True, font=HEADING_FONT, size=BODY_PT)
    _tag(doc, "{%p for s in explanation %}")
    _para(doc, "{{ s.id }}、{{ s.title }}", indent=True)
    _tag(doc, "{%p endfor %}")
    _para(doc, "第四部分　名词解释", bold=True, font=HEADING_FONT, size=BODY_PT)
    _para(doc, "第五部分　附件", bold=True, font=HEADING_FONT, size=BODY_PT)
    _page_break(doc)
    _para(doc, "第一部分　{{ department }}概况", style="Heading 1")
    _para(doc, "一、部门职责", style="Heading 2")
    _text_field(doc, "部门职责")
    _para(doc, "二、机构设置", style="Heading 2")
    _text_field(doc, "机构设置")


def _new_section(doc: Document, *, landscape: bool, sides: float, top: float, bottom: float) -> None:
    """A new A4 section on a new page, landscape or portrait, margins in cm."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = Cm(sides)
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)


def _accounts_tables(doc: Document) -> None:
    """第二部分: the nine tables, in a landscape section of their own."""
    _new_section(doc, landscape=True, sides=1.5, top=1.5, bottom=1.5)
    _para(doc, "第二部分　{{ year }}年度部门决算表", style="Heading 1")
    _tag(doc, "{%p for t in tables %}")
    _tag(doc, "{%p if not loop.first %}")
    _page_break(doc)
    _tag(doc, "{%p endif %}")
    _para(doc, "{{ t.number }}", align="right", size=TABLE_PT)
    _para(doc, "{{ t.title }}", align="center", bold=True, size=16, font=HEADING_FONT)
    _para(doc, "部门名称：{{ department }}　　　　　　单位：万元", size=TABLE_PT)
    _para(doc, "{{p subdocs[t.id] }}")
    _para(doc, "注：{{ t.note }}", size=9)
    _tag(doc, "{%p if t.empty_note %}")
    _para(doc, "说明：{{ t.empty_note }}", size=9)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")


def _accounts_explanation(doc: Document) -> None:
    """第三部分 情况说明 (portrait again) with 图1/图2, 第四部分 名词解释, 第五部分 附件."""
    _new_section(doc, landscape=False, sides=2.4, top=2.5, bottom=2.2)
    _para(doc, "第三部分　{{ year }}年度部门决算情况说明", style="Heading 1")
    _tag(doc, "{%p for s in explanation %}")
    _para(doc, "{{ s.id }}、{{ s.title }}", style="Heading 2")
    _tag(doc, "{%p for p, heading in s.paragraphs %}")
    _tag(doc, "{%p if heading %}")
    _para(doc, "{{ p }}", indent=True, font="楷体", size=BODY_PT)
    _tag(doc, "{%p else %}")
    _para(doc, "{{ p }}", indent=True)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    figures = (
        ("一", "trend", ""),
        ("二", "income", "图1：收入决算结构图"),
        ("三", "expense", "图2：支出决算结构图"),
    )
    for sid, name, caption in figures:
        _tag(doc, "{%p if s.id == '" + sid + "' and charts.get('" + name + "') %}")
        _para(doc, "{{ charts['" + name + "'] }}", align="center")
        if caption:
            _para(doc, caption, align="center", size=TABLE_PT + 1)
        _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _page_break(doc)
    _para(doc, "第四部分　名词解释", style="Heading 1")
    _tag(doc, "{%p for term, explained in glossary %}")
    _para(doc, "{{ loop.index|cn }}、{{ term }}：{{ explained }}", indent=True)
    _tag(doc, "{%p endfor %}")
    _page_break(doc)
    _para(doc, "第五部分　附件", style="Heading 1")
    _tag(doc, "{%p if projects %}")
    _para(doc, "部门（单位）项目支出自评汇总表", align="center", bold=True, size=14, font=HEADING_FONT)
    _para(doc, "部门（单位）名称：{{ department }}", size=TABLE_PT)
    _projects_table(doc)
    _tag(doc, "{%p else %}")
    _para(doc, "无。", indent=True)
    _tag(doc, "{%p endif %}")


# --- all of them ----------------------------------------------------------------------


def builders() -> dict[str, Callable[[], Document]]:
    """Template name -> function building it."""
    out: dict[str, Callable[[], Document]] = {
        "self-table-tree": self_table_tree,
        "self-table-execution-block": self_table_execution_block,
        "project-table": project_table,
        "project-summary": project_summary,
        "accounts": accounts,
    }
    for outline in outlines().values():
        out[f"report-{outline.id}"] = partial(report, outline)
    return out


def _finish(doc: Document) -> Document:
    """Rows never split across pages (a score cut from its indicator misleads)."""
    for tr in doc.element.body.iter(qn("w:tr")):
        tr_pr = tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))
    return doc


def build(name: str) -> Document:
    """The built-in template ``name``, ready to save."""
    return _finish(builders()[name]())


def build_bytes(name: str) -> bytes:
    buf = io.BytesIO()
    build(name).save(buf)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write every template into ``templates/`` beside this module (or the folder given)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).parent / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    for name in builders():
        build(name).save(str(folder / f"{name}.docx"))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
