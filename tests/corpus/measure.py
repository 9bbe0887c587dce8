"""Measure `jixiao audit` on the corpus of published documents in tests/data/corpus.

Each document ``NNN-<province>-<kind>.txt`` has an expectation file beside it
(``NNN-<province>-<kind>.yaml``): the real discrepancies (fragment, printed value, correct
value, the arithmetic) and a sample of correct figures that must not be flagged. A finding
matches an expected discrepancy when it prints the same value and, where it quotes the
sentence, the quote holds the figure with the words just before it in the fragment.
Fragments are compared with all whitespace removed (extraction breaks lines anywhere).

Counted per document: discrepancies found (matched by an error), found only as a warning or
note, missed; false errors (errors matching no expected discrepancy), and among them the
errors on a figure listed as must-not-flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from jixiao import api
from jixiao.core.findings import Finding, InputError, Severity

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
BASELINE = CORPUS / "baseline.yaml"

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
#: Characters of the fragment kept before the figure when checking a finding's quote.
_CONTEXT = 3


@dataclass(frozen=True)
class Expected:
    fragment: str
    printed: str
    correct: str | None
    arithmetic: str


@dataclass
class DocResult:
    name: str
    meta: dict[str, object]
    discrepancies: list[Expected]
    must_not_flag: list[Expected]
    found: list[Expected] = field(default_factory=list)
    hinted: list[Expected] = field(default_factory=list)
    missed: list[Expected] = field(default_factory=list)
    false_errors: list[Finding] = field(default_factory=list)
    flagged_correct: list[tuple[Expected, Finding]] = field(default_factory=list)
    warnings: int = 0
    unreadable: str | None = None


@dataclass
class Totals:
    documents: int
    discrepancies: int
    found: int
    hinted: int
    false_errors: int
    flagged_correct: int
    documents_with_false_errors: int


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def value(text: str | None) -> tuple[Decimal, bool] | None:
    """The first number of a printed value and whether it is a percentage."""
    if not text:
        return None
    m = _NUMBER.search(text)
    if m is None:
        return None
    rest = text[m.end() :].lstrip()
    return Decimal(m.group().replace(",", "")), rest.startswith(("%", "％"))


def _same_value(printed: str | None, exp: Expected) -> bool:
    got, want = value(printed), value(exp.printed)
    if got is None or want is None:
        return False
    # A percentage printed without its sign still names the same figure.
    return got[0] == want[0] and (got[1] == want[1] or not got[1] or not want[1])


def _in_quote(finding: Finding, exp: Expected) -> bool:
    """The finding's quoted sentence holds the figure as the fragment writes it."""
    quote = finding.location.quote
    if not quote:
        return True
    frag, q = squeeze(exp.fragment), squeeze(quote)
    if frag in q or q in frag:
        return True
    number = _NUMBER.search(exp.printed)
    if number is None:
        return False
    at = frag.find(number.group())
    if at < 0:
        return True
    snippet = frag[max(0, at - _CONTEXT) : at + len(number.group())]
    return snippet in q


def matches(finding: Finding, exp: Expected) -> bool:
    return _same_value(finding.printed, exp) and _in_quote(finding, exp)


def _expected(items: Iterable[dict[str, object]]) -> list[Expected]:
    return [
        Expected(
            fragment=str(i["fragment"]),
            printed=str(i["printed"]),
            correct=None if i.get("correct") is None else str(i["correct"]),
            arithmetic=str(i.get("arithmetic", "")),
        )
        for i in items
    ]


def documents(corpus: Path = CORPUS) -> list[tuple[Path, dict[str, object]]]:
    """Every corpus text with its expectation file, in order."""
    out = []
    for text in sorted(corpus.glob("[0-9][0-9][0-9]-*.txt")):
        meta = yaml.safe_load(text.with_suffix(".yaml").read_text(encoding="utf-8"))
        out.append((text, meta))
    return out


def measure_one(path: Path, meta: dict[str, object]) -> DocResult:
    res = DocResult(
        name=path.name,
        meta=meta,
        discrepancies=_expected(meta.get("discrepancies") or []),  # type: ignore[arg-type]
        must_not_flag=_expected(meta.get("must_not_flag") or []),  # type: ignore[arg-type]
    )
    try:
        report, _ = api.audit(path)
    except InputError as exc:  # counted, not raised: the table shows which document
        res.unreadable = "；".join(f.message for f in exc.findings)
        res.missed = list(res.discrepancies)
        return res
    errors = [f for f in report.findings if f.severity is Severity.error]
    others = [f for f in report.findings if f.severity is not Severity.error]
    res.warnings = len(others)
    for exp in res.discrepancies:
        if any(matches(f, exp) for f in errors):
            res.found.append(exp)
        elif any(matches(f, exp) for f in others):
            res.hinted.append(exp)
        else:
            res.missed.append(exp)
    for f in errors:
        if any(matches(f, exp) for exp in res.discrepancies):
            continue
        res.false_errors.append(f)
        for exp in res.must_not_flag:
            if matches(f, exp):
                res.flagged_correct.append((exp, f))
                break
    return res


def measure(corpus: Path = CORPUS) -> list[DocResult]:
    return [measure_one(path, meta) for path, meta in documents(corpus)]


def totals(results: list[DocResult]) -> Totals:
    return Totals(
        documents=len(results),
        discrepancies=sum(len(r.discrepancies) for r in results),
        found=sum(len(r.found) for r in results),
        hinted=sum(len(r.hinted) for r in results),
        false_errors=sum(len(r.false_errors) for r in results),
        flagged_correct=sum(len(r.flagged_correct) for r in results),
        documents_with_false_errors=sum(1 for r in results if r.false_errors),
    )


def table(results: list[DocResult], *, details: bool = True) -> str:
    """The per-document table and the totals, as plain text."""
    lines = [f"{'document':<38} {'found':>7} {'hint':>4} {'false':>5} {'mnf':>3} {'warn':>4}"]
    for r in results:
        flag = "  unreadable: " + r.unreadable if r.unreadable else ""
        lines.append(
            f"{r.name:<38} {len(r.found):>3}/{len(r.discrepancies):<3} {len(r.hinted):>4} "
            f"{len(r.false_errors):>5} {len(r.flagged_correct):>3} {r.warnings:>4}{flag}"
        )
        if details:
            for exp in r.missed:
                lines.append(f"    missed: {exp.printed} (应为 {exp.correct}) 「{exp.fragment[:40]}」")
            for f in r.false_errors:
                where = squeeze(f.location.quote or f.location.row or f.location.indicator or "")[:40]
                lines.append(f"    false error: {f.code} {f.printed} → {f.expected} 「{where}」")
    t = totals(results)
    share = f"{100 * t.found / t.discrepancies:.1f}%" if t.discrepancies else "-"
    per10 = f"{10 * t.false_errors / t.documents:.2f}" if t.documents else "-"
    lines += [
        "",
        f"documents: {t.documents}",
        f"discrepancies found: {t.found} / {t.discrepancies} ({share}); "
        f"found only as warning/note: {t.hinted}",
        f"false errors: {t.false_errors} in {t.documents_with_false_errors} documents "
        f"({per10} per 10 documents); on must-not-flag figures: {t.flagged_correct}",
    ]
    return "\n".join(lines)


def baseline() -> dict[str, int]:
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    return {k: int(v) for k, v in data.items()}
