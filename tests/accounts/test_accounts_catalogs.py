"""The classification catalogs and the table layout are data; they hold everything seed 001
prints, their hierarchy is the code prefix, and they agree with the model."""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.model.accounts import TABLE_IDS, Accounts
from jixiao.model.classification import economic_catalog, economic_classes, function_catalog
from jixiao.model.tables import chinese_number, table_name, tables
from jixiao.read.accounts.form_cells import economic_groups

#: Seed 001 as published (its 公开06表 lists every row, empty ones included).
SEED_TABLES = Path(__file__).resolve().parents[1] / "data" / "seeds" / "001_9ee8868df83b9797.txt"

#: The 26 类 rows of 公开01表 as seed 001 prints them (一、 … 二十六、).
SEED_CLASSES = [
    "一般公共服务支出",
    "外交支出",
    "国防支出",
    "公共安全支出",
    "教育支出",
    "科学技术支出",
    "文化旅游体育与传媒支出",
    "社会保障和就业支出",
    "卫生健康支出",
    "节能环保支出",
    "城乡社区支出",
    "农林水支出",
    "交通运输支出",
    "资源勘探工业信息等支出",
    "商业服务业等支出",
    "金融支出",
    "援助其他地区支出",
    "自然资源海洋气象等支出",
    "住房保障支出",
    "粮油物资储备支出",
    "国有资本经营预算支出",
    "灾害防治及应急管理支出",
    "其他支出",
    "债务还本支出",
    "债务付息支出",
    "抗疫特别国债安排的支出",
]


def test_the_class_list_of_the_summary_table():
    names = [function_catalog().name(c) for c in function_catalog().classes()]
    assert names == SEED_CLASSES


def test_every_code_of_the_seed_tables_is_in_the_catalogs(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    function = set(re.findall(r'code: "(\d+)", name: ([^,}]+)', text))
    assert len(function) == 24  # 22 rows of 公开02/03表 and the two empty rows of 公开05表
    for code, name in function:
        assert function_catalog().name(code) == name, code
    economic = set(re.findall(r'^    "(3\d+)":', text, re.M))
    assert economic <= set(economic_catalog().names)


def test_table_06_prints_exactly_the_rows_of_the_seed_table():
    """公开06表's fixed rows are the 类 of basic expenditure with all their 款, as seed 001 prints
    them (empty rows included); the 类 basic expenditure does not use are known but not printed."""
    text = SEED_TABLES.read_text(encoding="utf-8")
    printed = set(re.findall(r"(?<![0-9.])(3\d{2}(?:\d{2})?)\t[^\t\n0-9]", text))
    rows = [c for group in economic_groups().values() for c in group]
    assert len(rows) == len(set(rows))
    assert set(rows) == printed
    catalog = economic_catalog()
    for code in ("309", "30901", "311", "312", "313"):
        assert catalog.name(code), code
        assert code not in rows, code
    assert catalog.children("302")[:3] == ("30201", "30202", "30203")
    assert catalog.name("39908") == "对民间非营利组织和群众性自治组织补贴"
    kinds = {c: k.kind for c, k in economic_classes().items()}
    assert kinds == {
        "301": "personnel",
        "303": "personnel",
        "302": "public",
        "307": "public",
        "310": "public",
        "399": "public",
    }


def test_a_known_code_outside_the_printed_classes_still_reaches_the_workbook():
    groups = economic_groups(["30902", "30101"])
    assert groups[3][-1] == "30902"
    assert sum(g.count("30101") for g in groups.values()) == 1


def test_hierarchy_by_prefix():
    fn = function_catalog()
    assert fn.parent("2060702") == "20607"
    assert fn.parent("20607") == "206"
    assert fn.parent("206") is None
    assert fn.ancestors("2060702") == ("206", "20607", "2060702")
    assert fn.level("2060702") == 3
    assert fn.level("20607x") is None
    for code in fn.names:
        parent = fn.parent(code)
        assert parent is None or parent in fn.names, code
    ec = economic_catalog()
    assert all(ec.parent(c) in ec.names for c in ec.names if len(c) == 5)


def test_layout_keys_are_the_model_fields():
    model_tables = {name for name in Accounts.model_fields if name in TABLE_IDS}
    assert model_tables == {t for t, spec in tables().items() if spec.shape != "data"}
    for tid in ("income", "expense", "general", "fund", "capital"):
        row_model = Accounts.model_fields[tid].annotation.model_fields["total"].annotation
        assert [c.key for c in tables()[tid].code_columns] == list(row_model.model_fields), tid
    summary_fields = set(Accounts.model_fields["summary"].annotation.model_fields) - {"classes"}
    assert summary_fields == set(tables()["summary"].named_rows)


def test_table_names_follow_the_layout():
    assert table_name("three_public", "henan-2024").startswith("公开09表")
    assert table_name("three_public", "mof").startswith("公开07表")
    assert table_name("fund", "mof").startswith("公开08表")
    assert [chinese_number(n) for n in (1, 10, 12, 20, 26)] == ["一", "十", "十二", "二十", "二十六"]
