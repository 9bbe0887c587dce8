"""A PDF's pages as characters and ruling lines, through PDFium (pypdfium2), within limits.

PDFium parses a page in C, many times faster than a parser written in Python; what comes
out is what the layout code in ``pdf.py`` needs and nothing more:

* characters as pdfplumber shapes them (``text``, ``x0``, ``x1``, ``top``, ``bottom``,
  ``size``, and the centre ``mx``, ``my``; ``top`` measured down from the top of the
  page as displayed, so a page with ``/Rotate`` reads as a reader sees it). The box is
  the font's (ascent to descent, origin to advance), not the ink's, so that the gap
  between two digits is the gap the writer left. The spaces PDFium inserts itself
  (where it guesses a word gap or a line end) are dropped: gaps are judged from the
  geometry, as for a file without space glyphs;
* ruling lines as pdfplumber's edges (each painted straight segment, each side of a
  painted rectangle), for its table finder;
* the number of images, to tell a scanned page.

Limits (:mod:`jixiao.core.limits`): before PDFium sees the file, its compressed streams
are inflated here with a cap on the output, so a "flate bomb" is refused without
allocating it; a page with more characters than the limit, pages past the page limit and
pages left when the time for the document is up are not read, and said so.
"""

from __future__ import annotations

import ctypes
import math
import re
import struct
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.core import limits

_RECT = struct.Struct("4f")  # FS_RECTF: left, top, right, bottom
_THIN = 2.0  # points: a path no thicker than this is a rule, whatever its shape
_STRAIGHT = 0.01  # points: a segment whose ends differ less than this in x (or y) is straight
# Drawing objects looked at on one page (and in one form), segments in one path: far above
# any table (a ruled table of 40 rows and 8 columns draws a few hundred), and a bound on
# the time a hostile page can cost. Rules past them are not seen.
_MAX_OBJECTS = 50_000
_MAX_SEGMENTS = 10_000

# Where a stream's data starts; its dictionary is just before, its data ends at the next
# "endstream".
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_DICTIONARY_BYTES = 4096  # how far before "stream" its dictionary is looked for


@dataclass
class RawPage:
    """One page as read: see the module docstring. ``skipped`` says why a page was not
    read (its characters are then empty)."""

    number: int
    width: float
    height: float
    chars: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    images: int = 0
    skipped: str = ""


class TooLarge(Exception):
    """The file inflates beyond the limits; ``args[0]`` says how far, in Chinese."""


def check_inflated(data: bytes) -> None:
    """Inflate every Flate stream of ``data`` (images aside) with a cap on its output;
    TooLarge when one stream or all together exceed the limits. Output is counted and
    thrown away: memory stays at one chunk."""
    limit = limits.LIMITS
    total = 0
    position = 0
    while (match := _STREAM.search(data, position)) is not None:
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        position = end  # the next stream starts after this one's data: one pass over the file
        head = data[max(0, match.start() - _DICTIONARY_BYTES) : match.start()]
        head = head[head.rfind(b"obj") + 1 :]
        if b"/FlateDecode" not in head or re.search(rb"/Subtype\s*/Image", head):
            continue
        body = data[match.end() : end]
        size = _inflated_size(body, limit.pdf_stream_bytes + 1)
        if size > limit.pdf_stream_bytes:
            raise TooLarge(f"其中一个数据流解压后超过 {limit.pdf_stream_bytes // limits.MB} MB")
        total += size
        if total > limit.pdf_inflated_bytes:
            raise TooLarge(f"各数据流解压后合计超过 {limit.pdf_inflated_bytes // limits.MB} MB")


def _inflated_size(body: bytes, cap: int) -> int:
    """Bytes ``body`` inflates to, counted up to ``cap``; a damaged stream counts what
    came out before the damage (PDFium reads no more of it either)."""
    inflater = zlib.decompressobj()
    size = 0
    pending = body
    try:
        while pending and size < cap and not inflater.eof:
            out = len(inflater.decompress(pending, 1 << 20))
            size += out
            if not out and len(inflater.unconsumed_tail) == len(pending):
                break  # nothing consumed, nothing out: no more will come
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return size


