"""Round trip: every document `jixiao render` writes (each example, each report outline,
Word, PDF and Excel), audited, raises no error that is not an error of its input; and
one-digit slips put into the numbers the audit checks are found.

A slip is put into the document as read (a paragraph or a table cell), so that every
format is tried the same way. The numbers "the audit checks" are those whose gross change
(the number doubled plus one) the audit reports; a slip is one digit of such a number
replaced by another, as a typing mistake would be.
"""

from __future__ import annotations

import dataclasses
import random
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from tests.audit import docgen

from jixiao import api
from jixiao.check.published.audit import audit_document
from jixiao.model.document import Paragraph, PublishedDocument, Table
from jixiao.read.published import read_document

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "examples"
OUTLINES = ("xinxiang-2021", "xinxiang-2024", "xianghe", "leshan")
AUDITED = (".docx", ".pdf", ".xlsx")
SLIPS_PER_DOCUMENT = 3
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[list[Path], set[tuple[str, str]]]:
    """Every document rendered from the examples, and the (printed, expected) pairs of
    the errors of the inputs themselves (a published mistake the document keeps)."""
    formats = ["docx", "xlsx"] + (["pdf"] if docgen.pdf_available() else [])
    inputs = sorted(EXAMPLES.glob("*.yaml"))
    out = tmp_path_factory.mktemp("rendered")
    files: list[Path] = []
    known: set[tuple[str, str]] = set()
    for outline in OUTLINES:
        result = api.render(inputs, out / outline, formats=formats, outline=outline, jobs=2)
        files += [w.path for w in result.files if w.path.suffix in AUDITED]
        known |= {_pair(f) for f in result.findings if f.severity is api.Severity.error}
    return sorted(files), known


def _value(text: str | None) -> str:
    """A printed value as a number, for comparison ("837.1" = "837.10"), else as is."""
    try:
        return str(Decimal(str(text).rstrip("%％万元分 ")).normalize())
    except (InvalidOperation, ValueError):
        return str(text)


def _pair(f: api.Finding) -> tuple[str, str]:
    return _value(f.printed), _value(f.expected)


def test_rendered_documents_audit_without_false_errors(rendered):
    files, known = rendered
    assert len(files) >= 100
    false = []
    kept = 0
    for path in files:
        report, _ = api.audit(path)
        for f in report.errors:
            if _pair(f) in known:
                kept += 1  # an error of the input, printed as the input gave it
            else:
                false.append(f"{path.parent.name}/{path.name}: {f.describe()}")
    print(
        f"\nround trip: {len(files)} documents, {kept} errors of the inputs kept, {len(false)} false errors"
    )
    assert not false, "\n".join(false)


def _numbers(doc: PublishedDocument) -> list[tuple[int, int | None, int | None, re.Match[str]]]:
    """Every number in the document: (block, row, column, match)."""
    out = []
    for b, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            out += [(b, None, None, m) for m in _NUMBER.finditer(block.text)]
        else:
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    out += [(b, r, c, m) for m in _NUMBER.finditer(cell)]
    return out


def _replaced(
    doc: PublishedDocument, spot: tuple[int, int | None, int | None, re.Match[str]], new: str
) -> PublishedDocument:
    b, r, c, m = spot
    block = doc.blocks[b]

    def swap(text: str) -> str:
        return text[: m.start()] + new + text[m.end() :]

    if isinstance(block, Paragraph):
        changed: Paragraph | Table = dataclasses.replace(block, text=swap(block.text))
    else:
        assert r is not None
        assert c is not None
        rows = [list(row) for row in block.rows]
        rows[r][c] = swap(rows[r][c])
        changed = dataclasses.replace(block, rows=tuple(tuple(row) for row in rows))
    blocks = list(doc.blocks)
    blocks[b] = changed
    return dataclasses.replace(doc, blocks=tuple(blocks))


def _gross(text: str) -> str:
    value = Decimal(text)
    return str(value * 2 + 1)


def _slip(text: str, rng: random.Random) -> str:
    """One digit of ``text`` replaced by another (a leading 1-9 stays 1-9)."""
    places = [k for k, ch in enumerate(text) if ch.isdigit()]
    k = rng.choice(places)
    choices = [d for d in "0123456789" if d != text[k] and not (k == 0 and d == "0" and len(places) > 1)]
    return text[:k] + rng.choice(choices) + text[k + 1 :]


def _errors(doc: PublishedDocument) -> int:
    return len(audit_document(doc).errors)


def test_slips_in_rendered_documents_are_found(rendered):
    files, _ = rendered
    rng = random.Random(2024)
    tried = found = 0
    missed = []
    for path in files:
        doc = read_document(path)
        base = _errors(doc)
        spots = _numbers(doc)
        rng.shuffle(spots)
        slips = 0
        for spot in spots:
            if slips >= SLIPS_PER_DOCUMENT:
                break
            text = spot[3].group(0)
            if _errors(_replaced(doc, spot, _gross(text))) <= base:
                continue  # a number no check uses (a count, a year, a target)
            slips += 1
            new = _slip(text, rng)
            tried += 1
            if _errors(_replaced(doc, spot, new)) > base:
                found += 1
            else:
                missed.append(f"{path.name}: {text} → {new}")
    rate = found / tried
    print(f"\nslips: {tried} tried in {len(files)} documents, {found} found ({rate:.1%})")
    assert tried >= 150
    assert rate >= 0.95, missed
