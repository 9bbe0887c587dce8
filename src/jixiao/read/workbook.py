"""Open an Excel workbook safely: checks made before openpyxl inflates anything.

openpyxl builds every cell of a worksheet in memory, so a 7 MB workbook of a million
rows, or a 1 MB zip that inflates to gigabytes, would take minutes and gigabytes. Here
the zip's declared sizes are checked first (Python's zipfile never inflates a member past
its declared size, so the declaration bounds the work), then each worksheet's XML is
streamed once to count its rows and cells against the limits; only then is the workbook
opened. Formulas whose result was never computed (a file written by a program and not
opened in Excel) are reported by cell, since reading them as blank would give wrong
errors.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.core import limits
from jixiao.core.deadline import time_limit
from jixiao.core.findings import Finding, InputError, Location, finding
from jixiao.read.structured import _human

_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
# Elements, with or without a namespace prefix: a row, a cell, a formula, a shared string.
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SHARED = re.compile(rb"<(?:\w+:)?si[\s>/]")
_CHUNK = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Scan:
    """What the stream scan found: rows per sheet part, cells in all, any formula."""

    rows: dict[str, int] = field(default_factory=dict)
    cells: int = 0
    formulas: bool = False


def _fail(path: Path, detail: str) -> InputError:
    return InputError([finding("syntax-error", Location(file=str(path)), kind="Excel", detail=detail)])


def check(path: Path, fail: Callable[[Path, str], InputError] | None = None) -> Scan:
    """Refuse ``path`` unless it is an xlsx within every limit; never inflates past them.

    ``fail`` builds the error from a detail (the audit readers use their own code).
    """
    fail = fail or _fail
    lim = limits.LIMITS
    loc = Location(file=str(path))
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError([finding("file-not-found", loc, path=str(path))]) from None
    if size > lim.file_bytes:
        raise InputError([finding("file-too-large", loc, size=_human(size), limit=_human(lim.file_bytes))])
    try:
        with path.open("rb") as f:
            magic = f.read(8)
    except OSError as exc:
        raise InputError([finding("file-not-found", loc, path=f"{path}（{exc.strerror}）")]) from None
    if magic == _OLE_MAGIC:
        raise fail(path, "这是旧版 .xls 文件或加密的工作簿；请在 Excel 中另存为 .xlsx（不设密码）")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):  # a newer zip version
        raise fail(path, "文件不是有效的 .xlsx 工作簿（可能已损坏或并非 Excel 格式）") from None
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > lim.unzipped_bytes:
            raise InputError(
                [
                    finding(
                        "file-too-large",
                        loc,
                        size=f"解压后 {_human(total)}",
                        limit=_human(lim.unzipped_bytes),
                    )
                ]
            )
        bomb = limits.inflated_member(infos)
        if bomb is not None:
            raise fail(path, f"压缩包成员“{bomb.filename[:80]}”的压缩比异常（疑似压缩炸弹），拒绝读取")
        return _scan(path, archive, infos, fail)


def _scan(
    path: Path,
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    fail: Callable[[Path, str], InputError],
) -> Scan:
    lim = limits.LIMITS
    scan = Scan()
    try:
        for info in infos:
            is_sheet = bool(_SHEET_PART.fullmatch(info.filename))
            if not is_sheet and info.filename != "xl/sharedStrings.xml":
                continue
            rows = 0
            for chunk in _chunks(archive, info):
                if is_sheet:
                    rows += len(_ROW.findall(chunk))
                    scan.cells += len(_CELL.findall(chunk))
                    scan.formulas = scan.formulas or bool(_FORMULA.search(chunk))
                else:
                    scan.cells += len(_SHARED.findall(chunk))
                if rows > lim.sheet_rows:
                    name = info.filename.rsplit("/", 1)[-1]
                    raise fail(
                        path,
                        f"工作表（{name}）超过 {lim.sheet_rows} 行；请删除多余的行，或用 --max-rows 放宽上限",
                    )
                if scan.cells > lim.workbook_cells:
                    raise fail(path, f"工作簿的单元格超过 {lim.workbook_cells} 个；请删除多余的内容")
            if is_sheet:
                scan.rows[info.filename] = rows
    except InputError:
        raise
    except Exception as exc:  # zlib, struct, bad CRC ...: a damaged archive
        raise fail(path, f"工作簿已损坏，无法解压（{type(exc).__name__}）") from None
    return scan


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in chunks that overlap by a few bytes, so no tag is split."""
    tail = b""
    with archive.open(info) as member:
        while True:
            block = member.read(_CHUNK)
            if not block:
                if tail:
                    yield tail
                return
            # a tag cut at the boundary is counted in the next chunk, never twice
            cut = block.rfind(b"<")
            if cut < 0:
                yield tail + block
                tail = b""
            else:
                yield tail + block[:cut]
                tail = block[cut:]
            if len(tail) > 4096:  # no real tag is that long
                yield tail
                tail = b""


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    try:
        yield
    except InputError:
        raise
    except MemoryError:
        raise _fail(path, "工作簿过于复杂，内存不足") from None
    except Exception as exc:  # any failure of the parsing library is a damaged file
        raise _fail(path, f"无法作为 Excel 工作簿打开（{type(exc).__name__}）") from None


def open_values(path: Path) -> Any:
    """The workbook with computed values (openpyxl, data_only), after :func:`check`.

    Raises InputError naming each cell that holds a formula without a computed result.
    """
    from openpyxl import load_workbook

    scan = check(path)
    with time_limit(str(path)), _translated(path):
        wb = load_workbook(path, data_only=True, read_only=False)
        if scan.formulas:
            missing = _uncomputed(path, wb)
            if missing:
                raise InputError(missing)
    return wb


def _uncomputed(path: Path, values: Any) -> list[Finding]:
    from openpyxl import load_workbook

    formulas = load_workbook(path, data_only=False, read_only=False)
    out: list[Finding] = []
    count = 0
    for ws in formulas.worksheets:
        shown = values[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f" or shown[cell.coordinate].value is not None:
                    continue
                count += 1
                if len(out) < limits.LIMITS.findings_shown:
                    out.append(
                        finding(
                            "formula-without-value",
                            Location(
                                file=str(path), sheet=ws.title, row=str(cell.row), column=cell.column_letter
                            ),
                            cell=cell.coordinate,
                            formula=str(cell.value)[:60],
                        )
                    )
    if count > len(out):
        rest = count - len(out)
        out.append(
            finding(
                "invalid-structure", Location(file=str(path)), detail=f"另有 {rest} 个公式单元格没有计算结果"
            )
        )
    return out
