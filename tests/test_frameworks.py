"""Frameworks are data: the shipped ones load cleanly; a broken one is reported."""

import textwrap
from decimal import Decimal as D

import pytest

from jixiao import api
from jixiao.core.findings import InputError
from jixiao.frameworks.catalog import builtin


def test_shipped_frameworks_load_without_findings():
    catalog = builtin()
    assert catalog.findings == ()
    assert set(catalog.ids()) >= {
        "national-2020-project",
        "xinxiang-2021-department",
        "xinxiang-2024-department",
        "xinxiang-2024-project",
        "xiangyang-2021-department",
    }


@pytest.mark.parametrize(
    ("fid", "level1"),
    [
        ("national-2020-project", {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}),
        ("xinxiang-2021-department", {"投入指标": 15, "过程指标": 25, "产出指标": 30, "效益指标": 30}),
        (
            "xinxiang-2024-department",
            {"预算执行情况": 10, "投入管理指标": 30, "产出指标": 25, "效益指标": 35},
        ),
        ("xiangyang-2021-department", {"预算执行情况": 20, "产出指标": 40, "效益指标": 30, "满意度指标": 10}),
    ],
)
def test_level1_weights_are_those_of_the_sources(fid, level1):
    fw = builtin().get(fid)
    assert {s.name: s.weight for s in fw.indicators} == {k: D(v) for k, v in level1.items()}


def test_extends_inherits_everything_it_does_not_set():
    catalog = builtin()
    child, parent = catalog.get("xinxiang-2024-project"), catalog.get("national-2020-project")
    assert child.indicators == parent.indicators
    assert child.region != parent.region


def test_xinxiang_2024_counts_match_its_report():
    # "3 个一级指标、7 个二级指标、27 个三级指标" besides 预算执行情况 (the 产出/效益 leaves
    # are the department's own: 6 + 2 of them in the report).
    fw = builtin().get("xinxiang-2024-department")
    level1 = [s for s in fw.indicators if s.children]
    level2 = [c for s in level1 for c in s.children]
    fixed_level3 = [g for c in level2 for g in c.children]
    assert (len(level1), len(level2), len(fixed_level3) + 6 + 2) == (3, 7, 27)


def test_hubei_bands_differ_from_the_national_ones():
    hubei = builtin().get("xiangyang-2021-department")
    national = builtin().get("national-2020-project")
    assert hubei.tier_of(D("0.55")).value == "partly"
    assert national.tier_of(D("0.55")).value == "missed"


def _load(tmp_path, text):
    path = tmp_path / "fw.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return api.catalog([path])


def test_broken_framework_reports_every_problem(tmp_path):
    with pytest.raises(InputError) as info:
        _load(
            tmp_path,
            """
            id: broken
            name: 有误的指标体系
            kind: department
            indicators:
              - name: 投入
                weight: 40
                children:
                  - {name: 甲, weight: 20, rule: judgement}
                  - {name: 甲, weight: 10, rule: judgement}
              - {name: 扣分项, weight: 20, rule: deduction}
              - {name: 计算项, weight: 30, rule: quantitative, derive: no_such_ratio}
            """,
        )
    codes = sorted(f.code for f in info.value.findings)
    assert codes == ["duplicate-name", "framework-invalid", "unknown-ratio", "weight-sum", "weight-sum"]


def test_framework_with_unknown_rule_names_its_line(tmp_path):
    with pytest.raises(InputError) as info:
        _load(
            tmp_path,
            """
            id: bad-rule
            name: 规则有误
            kind: project
            indicators:
              - {name: 产出, weight: 100, rule: magic}
            """,
        )
    (f,) = info.value.findings
    assert f.location.line == 6
    assert "magic" in f.message


def test_extends_a_builtin_framework(tmp_path):
    catalog = _load(
        tmp_path,
        """
        extends: national-2020-project
        id: my-province-project
        name: 某省项目支出绩效自评表
        region: 某省
        rounding: {places: 0}
        overshoot: {ratio: 1.3, penalty: 2}
        """,
    )
    fw = catalog.get("my-province-project")
    assert fw.rounding.places == 0
    assert fw.overshoot.penalty == D(2)
    assert [s.name for s in fw.indicators] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
