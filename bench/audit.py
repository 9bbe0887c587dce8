"""Benchmark: `jixiao audit` speed on the seeds and on a generated 100-page report.

    python bench/audit.py

Prints pages per second and peak memory. A text file has no pages: its pages are counted
as 1,000 characters each (about a printed A4 page of Chinese text), and said so. For the
PDF, three figures from the same run: PDFium's own text extraction of the file (pypdfium2,
the floor no reader built on it can beat), jixiao's PDF reader alone, and the whole audit;
then the same three in CPU time, which a machine loaded by other work distorts less than
wall time.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from jixiao import api

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.audit import docgen, reportgen  # noqa: E402 - the generators live with the tests

CHARS_PER_PAGE = 1000


def _time(path: Path, repeat: int = 1) -> tuple[float, object]:
    best = float("inf")
    report = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        report, _ = api.audit(path)
        best = min(best, time.perf_counter() - t0)
    return best, report


def _cpu(work: object, repeat: int = 3) -> float:
    """Best of ``repeat`` CPU seconds of ``work()``: on a machine others load, wall time
    says more about them than about the code."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        work()  # type: ignore[operator]
        best = min(best, time.process_time() - t0)
    return best


def _raw_text(path: Path) -> tuple[float, int]:
    """PDFium's plain text extraction of every page: (best of 3 seconds, pages)."""
    import pypdfium2

    best = float("inf")
    pages = 0
    for _ in range(3):
        t0 = time.perf_counter()
        document = pypdfium2.PdfDocument(path)
        pages = len(document)
        for page in document:
            page.get_textpage().get_text_range()
        document.close()
        best = min(best, time.perf_counter() - t0)
    return best, pages


def _audit_cold(path: Path) -> None:
    """The audit with the sentence caches emptied, as for a document not seen before."""
    from jixiao.read.published.statements import bind, parse

    for cached in (parse.parse, bind.canonical, bind.read_one):
        cached.cache_clear()
    api.audit(path)


def _raw_text_once(path: Path) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    for page in document:
        page.get_textpage().get_text_range()
    document.close()


def _read(path: Path) -> float:
    """jixiao's reader alone: best of 3 seconds."""
    from jixiao.read.published import read_document

    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        read_document(path)
        best = min(best, time.perf_counter() - t0)
    return best


def long_report(pages: int) -> list:
    """A report of about ``pages`` PDF pages: generated sections one after another."""
    blocks: list = []
    seed = 0
    while len(blocks) < pages * 18:  # about 18 blocks fill an A4 page
        blocks += reportgen.generate(seed).blocks
        seed += 1
    return blocks


def main() -> None:
    seeds = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))
    if seeds:
        chars = sum(len(p.read_text(encoding="utf-8")) for p in seeds)
        t0 = time.perf_counter()
        findings = 0
        for path in seeds:
            report, _ = api.audit(path)
            findings += len(report.findings)
        elapsed = time.perf_counter() - t0
        pages = chars / CHARS_PER_PAGE
        print(f"seeds: {len(seeds)} files, {chars:,} characters (~{pages:.0f} pages of {CHARS_PER_PAGE})")
        print(f"       {elapsed:.2f} s, {pages / elapsed:.1f} pages/s, {findings} findings")
    with tempfile.TemporaryDirectory() as tmp:
        blocks = long_report(100)
        text = reportgen.write_text(blocks, Path(tmp) / "long.txt")
        seconds, report = _time(text)
        pages = len(text.read_text(encoding="utf-8")) / CHARS_PER_PAGE
        print(f"generated text report: ~{pages:.0f} pages, {seconds:.2f} s, {pages / seconds:.1f} pages/s")
        if docgen.pdf_available():
            pdf = docgen.write(blocks, Path(tmp) / "long.pdf")
            raw_seconds, pages = _raw_text(pdf)
            read_seconds = _read(pdf)
            seconds, report = _time(pdf)
            print(f"generated PDF report: {pages} pages")
            print(f"  pypdfium2 text only: {raw_seconds:.2f} s, {pages / raw_seconds:.1f} pages/s")
            print(f"  jixiao PDF reader:   {read_seconds:.2f} s, {pages / read_seconds:.1f} pages/s")
            print(f"  jixiao audit:        {seconds:.2f} s, {pages / seconds:.1f} pages/s")
            from jixiao.read.published import read_document

            raw_cpu = _cpu(lambda: _raw_text_once(pdf))
            read_cpu = _cpu(lambda: read_document(pdf))
            audit_cpu = _cpu(lambda: _audit_cold(pdf))
            print(
                f"  CPU time (best of 3): pypdfium2 {pages / raw_cpu:.1f}, reader {pages / read_cpu:.1f}, "
                f"audit {pages / audit_cpu:.1f} pages/s (audit at {raw_cpu / audit_cpu:.2f} of pypdfium2)"
            )
        else:
            print("generated PDF report: skipped (WeasyPrint or the CJK font is not installed)")
        docx = docgen.write(blocks, Path(tmp) / "long.docx")
        seconds, report = _time(docx)
        size = f"{report.paragraphs} paragraphs, {report.tables} tables"
        print(f"generated Word report: {size}, {seconds:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