def pages(path: Path) -> Iterator[RawPage]:
    """The pages of the PDF at ``path`` (opened by the caller's checks), in order.

    Raises ``pypdfium2.PdfiumError`` for a file PDFium cannot open (the caller tells a
    password from damage by its message).
    """
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    limit = limits.LIMITS
    document = pdfium.PdfDocument(path)
    try:
        count = len(document)
        started = time.monotonic()
        for index in range(count):
            number = index + 1
            if number > limit.pdf_pages:
                yield RawPage(number, 0, 0, skipped=f"超过 {limit.pdf_pages} 页的上限")
                continue
            if time.monotonic() - started > limit.seconds_per_document:
                yield RawPage(number, 0, 0, skipped=f"读取时间超过 {limit.seconds_per_document:g} 秒的上限")
                continue
            page = raw.FPDF_LoadPage(document.raw, index)
            if not page:
                yield RawPage(number, 0, 0, skipped="页面无法解析")
                continue
            try:
                yield _page(raw, page, number, limit.pdf_page_chars)
            finally:
                raw.FPDF_ClosePage(page)
    finally:
        document.close()


class _View:
    """Page space (PDF user space) to the page as displayed: x from the left, top from
    the top, after the page's /Rotate (the transform pdfminer applies)."""

    def __init__(self, raw: Any, page: Any):
        box = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
        if not raw.FPDFPage_GetMediaBox(page, *(ctypes.byref(v) for v in box)):
            width, height = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
            box[2].value, box[3].value = width, height
        self.left, self.bottom, self.right, self.top = (v.value for v in box)
        self.rotation = raw.FPDFPage_GetRotation(page) % 4
        w, h = self.right - self.left, self.top - self.bottom
        self.width, self.height = (h, w) if self.rotation % 2 else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(x, top) on the displayed page."""
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 1:
            return y - self.bottom, x - self.left
        if r == 2:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def box(self, left: float, top: float, right: float, bottom: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) on the displayed page of a page-space box."""
        ax, ay = self.point(left, top)
        bx, by = self.point(right, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _page(raw: Any, page: Any, number: int, max_chars: int) -> RawPage:
    view = _View(raw, page)
    result = RawPage(number, view.width, view.height)
    textpage = raw.FPDFText_LoadPage(page)
    if textpage:
        try:
            count = raw.FPDFText_CountChars(textpage)
            if count > max_chars:
                result.skipped = f"字符过多（{count:,} 个，上限 {max_chars:,} 个）"
            elif count > 0:
                result.chars = _chars(raw, textpage, count, view)
        finally:
            raw.FPDFText_ClosePage(textpage)
    if not result.skipped:
        identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        count = min(raw.FPDFPage_CountObjects(page), _MAX_OBJECTS)
        objects = [raw.FPDFPage_GetObject(page, k) for k in range(count)]
        _Drawing(raw, view, result).objects(objects, identity, 0)
    return result


def _text(raw: Any, textpage: Any, count: int) -> str:
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * count].decode("utf-16-le", errors="replace")
    if len(text) != count:  # characters outside the BMP: one index each, two UTF-16 units
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(count))
    return text


def _chars(raw: Any, textpage: Any, count: int, view: _View) -> list[dict[str, Any]]:
    text = _text(raw, textpage, count)
    rect = raw.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    matrix = raw.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    loose_box, unpack = raw.FPDFText_GetLooseCharBox, _RECT.unpack_from
    font_size, text_object = raw.FPDFText_GetFontSize, raw.FPDFText_GetTextObject
    generated = raw.FPDFText_IsGenerated
    last_height = -1.0
    size = 0.0
    plain = view.rotation == 0
    left, top_edge = view.left, view.top
    chars: list[dict[str, Any]] = []
    append = chars.append
    for i, glyph in enumerate(text):
        if glyph < " " or glyph in "\ufffe\uffff" or (glyph == " " and generated(textpage, i)):
            continue
        loose_box(textpage, i, rect_ref)
        x0, top, x1, bottom = unpack(rect)
        # The size the character is drawn at: the font size times the text matrix's
        # scale (many writers set "1 Tf" and scale the matrix instead). The loose box's
        # height is the font's ascent to descent at the drawn size, so a character as
        # high as the last one is taken to have its size (two calls into PDFium saved
        # for nearly every character).
        if top - bottom != last_height:
            last_height = top - bottom
            obj = text_object(textpage, i)
            scale = 1.0
            if obj and raw.FPDFPageObj_GetMatrix(obj, matrix_ref):
                scale = math.hypot(matrix.c, matrix.d) or 1.0
            size = font_size(textpage, i) * scale
        if plain:
            x0, x1, top, bottom = x0 - left, x1 - left, top_edge - top, top_edge - bottom
        else:
            x0, top, x1, bottom = view.box(x0, top, x1, bottom)
        append(
            {
                "text": glyph,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "size": size,
                "mx": (x0 + x1) / 2,  # its centre, by which it is placed in a table cell
                "my": (top + bottom) / 2,
            }
        )
    return chars


