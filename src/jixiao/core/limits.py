"""Resource limits for everything jixiao reads: the one place they are set.

Every reader checks its input against ``LIMITS`` so that no file, however large or
hostile, can exhaust memory or hang the process. The figures are far above any real
published report (a department's report runs to tens of pages, a final accounts
publication to a few hundred).
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upper bounds on input."""

    #: Pages of one PDF read; the pages after it are reported as not audited.
    pdf_pages: int = 2_000
    #: Bytes one PDF stream (a page's content, a font, an object stream) may inflate to.
    pdf_stream_bytes: int = 50 * MB
    #: Bytes all the streams of one PDF may inflate to together (images not counted:
    #: they are never decoded to read text).
    pdf_inflated_bytes: int = 300 * MB
    #: Characters (glyphs) read from one PDF page; a denser page is reported, not read.
    pdf_page_chars: int = 200_000
    #: Seconds spent reading one document; the pages after it are reported as not read.
    seconds_per_document: float = 120.0


LIMITS = Limits()
