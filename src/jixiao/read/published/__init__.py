"""Readers: one per source format, each returning a :class:`~jixiao.model.document.Document`.

The registry maps a file suffix to its reader; an unknown suffix is refused with a
Chinese Finding.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jixiao.core.findings import InputError, Location, finding
from jixiao.model.document import PublishedDocument

Reader = Callable[[Path], PublishedDocument]


def _registry() -> dict[str, Reader]:
    from jixiao.read.published import text

    readers: dict[str, Reader] = {".txt": text.read, ".md": text.read, ".text": text.read}
    try:
        from jixiao.read.published import docx as docx_reader

        readers[".docx"] = docx_reader.read
    except ImportError:  # pragma: no cover - optional at import time only
        pass
    try:
        from jixiao.read.published import pdf

        readers[".pdf"] = pdf.read
    except ImportError:  # pragma: no cover
        pass
    try:
        from jixiao.read.published import xlsx

        readers[".xlsx"] = xlsx.read
    except ImportError:  # pragma: no cover
        pass
    return readers


def read_document(path: Path) -> PublishedDocument:
    """Read ``path`` with the reader its suffix names."""
    readers = _registry()
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            [
                finding(
                    "unsupported-format",
                    Location(file=str(path)),
                    suffix=path.suffix or "（无扩展名）",
                    supported="、".join(sorted(readers)),
                )
            ]
        )
    return reader(path)