_Matrix = tuple[float, float, float, float, float, float]


def _times(m: _Matrix, n: _Matrix) -> _Matrix:
    """The matrix applying ``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


class _Drawing:
    """Walks a page's drawing objects: counts images, collects ruling lines."""

    def __init__(self, raw: Any, view: _View, page: RawPage):
        self.raw, self.view, self.page = raw, view, page
        # ctypes out-parameters, allocated once per page rather than once per path
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.modes = (ctypes.byref(self.fill), ctypes.byref(self.stroke))
        self.box = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
        self.box_refs = tuple(ctypes.byref(v) for v in self.box)
        self.matrix = raw.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)

    def own_matrix(self, obj: Any) -> _Matrix:
        m = self.matrix
        if self.raw.FPDFPageObj_GetMatrix(obj, self.matrix_ref):
            return (m.a, m.b, m.c, m.d, m.e, m.f)
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

    def objects(self, objects: list[Any], parent: _Matrix, depth: int) -> None:
        """Images and ruling lines among ``objects``; form XObjects are entered (up to a
        nesting depth that no real file reaches)."""
        raw = self.raw
        for obj in objects:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                self.page.images += 1
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                self.path(obj, parent, nested=depth > 0)
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
                count = min(raw.FPDFFormObj_CountObjects(obj), _MAX_OBJECTS)
                inner = [raw.FPDFFormObj_GetObject(obj, k) for k in range(count)]
                self.objects(inner, _times(self.own_matrix(obj), parent), depth + 1)

    def path(self, obj: Any, parent: _Matrix, *, nested: bool) -> None:
        """The edges of one painted path: a thin path is a rule (the sides of its box);
        any other path gives its straight horizontal and vertical segments."""
        raw, view, edges = self.raw, self.view, self.page.edges
        if raw.FPDFPath_GetDrawMode(obj, *self.modes) and not (self.fill.value or self.stroke.value):
            return  # neither filled nor stroked: nothing is drawn
        if not nested and raw.FPDFPageObj_GetBounds(obj, *self.box_refs):
            left, bottom, right, top = (v.value for v in self.box)
            if min(right - left, top - bottom) <= _THIN:
                _rule(view.box(left, top, right, bottom), edges)
                return
        a, b, c, d, e, f = _times(self.own_matrix(obj), parent)
        x, y = ctypes.c_float(), ctypes.c_float()
        x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
        start: tuple[float, float] | None = None
        last: tuple[float, float] | None = None
        for k in range(min(raw.FPDFPath_CountSegments(obj), _MAX_SEGMENTS)):
            segment = raw.FPDFPath_GetPathSegment(obj, k)
            if not raw.FPDFPathSegment_GetPoint(segment, x_ref, y_ref):
                continue
            point = view.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_MOVETO or last is None:
                start = point
            else:
                _segment_edge(last, point, edges)
            last = point
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                _segment_edge(point, start, edges)
                last = start


def _rule(bbox: tuple[float, float, float, float], edges: list[dict[str, Any]]) -> None:
    """A thin box as the one edge along its middle: what pdfplumber makes of its sides
    (the two long ones snap together, the short ones are too short to count)."""
    x0, top, x1, bottom = bbox
    if x1 - x0 >= bottom - top:
        middle = (top + bottom) / 2
        _segment_edge((x0, middle), (x1, middle), edges)
    else:
        middle = (x0 + x1) / 2
        _segment_edge((middle, top), (middle, bottom), edges)


def _segment_edge(p: tuple[float, float], q: tuple[float, float], edges: list[dict[str, Any]]) -> None:
    (px, py), (qx, qy) = p, q
    x0, x1, top, bottom = min(px, qx), max(px, qx), min(py, qy), max(py, qy)
    if bottom - top < _STRAIGHT:
        orientation = "h"
    elif x1 - x0 < _STRAIGHT:
        orientation = "v"
    else:
        return
    edges.append(
        {
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "width": x1 - x0,
            "height": bottom - top,
            "orientation": orientation,
            "object_type": "curve_edge",
        }
    )
