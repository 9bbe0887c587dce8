"""Regression tests built from what bench/fuzz.py found, each from a minimised reproducer."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from openpyxl import Workbook
from tests.hostile.helpers import EXAMPLES, rezip

from jixiao import api
from jixiao.core.findings import InputError
from jixiao.render import template_store


def _newer_zip_version(raw: bytes) -> bytes:
    """The zip with its first member marked as needing zip version 22.4 to extract (the
    fuzzer's overwritten bytes did this): Python's zipfile raises NotImplementedError."""
    at = raw.index(b"PK\x01\x02")  # the first central-directory entry
    return raw[: at + 6] + struct.pack("<H", 224) + raw[at + 8 :]


def _workbook(tmp_path: Path) -> bytes:
    wb = Workbook()
    wb.active["A1"] = "单位名称：测试"
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    return path.read_bytes()


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(api.audit, id="audit"),
        pytest.param(api.load_accounts, id="accounts"),
        pytest.param(api.score_file, id="self-evaluation"),
    ],
)
def test_a_workbook_needing_a_newer_zip_version_is_refused(tmp_path: Path, read) -> None:
    path = tmp_path / "newer.xlsx"
    path.write_bytes(_newer_zip_version(_workbook(tmp_path)))
    with pytest.raises(InputError) as info:
        read(path)
    assert info.value.findings[0].message


def test_a_word_file_needing_a_newer_zip_version_is_refused(tmp_path: Path) -> None:
    docx = tmp_path / "d"
    written = api.export_templates(docx)
    source = next(p for p in written if p.suffix == ".docx")
    path = tmp_path / source.name
    path.write_bytes(_newer_zip_version(source.read_bytes()))
    with pytest.raises(InputError):
        api.audit(path)
    with pytest.raises(InputError):
        template_store.load([path])


def test_the_example_text_still_audits(tmp_path: Path) -> None:
    report, _ = api.audit(EXAMPLES / "accounts-001-explanation.txt")
    assert report is not None


def _inflated(raw: bytes, member: str, size: int) -> bytes:
    """``member`` padded with ``size`` spaces: a few KB that inflate to megabytes (the fuzzer
    made word/stylesWithEffects.xml inflate to 50 MB, 800 times its compressed size)."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, body + b" " * size if info.filename == member else body)
    return out.getvalue()


def test_a_word_template_with_an_inflating_part_is_refused_before_it_is_read(tmp_path: Path) -> None:
    written = api.export_templates(tmp_path / "t")
    source = next(p for p in written if p.name == "report-xinxiang-2024.docx")
    path = tmp_path / source.name
    path.write_bytes(_inflated(source.read_bytes(), "word/styles.xml", 3 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError) as info:
        template_store.load([path])
    assert info.value.findings[0].code == "template-broken"
    assert "压缩比" in info.value.findings[0].message
    with pytest.raises(InputError) as info:
        api.audit(path)
    assert "压缩比" in info.value.findings[0].message


def test_an_amount_too_long_to_quantize_is_judged_by_its_exponent():
    # reproducer: fuzz accounts-xlsx, seed 1, case 2662 (a grid value whose quantize to the
    # cent needs more digits than the decimal context holds raised InvalidOperation)
    from decimal import Decimal

    from jixiao.read.accounts.reader import _more_than_cents

    assert _more_than_cents(Decimal("1E+26")) is False
    assert _more_than_cents(Decimal("12345678901234567890123456.789")) is True
    assert _more_than_cents(Decimal("2.200")) is False
    assert _more_than_cents(Decimal("2.205")) is True


def _untyped_part(raw: bytes, part: str) -> bytes:
    """The package whose [Content_Types].xml lists ``part`` without its ContentType (the
    fuzzer overwrote the attribute): python-docx reads such a package but fails with a
    TypeError when it writes it back."""
    import re

    override = re.compile(rb'(<Override PartName="' + re.escape(part.encode()) + rb'")[^>]*/>')
    return rezip(
        raw, lambda name, data: override.sub(rb"\1/>", data) if name == "[Content_Types].xml" else data
    )


def test_a_word_template_without_a_content_type_is_refused_before_writing(tmp_path: Path) -> None:
    # reproducer: fuzz word-template, seed 1, case 1982
    written = api.export_templates(tmp_path / "t")
    source = next(p for p in written if p.name == "report-xinxiang-2024.docx")
    path = tmp_path / source.name
    path.write_bytes(_untyped_part(source.read_bytes(), "/word/settings.xml"))
    out = tmp_path / "out"
    with pytest.raises(InputError) as info:
        api.render(
            EXAMPLES / "score-001-xinxiang-2024-department.yaml", out, formats=["docx"], templates=[path]
        )
    assert info.value.findings[0].code == "template-broken"
    assert "/word/settings.xml" in info.value.findings[0].message
    assert not any(out.glob("*.docx"))  # nothing written


def test_a_huge_raw_score_is_rounded_exactly():
    # reproducer: fuzz submission-yaml, seed 1, cases 8806 and 9995 (a raw score of more
    # digits than the default decimal context raised InvalidOperation when rounded)
    from decimal import Decimal

    from jixiao.core.numbers import Rounding

    assert Rounding(places=2).apply(Decimal("12345678901234567890123456789.125")) == Decimal(
        "12345678901234567890123456789.13"
    )
    assert Rounding(places=2).apply(Decimal("1.005")) == Decimal("1.01")
