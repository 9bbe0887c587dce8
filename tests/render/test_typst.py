"""The PDF laid out by Typst: a department's text is printed as written, never run as Typst
markup or code; the engine can be chosen; the pages are those of the WeasyPrint layout."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from tests.render.conftest import EXAMPLES, SEED_001, SEED_001_PROJECTS

from jixiao import api
from jixiao.check.accounts.checks import check_file
from jixiao.render import accounts_doc, pdf_out
from jixiao.render.context import Pair
from jixiao.render.documents import build_context, plan

typst_out = pytest.importorskip("jixiao.render.typst_out")
pytest.importorskip("typst")

ACCOUNTS = EXAMPLES / "accounts-001-xinxiang-2024.yaml"

#: Names that are Typst markup or code: each must be printed as it is.
HOSTILE = [
    '#eval("1+1")部门',
    "局]#set page(width: 1pt)[",
    "反\\斜杠\\",
    "$x^2$ 数学",
    "<label> @ref 引用",
    "*粗体* _斜体_ `代码`",
    '"引号" // 注释 /* 块 */',
    "= 标题 - 列表 + 编号 ~ 空格",
    "{ 代码块 } #{ 1 }",
]


def _flat(text: str) -> str:
    return "".join(text.split())


def _pairs(department: str) -> list[Pair]:
    pairs = []
    for path in (SEED_001, SEED_001_PROJECTS):
        for i, original in enumerate(api.load_submissions(path)):
            update = {"department": department}
            if original.project:
                update["project"] = f"{HOSTILE[i % len(HOSTILE)]}项目{i}"
            sub = original.model_copy(update=update)
            pairs.append(Pair(sub, api.score(sub, file=str(path)), str(path)))
    return pairs


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    with pdfplumber.open(path) as doc:
        return _flat("".join(p.extract_text() or "" for p in doc.pages))


def _cells(pdf: bytes, tmp_path: Path) -> set[str]:
    path = tmp_path / "cells.pdf"
    path.write_bytes(pdf)
    with pdfplumber.open(path) as doc:
        return {_flat(c or "") for p in doc.pages for t in p.extract_tables() for r in t for c in r}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_is_printed_as_written(name: str, tmp_path: Path):
    from jixiao.frameworks.catalog import builtin

    pairs = _pairs(name)
    report = next(d for d in plan(pairs, builtin()) if d.kind == "report")
    pdf = typst_out.pdf(report, build_context(report, with_findings=False, want_charts=False))
    assert _flat(name) in _text(pdf, tmp_path)
    cells = _cells(pdf, tmp_path)
    for pair in pairs:
        if pair.submission.project:
            assert _flat(pair.submission.project) in cells


def test_hostile_publication(tmp_path: Path):
    """The 部门决算 with hostile names everywhere: its 22 pages, every name as written."""
    name = "".join(HOSTILE[:4])
    checked = check_file(ACCOUNTS)
    acc = checked.accounts.model_copy(update={"department": name})
    pairs = _pairs(name)
    doc = accounts_doc.plan(replace(checked, accounts=acc), pairs)
    pdf = typst_out.pdf(doc, build_context(doc, with_findings=True, want_charts=True))
    assert _text(pdf, tmp_path).count(_flat(name)) >= 10
    cells = _cells(pdf, tmp_path)
    for pair in pairs:
        if pair.submission.project:
            assert _flat(pair.submission.project) in cells


def test_source_quotes_every_text():
    html = (
        "<html><body><header class='doc'><h1>#eval(\"x\")</h1></header>"
        '<p>a]b[c \\ " $ <b>#strong[x]</b><br>@x</p>'
        "<table><thead><tr><th>#h(1fr)</th></tr></thead>"
        "<tbody><tr><td class='num'>1.00</td></tr></tbody></table>"
        "</body></html>"
    )
    source = typst_out.source(html, {})
    assert '"#eval(\\"x\\")"' in source
    assert '[#"a]b[c \\\\ \\" $ #strong[x]"#linebreak()#"@x"]' in source
    assert typst_out.lit('a"\\\n') == '"a\\"\\\\\\n"'


def test_unusual_input_never_fails(tmp_path: Path):
    """Long unbroken words, control characters, empty cells, odd spans: a PDF, no traceback."""
    html = (
        "<html><body><h2 id='bad id'>x</h2><p>" + "W" * 400 + "\x01\x0b\x7f</p>"
        "<table><colgroup><col style='width:abc%'></colgroup><tr><td colspan='x' rowspan='-3'></td>"
        "<td colspan='99999'>y</td></tr></table><figure class='chart'><img src='../../etc/passwd'></figure>"
        "<section class='toc'><p class='toc-item'><a href='#nowhere'>z</a></p></section><unknown>u</unknown>"
        "</body></html>"
    )
    import typst

    pdf = typst.compile(typst_out.source(html, {}).encode(), font_paths=typst_out.fonts())
    assert _text(pdf, tmp_path).startswith("x")


def test_engine_is_chosen_by_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("JIXIAO_PDF_ENGINE", raising=False)
    assert pdf_out.engine() == "typst"
    monkeypatch.setenv("JIXIAO_PDF_ENGINE", "weasyprint")
    assert pdf_out.engine() == "weasyprint"
    result = api.render([SEED_001], tmp_path, formats=["pdf"])
    with pdfplumber.open(result.files[0].path) as doc:
        assert "WeasyPrint" in doc.metadata.get("Producer", "")
    monkeypatch.setenv("JIXIAO_PDF_ENGINE", "typst")
    assert pdf_out.engine() == "typst"
    result = api.render([SEED_001], tmp_path / "t", formats=["pdf"])
    with pdfplumber.open(result.files[0].path) as doc:
        assert "Typst" in doc.metadata.get("Creator", "") + doc.metadata.get("Producer", "")


def test_same_pages_as_weasyprint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The 部门决算 and the report: as many pages with either engine, each page starting
    with the same text but for a line or so (lines may break a character apart)."""
    outputs = {}
    for engine in ("weasyprint", "typst"):
        monkeypatch.setenv("JIXIAO_PDF_ENGINE", engine)
        result = api.render([ACCOUNTS, SEED_001, SEED_001_PROJECTS], tmp_path / engine, formats=["pdf"])
        outputs[engine] = {w.kind: w.path for w in result.files}
    for kind in ("accounts", "report"):
        with pdfplumber.open(outputs["weasyprint"][kind]) as a, pdfplumber.open(outputs["typst"][kind]) as b:
            assert len(a.pages) == len(b.pages)
            for pa, pb in zip(a.pages, b.pages, strict=True):
                assert (round(pa.width), round(pa.height)) == (round(pb.width), round(pb.height))
                ta, tb = _flat(pa.extract_text() or ""), _flat(pb.extract_text() or "")
                assert ta[:8] in tb[:40] or tb[:8] in ta[:40], (ta[:40], tb[:40])
