"""The Word, PDF and Excel readers: a document written from one description reads back as
the same paragraphs and table cells, in order, with titles and (PDF) pages; bad files
give a Chinese Finding, never a traceback."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from tests.audit import docgen
from tests.audit.docgen import LEFT, UP

from jixiao.core.findings import InputError
from jixiao.model.document import Paragraph, PublishedDocument, Table
from jixiao.read.published import _files, read_document
from jixiao.read.published.xlsx import format_number

SELF_EVALUATION = [
    ["指标", LEFT, LEFT, "指标值", "完成值", "分值", "得分"],
    ["一级指标", "二级指标", "三级指标", UP, UP, UP, UP],
    ["产出指标", "数量指标", "举办科普活动次数", "≥10次", "12次", "10", "10"],
    [UP, "质量指标", "活动完成率\n（按季度统计）", "≥90%", "88.53%", "10", "9.5"],
    ["效益指标", "社会效益指标", "公众科学素质提升", "明显提升", "有所提升", "20", "16"],
    ["合计", LEFT, LEFT, "", "", "40", "35.5"],
]
EXPENDITURE = [["科目编码", "科目名称", "年初预算", "支出决算", "完成率"]] + [
    [
        f"20{130 + i:04d}",
        f"科普活动经费{i}",
        f"{Decimal(i) * Decimal('3.25'):.2f}",
        f"{i * 3:,}.00",
        f"{i}.5%",
    ]
    for i in range(1, 61)
]
NARRATIVE = (
    "一、部门基本情况。新乡市科学技术协会2023年度年初预算为607.49万元，支出决算为549.33万元，"
    "完成年初预算的90.43%。其中基本支出483.46万元，占总支出的88.01%；项目支出65.87万元，"
    "占总支出的11.99%，主要用于科普活动、学会建设和青少年科技创新大赛。"
)
BLOCKS = [
    ("p", "新乡市科学技术协会2023年度部门整体支出绩效自评报告"),
    ("p", NARRATIVE),
    ("table", "表1 部门整体支出绩效自评表", SELF_EVALUATION),
    ("p", "注：本表分值与得分均为百分制，各项得分之和为总分。"),
    ("p", "二、预算执行情况。"),
    ("table", "表2 支出决算明细表", EXPENDITURE),
    ("p", "三、存在的问题及改进措施。部分项目年初预算编制不够细化，下一步将加强预算管理。"),
    ("table", "表3 收入支出决算总表", [["项目", "金额"], ["财政拨款收入", "1,234.50"], ["其他收入", "0.30"]]),
]
FORMATS = [".docx", ".xlsx", ".pdf"]


def _needs(suffix: str) -> None:
    if suffix == ".pdf" and not docgen.pdf_available():
        pytest.skip("WeasyPrint or the Noto CJK font is not installed")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PublishedDocument]:
    """BLOCKS written in each format and read back (once for the module)."""
    folder = tmp_path_factory.mktemp("readers")
    out = {}
    for suffix in FORMATS:
        if suffix == ".pdf" and not docgen.pdf_available():
            continue
        path = docgen.write(BLOCKS, folder / f"report{suffix}")
        out[suffix] = read_document(path)
    return out


@pytest.mark.parametrize("suffix", FORMATS)
def test_reads_back_paragraphs_and_tables_in_order(
    written: dict[str, PublishedDocument], suffix: str
) -> None:
    _needs(suffix)
    document = written[suffix]
    assert document.kind == suffix[1:]
    assert docgen.read_back(document) == docgen.expected(BLOCKS)


@pytest.mark.parametrize("suffix", FORMATS)
def test_titles_indexes_and_merged_cells(written: dict[str, PublishedDocument], suffix: str) -> None:
    _needs(suffix)
    tables = list(written[suffix].tables())
    assert [t.title for t in tables] == [
        "表1 部门整体支出绩效自评表",
        "表2 支出决算明细表",
        "表3 收入支出决算总表",
    ]
    assert [t.index for t in tables] == [1, 2, 3]
    first = tables[0]
    # A merged cell once, at its top-left; the grid positions it covers are "".
    assert first.rows[0] == ("指标", "", "", "指标值", "完成值", "分值", "得分")
    assert first.rows[1] == ("一级指标", "二级指标", "三级指标", "", "", "", "")
    assert first.rows[3][:3] == ("", "质量指标", "活动完成率（按季度统计）")
    assert first.rows[3][4] == "88.53%"
    assert first.rows[-1] == ("合计", "", "", "", "", "40", "35.5")
    assert tables[2].rows[1] == ("财政拨款收入", "1,234.50")
    assert tables[2].rows[2] == ("其他收入", "0.30")
    assert len(tables[1].rows) == len(EXPENDITURE)


def test_pdf_pages_and_a_table_over_a_page_break(written: dict[str, PublishedDocument]) -> None:
    _needs(".pdf")
    document = written[".pdf"]
    assert document.pages >= 2
    assert all(b.page for b in document.blocks)
    pages = [b.page for b in document.blocks]
    assert pages == sorted(pages)
    expenditure = next(t for t in document.tables() if t.title.startswith("表2"))
    # One table: its header, repeated by the printer on the next page, appears once.
    assert [r[0] for r in expenditure.rows].count("科目编码") == 1
    last = list(document.paragraphs())[-1]
    assert last.page is not None
    assert last.page > expenditure.page
    narrative = next(p for p in document.paragraphs() if p.text.startswith("一、"))
    assert narrative.page == 1
    assert narrative.line == 2  # wrapped over several PDF lines, joined into one paragraph


def test_docx_paragraph_numbers(written: dict[str, PublishedDocument]) -> None:
    paragraphs = list(written[".docx"].paragraphs())
    assert [p.line for p in paragraphs[:3]] == [1, 2, 3]
    assert all(p.page is None for p in paragraphs)


def test_xlsx_rows_are_excel_rows(written: dict[str, PublishedDocument]) -> None:
    document = written[".xlsx"]
    first = next(document.tables())
    assert first.line == 2  # row 1 holds the title
    assert first.row_lines[:3] == (2, 3, 4)
    assert first.location("x.xlsx", row=2).line == 4


# --------------------------------------------------------------------------- Word


def test_docx_layout_frame_and_nested_table(tmp_path: Path) -> None:
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.text = "一、基本情况"
    frame.add_paragraph("表1 收支表")
    inner = frame.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "项目", (0, 1): "金额", (1, 0): "合计", (1, 1): "607.49"}.items():
        inner.cell(r, c).text = text
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "附表"
    nested = outer.cell(0, 1).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "年初预算", (0, 1): "100.00", (1, 0): "决算", (1, 1): "90.00"}.items():
        nested.cell(r, c).text = text
    document.add_paragraph("完。")
    path = tmp_path / "frame.docx"
    document.save(str(path))

    blocks = read_document(path).blocks
    assert blocks[0] == Paragraph("一、基本情况", 1)
    assert blocks[1] == Paragraph("表1 收支表", 2)
    assert isinstance(blocks[2], Table)
    assert blocks[2].title == "表1 收支表"
    assert blocks[2].rows == (("项目", "金额"), ("合计", "607.49"))
    assert isinstance(blocks[3], Table)
    assert blocks[3].rows == (("附表", "年初预算 100.00 决算 90.00"),)
    assert blocks[4].text == "完。"


def test_docx_line_breaks_tabs_and_deleted_text(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("年初预算为")
    paragraph.add_run().add_break()
    paragraph.add_run("607.49万元")
    paragraph.add_run().add_break()
    paragraph.add_run("项目名称\t科普活动")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    revised = docx.oxml.parse_xml(
        f'<w:p xmlns:w="{w}"><w:r><w:t>决算数为</w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>500.00</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>549.33</w:t></w:r></w:ins><w:r><w:t>万元</w:t></w:r></w:p>'
    )
    document.element.body.insert(1, revised)
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    texts = [p.text for p in read_document(path).paragraphs()]
    assert texts == ["年初预算为 607.49万元项目名称 科普活动", "决算数为549.33万元"]


# --------------------------------------------------------------------------- Excel


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (0.8853, "0.00%", "88.53%"),
        (0.5, "0%", "50%"),
        (0.1 + 0.2, "General", "0.3"),
        (0.1 + 0.2, "0.00", "0.30"),
        (607.49, "0.00", "607.49"),
        (2.675, "0.00", "2.68"),  # half up on the decimal value, as Excel shows it
        (1234.5, "#,##0.00", "1,234.50"),
        (12.0, "General", "12"),
        (12, "0", "12"),
        (1e16, "General", "10000000000000000"),
        (-3.456, "#,##0.00;[Red]-#,##0.00", "-3.46"),
        (-3.456, "#,##0.00;[Red]\\(#,##0.00\\)", "(3.46)"),
        (-0.001, "0.00", "0.00"),
        (607.49, '0.00"万元"', "607.49万元"),
        (123.456, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "123.46"),
        (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
        (Decimal("5"), "@", "5"),
    ],
)
def test_excel_number_formats(value: float, number_format: str, shown: str) -> None:
    assert format_number(value, number_format) == shown


def test_xlsx_cells_as_shown_notes_and_titles(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收支"
    sheet["A1"] = "公开01表 收入支出决算总表"
    sheet.merge_cells("A1:C1")
    sheet["A2"], sheet["C2"] = "部门：新乡市科学技术协会", "单位：万元"
    sheet.append(["项目", "决算数", "占比"])
    sheet.append(["基本支出", 483.46, 0.8801])
    sheet.append(["项目支出", 0.1 + 0.2, 0.1199])
    sheet.append(["合计", "=B4+B5", 1])
    for row in (4, 5):
        sheet.cell(row, 2).number_format = "0.00"
        sheet.cell(row, 3).number_format = "0.00%"
    sheet.cell(6, 3).number_format = "0.00%"
    sheet.append([])
    sheet.append(["注：本表反映部门本年度的总收支和年末结转结余情况，金额单位为万元。"])
    bare = workbook.create_sheet("明细")
    bare.append(["科目", "金额"])
    bare.append(["行政运行", 12])
    workbook.create_sheet("空表")
    hidden = workbook.create_sheet("隐藏")
    hidden.append(["草稿", "不应读出"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    workbook.save(path)

    blocks = read_document(path).blocks
    assert blocks[0] == Paragraph("公开01表 收入支出决算总表", 1)
    table = blocks[1]
    assert isinstance(table, Table)
    assert table.title == "公开01表 收入支出决算总表"
    assert table.rows == (
        ("部门：新乡市科学技术协会", "", "单位：万元"),
        ("项目", "决算数", "占比"),
        ("基本支出", "483.46", "88.01%"),
        ("项目支出", "0.30", "11.99%"),
        ("合计", "", "100.00%"),  # a formula never computed by Excel has no cached value
    )
    assert blocks[2] == Paragraph("注：本表反映部门本年度的总收支和年末结转结余情况，金额单位为万元。", 8)
    assert isinstance(blocks[3], Table)
    assert blocks[3].title == "明细"  # no title row: the sheet's name
    assert blocks[3].rows == (("科目", "金额"), ("行政运行", "12"))
    assert len(blocks) == 4


# --------------------------------------------------------------------------- PDF


def test_pdf_borderless_table_and_page_numbers(tmp_path: Path) -> None:
    _needs(".pdf")
    rows = [["项目", "年初预算", "支出决算", "完成率"], ["基本支出", "483.46", "470.12", "97.24%"]]
    rows += [["项目支出", "124.03", "79.21", "63.86%"], ["合计", "607.49", "549.33", "90.43%"]]
    blocks = [
        ("p", NARRATIVE),
        ("table", "表1 预算执行情况表", rows),
        ("break",),
        ("p", "二、绩效目标完成情况。"),
    ]
    path = docgen.write_pdf(blocks, tmp_path / "plain.pdf", css=docgen.NO_RULES + docgen.PAGE_NUMBERS)
    document = read_document(path)
    assert docgen.read_back(document) == docgen.expected([b for b in blocks if b[0] != "break"])
    assert document.pages == 2
    assert [b.page for b in document.blocks] == [1, 1, 1, 2]


def test_pdf_paragraph_continues_over_a_page_break(tmp_path: Path) -> None:
    _needs(".pdf")
    long_text = NARRATIVE * 12
    blocks = [("p", "（一）部门职能。"), ("p", long_text * 2), ("p", "（二）机构设置。")]
    document = read_document(docgen.write_pdf(blocks, tmp_path / "long.pdf", css=docgen.PAGE_NUMBERS))
    assert document.pages == 2
    assert [p.text for p in document.paragraphs()] == [b[1] for b in blocks]
    assert [p.page for p in document.paragraphs()] == [1, 1, 2]


# --------------------------------------------------------------------------- bad input


def _text(path: Path) -> Path:
    path.write_text("这不是文档，只是一段文字。", encoding="utf-8")
    return path


def _truncated(path: Path) -> Path:
    docgen.write([("p", "内容"), ("table", "表1", [["a", "b"], ["1", "2"]])], path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _other_format(path: Path) -> Path:
    other = path.with_name("other" + (".xlsx" if path.suffix == ".docx" else ".docx"))
    docgen.write([("table", "表1", [["a", "b"]])], other)
    path.write_bytes(other.read_bytes())
    return path


BAD = {
    ".docx": {
        "not a zip": (_text, "unreadable-document"),
        "a workbook renamed": (_other_format, "unreadable-document"),
        "password": (docgen.write_encrypted_office, "encrypted-document"),
        "Word 97": (docgen.write_legacy_office, "legacy-office-format"),
        "no text": (lambda p: docgen.write_docx([("p", "  ")], p), "empty-document"),
        "zero bytes": (lambda p: p.write_bytes(b"") and p, "empty-document"),
    },
    ".xlsx": {
        "not a zip": (_text, "unreadable-document"),
        "a Word file renamed": (_other_format, "unreadable-document"),
        "password": (docgen.write_encrypted_office, "encrypted-document"),
        "Excel 97": (docgen.write_legacy_office, "legacy-office-format"),
        "empty workbook": (lambda p: docgen.write_xlsx([], p), "empty-document"),
    },
    ".pdf": {
        "not a pdf": (_text, "unreadable-document"),
        "password": (docgen.write_encrypted_pdf, "encrypted-document"),
        "scanned": (docgen.write_scanned_pdf, "scanned-pdf"),
        "zero bytes": (lambda p: p.write_bytes(b"") and p, "empty-document"),
    },
}
BAD_CASES = [(s, name, *case) for s, cases in BAD.items() for name, case in cases.items()]


@pytest.mark.parametrize(
    ("suffix", "name", "make", "code"), BAD_CASES, ids=[f"{c[0]}-{c[1]}" for c in BAD_CASES]
)
def test_bad_input_is_a_chinese_finding(tmp_path: Path, suffix: str, name: str, make, code: str) -> None:
    path = tmp_path / f"bad{suffix}"
    make(path)
    with pytest.raises(InputError) as caught:
        read_document(path)
    [found] = caught.value.findings
    assert found.code == code, found.message
    assert found.location.file == str(path)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in found.message)


@pytest.mark.parametrize("suffix", FORMATS)
def test_truncated_file(tmp_path: Path, suffix: str) -> None:
    """The first half of a valid file (a download cut short)."""
    _needs(suffix)
    with pytest.raises(InputError) as caught:
        read_document(_truncated(tmp_path / f"cut{suffix}"))
    assert caught.value.findings[0].code == "unreadable-document"


@pytest.mark.parametrize("suffix", FORMATS)
def test_too_large_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    path = _text(tmp_path / f"big{suffix}")
    monkeypatch.setattr(_files, "MAX_INPUT_BYTES", 10)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.findings[0].code == "file-too-large"


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_zip_that_expands_too_far_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    path = docgen.write([("p", "内容"), ("table", "表1", [["a", "b"]])], tmp_path / f"bomb{suffix}")
    monkeypatch.setattr(_files, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.findings[0].code == "file-too-large"
    assert "解压后" in caught.value.findings[0].message


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf"])
def test_missing_file(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(InputError) as caught:
        read_document(tmp_path / f"missing{suffix}")
    assert caught.value.findings[0].code == "file-not-found"


@pytest.mark.parametrize("suffix", FORMATS)
def test_damaged_files_never_raise_a_traceback(tmp_path: Path, suffix: str) -> None:
    """Bytes overwritten anywhere in a valid file: it reads, or it is an InputError."""
    _needs(suffix)
    original = docgen.write(BLOCKS[:4], tmp_path / f"good{suffix}").read_bytes()
    rng = random.Random(20240601)
    for k in range(8):
        data = bytearray(original)
        start = rng.randrange(len(data))
        data[start : start + 64] = rng.randbytes(64)
        path = tmp_path / f"damaged{k}{suffix}"
        path.write_bytes(bytes(data))
        try:
            read_document(path)
        except InputError as exc:
            codes = {f.code for f in exc.findings}
        else:
            codes = set()
        assert codes <= {"unreadable-document", "empty-document", "scanned-pdf"}


def test_pdf_merged_cells_split_by_page_breaks(tmp_path: Path) -> None:
    """A table of cells merged down three rows, over several pages: wherever a break cuts
    a merged cell (its rule is not drawn there), its text stays in its row."""
    _needs(".pdf")
    rows = [["功能分类", "科目名称", "年初预算", "支出决算"]]
    for k in range(1, 31):
        rows.append([f"201{k:02d}", f"行政运行{k}", f"{k * 11}.50", f"{k * 10}.25"])
        rows.append([UP, f"一般行政管理事务{k}", "1.00", "0.90"])
        rows.append([UP, f"事业运行{k}", "2.00", "1.80"])
    blocks = [("p", NARRATIVE), ("table", "表4 一般公共预算财政拨款支出决算表", rows), ("p", "完。")]
    document = read_document(docgen.write_pdf(blocks, tmp_path / "spans.pdf"))
    assert document.pages >= 3
    assert docgen.read_back(document) == docgen.expected(blocks)


def test_xlsx_far_styled_cell_and_leading_blank_column(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B2"], sheet["C2"] = "项目", "金额"
    sheet["B3"], sheet["C3"] = "合计", 607.49
    sheet["C3"].number_format = "0.00"
    sheet["XFD1048576"].number_format = "0.00"  # formatted, empty: the used range is the whole sheet
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    [table] = read_document(path).blocks
    assert isinstance(table, Table)
    assert table.rows == (("项目", "金额"), ("合计", "607.49"))
    assert table.row_lines == (2, 3)
