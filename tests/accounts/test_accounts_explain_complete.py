"""The 情况说明 built from a user's own workbook: every section of the outline (一 to 十三)
is present; what the data cannot say is marked 【待填写：…】 naming what is missing; no
sentence hangs ("其中：" at the end, "存在差异。" without a reason)."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from jixiao import api
from jixiao.derive.accounts.sentence_templates import catalog


def _users_workbook(tmp_path):
    """A blank template with only the 三公 table and the department filled in, as a user
    might start: budget and actual of 公务接待费 differ, no breakdown, no reasons."""
    book = tmp_path / "决算.xlsx"
    api.write_accounts_template(book)
    wb = load_workbook(book)
    meta = wb["情况说明数据"]
    keys = {meta.cell(r, 2).value: r for r in range(2, meta.max_row + 1)}
    meta.cell(keys["department"], 3, "某某局")
    meta.cell(keys["year"], 3, 2024)
    ws = wb["公开09表"]
    row = (
        next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == 1 and ws.cell(r, 12).value == 12)
        + 1
    )
    budget = [3, 0, 0, 0, 0, 3]
    actual = [2, 0, 0, 0, 0, 2]
    for j, v in enumerate(budget + actual, start=1):
        ws.cell(row, j, v)
    wb.save(book)
    return api.load_accounts(book).accounts


def test_every_section_is_present_and_gaps_are_marked(tmp_path):
    acc = _users_workbook(tmp_path)
    explanation = api.explain_accounts(acc)
    assert [s.id for s in explanation.sections] == [sid for sid, _ in catalog().sections]
    for section in explanation.sections:
        assert section.paragraphs, section.id
        assert any(not p.startswith("（") for p in section.paragraphs), section.id
    text = explanation.text()
    # sections 一 and 十 say nothing from this data: each names the data it needs
    by_id = {s.id: s for s in explanation.sections}
    assert by_id["一"].paragraphs[0].startswith("【待填写：")
    assert "公开01表" in by_id["一"].paragraphs[0]
    assert "机关运行经费" in by_id["十"].paragraphs[0]
    assert "【待填写：】" not in text


def test_no_sentence_hangs(tmp_path):
    acc = _users_workbook(tmp_path)
    for section in api.explain_accounts(acc).sections:
        paragraphs = list(section.paragraphs)
        for i, p in enumerate(paragraphs):
            if p.endswith(("其中：", "具体情况如下：")):  # a list follows, never the next item
                assert i + 1 < len(paragraphs), p
                assert not re.match(r"\d+\. |（", paragraphs[i + 1]) or p.endswith("如下："), p
            # a difference always comes with its reason, or asks for it
            assert "存在差异。" not in p, p
            if p.startswith("（") and len(p) <= 40:
                assert i + 1 < len(paragraphs), p
                assert not paragraphs[i + 1].startswith("（"), p
    text = api.explain_accounts(acc).text()
    assert re.search(r"存在差异的主要原因是【待填写：", text)
    assert "其中：【待填写：外宾接待支出" in text


def test_the_published_example_is_unchanged_by_the_marks(seed):
    """Seed 001 gives every figure: its text has no mark at all."""
    assert "【待填写" not in api.explain_accounts(seed.accounts).text()
