"""The self-evaluation table layouts are declared once (model/catalogs/selfeval_tables.yaml):
what jixiao prints, its readers recognise."""

from __future__ import annotations

import pytest

from jixiao.model.document import PublishedDocument, Table
from jixiao.model.selfeval_tables import heads_of, selfeval_layout, selfeval_tables
from jixiao.read.published.scoretables import _execution_block, _header_map, summary_tables


@pytest.mark.parametrize("name", ["tree", "execution-block", "project"])
def test_each_printed_indicator_header_is_recognised(name):
    layout = selfeval_layout(name)
    found = _header_map(layout.heads("indicators"))
    assert found is not None
    for i, (key, _) in enumerate(layout.indicators):
        if key != "label":
            assert found[key] == i


@pytest.mark.parametrize("name", ["execution-block", "project"])
def test_each_printed_execution_block_is_recognised(name):
    heads = selfeval_layout(name).heads("execution")
    table = Table(rows=(tuple(heads), tuple("1" for _ in heads)))
    assert _execution_block(table, 0) is not None


def test_the_printed_summary_header_is_recognised():
    heads = selfeval_layout("project-summary").heads("projects")
    doc = PublishedDocument("x", (Table(rows=(tuple(heads),)),))
    (_, row, cols), *_ = summary_tables(doc)
    assert row == 0
    assert {"name", "budget_total", "spent", "execution_rate", "total", "reason"} <= cols.keys()
    assert {"rate:产出指标", "rate:效益指标", "rate:满意度指标"} <= cols.keys()


def test_headers_across_layouts_are_listed_once_in_order():
    assert heads_of("target") == ("指标值", "年初目标值（A）", "年度指标值")
    assert heads_of("l1", "l2") == ("一级指标", "二级指标")
    assert set(selfeval_tables().layouts) == {"tree", "execution-block", "project", "project-summary"}


def test_a_header_the_recogniser_would_miss_is_refused():
    raw = selfeval_tables().model_dump()
    columns = list(raw["layouts"]["tree"]["indicators"])
    columns[3] = ("target", "目标")
    raw["layouts"]["tree"]["indicators"] = columns
    with pytest.raises(ValueError, match="目标"):
        type(selfeval_tables()).model_validate(raw)
