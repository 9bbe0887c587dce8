"""`jixiao audit` on real published documents (tests/data/corpus): the expectation files
are well formed and true to their texts, and the audit does not get worse than the ratchet
in baseline.yaml. Run with ``-s`` to see the per-document table."""

from __future__ import annotations

from collections import Counter

import pytest
from tests.corpus import measure

DOCS = measure.documents()
KEYS = ("source", "title", "province", "city", "department_type", "year", "kind", "retrieved")


def test_the_corpus_is_large_and_varied():
    assert len(DOCS) >= 40
    provinces = {m["province"] for _, m in DOCS} - {"未注明", "中央"}
    assert len(provinces) >= 12, sorted(provinces)
    kinds = Counter(str(m["kind"]) for _, m in DOCS)
    wanted = (
        "部门决算情况说明",
        "三公经费",
        "项目支出绩效自评表",
        "整体支出绩效自评报告",
        "整体支出绩效自评表",
    )
    for kind in wanted:
        assert any(kind in k for k in kinds), kind
    assert len({m["year"] for _, m in DOCS if m["year"]}) >= 5


@pytest.mark.parametrize(("path", "meta"), DOCS, ids=[p.name for p, _ in DOCS])
def test_expectations_are_true_to_the_text(path, meta):
    """Every fragment is in the document (whitespace aside) and holds its printed figure."""
    for key in KEYS:
        assert key in meta, key
    assert meta["text"] == path.name
    text = measure.squeeze(path.read_text(encoding="utf-8"))
    for item in [*(meta["discrepancies"] or []), *(meta["must_not_flag"] or [])]:
        fragment = measure.squeeze(item["fragment"])
        assert fragment in text, item["fragment"]
        assert measure.value(str(item["printed"])) is not None, item
        assert item["arithmetic"], item
    for item in meta["discrepancies"] or []:
        assert measure.value(item["correct"]) != measure.value(item["printed"]), item


def test_matching_tells_a_figure_from_its_neighbours():
    """The harness itself: same value in another sentence is not a match."""
    from jixiao.core.findings import Finding, Location, Severity

    exp = measure.Expected("公务接待费支出22.59万元,占36.4%", "36.4%", None, "")
    hit = Finding(
        severity=Severity.error,
        code="x",
        message="",
        printed="36.4%",
        location=Location(quote="公务接待费支出22.59万元,占36.4%。"),
    )
    elsewhere = Finding(
        severity=Severity.error,
        code="x",
        message="",
        printed="36.4%",
        location=Location(quote="项目支出10万元,增长36.4%。"),
    )
    other_value = Finding(
        severity=Severity.error,
        code="x",
        message="",
        printed="36.5%",
        location=Location(quote="公务接待费支出22.59万元,占36.4%。"),
    )
    assert measure.matches(hit, exp)
    assert not measure.matches(elsewhere, exp)
    assert not measure.matches(other_value, exp)


def test_the_audit_does_not_get_worse_on_the_corpus():
    results = measure.measure()
    print()
    print(measure.table(results))
    t = measure.totals(results)
    base = measure.baseline()
    assert not [r.name for r in results if r.unreadable]
    assert t.found >= base["found"], f"found {t.found} < baseline {base['found']}"
    assert t.false_errors <= base["false_errors"], (
        f"false errors {t.false_errors} > baseline {base['false_errors']}"
    )
