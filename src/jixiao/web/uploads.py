"""Uploaded files are judged before any reader sees them: size, the real file type (the
first bytes, not the name), and for the zip-based Office formats the unpacked size, so
that a zip bomb posing as .xlsx or .docx is refused without being unpacked."""

from __future__ import annotations

import contextlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class UploadLimits:
    """Limits of one upload.

    Attributes:
        max_bytes: the file as sent.
        max_unpacked: all members of an .xlsx/.docx together, unpacked.
        max_ratio: unpacked / packed size of any one member (zip bombs reach thousands).
        max_members: members of an .xlsx/.docx.
    """

    max_bytes: int
    max_unpacked: int = 200 * 1024 * 1024
    max_ratio: int = 200
    max_members: int = 2000


class Rejected(Exception):
    """An upload refused; the message (Chinese) says why."""


_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),
}
_TEXT = {".txt", ".md", ".yaml", ".yml", ".json"}
_LABEL = {".pdf": "PDF", ".xlsx": "Excel（.xlsx）", ".docx": "Word（.docx）", ".zip": "zip 压缩包"}


def limits() -> UploadLimits:
    return UploadLimits(max_bytes=int(settings.UPLOAD_MAX_BYTES))


def accept(upload: UploadedFile[Any], allowed: tuple[str, ...], dest: Path) -> Path:
    """Check ``upload`` and store it at ``dest`` + its suffix; raise Rejected otherwise."""
    lim = limits()
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise Rejected(f"不支持的文件类型“{suffix or '（无扩展名）'}”：请上传 {'、'.join(allowed)} 文件。")
    size = upload.size or 0
    if size == 0:
        raise Rejected("文件是空的。")
    if size > lim.max_bytes:
        raise Rejected(f"文件太大（{size / 1048576:.1f} MB）：不能超过 {lim.max_bytes // 1048576} MB。")
    head = upload.read(8)
    upload.seek(0)
    if suffix in _MAGIC and not any(head.startswith(m) for m in _MAGIC[suffix]):
        raise Rejected(f"文件内容不是{_LABEL[suffix]}格式（扩展名与实际内容不符）。")
    if suffix in _TEXT and b"\x00" in upload.read(4096):
        raise Rejected("文件内容不是文本。")
    upload.seek(0)
    target = dest.with_suffix(suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    if suffix in (".xlsx", ".docx", ".zip"):
        try:
            _check_zip(target, suffix, lim)
        except Rejected:
            target.unlink(missing_ok=True)
            raise
    return target


def check_stored(path: Path, suffix: str) -> None:
    """The checks of :func:`accept` on a file already on disk (a member of an uploaded zip)."""
    lim = limits()
    size = path.stat().st_size
    if size == 0:
        raise Rejected("文件是空的。")
    if size > lim.max_bytes:
        raise Rejected(f"文件太大（{size / 1048576:.1f} MB）：不能超过 {lim.max_bytes // 1048576} MB。")
    with path.open("rb") as fh:
        head = fh.read(8)
    if suffix in _MAGIC and not any(head.startswith(m) for m in _MAGIC[suffix]):
        raise Rejected(f"文件内容不是{_LABEL[suffix]}格式（扩展名与实际内容不符）。")
    if suffix in (".xlsx", ".docx", ".zip"):
        _check_zip(path, suffix, lim)


def unpack(
    archive: Path, folder: Path, wanted: tuple[str, ...], max_files: int
) -> list[tuple[str, Path | None]]:
    """The members of an uploaded zip whose names end in ``wanted``, written one by one into
    ``folder`` under numbered names (never the member's own path), each no larger than an
    upload may be: (name in the archive, stored path or None when skipped)."""
    lim = limits()
    out: list[tuple[str, Path | None]] = []
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = _member_name(info)
            if info.is_dir() or name.startswith(("__MACOSX/", ".")) or "/." in name:
                continue
            if len(out) >= max_files:
                raise Rejected(f"压缩包中的文件超过 {max_files} 个，请分批导入。")
            suffix = Path(name).suffix.lower()
            if suffix not in wanted or info.file_size > lim.max_bytes:
                out.append((name, None))
                continue
            target = folder / f"{len(out):04d}{suffix}"
            with zf.open(info) as src, target.open("wb") as dst:
                left = lim.max_bytes + 1
                while chunk := src.read(min(65536, left)):
                    dst.write(chunk)
                    left -= len(chunk)
                    if left <= 0:
                        break
            out.append((name, target))
    return out


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author typed it: zips made on Chinese Windows write names in
    GBK without saying so."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name


def _check_zip(path: Path, suffix: str, lim: UploadLimits) -> None:
    """Read the zip's directory only (nothing is unpacked) and judge the sizes it declares."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise Rejected(f"文件已损坏，无法按{_LABEL[suffix]}读取。") from None
    if len(infos) > lim.max_members:
        raise Rejected(f"文件包含 {len(infos)} 个部件，超过上限 {lim.max_members}，已拒绝。")
    total = sum(i.file_size for i in infos)
    if total > lim.max_unpacked:
        raise Rejected(f"文件解压后达 {total / 1048576:.0f} MB，超过上限，疑似压缩炸弹，已拒绝。")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            raise Rejected("文件中有部件的压缩比异常（疑似压缩炸弹），已拒绝。")
    if suffix == ".zip":
        return
    expected = "xl/workbook.xml" if suffix == ".xlsx" else "word/document.xml"
    if "[Content_Types].xml" not in names or expected not in names:
        raise Rejected(f"文件不是有效的{_LABEL[suffix]}文件。")
