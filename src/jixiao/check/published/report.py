"""The result of an audit: what was read and recognised, and every Finding."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from jixiao.core.findings import Finding, Severity


class AuditReport(BaseModel):
    """An audited document.

    Attributes:
        file: the document as the user named it.
        kind: text / docx / pdf / xlsx.
        pages: page count (PDF), else 0.
        year: the year the report evaluates, as recognised.
        paragraphs, tables, sentences: how much was read.
        recognised: what the recognisers found (自评表, 决算表, 陈述 ...), in Chinese.
        findings: every problem, errors first.
    """

    model_config = ConfigDict(frozen=True)

    file: str
    kind: str
    pages: int = 0
    year: int | None = None
    paragraphs: int = 0
    tables: int = 0
    sentences: int = 0
    recognised: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.error]
