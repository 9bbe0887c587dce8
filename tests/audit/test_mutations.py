"""Correct reports give no error; a copy with one number changed gives at least one.

The reports are generated (tests/audit/reportgen.py) with every number consistent, then
each number that a check depends on is changed by one digit, as a typing slip would.
"""

import random

import pytest
from tests.audit import docgen, reportgen

from jixiao import api

DOCUMENTS = 25
MUTATIONS_PER_DOCUMENT = 10  # 250 mutations in all


def _errors(path):
    report, _ = api.audit(path)
    return report.errors


def _flagged(path):
    """Errors, or a rounding-tail note: a one-cent slip in a sum cannot be told from a tail."""
    report, _ = api.audit(path)
    return report.errors, report.findings


def test_generated_reports_are_correct_and_mutations_are_caught(tmp_path):
    false_errors = []
    caught = flagged = total = 0
    missed = []
    for seed in range(DOCUMENTS):
        rep = reportgen.generate(seed)
        good = reportgen.write_text(rep.blocks, tmp_path / f"good-{seed}.txt")
        errors = _errors(good)
        false_errors += errors
        rng = random.Random(seed)
        for spot in rng.sample(rep.spots, min(MUTATIONS_PER_DOCUMENT, len(rep.spots))):
            blocks, new = reportgen.mutate(rep, spot, rng)
            path = reportgen.write_text(blocks, tmp_path / f"bad-{seed}-{total}.txt")
            total += 1
            errors, findings = _flagged(path)
            caught += bool(errors)
            flagged += bool(findings)
            if not findings:
                missed.append((seed, spot.text, new))
    print(
        f"\nmutations: {total}; caught as errors: {caught} ({caught / total:.1%}); "
        f"flagged (errors or tail notes): {flagged} ({flagged / total:.1%}); "
        f"false errors on {DOCUMENTS} correct reports: {len(false_errors)}"
    )
    assert not false_errors, [f.describe() for f in false_errors]
    assert total >= 200
    assert caught / total >= 0.9
    assert flagged / total >= 0.95, missed


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".xlsx"])
def test_word_pdf_and_excel_reports_are_audited_the_same(tmp_path, suffix):
    if suffix == ".pdf" and not docgen.pdf_available():
        pytest.skip("WeasyPrint or the CJK font is not installed")
    rep = reportgen.generate(101)
    good = docgen.write(rep.blocks, tmp_path / f"good{suffix}")
    assert _errors(good) == []
    rng = random.Random(7)
    caught = 0
    spots = [s for s in rep.spots if suffix != ".xlsx" or s.cell is not None]
    sample = rng.sample(spots, 6)
    for k, spot in enumerate(sample):
        blocks, _ = reportgen.mutate(rep, spot, rng)
        if _errors(docgen.write(blocks, tmp_path / f"bad{k}{suffix}")):
            caught += 1
    assert caught == len(sample)
