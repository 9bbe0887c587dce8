"""The classification catalogues say which year they are for and what they cover; codes
outside them are never passed over in silence."""

from __future__ import annotations

import textwrap

from jixiao import api
from jixiao.accounts.classification import economic_catalog, function_catalog

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


def _check(tmp_path, text):
    path = tmp_path / "accounts.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return api.check_accounts(api.load_accounts(path))


def test_the_catalogues_name_their_year_source_and_coverage():
    for catalog in (function_catalog(), economic_catalog()):
        assert catalog.year == 2024
        assert catalog.source
        assert catalog.coverage


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
    assert "2024年" in unknown.message
    assert "2070109 群众文化" in unknown.message
