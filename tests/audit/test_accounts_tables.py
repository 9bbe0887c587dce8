"""Final-accounts tables (公开01表–公开09表) found in a published document: recognised by their
titles and headers, read into the model figure for figure, checked with the standard rules
and, with the 情况说明, figure by figure against the text. The same tables in Word, Excel and
PDF read the same; strange tables never raise."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest
from tests.audit import docgen

from jixiao.check.published.final_accounts import _recognise, check_accounts_tables
from jixiao.model.accounts import TABLE_IDS
from jixiao.model.document import Builder, Paragraph, PublishedDocument, Table
from jixiao.read.accounts.reader import read_accounts
from jixiao.read.published import read_document
from jixiao.read.published.text import parse

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "examples"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in tests/data/seeds")

#: what seed 001 prints, in its order (Henan 2024 numbering)
SEED_001_TABLES = [
    "公开01表（收入支出决算总表）（4个功能分类类级科目）",
    "公开02表（收入决算表）（22个功能分类科目）",
    "公开03表（支出决算表）（22个功能分类科目）",
    "公开04表（财政拨款收入支出决算总表）（4个功能分类类级科目）",
    "公开05表（一般公共预算财政拨款支出决算表）（24个功能分类科目）",
    "公开06表（一般公共预算财政拨款基本支出决算明细表）（24个经济分类科目）",
    "公开07表（政府性基金预算财政拨款收入支出决算表）（本表无数据）",
    "公开08表（国有资本经营预算财政拨款支出决算表）（本表无数据）",
    "公开09表（一般公共预算财政拨款“三公”经费支出决算表）（预算数、决算数）",
]


def _seed_text() -> str:
    (path,) = SEEDS.glob("001_*.txt")
    return path.read_text(encoding="utf-8")


def _seed(text: str | None = None, name: str = "001.txt") -> PublishedDocument:
    return parse(text if text is not None else _seed_text(), name)


def _example():
    return read_accounts(EXAMPLES / "accounts-001-xinxiang-2024.yaml").accounts


def _blocks(doc: PublishedDocument) -> list[tuple]:
    """A parsed document as docgen blocks (titles stay the paragraphs above the tables)."""
    out: list[tuple] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            out.append(("table", "", [list(r) for r in block.rows]))
        else:
            out.append(("p", block.text))
    return out


def _table_findings(findings):
    return [f for f in findings if not f.code.startswith("accounts-text-")]


def _by(findings, severity: str):
    return sorted(
        (f.code, f.location.table, f.location.row, f.location.column, f.printed, f.expected)
        for f in findings
        if f.severity.value == severity
    )


# --------------------------------------------------------------------------- seed 001


@needs_seeds
def test_seed_001_nine_tables_recognised_by_title():
    described, _ = check_accounts_tables(_seed())
    assert described == [*SEED_001_TABLES, "部门决算情况说明（13个部分）"]


@needs_seeds
def test_seed_001_tables_read_figure_for_figure_as_the_transcription():
    found = _recognise(_seed())
    acc = found.accounts
    assert (acc.department, acc.year, acc.layout) == ("新乡市科学技术协会", 2024, "henan-2024")
    example = _example()
    for tid in TABLE_IDS:
        assert getattr(acc, tid) == getattr(example, tid), tid
    # an empty cell stays empty, a printed 0.00 stays 0
    assert acc.three_public.budget.abroad == 0
    assert acc.basic.items.get("30106") is None
    assert next(r for r in acc.general.rows if r.code == "20808").total is None
    assert found.findings == []


@needs_seeds
def test_seed_001_rules_find_no_error_only_rounding_tails():
    _, findings = check_accounts_tables(_seed())
    tables = _table_findings(findings)
    assert all(f.location.file == "001.txt" for f in findings)
    assert _by(tables, "error") == []
    # 2060199 + 2089999 + 2130599 (“其他……支出”) = 215.55 of 741.64: the reasonableness hint
    assert _by(tables, "warning") == [
        ("accounts-reasonableness", "公开03表（支出决算表）", None, "本年支出合计", "215.55", "148.33")
    ]
    income, expense = "公开02表（收入决算表）", "公开03表（支出决算表）"
    general, basic = (
        "公开05表（一般公共预算财政拨款支出决算表）",
        "公开06表（一般公共预算财政拨款基本支出决算明细表）",
    )
    medical = "21011 行政事业单位医疗"  # 6.97 + 9.32 + 15.53 = 31.82, printed 31.83
    assert _by(tables, "note") == sorted(
        [
            ("accounts-rounding-tail", income, medical, "本年收入合计", "31.83", "31.82"),
            ("accounts-rounding-tail", income, medical, "财政拨款收入", "31.83", "31.82"),
            ("accounts-rounding-tail", expense, medical, "本年支出合计", "31.83", "31.82"),
            ("accounts-rounding-tail", expense, medical, "基本支出", "31.83", "31.82"),
            ("accounts-rounding-tail", general, medical, "小计", "31.83", "31.82"),
            ("accounts-rounding-tail", general, medical, "基本支出", "31.83", "31.82"),
            ("accounts-rounding-tail", basic, "301 工资福利支出", None, "433.53", "433.52"),
            ("accounts-rounding-tail", basic, "302 商品和服务支出", None, "36.28", "36.30"),
        ]
    )
    lines = {(f.location.row, f.printed): f.location.line for f in tables if f.location.row}
    assert lines[("302 商品和服务支出", "36.28")] == 279  # the row as printed in the seed
    assert lines[(medical, "31.83")] in (136, 175, 260)


@needs_seeds
def test_seed_001_explanation_checked_against_the_tables():
    _, findings = check_accounts_tables(_seed())
    text = [f for f in findings if f.code.startswith("accounts-text-")]
    assert _by(text, "error") == []
    # section 五（三）12 names the item by its old name (巩固脱贫衔接乡村振兴 / 其他扶贫支出);
    # the tables print 21305 / 2130599 by their 2024 names — found by its amount 2.99
    (name,) = [f for f in text if f.severity.value == "warning"]
    assert name.code == "accounts-text-name"
    assert name.location.line == 434
    assert name.printed == "农林水支出（类）巩固脱贫衔接乡村振兴（款）其他扶贫支出（项）"
    assert name.expected == (
        "农林水支出（类）巩固脱贫攻坚成果衔接乡村振兴（款）其他巩固脱贫攻坚成果衔接乡村振兴支出（项）"
    )
    # what the tables cannot confirm (last year, 年初预算, 三公 details, 政府采购, 资产, 绩效)
    # is a note, one per sentence and missing datum
    unverifiable = {(f.location.line, f.printed) for f in text if f.code == "accounts-text-unverifiable"}
    assert (366, "减少、70.14") in unverifiable  # 收、支总计各减少70.14万元: last year not given
    assert (408, "161.20") in unverifiable  # 行政运行 年初预算
    assert (478, "0.63、0.63、0、0、0.63、100.00%、0.63、100.00%") in unverifiable  # 政府采购
    assert all(f.severity.value == "note" for f in text if f.code == "accounts-text-unverifiable")
    unchecked = sorted(f.location.line for f in text if f.code == "accounts-text-unchecked")
    assert unchecked == [474, 492, 496, 496, 504, 516, 518]
    # the figures that the tables do hold were checked and agree: none of them is listed
    assert not any(
        f.location.line in (370, 379, 400, 438, 452, 456) for f in text if f.code != "accounts-text-name"
    )


@needs_seeds
def test_a_changed_class_figure_is_an_error_naming_table_and_row():
    lines = _seed_text().split("\n")
    assert lines[127].startswith("208\t社会保障和就业支出\t168.39\t168.39")  # 公开02表, line 128
    lines[127] = lines[127].replace("168.39", "178.39", 1)
    _, findings = check_accounts_tables(_seed("\n".join(lines)))
    errors = [f for f in findings if f.severity.value == "error"]
    assert errors
    assert {
        (f.location.table, f.location.row, f.location.line) for f in errors if "T02-ROW" in f.message
    } == {("公开02表（收入决算表）", "208 社会保障和就业支出", 128)}
    assert any("T02-TOTAL" in f.message for f in errors)  # 合计 741.64 against the 类 751.64
    assert all(f.location.table == "公开02表（收入决算表）" for f in errors)


@needs_seeds
def test_a_changed_figure_in_the_explanation_is_an_error_on_its_line():
    text = _seed_text().replace("基本支出599.20万元，占80.79%", "基本支出599.20万元，占80.97%")
    _, findings = check_accounts_tables(_seed(text))
    errors = [
        (f.code, f.location.line, f.printed, f.expected) for f in findings if f.severity.value == "error"
    ]
    assert errors == [("accounts-text-mismatch", 379, "80.97%", "80.79%")]


def _no_page(text: str | None) -> str | None:
    return re.sub(r"（第\d+页）", "", text) if text else text


@needs_seeds
@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf"])
def test_the_same_tables_in_word_excel_and_pdf_read_the_same(tmp_path, suffix):
    if suffix == ".pdf" and not docgen.pdf_available():
        pytest.skip("WeasyPrint or the CJK font is missing")
    seed = _seed()
    path = docgen.write(_blocks(seed), tmp_path / f"001{suffix}")
    doc = read_document(path)
    described, findings = check_accounts_tables(doc)
    # the PDF names each table's page: 公开01表（收入支出决算总表）（第2页）
    assert [_no_page(d) for d in described] == [*SEED_001_TABLES, "部门决算情况说明（13个部分）"]
    acc, example = _recognise(doc).accounts, _example()
    for tid in TABLE_IDS:
        assert getattr(acc, tid) == getattr(example, tid), tid
    _, from_text = check_accounts_tables(seed)

    def key(items):
        return sorted(
            (f.severity.value, f.code, _no_page(f.location.table), f.location.row, f.printed) for f in items
        )

    assert key(_table_findings(findings)) == key(_table_findings(from_text))
    assert Counter(f.code for f in findings) == Counter(f.code for f in from_text)
    assert all(f.location.file == str(path) for f in findings)


@needs_seeds
def test_a_missing_table_is_left_out_not_an_empty_table():
    seed = _seed()
    blocks = [b for b in seed.blocks if not (isinstance(b, Table) and b.rows[0][0] == "人员经费")]
    doc = PublishedDocument(seed.name, tuple(blocks))
    described, findings = check_accounts_tables(doc)
    assert len(described) == 9  # eight tables and the 情况说明
    codes = Counter(f.code for f in findings)
    assert codes["accounts-tables-missing"] == 1
    assert "accounts-empty-table" not in codes
    assert not [f for f in findings if f.severity.value == "error"]
    # X4-BASIC (05 基本支出 = 06 人员 + 公用) is not run without 公开06表
    assert not any("X4-BASIC" in f.message for f in findings)


@needs_seeds
def test_an_unreadable_figure_is_a_finding_on_its_line():
    text = _seed_text().replace("2060702\t科普活动\t98.80\t98.80", "2060702\t科普活动\t98.80\t九十八")
    _, findings = check_accounts_tables(_seed(text))
    (bad,) = [f for f in findings if f.code == "accounts-table-value"]
    assert (bad.location.line, bad.location.table, bad.location.column, bad.printed) == (
        126,
        "公开02表（收入决算表）",
        "财政拨款收入",
        "九十八",
    )


# --------------------------------------------------------------------------- other layouts


def _variant_blocks() -> list[tuple]:
    """Seed 001's tables printed another way: the MOF order and numbering (“三公” as 公开07表),
    titles with their number on one line, dashes in empty cells, code and name in one cell."""
    seed = _seed()
    tables: dict[str, tuple[str, list[list[str]]]] = {}
    order = [f"公开0{n}表" for n in (1, 2, 3, 4, 5, 6, 9, 7, 8)]
    blocks = list(seed.blocks)
    for k, block in enumerate(blocks):
        if isinstance(block, Table) and block.title.startswith("公开0"):
            heading = next(
                b.text.strip("# ")
                for b in reversed(blocks[max(0, k - 5) : k])
                if "表" in b.text and "公开" not in b.text
            )
            rows = [list(r) for r in block.rows]
            coded = block.title in ("公开02表", "公开03表", "公开05表")
            for r in rows:
                for j in range(2, len(r)):
                    if not r[j] and coded and re.fullmatch(r"\d{3,7}", r[0]):
                        r[j] = "-"
                if coded and re.fullmatch(r"\d{3,7}", r[0]):
                    r[0], r[1] = f"{r[0]} {r[1]}", ""
            tables[block.title] = (heading, rows)
    out: list[tuple] = [("p", "部门名称：新乡市科学技术协会"), ("p", "2024年度部门决算")]
    for new_number, old in enumerate(order, start=1):
        heading, rows = tables[old]
        out.append(("p", f"公开{new_number:02d}表 {heading}"))
        out.append(("p", "单位：万元"))
        out.append(("table", "", rows))
        if old in ("公开07表", "公开08表"):
            out.append(("p", "说明：本部门本年度无此项收支，故本表无数据。"))
    return out


@needs_seeds
def test_other_numbering_dashes_and_codes_with_names_read_the_same(tmp_path):
    blocks = _variant_blocks()
    doc = read_document(docgen.write(blocks, tmp_path / "variant.docx"))
    found = _recognise(doc)
    acc, example = found.accounts, _example()
    assert acc.layout == "mof"
    for tid in ("summary", "income", "expense", "fiscal", "general", "basic", "three_public"):
        assert getattr(acc, tid) == getattr(example, tid), tid
    assert acc.fund.note == "本部门本年度无此项收支，故本表无数据。"
    assert found.descriptions[6] == "公开07表（一般公共预算财政拨款“三公”经费支出决算表）（预算数、决算数）"
    described, findings = check_accounts_tables(doc)
    assert not [f for f in findings if f.severity.value == "error"]
    assert "部门决算情况说明" not in " ".join(described)


def test_a_table_broken_across_pages_is_read_as_one():
    rows = [
        ["功能分类科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["", "合计", "30.00", "10.00", "20.00"],
        ["206", "科学技术支出", "30.00", "10.00", "20.00"],
        ["20607", "科学技术普及", "30.00", "10.00", "20.00"],
    ]
    more = [["2060701", "机构运行", "10.00", "10.00", ""], ["2060702", "科普活动", "20.00", "", "20.00"]]
    b = Builder()
    b.paragraph("部门名称：某单位", 1)
    b.paragraph("2024年度部门决算", 2)
    b.paragraph("支出决算表", 3)
    b.table(rows, line=4, row_lines=[4, 5, 6, 7])
    b.paragraph("- 3 -", 8)
    b.table(more, line=9, row_lines=[9, 10])
    found = _recognise(b.build("broken.txt"))
    assert [r.code for r in found.accounts.expense.rows] == ["206", "20607", "2060701", "2060702"]
    assert found.lines[("expense", "2060702")] == 10
    _, findings = check_accounts_tables(b.build("broken.txt"))
    assert not [f for f in findings if f.severity.value == "error"]


# --------------------------------------------------------------------------- no tables, strange tables


def test_a_document_without_final_accounts_tables_gives_nothing():
    b = Builder()
    b.paragraph("2024年度部门整体绩效自评报告", 1)
    b.paragraph("项目支出绩效自评表", 2)
    b.table([["一级指标", "分值", "得分"], ["产出指标", "50", "48"], ["合计", "100", "96"]], line=3)
    b.paragraph("一、收入支出决算总体情况说明", 6)
    b.paragraph("2024年度收、支总计均为741.64万元。", 7)
    assert check_accounts_tables(b.build("report.txt")) == ([], [])


@needs_seeds
def test_the_other_seeds_have_no_final_accounts_tables():
    for path in sorted(SEEDS.glob("*.txt")):
        if not path.name.startswith("001"):
            assert check_accounts_tables(parse(path.read_text(encoding="utf-8"), path.name)) == ([], [])


TITLES = [
    "收入支出决算总表",
    "收入决算表",
    "支出决算表",
    "财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算明细表",
    "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款支出决算表",
    "一般公共预算财政拨款“三公”经费支出决算表",
]
CELLS = [
    *[""] * 6,
    *[
        "合计",
        "总计",
        "栏次",
        "项目",
        "行次",
        "小计",
        "预算数",
        "决算数",
        "公务接待费",
        "科目编码",
        "科目名称",
    ],
    *["206", "20601", "2060101", "301", "30101", "99999999", "2060101 行政运行", "一、科学技术支出"],
    *["12.5", "0", "0.00", "-", "abc", "-3.2", "1,234.50", "12元", "1", "2", "3", "1.005"],
    *["本年收入合计", "人员经费合计", "公用经费合计", "基本支出", "年初结转和结余", "说明：故本表无数据"],
]


def test_strange_tables_never_raise():
    rng = random.Random(20240)
    seen: Counter[str] = Counter()
    for n in range(400):
        b = Builder()
        b.paragraph("部门名称：测试单位", 1)
        for k in range(rng.randint(1, 4)):
            b.paragraph(rng.choice(TITLES), 2 + k)
            width = rng.randint(1, 12)
            rows = [
                [rng.choice(CELLS) for _ in range(rng.randint(0, width))] for _ in range(rng.randint(1, 12))
            ]
            b.table(rows, line=10 * k + 10, row_lines=list(range(10 * k + 10, 10 * k + 10 + len(rows))))
        name = f"strange-{n}.txt"
        _, findings = check_accounts_tables(b.build(name))
        assert all(f.location.file == name for f in findings)
        assert not [f for f in findings if f.code == "internal-error"]
        seen.update(f.code for f in findings)
    assert seen["accounts-table-value"]
    assert seen["accounts-table-unrecognised"]


def test_a_title_in_the_table_or_in_its_paragraphs_and_only_these_titles():
    from jixiao.read.published.accounts.names import table_id

    assert table_id("公开02表 收入决算表") == "income"
    assert table_id("2024年度支出决算表") == "expense"
    assert table_id("新乡市科学技术协会2024年度收入支出决算总表") == "summary"
    assert table_id("某某部门收入决算表") == "income"
    assert table_id("一般公共预算财政拨款基本支出决算表") == "basic"
    assert table_id('一般公共预算财政拨款"三公"经费支出决算表') == "three_public"
    assert table_id("国有资本经营预算财政拨款收入支出决算表") == "capital"
    assert table_id("项目支出决算表") is None
    assert table_id("财政拨款支出决算明细表") is None
    assert table_id("收入支出预算总表") is None
    doc = PublishedDocument("x", (Paragraph("x", 1), Table((("收入决算表",), ("a", "b")))))
    described, findings = check_accounts_tables(doc)
    assert described == ["收入决算表（空表）"]
    assert "accounts-empty-table" in {f.code for f in findings}
