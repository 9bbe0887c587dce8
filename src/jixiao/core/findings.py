"""One result type for every problem jixiao finds: :class:`Finding`.

A Finding has a severity (error / warning / note), a stable ``code`` declared once in
``codes/*.yaml`` beside this module with its Chinese message template, a :class:`Location`,
the printed value, the expected value and the message. The CLI, JSON output, documents
and the web application all show the same Findings.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from jixiao.core import fieldnames, limits


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    note = "note"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "note": 2}[self.value]


class Location(BaseModel):
    """Where a problem is.

    Attributes:
        file: the input file, as the user named it.
        page: 1-based page of a paged document (PDF), when known.
        line: 1-based line in that file (YAML/JSON/text), when known; in a PDF the line
            on its page, in a Word file the paragraph number.
        sheet: worksheet name of an Excel workbook.
        table: a table of the document (公开01表, 绩效自评表 ...).
        row: the row (a code, a row label or a row number).
        column: the column label.
        indicator: indicator path, levels joined by '/'.
        field: the field of the input (``target``, ``actual``, ``weight`` ...).
        quote: the quoted sentence of a narrative text.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str | None = None
    page: int | None = None
    line: int | None = None
    sheet: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    indicator: str | None = None
    field: str | None = None
    quote: str | None = None

    def describe(self) -> str:
        """The location in Chinese, most general part first."""
        parts: list[str] = []
        if self.file:
            parts.append(f"文件“{self.file}”")
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.table:
            parts.append(self.table)
        if self.row:
            parts.append(f"行“{self.row}”")
        if self.column:
            parts.append(f"列“{self.column}”")
        if self.indicator:
            parts.append(f"指标“{self.indicator}”")
        if self.field:
            # in a table or a worksheet, the table, row, column or cell already say where
            gloss = "" if self.table or self.sheet else fieldnames.gloss(self.field)
            parts.append(f"字段“{self.field}”（{gloss}）" if gloss else f"字段“{self.field}”")
        if self.quote:
            parts.append(f"原文“{self.quote}”")
        return "，".join(parts)

    def merged(self, **changes: Any) -> Location:
        """A copy with the given fields set (None values leave a field as it is)."""
        return self.model_copy(update={k: v for k, v in changes.items() if v is not None})


class Finding(BaseModel):
    """A problem found in the input, in a rule or in a published document.

    Attributes:
        severity: error (must be fixed), warning (needs a look), note (for information).
        code: stable identifier from the catalogue (``score-mismatch``, ``sum-mismatch`` ...).
        message: the Chinese message, formatted from the code's template.
        location: where it is.
        printed: the value as the document or the input states it, if any.
        expected: the value jixiao computes, if any.
        explanation: the department's written explanation (出错说明), when it gave one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    severity: Severity
    code: str
    message: str
    location: Location = Location()
    printed: str | None = None
    expected: str | None = None
    explanation: str | None = None

    @property
    def title(self) -> str:
        """The code's Chinese title (合计与各项之和不符 …), as documents list it."""
        spec = catalogue().get(self.code)
        return spec.title if spec else self.code

    def describe(self) -> str:
        where = self.location.describe()
        text = f"[{self.severity.label}] {self.code}：{self.message}"
        return f"{text}（{where}）" if where else text

    def flat(self) -> tuple[str, str | None]:
        """(code, indicator-or-row) pair, for compact comparisons in tests and summaries."""
        loc = self.location
        return self.code, loc.indicator or loc.row or loc.field or loc.quote


class CodeSpec(BaseModel):
    """A Finding code as declared in ``codes/*.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    title: str
    template: str
    doc: str
    stage: str = ""  # the file that declares it: input, framework, scoring, accounts, audit


@cache
def catalogue() -> Mapping[str, CodeSpec]:
    """Every Finding code, loaded once from the package data (``core/codes/*.yaml``).

    Each stage keeps its codes in a file of its own; a code declared twice is an error.
    """
    specs: dict[str, CodeSpec] = {}
    folder = resources.files("jixiao.core").joinpath("codes")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        # libyaml's loader when PyYAML has it: the same data, read several times faster
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader) or {}
        for code, spec in raw.items():
            if code in specs:
                raise ValueError(f"finding code {code!r} declared twice ({entry.name})")
            specs[code] = CodeSpec(code=code, stage=entry.name.removesuffix(".yaml"), **spec)
    return specs


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def finding(
    code: str,
    location: Location | None = None,
    *,
    severity: Severity | None = None,
    printed: object = None,
    expected: object = None,
    **params: object,
) -> Finding:
    """Build a Finding from the catalogue's template for ``code``.

    ``params`` fill the template; ``printed`` and ``expected`` are also available to it.
    An unknown code is a programming error and raises KeyError.
    """
    spec = catalogue()[code]
    values = _Params({k: quoted(v, _MESSAGE_CHARS) for k, v in params.items()})
    shown, wanted = quoted(printed), quoted(expected)
    values.setdefault("printed", shown)
    values.setdefault("expected", wanted)
    return Finding(
        severity=severity or spec.severity,
        code=code,
        message=spec.template.format_map(values),
        location=location or Location(),
        printed=None if printed is None else str(shown),
        expected=None if expected is None else str(wanted),
    )


#: A parameter longer than this is cut: messages quote values, they do not copy files.
_MESSAGE_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 5, 5, 40, 40


def quoted(value: object, limit: int | None = None) -> Any:
    """``value`` made safe to quote in a message: short, printable, never expanded.

    Lists and mappings (possibly YAML alias bombs sharing one huge subtree) are shown
    through reprlib, which stops after a few items; strings are cut to ``limit``
    characters (the ``quoted_chars`` limit by default) and control characters, which
    could drive the terminal, are written as escapes. Numbers pass unchanged.
    """
    if value is None or isinstance(value, bool | int | Decimal | float):
        return value
    container = isinstance(value, list | tuple | dict | set | frozenset)
    text = _REPR.repr(value) if container else str(value)
    limit = limits.LIMITS.quoted_chars if limit is None else limit
    if len(text) > limit:
        text = text[:limit] + f"…（共{len(text)}字）"
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode(), text)


def count(findings: Iterable[Finding]) -> dict[Severity, int]:
    """How many findings of each severity."""
    totals = dict.fromkeys(Severity, 0)
    for f in findings:
        totals[f.severity] += 1
    return totals


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.error for f in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; stable within a severity."""
    return sorted(findings, key=lambda f: f.severity.rank)


class InputError(Exception):
    """Input that cannot be read at all. Carries the Findings that say why (Chinese)."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.describe() for f in findings))
        self.findings = findings
