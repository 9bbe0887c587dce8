"""Resource limits for everything jixiao reads: the one place they are set.

Every reader checks its input against ``LIMITS`` so that no file, however large or
hostile, can exhaust memory, hang the process or flood the terminal. The figures are far
above any real submission, final accounts or published report (a department's
self-evaluation is a few KB; the largest published final accounts workbook seen is under
1 MB). The command line can raise the few a real user could need more of (see
:func:`override`); the rest are fixed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from zipfile import ZipInfo

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upper bounds on input. Documented in the README (section 输入限制)."""

    #: Bytes of one input file (YAML, JSON, xlsx, docx, pdf, txt) before it is read.
    file_bytes: int = 20 * MB
    #: Nodes (scalars, lists, mappings, alias uses counted each time) of one YAML/JSON file.
    yaml_nodes: int = 200_000
    #: Nesting depth of lists and mappings in one YAML/JSON file.
    nesting_depth: int = 64
    #: Levels of one indicator path (一级/二级/三级 use three; a framework may add a fourth).
    indicator_levels: int = 8
    #: Characters of one string value (a name, a target, a paragraph of a summary).
    string_chars: int = 200_000
    #: Characters of a value quoted back in a message; longer values are cut with "…".
    quoted_chars: int = 100
    #: Significant digits of one number written in an input file (Decimal computes with 28).
    number_digits: int = 24
    #: Largest absolute decimal exponent of one number: 1e15 万元 and 1e-15 are accepted,
    #: 1e16 and 1e400 are not, so that no product of two read numbers overflows the context.
    number_exponent: int = 15
    #: Rows of one worksheet read from a workbook.
    sheet_rows: int = 50_000
    #: Cells (rows x columns in use) of one workbook read.
    workbook_cells: int = 2_000_000
    #: Bytes an Office (xlsx/docx) zip may inflate to, judged from its declared sizes.
    unzipped_bytes: int = 200 * MB
    #: Inflation ratio of one zip member (real Office parts compress 5-20x).
    zip_ratio: int = 200
    #: Pages of one PDF read.
    pdf_pages: int = 2_000
    #: Bytes one PDF content stream may inflate to.
    pdf_stream_bytes: int = 50 * MB
    #: Bytes all the streams of one PDF may inflate to together (images not counted:
    #: they are never decoded to read text).
    pdf_inflated_bytes: int = 300 * MB
    #: Characters (glyphs) read from one PDF page; a denser page is reported, not read.
    pdf_page_chars: int = 200_000
    #: Seconds spent on one document (reading it, then its whole audit, score or check)
    #: before it is refused.
    seconds_per_document: float = 120.0
    #: Characters of a user-written Jinja template's output (Word and HTML templates).
    template_output_chars: int = 20_000_000
    #: Nesting of parentheses, calls and signs in a rule expression.
    expression_depth: int = 40
    #: Operators (+ - * /) in one rule expression (longer sums are written with sum()).
    expression_terms: int = 200
    #: Width or precision in a rule message's format specification ({left:>12}).
    format_width: int = 100
    #: Findings of one kind printed on the terminal before "还有 N 条" sums up the rest.
    findings_shown: int = 200


LIMITS = Limits()


def inflated_member(infos: Iterable[ZipInfo]) -> ZipInfo | None:
    """The first member of an Office zip that inflates suspiciously (over 1 MB, and more
    than ``zip_ratio`` times its compressed size: a zip bomb's part), judged from the sizes
    the zip declares, before anything is inflated; None when there is none."""
    ratio = LIMITS.zip_ratio
    return next(
        (i for i in infos if i.file_size > MB and i.file_size > ratio * max(i.compress_size, 1)), None
    )


def current() -> Limits:
    """The limits in force (the module global, possibly raised by a command-line flag)."""
    return LIMITS


def override(**changes: int | float) -> Limits:
    """Raise (or lower) some limits for this process, e.g. from ``--max-rows``.

    Only known fields are accepted; the new limits are returned and take effect for every
    reader at once, since all of them read ``limits.LIMITS`` when they run.
    """
    global LIMITS  # noqa: PLW0603 - one process-wide setting, read at each use
    LIMITS = replace(LIMITS, **changes)  # type: ignore[arg-type]
    return LIMITS
