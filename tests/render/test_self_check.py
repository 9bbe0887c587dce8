"""The self-check of every document: render every example (and the report in every outline),
read each file back (docx, xlsx, pdf text) and require every quantity -- a project's
score, a project's or the department's budget execution rate -- to have one value only
across the whole set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.render.conftest import EXAMPLES, SEED_000, SEED_001, SEED_001_PROJECTS, SEED_002
from tests.render.readback import Claim, claims, conflicts, key, read

from jixiao import api
from jixiao.read.accounts.reader import read_accounts
from jixiao.render.layout import outlines

ACCOUNTS = EXAMPLES / "accounts-001-xinxiang-2024.yaml"
PLACES = {"score": 2, "rate": 4}
_PROJECT_STEM = re.compile(r"项目支出绩效自评表-\d+-(.+)$")


def _names(files: list[Path]) -> list[str]:
    names = []
    for f in files:
        if f == ACCOUNTS:
            names += [p.name for p in read_accounts(f).accounts.narrative.performance.projects]
        else:
            names += [s.project for s in api.load_submissions(f) if s.project]
    return names


def _check(out: Path, files: list[Path], **options: object) -> list[Claim]:
    result = api.render(files, out, **options)  # type: ignore[arg-type]
    names = _names(files)
    found: list[Claim] = []
    for w in result.files:
        if w.format == "html":
            continue  # the same text as the PDF
        m = _PROJECT_STEM.search(w.path.stem)
        subject = key(m.group(1)) if m else "（部门）"
        found += claims(read(w.path), subject, names)
    bad = conflicts(found, PLACES)
    assert not bad, "同一个量在文档中出现了不同的数：" + "；".join(
        f"{s} {k}: " + "、".join(f"{v}（{'、'.join(sorted(w))}）" for v, w in values.items())
        for (s, k), values in bad.items()
    )
    return found


def test_seed_001_set_states_each_quantity_once(tmp_path: Path):
    found = _check(tmp_path, [SEED_001, SEED_001_PROJECTS, ACCOUNTS])
    # the check saw the quantities at issue: every project's score in 十三 and in the 附件,
    # and the department's rate in the report's text and its 附件1 table
    kinds = {(c.kind, c.where.rsplit(".", 1)[1]) for c in found}
    assert {
        ("score", "pdf"),
        ("score", "docx"),
        ("score", "xlsx"),
        ("rate", "pdf"),
        ("rate", "docx"),
    } <= kinds
    department_rates = [c for c in found if c.subject == "（部门）" and c.kind == "rate"]
    assert {c.where.rsplit(".", 1)[1] for c in department_rates} >= {"pdf", "docx"}


@pytest.mark.parametrize("outline", sorted(outlines()))
def test_every_outline_states_each_quantity_once(tmp_path: Path, outline: str):
    _check(tmp_path, [SEED_000], outline=outline, formats=["pdf", "docx", "xlsx"])


def test_seed_002_states_each_quantity_once(tmp_path: Path):
    found = _check(tmp_path, [SEED_002], formats=["pdf", "docx", "xlsx"])
    assert any(c.kind == "rate" for c in found)


def test_the_check_catches_two_values(tmp_path: Path):
    """The self-check is able to fail: a set whose 十三 prints another score for a project."""
    doc = tmp_path / "a.docx"
    from docx import Document

    d = Document()
    d.add_paragraph("1、科普工作经费项目绩效自评情况：根据年初设定的绩效目标，项目自评得分为90.31分。")
    t = d.add_table(rows=2, cols=3)
    for c, text in zip(t.rows[0].cells, ["序号", "项目名称", "总分"], strict=True):
        c.text = text
    for c, text in zip(t.rows[1].cells, ["1", "科普工作经费", "89.82"], strict=True):
        c.text = text
    d.save(str(doc))
    assert conflicts(claims(read(doc), "（部门）", ["科普工作经费"]), PLACES)
