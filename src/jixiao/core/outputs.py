"""Where jixiao writes: checks made before the first byte of any output file.

A folder given with ``--out`` may already hold a symbolic link planted under the name of
a file jixiao is about to write (``报告.docx`` -> somewhere else); writing through it would
overwrite the link's target. Output names are built from sanitised stems, but the folder's
contents are not ours: every target that is a link is refused, as is an ``--out`` that is
an existing file, a link, or a folder that cannot be created.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jixiao.core.findings import InputError, finding


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
        if target.is_symlink():
            raise _refuse(target, "目标是符号链接，不会跟随写入；请删除这个链接或换一个输出目录")
        if target.exists() and not target.is_file():
            raise _refuse(target, "已存在同名的目录或特殊文件；请删除它或换一个输出目录")
