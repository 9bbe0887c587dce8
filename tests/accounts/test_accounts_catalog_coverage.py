"""The classification catalogues say which year they are for, where every row comes from and
what they cover; codes outside them are never passed over in silence."""

from __future__ import annotations

import textwrap
from collections import Counter

import pytest

from jixiao import api
from jixiao.model.classification import economic_catalog, function_catalog

CULTURE = """
department: 某文化馆
year: 2024
summary: {general_budget: 10.00, income_total: 10.00, income_sum: 10.00, classes: {"207": 10.00},
          expense_total: 10.00, expense_sum: 10.00}
income:
  total: {total: 10.00, fiscal: 10.00}
  rows:
    - {code: "207", name: 文化旅游体育与传媒支出, total: 10.00, fiscal: 10.00}
    - {code: "20701", name: 文化和旅游, total: 10.00, fiscal: 10.00}
    - {code: "2070101", name: 行政运行, total: 6.00, fiscal: 6.00}
    - {code: "2070109", name: 群众文化, total: 4.00, fiscal: 4.00}
"""

#: Keys that stand for no printed document: the code of a 类 fixed by its printed neighbours,
#: or a 类 whose code no source prints.
NOT_A_DOCUMENT = {"ORDER", "OPEN"}


def _check(tmp_path, text):
    path = tmp_path / "accounts.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return api.check_accounts(api.load_accounts(path))


def test_the_catalogues_name_their_year_source_and_coverage():
    for catalog in (function_catalog(), economic_catalog()):
        assert catalog.year == 2025
        assert catalog.source
        assert catalog.coverage


@pytest.mark.parametrize("catalog", [function_catalog(), economic_catalog()], ids=["function", "economic"])
def test_every_row_names_described_sources(catalog):
    assert set(catalog.evidence) == set(catalog.names)
    for code, keys in catalog.evidence.items():
        assert keys, f"{code} has no source"
        assert set(keys) <= set(catalog.sources), code
        for key in keys:
            assert catalog.sources[key].strip(), key


@pytest.mark.parametrize("catalog", [function_catalog(), economic_catalog()], ids=["function", "economic"])
def test_every_kuan_has_its_lei_and_every_xiang_its_kuan(catalog):
    for code in catalog.names:
        assert catalog.level(code) is not None, code
        parent = catalog.parent(code)
        assert parent is None or parent in catalog.names, code
        assert code in catalog.children(parent) if parent else code in catalog.classes()


def test_every_kuan_and_xiang_is_printed_by_a_document():
    """Only 类 codes may rest on their position in 公开01表; every 款 and 项 is printed."""
    catalog = function_catalog()
    for code, keys in catalog.evidence.items():
        if len(code) > 3:
            assert set(keys) - NOT_A_DOCUMENT, code


def test_counts_per_level_and_per_class():
    fn = function_catalog()
    assert Counter(len(c) for c in fn.names) == {3: 26, 5: 53, 7: 77}
    per_class = {c: sum(1 for k in fn.names if k.startswith(c)) - 1 for c in fn.classes()}
    assert per_class == {
        "201": 28, "202": 0, "203": 0, "204": 4, "205": 2, "206": 6, "207": 19, "208": 18,
        "210": 6, "211": 14, "212": 17, "213": 4, "214": 0, "215": 2,
        "216": 0, "217": 0, "219": 0, "220": 0, "221": 8, "222": 0, "223": 0, "224": 2,
        "229": 0, "231": 0, "232": 0, "234": 0,
    }  # fmt: skip
    ec = economic_catalog()
    assert {c: len(ec.children(c)) for c in ec.classes()} == {
        "301": 13, "303": 12, "302": 27, "307": 4, "310": 16, "399": 5,
        "309": 12, "311": 0, "312": 0, "313": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "name"),
    [
        # 上海市普陀区文化和旅游局 2025 年度部门决算 / 2026 年部门预算
        ("20701", "文化和旅游"),
        ("2070104", "图书馆"),
        ("2070114", "文化和旅游管理事务"),
        ("2079903", "文化产业发展专项支出"),
        ("2121999", "其他国有土地使用权出让收入对应专项债务收入安排的支出"),
        # 石泉路街道 / 宜川路街道 2025 年度部门决算
        ("2010507", "专项普查活动"),
        ("2040607", "公共法律服务"),
        ("2070308", "群众体育"),
        ("2219899", "其他住房保障支出"),
        ("2240299", "其他消防救援事务支出"),
        # 生态环境局 2025 年度部门决算
        ("2110105", "环境保护法规、规划及标准"),
        ("2111101", "生态环境监测与信息"),
        # 建设和管理委员会 2026 年部门预算
        ("2120803", "城市建设支出"),
        ("2130306", "水利工程运行与维护"),
        # seed 001 (2024)
        ("2060705", "科技馆站"),
        ("2130599", "其他巩固脱贫攻坚成果衔接乡村振兴支出"),
    ],
)
def test_sample_function_codes_from_the_sources(code, name):
    assert function_catalog().name(code) == name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("30311", "代缴社会保险费"),
        ("30240", "税金及附加费用"),
        ("309", "资本性支出（基本建设）"),
        ("30907", "信息网络及软件购置更新"),
        ("30913", "公务用车购置"),
        ("30999", "其他基本建设支出"),
        ("311", "对企业补助（基本建设）"),
        ("313", "对社会保障基金补助"),
    ],
)
def test_sample_economic_codes_from_the_sources(code, name):
    assert economic_catalog().name(code) == name


def test_where_the_sources_differ_the_majority_name_is_kept():
    # one 2025 决算 prints 20805 as 行政事业单位离退休; seven sources print 行政事业单位养老支出
    assert function_catalog().name("20805") == "行政事业单位养老支出"
    assert function_catalog().name("2111103") == "减排专项支出"


def test_culture_and_tourism_codes_are_known(tmp_path):
    catalog = function_catalog()
    assert catalog.name("20701") == "文化和旅游"
    assert catalog.name("2070101") == "行政运行"
    assert catalog.name("2070109") == "群众文化"
    report = _check(tmp_path, CULTURE)
    assert not [f for f in report.findings if f.code in ("accounts-unknown-code", "accounts-code-name")]


def test_an_unknown_code_is_a_warning_naming_the_closest_known_codes(tmp_path):
    text = CULTURE.replace(
        '    - {code: "2070109", name: 群众文化, total: 4.00, fiscal: 4.00}',
        '    - {code: "2070119", name: 群众文化活动, total: 4.00, fiscal: 4.00}',
    )
    report = _check(tmp_path, text)
    (unknown,) = [f for f in report.findings if f.code == "accounts-unknown-code"]
    assert unknown.severity.value == "warning"
    assert "2070119" in unknown.message
    assert "2025年" in unknown.message
    assert "2070109 群众文化" in unknown.message


def test_a_name_other_than_the_catalogue_name_is_a_warning(tmp_path):
    text = CULTURE.replace("name: 群众文化,", "name: 群众文艺,")
    report = _check(tmp_path, text)
    (differs,) = [f for f in report.findings if f.code == "accounts-code-name"]
    assert differs.severity.value == "warning"
    assert "群众文艺" in differs.message
    assert "群众文化" in differs.message
