"""Reading cells (amounts, codes, the 栏次 row) and column labels of a printed table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, TypeVar

from jixiao.read.published.accounts.names import norm

if TYPE_CHECKING:  # find.py reads cells with this module: the import goes one way only
    from jixiao.read.published.accounts.find import Source
from jixiao.core.findings import Finding, Location, finding
from jixiao.model.document import Paragraph
from jixiao.model.tables import tables

V = TypeVar("V")

# --------------------------------------------------------------------------- cells


CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
_CODE_NAME = re.compile(r"^(\d{3}|\d{5}|\d{7})\s*([^\d\s].*)$")
_DASHES = frozenset({"-", "—", "－", "–", "/", "——", "--", "－－", "—-"})
_DECIMAL = re.compile(r"^[-−－]?\d+(?:\.\d+)?$")
TOTALS = frozenset({"合计", "总计", "本年合计"})


def amount(text: str) -> tuple[Decimal | None, str | None]:
    """(value in 万元, problem): an empty cell or a dash is None; a printed 0 stays 0."""
    raw = re.sub(r"</?b>|\*", "", text).strip()
    if not raw or raw in _DASHES:
        return None, None
    plain = re.sub(r"[,，\s]", "", raw)
    if plain.endswith("万元"):
        plain = plain[:-2]
    elif plain.endswith("元"):
        return None, "以元为单位，公开表应以万元为单位"
    if not _DECIMAL.match(plain):
        return None, "不是金额"
    try:
        value = Decimal(plain.replace("−", "-").replace("－", "-"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None, "不是金额"
    if value < 0:
        return None, "为负数，决算公开表的金额不应为负"
    return value, None


def _is_number(text: str) -> bool:
    return amount(text)[0] is not None


def is_seq_row(row: Sequence[str]) -> bool:
    """A 栏次 row: led by 栏次, or the column numbers 1, 2, 3 … and nothing else."""
    cells = [norm(c) for c in row if c.strip()]
    if not cells:
        return True
    if "栏次" in cells:
        return all(c == "栏次" or c.isdigit() for c in cells)
    return all(c.isdigit() for c in cells) and [int(c) for c in cells] == list(range(1, len(cells) + 1))


class Reader:
    """Reads one table into the data of the input format, collecting Findings."""

    def __init__(self, source: Source) -> None:
        self.src = source
        self.rows = source.rows
        self.findings: list[Finding] = []
        self.lines: dict[tuple[str, str], int] = {}

    def cell(self, i: int, j: int | None) -> str:
        if j is None or j < 0 or i >= len(self.rows) or j >= len(self.rows[i]):
            return ""
        return self.rows[i][j]

    def amount(self, i: int, j: int | None, column: str | None) -> Decimal | None:
        text = self.cell(i, j)
        value, problem = amount(text)
        if problem:
            self.findings.append(
                finding(
                    "accounts-table-value",
                    self.src.where(i, column=column),
                    printed=text,
                    table=self.src.display,
                    detail=problem,
                )
            )
        return value

    def line(self, key: str, i: int) -> None:
        line = self.src.lines[i] if i < len(self.src.lines) else None
        if line is not None:
            self.lines.setdefault((self.src.tid, key), line)

    def unrecognised(self, detail: str) -> None:
        self.findings.append(
            finding(
                "accounts-table-unrecognised",
                self.src.where(),
                table=self.src.display,
                detail=detail,
            )
        )

    def bad_row(self, i: int, detail: str) -> None:
        printed = " ".join(c for c in self.rows[i] if c)[:40]
        self.findings.append(
            finding(
                "accounts-table-row",
                self.src.where(i),
                printed=printed,
                table=self.src.display,
                detail=detail,
            )
        )

    def repeated(self, seen: dict[str, V], code: str, values: V, i: int) -> bool:
        """Whether ``code`` was read before (a table going on over a page repeats rows):
        a repeat with other figures is a bad row. A first reading is kept in ``seen``."""
        if code in seen:
            if seen[code] != values:
                self.bad_row(i, f"与前面的科目“{code}”重复而数字不同")
            return True
        seen[code] = values
        return False

    def bad_column(self, label: str) -> None:
        self.findings.append(
            finding("accounts-table-column", self.src.where(), printed=label, table=self.src.display)
        )

    def broken_row(self, para: Paragraph) -> None:
        """A row the page break cut into a line of text: its figures cannot be placed."""
        self.findings.append(
            finding(
                "accounts-table-row",
                Location(
                    file=self.src.file,
                    page=para.page,
                    line=para.line,
                    table=self.src.label,
                    row=para.text[:40],
                ),
                printed=para.text[:40],
                table=self.src.display,
                detail="在分页处断开，读成了一行文字，无法按列读取",
            )
        )

    def has_figures(self, i: int, columns: Iterable[int]) -> bool:
        return any(_is_number(self.cell(i, j)) for j in columns)

    def column_has_figures(self, j: int) -> bool:
        return any(_is_number(self.cell(i, j)) for i in range(len(self.rows)))

    def header_texts(self, header: Sequence[int], j: int) -> list[str]:
        """The header labels of column ``j``, top to bottom (栏次 rows left out)."""
        out = []
        for i in header:
            if is_seq_row(self.rows[i]):
                continue
            text = norm(self.cell(i, j))
            if text and text not in ("项目", "栏次") and text not in out:  # a header repeated on a new page
                out.append(text)
        return out

    def seq_numbers(self, header: Sequence[int]) -> dict[int, int]:
        """Column -> 栏次 number, from the header's 栏次 row."""
        for i in header:
            row = self.rows[i]
            if is_seq_row(row) and any(c.strip() for c in row):
                return {j: int(norm(c)) for j, c in enumerate(row) if norm(c).isdigit()}
        return {}


# --------------------------------------------------------------------------- column labels


def _column_key(tid: str, texts: list[str], seq: int | None) -> str | None:
    """The model column a header names: its lowest label, else its labels joined, else
    (when the labels say nothing) its 栏次 number in the standard layout."""
    columns = tables()[tid].code_columns
    if texts:
        for text in (texts[-1], "".join(texts)):
            for col in columns:
                if text in col.names:
                    return col.key
        return None
    if seq is not None and 1 <= seq <= len(columns):
        return columns[seq - 1].key
    return None


def column_label(key: str, tid: str) -> str:
    return tables()[tid].column_label(key)
