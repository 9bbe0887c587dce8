"""PDF: A4 pages, embedded CJK fonts, page numbers, repeated table headers, nothing off the
page, the model's numbers in the text and tables, and pages that are not blank."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from tests.render.conftest import Rendered, same

from jixiao.render import sentences
from jixiao.render.context import rows

A4 = (595.28, 841.89)


def _flat(text: str) -> str:
    return "".join(text.split())


def test_pages_are_a4_numbered_and_fonts_embedded(seed001: Rendered):
    with pdfplumber.open(seed001.file("report", "pdf")) as pdf:
        total = len(pdf.pages)
        assert total >= 3
        for number, page in enumerate(pdf.pages, start=1):
            assert abs(page.width - A4[0]) < 1
            assert abs(page.height - A4[1]) < 1
            assert f"第 {number} 页 / 共 {total} 页" in page.extract_text()
            fonts = {c["fontname"] for c in page.chars}
            assert any("CJK" in name for name in fonts), fonts


def test_no_text_outside_the_page(seed000: Rendered, seed001: Rendered):
    for rendered in (seed000, seed001):
        with pdfplumber.open(rendered.file("report", "pdf")) as pdf:
            for page in pdf.pages:
                for c in page.chars:
                    inside = c["x0"] >= 0 and c["x1"] <= page.width + 0.5
                    inside = inside and c["top"] >= 0 and c["bottom"] <= page.height + 0.5
                    assert inside, c["text"]


def test_text_and_level1_table_equal_the_model(seed001: Rendered):
    ev = seed001.evaluation()
    with pdfplumber.open(seed001.file("report", "pdf")) as pdf:
        text = _flat("".join(p.extract_text() for p in pdf.pages))
        table = next(
            t for p in pdf.pages for t in p.extract_tables() if t and t[0][0] == "一级指标" and len(t) == 4
        )
    for sentence in sentences.grade_summary(ev) + sentences.indicator_counts(ev):
        assert _flat(sentence) in text
    assert table[0][1:-1] == [top.name for top in ev.indicators]
    for i, top in enumerate(ev.indicators, start=1):
        assert same(table[1][i], top.weight)
        assert same(table[2][i], top.score_rate, places=4)
        assert same(table[3][i], top.score)
    assert same(table[3][-1], ev.total)


def test_indicator_table_splits_with_its_header_repeated(seed000: Rendered):
    ev = seed000.evaluation()
    with pdfplumber.open(seed000.file("report", "pdf")) as pdf:
        pages = [p for p in pdf.pages if "三级指标" in p.extract_text() and "完成值" in p.extract_text()]
        assert len(pages) >= 2, "the appendix table should run over two pages"
        scores = []
        for page in pages:
            for table in page.extract_tables():
                if table and table[0][:3] == ["一级指标", "二级指标", "三级指标"]:
                    scores += [r[-1] for r in table[1:] if r[2]]
    assert scores == [f"{r.score.normalize():f}" for r in rows(ev)]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_pages_render_and_are_not_blank(seed001: Rendered, tmp_path: Path):
    pdf = seed001.file("report", "pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) >= 3
    for path in images:
        with Image.open(path) as im:
            gray = im.convert("L")
            dark = sum(gray.histogram()[:200])
            assert dark / (gray.width * gray.height) > 0.003, f"{path.name} looks blank"


def test_worker_processes_write_the_same_files(tmp_path: Path):
    """jobs=2 writes the files in worker processes: the same pages, the same text."""
    from docx import Document
    from tests.render.conftest import SEED_002

    from jixiao import api

    def written(folder: str, jobs: int) -> dict[str, Path]:
        result = api.render(SEED_002, tmp_path / folder, formats=["pdf", "docx", "xlsx"], jobs=jobs)
        return {f"{w.kind}.{w.format}": w.path for w in result.files}

    one, two = written("one", 1), written("two", 2)
    assert one.keys() == two.keys()
    assert all(path.exists() for path in two.values())
    with pdfplumber.open(one["report.pdf"]) as a, pdfplumber.open(two["report.pdf"]) as b:
        assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]
    texts = [[p.text for p in Document(f[k]).paragraphs] for f in (one, two) for k in ["self-table.docx"]]
    assert texts[0] == texts[1]


def test_worker_processes_are_kept_between_renders(tmp_path: Path):
    """A second render with the same number of processes reuses the workers of the first
    (forked once, fonts loaded once); ``shutdown`` stops them. jobs=3: this process and two
    workers."""
    from tests.render.conftest import SEED_002

    from jixiao import api, render

    api.render(SEED_002, tmp_path / "a", formats=["pdf", "xlsx"], jobs=3)
    kept = render._POOL[0][1]
    pids = set(kept._processes)
    assert 1 <= len(pids) <= 2  # started as work comes
    result = api.render(SEED_002, tmp_path / "b", formats=["pdf", "xlsx"], jobs=3)
    assert render._POOL[0][1] is kept
    assert pids <= set(kept._processes)  # the same workers, none started afresh
    assert all(w.path.stat().st_size > 0 for w in result.files)
    render.shutdown()
    assert not render._POOL


def test_default_processes_only_when_a_pdf_pays_for_them():
    """jobs=0: worker processes when there is a PDF to lay out and more than one core,
    none for Word and Excel files alone (written faster in place than sent elsewhere)."""
    from types import SimpleNamespace

    from jixiao.render import _workers, default_jobs

    docs = [(SimpleNamespace(kind="report"), ("docx", "pdf", "html")), (SimpleNamespace(kind="t"), ("xlsx",))]
    assert _workers(0, docs) == min(default_jobs(), 4)
    assert _workers(0, [(d, tuple(f for f in w if f != "pdf")) for d, w in docs]) == 1
    assert _workers(3, docs) == 3
    assert _workers(1, docs) == 1
    assert 1 <= default_jobs() <= 4
