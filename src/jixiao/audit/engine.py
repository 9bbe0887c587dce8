"""Audit a published document: read it, recognise what it states, check every claim.

Each checker runs on its own; one that fails becomes an ``internal-error`` Finding naming
it, and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from jixiao.audit import claims, consistency
from jixiao.audit.document import Document
from jixiao.audit.flow import Sentence, sentences
from jixiao.audit.readers import read_document
from jixiao.audit.report import AuditReport
from jixiao.core.findings import Finding, Location, finding, sort_findings

Check = Callable[[], Iterable[Finding]]


def audit_file(path: Path) -> AuditReport:
    """Read ``path`` (txt/md/docx/pdf/xlsx) and audit it; InputError when unreadable."""
    return audit_document(read_document(path))


def audit_document(doc: Document) -> AuditReport:
    name = doc.name
    sents = list(sentences(doc))
    known = claims.known_quantities(sents)
    year = consistency.report_year(doc)

    def per_sentence(check: Callable[[Sentence], Iterable[Finding]]) -> Check:
        return lambda: (f for s in sents for f in check(s))

    checks: dict[str, Check] = {
        "占比": per_sentence(lambda s: claims.check_shares(s, name, known)),
        "完成预算比例": per_sentence(lambda s: claims.check_completion(s, name)),
        "比率": per_sentence(lambda s: claims.check_rates(s, name)),
        "增减": per_sentence(lambda s: claims.check_changes(s, name)),
        "合计": per_sentence(lambda s: claims.check_sums(s, name)),
        "年度": lambda: consistency.check_years(sents, year, name),
        "序号": lambda: consistency.check_numbering(doc, name),
        "前后一致": lambda: consistency.check_conflicts(sents, name),
        "文中得分": lambda: consistency.check_score_claims(sents, name),
    }
    found: list[Finding] = []
    for label, check in checks.items():
        try:
            found.extend(check())
        except Exception as exc:  # a failing check must not stop the others
            found.append(finding("internal-error", Location(file=name), rule=label, detail=repr(exc)))
    return AuditReport(
        file=name,
        kind=doc.kind,
        pages=doc.pages,
        year=year,
        paragraphs=sum(1 for _ in doc.paragraphs()),
        tables=sum(1 for _ in doc.tables()),
        sentences=len(sents),
        findings=tuple(sort_findings(_unique(found))),
    )


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.code, f.location.line, f.location.quote, f.printed, f.expected)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
