"""Read rendered documents back as a user would see them, and collect the quantities they
state: each project's score and execution rate, the department's execution rate.

A quantity is keyed by its subject (a project's name with dashes and quotes removed, or the
document's own department/project) and its kind; its value is the number as printed. The
self-check asserts that every key has one value across a whole set of documents.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pdfplumber
from docx import Document
from openpyxl import load_workbook

_NOISE = re.compile(r"[\s\-—–－_“”\"'‘’「」《》()（）·]")
_NUM = r"(\d+(?:\.\d+)?)"
_PROJECT_SCORE = re.compile(r"项目绩效自评情况：根据年初设定的绩效目标，项目自评得分为" + _NUM + "分")
_RATE = re.compile(r"预算执行率(?:为|：)?" + _NUM + "%")
_ITEM = re.compile(r"(^|。)(\d+、|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_RATE_LABELS = ("预算执行情况", "预算执行率", "部门整体支出总额")


def key(name: str) -> str:
    return _NOISE.sub("", name)


def _value(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    try:
        if text.endswith("%"):
            return Decimal(text[:-1]) / 100
        return Decimal(text)
    except InvalidOperation:
        return None


def _fmt_cell(value: object, number_format: str = "") -> str:
    """An Excel cell as it is displayed (a rate formatted 0.00% shows as a percentage)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and "%" in number_format:
        return f"{Decimal(repr(value)) * 100}%"
    if isinstance(value, float):
        return repr(value)
    return str(value)


@dataclass
class Read:
    """A document as text: paragraphs and table rows (cells as displayed)."""

    path: Path
    paragraphs: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    sentences: bool = False  # paragraphs are sentences of one running text (PDF)


def read(path: Path) -> Read:
    out = Read(path)
    if path.suffix == ".docx":
        doc = Document(str(path))
        out.paragraphs = [p.text for p in doc.paragraphs]
        out.tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    elif path.suffix == ".xlsx":
        wb = load_workbook(path)
        for ws in wb.worksheets:
            rows = [[_fmt_cell(c.value, c.number_format) for c in r] for r in ws.iter_rows()]
            out.tables.append(rows)
            out.paragraphs += [" ".join(r).strip() for r in rows if sum(1 for c in r if c) == 1]
    elif path.suffix == ".pdf":
        with pdfplumber.open(path) as pdf:
            text = []
            for page in pdf.pages:
                text.append(page.extract_text() or "")
                for table in page.extract_tables():
                    out.tables.append([[(c or "").replace("\n", "") for c in r] for r in table])
        # one long text: paragraphs broken over lines and pages are joined again
        out.paragraphs = [p for p in re.split(r"(?<=。)", "".join("".join(text).split())) if p]
        out.sentences = True
    return out


@dataclass(frozen=True)
class Claim:
    subject: str
    kind: str  # score | rate
    value: Decimal
    where: str


def claims(doc: Read, subject: str, names: Iterable[str]) -> Iterator[Claim]:
    """Every statement of a known quantity in ``doc``. ``subject`` is whose document it is;
    ``names`` the project names a paragraph or a row may speak of."""
    keys = sorted({key(n) for n in names if n}, key=len, reverse=True)

    def about(text: str) -> str | None:
        flat = key(text)
        return next((k for k in keys if k in flat), None)

    where = doc.path.name
    current: str | None = None
    for para in doc.paragraphs:
        flat = "".join(para.split())
        named = about(flat)
        if doc.sentences:
            # a sentence of a running text speaks of the project its item named last
            current = named or current if named or not _ITEM.search(flat) else None
            named = current
        for m in _PROJECT_SCORE.finditer(flat):
            if named:
                yield Claim(named, "score", Decimal(m.group(1)), where)
        for m in _RATE.finditer(flat):
            yield Claim(named or subject, "rate", Decimal(m.group(1)) / 100, where)
    for table in doc.tables:
        head: list[str] | None = None
        for row in table:
            if any(c.strip() == "项目名称" for c in row):
                head = [c.strip() for c in row]
                continue
            label = next((c.strip() for c in row[:4] if c.strip() in _RATE_LABELS), None)
            if label and not any(key(c) in keys for c in row if c.strip()):
                # the rate achieved is the row's last percentage (its 指标值, 100%, comes first)
                rates = [v for c in row if c.strip().endswith("%") and (v := _value(c)) is not None]
                if rates:
                    yield Claim(subject, "rate", rates[-1], where)
            if head is None or len(row) != len(head):
                continue
            named = next((k for c in row if (k := key(c)) in keys), None)
            if named is None:
                continue
            for title, cell in zip(head, row, strict=True):
                v = _value(cell)
                if v is None:
                    continue
                if "执行率" in title:
                    yield Claim(named, "rate", v, where)
                elif title in ("总分", "得分", "自评得分") or "总分" in title:
                    yield Claim(named, "score", v, where)


def conflicts(
    found: Iterable[Claim], places: dict[str, int]
) -> dict[tuple[str, str], dict[Decimal, set[str]]]:
    """The quantities stated with more than one value, each value with the files saying it
    (values compared at the precision printed: two decimals of points or of a percentage)."""
    seen: dict[tuple[str, str], dict[Decimal, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c in found:
        q = Decimal(1).scaleb(-places[c.kind])
        seen[(c.subject, c.kind)][c.value.quantize(q)].add(c.where)
    return {k: dict(v) for k, v in seen.items() if len(v) > 1}
