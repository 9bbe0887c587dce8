"""Hostile PDFs: a flate bomb is refused before it is inflated; a page with too many
glyphs, pages past the page limit and pages left when the time is up are reported as not
read while the rest is audited. The bombs are generated small, against lowered limits."""

from __future__ import annotations

import dataclasses
import re
import zlib
from pathlib import Path

import pytest
from tests.audit.docgen import _raw_pdf

from jixiao.core import limits
from jixiao.core.findings import InputError
from jixiao.read.published import read_document

TEXT = b"BT /F1 12 Tf 72 700 Td (2024 budget 100.00) Tj ET"


def _pdf(path: Path, contents: list[bytes], *, flate: bool = False) -> Path:
    """A PDF with one page per content stream, Helvetica as /F1."""
    n = len(contents)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    font = 3 + 2 * n
    for i, data in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        body = zlib.compress(data) if flate else data
        extra = b" /Filter /FlateDecode" if flate else b""
        objects.append(b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(body), extra, body))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    path.write_bytes(_raw_pdf(objects))
    return path


def _glyphs(count: int) -> bytes:
    """A content stream drawing ``count`` glyphs in lines of 1,000 ("a" and 999 digits)."""
    lines = [
        b"BT /F1 2 Tf 10 %d Td (a%s) Tj ET" % (760 - (k % 190) * 3.5, b"1" * 999)
        for k in range(count // 1000)
    ]
    return b"\n".join(lines)


@pytest.fixture
def lowered(monkeypatch):
    """Set some limits for one test."""

    def lower(**changes):
        monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, **changes))

    return lower


def _refusal(path: Path) -> tuple[str, str]:
    with pytest.raises(InputError) as caught:
        read_document(path)
    (f,) = caught.value.findings
    return f.code, f.message


def test_a_flate_bomb_is_refused_without_inflating_it(tmp_path, lowered):
    lowered(pdf_stream_bytes=4 * limits.MB)
    bomb = _pdf(tmp_path / "bomb.pdf", [TEXT + b"\n%" + b"0" * (8 * limits.MB)], flate=True)
    assert bomb.stat().st_size < 64 * 1024
    code, message = _refusal(bomb)
    assert code == "pdf-too-complex"
    assert "解压后超过 4 MB" in message


def test_many_streams_under_the_stream_limit_are_capped_together(tmp_path, lowered):
    lowered(pdf_stream_bytes=2 * limits.MB, pdf_inflated_bytes=5 * limits.MB)
    page = TEXT + b"\n%" + b"0" * limits.MB
    code, message = _refusal(_pdf(tmp_path / "bombs.pdf", [page] * 6, flate=True))
    assert code == "pdf-too-complex"
    assert "合计超过 5 MB" in message
    # the same file under the limits reads
    lowered(pdf_stream_bytes=2 * limits.MB, pdf_inflated_bytes=8 * limits.MB)
    assert read_document(tmp_path / "bombs.pdf").pages == 6


def test_a_page_with_too_many_glyphs_is_left_out_and_said_so(tmp_path, lowered):
    lowered(pdf_page_chars=50_000)
    path = _pdf(tmp_path / "glyphs.pdf", [TEXT, _glyphs(60_000), TEXT], flate=True)
    document = read_document(path)
    assert document.pages == 3
    text = document.text()
    assert text.count("budget") == 2  # pages 1 and 3
    assert "1" * 50 not in text
    (note,) = document.notes
    assert note.code == "pdf-pages-not-read"
    assert note.location.page == 2
    # PDFium counts the line ends it adds among the characters
    assert re.search(r"第2页（字符过多（60,\d{3} 个，上限 50,000 个））", note.message)


def test_pages_past_the_page_limit_are_not_read(tmp_path, lowered):
    lowered(pdf_pages=2)
    document = read_document(_pdf(tmp_path / "long.pdf", [TEXT] * 5))
    assert document.text().count("budget") == 2
    (note,) = document.notes
    assert "第3–5页（超过 2 页的上限）" in note.message


def test_when_the_time_is_up_the_rest_is_not_read(tmp_path, lowered):
    lowered(seconds_per_document=0.0)
    code, message = _refusal(_pdf(tmp_path / "slow.pdf", [TEXT] * 3))
    assert code == "pdf-pages-not-read"
    assert "读取时间超过 0 秒的上限" in message


def test_dense_pages_under_the_limit_are_read_whole(tmp_path):
    path = _pdf(tmp_path / "dense.pdf", [_glyphs(20_000)] * 3, flate=True)
    document = read_document(path)
    assert document.pages == 3
    assert not document.notes
    assert sum(p.text.count("1") for p in document.paragraphs()) == 60 * 999


def test_a_text_without_full_stops_is_checked_in_bounded_pieces():
    from jixiao.model.document import Builder
    from jixiao.read.published.flow import MAX_SENTENCE, sentences

    clause = "支出合计741.64万元，其中基本支出599.20万元，占80.79%，"
    builder = Builder()
    builder.paragraph(clause * 400 + "1" * 5000 + "，" + clause)
    found = list(sentences(builder.build("x.txt")))
    assert all(len(s.text) <= MAX_SENTENCE for s in found)
    text = "".join(s.text for s in found)
    assert text.count("741.64万元") == 401  # every clause kept, none cut through a number
    assert "1" * 5000 not in text  # a stretch with nowhere to cut is not checked
