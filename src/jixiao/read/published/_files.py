"""What the binary readers (Word, PDF, Excel) share: the checks made before a file is
handed to its parsing library, the translation of any library failure into a Chinese
Finding, and the joining of text lines broken inside a cell or a paragraph.

No library traceback reaches the user: every failure while parsing becomes an
:class:`~jixiao.core.findings.InputError`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jixiao.core import limits
from jixiao.core.findings import InputError, Location, finding
from jixiao.read.structured import MAX_INPUT_BYTES, _human

#: Office files are zip archives; their XML may expand far beyond the file size (a
#: "zip bomb"). Above this total of uncompressed members the file is refused unparsed.
MAX_UNZIPPED_BYTES = 10 * MAX_INPUT_BYTES

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .doc/.xls or an encrypted .docx/.xlsx
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def location(path: Path) -> Location:
    return Location(file=str(path))


def fail(file: Path, code: str, **params: object) -> InputError:
    """An InputError carrying one Finding of ``code`` located at ``file``."""
    return InputError([finding(code, location(file), severity=None, **params)])


def check_size(path: Path, limit: int | None = None) -> int:
    """The size of ``path`` in bytes; refuses a missing file or one above the limit."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
    except OSError:
        raise fail(path, "file-not-found", path=str(path)) from None
    if not path.is_file():
        raise fail(path, "file-not-found", path=str(path))
    if size > limit:
        raise fail(path, "file-too-large", size=_human(size), limit=_human(limit))
    if size == 0:
        raise fail(path, "empty-document")
    return size


def head(path: Path, n: int = 8) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(n)
    except OSError as exc:
        raise fail(path, "file-not-found", path=f"{path}（{exc.strerror}）") from None


#: The main part of each Office format, to tell a renamed file from a damaged one.
_MAIN_PART = {".docx": ("word/document.xml", "Word 文档"), ".xlsx": ("xl/workbook.xml", "Excel 工作簿")}


def check_office_zip(path: Path, kind: str, suffix: str) -> None:
    """Checks for a .docx / .xlsx before parsing: size, not an old binary or encrypted
    Office file, a readable zip holding this format's main part (not another format
    renamed), and not expanding beyond :data:`MAX_UNZIPPED_BYTES`."""
    check_size(path)
    if head(path) == _OLE_MAGIC:
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise fail(path, "encrypted-document")
        raise fail(path, "legacy-office-format", suffix=suffix)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):  # a newer zip version
        raise fail(
            path, "unreadable-document", kind=kind, detail="文件不是有效的压缩包（可能已损坏或并非此格式）"
        ) from None
    names = {info.filename for info in infos}
    other = next((s for s, (part, _) in _MAIN_PART.items() if s != suffix and part in names), None)
    if other and _MAIN_PART[suffix][0] not in names:
        detail = f"文件实际是{_MAIN_PART[other][1]}，扩展名应为 {other}"
        raise fail(path, "unreadable-document", kind=kind, detail=detail)
    unzipped = sum(info.file_size for info in infos)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise fail(
            path,
            "file-too-large",
            size=f"解压后 {_human(unzipped)}",
            limit=_human(MAX_UNZIPPED_BYTES),
        )
    bomb = limits.inflated_member(infos)
    if bomb is not None:
        detail = f"压缩包成员“{bomb.filename[:80]}”的压缩比异常（疑似压缩炸弹），拒绝读取"
        raise fail(path, "unreadable-document", kind=kind, detail=detail)


@contextmanager
def translated(path: Path, kind: str) -> Iterator[None]:
    """Turn any exception a parsing library raises inside the block into an InputError.

    The detail names the exception class, so that a fault of jixiao's own can still be
    told from a damaged file when a user reports it.
    """
    try:
        yield
    except InputError:
        raise
    except MemoryError:
        raise fail(path, "unreadable-document", kind=kind, detail="文件过于复杂，内存不足") from None
    except Exception as exc:
        cause = exc.args[0] if type(exc).__name__ == "PdfminerException" and exc.args else exc
        reason = f"{type(cause).__name__}: {cause}".strip()[:160]
        raise fail(
            path, "unreadable-document", kind=kind, detail=f"文件可能已损坏或不完整（{reason}）"
        ) from None


# CJK ideographs and punctuation, full-width forms, and the quotes/dashes Chinese text uses.
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_CJK_CHAR = re.compile(f"[{_CJK}]")


def join_lines(parts: Iterable[str], *, wrapped: bool = False) -> str:
    """Join the lines of one cell or paragraph.

    Lines a writer separated on purpose (paragraphs in a Word cell, soft line breaks):
    no space between two Chinese characters (Chinese has no spaces), one space otherwise,
    so ``≥90%`` / ``100%`` stay two tokens. Lines a layout ``wrapped`` (a PDF line that
    ran out of room): a space only between two non-Chinese characters, so that
    ``年初预算为`` / ``234.56万元`` reads as the sentence did.
    """
    out = ""
    for raw in parts:
        part = " ".join(raw.split())
        if not part:
            continue
        if out:
            left, right = is_cjk(out[-1]), is_cjk(part[0])
            if not (left or right) or (not wrapped and not (left and right)):
                out += " "
        out += part
    return out


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Chinese character or Chinese punctuation."""
    return bool(_CJK_CHAR.match(char))
