"""Where jixiao writes: every output file goes through here.

A folder given with ``--out`` may already hold a symbolic link planted under the name of
a file jixiao is about to write (``报告.docx`` -> somewhere else); writing through it would
overwrite the link's target. Output names are built from sanitised stems, but the folder's
contents are not ours: every target that is a link is refused, as is an ``--out`` that is
an existing file, a link, or a folder that cannot be created.

Every command that writes (``render``, ``template``, ``explain -o``, ``audit --html`` and
``--summary``, ``templates export``) writes with :func:`write` or :func:`save`: the target
is checked first, then opened with ``O_NOFOLLOW`` so that a link planted between the check
and the write is not followed either. A refusal is an InputError (code ``write-failed``,
exit 2) naming the path.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from jixiao.core.findings import InputError, finding

_LINK = "目标是符号链接，不会跟随写入；请删除这个链接或换一个输出位置"


def _refuse(path: Path, detail: str) -> InputError:
    return InputError([finding("write-failed", None, path=str(path), detail=detail)])


def prepare_folder(folder: Path, targets: Iterable[Path] = ()) -> None:
    """Create ``folder`` for writing ``targets``; InputError (nothing written) when unsafe."""
    if folder.is_symlink():
        raise _refuse(folder, "输出目录是符号链接，不会跟随写入；请指定一个普通目录")
    if folder.exists() and not folder.is_dir():
        raise _refuse(folder, "已存在同名文件，不是目录；请换一个输出目录")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refuse(folder, f"无法创建输出目录（{exc.strerror or type(exc).__name__}）") from None
    for target in targets:
        check_target(target)


def check_target(path: Path) -> None:
    """InputError unless ``path`` may be written: not a link, not a folder, not a device."""
    if path.is_symlink():
        raise _refuse(path, _LINK)
    if path.exists() and not path.is_file():
        raise _refuse(path, "已存在同名的目录或特殊文件；请删除它或换一个输出位置")


def write(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``path``, never through a link; InputError if not."""
    check_target(path)
    body = data.encode("utf-8") if isinstance(data, str) else data
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link planted after the check
            raise _refuse(path, _LINK) from None
        raise _refuse(path, f"无法写入（{exc.strerror or type(exc).__name__}）") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
    except OSError as exc:
        raise _refuse(path, f"无法写入（{exc.strerror or type(exc).__name__}）") from None


def save(path: Path, writer: Callable[[IO[bytes]], object]) -> None:
    """``writer(buffer)`` (an openpyxl or python-docx ``save``), then :func:`write`."""
    check_target(path)  # before the work of building the file
    buffer = io.BytesIO()
    writer(buffer)
    write(path, buffer.getvalue())
