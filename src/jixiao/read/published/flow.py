"""The running text of a document as sentences, each knowing where it came from.

Text extracted from PDF or Word breaks sentences across lines ("支出决算为\\n123.45万元");
paragraphs are joined back into units until a sentence end or a heading, and units are
split into sentences at 。！？. Markdown markers (#, **, list dashes) are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from jixiao.core.findings import Location
from jixiao.model.document import Paragraph, PublishedDocument

#: A line that starts a heading or an enumerated item: never glued to the line above.
HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
    r"|[（(]\d+[)）]|\d+[、.．](?!\d)|[①-⑳]|目标\s*\d|任务\s*\d|附件|注[:：])"
)
_MARKUP = re.compile(r"^\s*(#+\s*|[-•·]\s+|\*\*)|\*\*|<\/?b>")
_END = "。！？；：:!?"
#: A line ending in these goes on in the next, even when it opens like a heading.
_GOES_ON = "，,、"
#: An amount or a percentage: a line stating one is running text, not a heading.
_AMOUNT = re.compile(r"\d\s?(?:万元|亿元|元|%|％)")


def clean(text: str) -> str:
    """Paragraph text without Markdown/HTML markers and with normalised spaces."""
    text = _MARKUP.sub("", text)
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    return text.strip()


@dataclass
class Unit:
    """Paragraphs joined into one running text; ``starts`` maps offsets back to them."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    def add(self, para: Paragraph, text: str) -> None:
        if self.text and _needs_space(self.text[-1], text[0]):
            self.text += " "
        self.starts.append(len(self.text))
        self.paragraphs.append(para)
        self.text += text

    def paragraph_at(self, offset: int) -> Paragraph:
        return self.paragraphs[max(0, bisect_right(self.starts, offset) - 1)]


def _needs_space(a: str, b: str) -> bool:
    return a.isascii() and b.isascii() and a.isalnum() and b.isalnum()


@dataclass(frozen=True)
class Sentence:
    """One sentence of a unit: its text, its offset in the unit and the unit itself."""

    text: str
    start: int
    unit: Unit

    @property
    def paragraph(self) -> Paragraph:
        return self.unit.paragraph_at(self.start)

    def location(self, name: str, quote: str | None = None, at: int | None = None) -> Location:
        """Where the sentence (or the part of it at offset ``at``) is in the source."""
        para = self.unit.paragraph_at(self.start + at) if at is not None else self.paragraph
        return Location(file=name, page=para.page, line=para.line, quote=_quote(quote or self.text))

    def before(self, limit: int = 400) -> str:
        """The unit's text before this sentence (at most ``limit`` characters)."""
        return self.unit.text[max(0, self.start - limit) : self.start]


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def units(doc: PublishedDocument) -> list[Unit]:
    """The document's paragraphs joined into running-text units (tables end a unit)."""
    out: list[Unit] = []
    current = Unit()
    for block in doc.blocks:
        if not isinstance(block, Paragraph):
            if current.text:
                out.append(current)
            current = Unit()
            continue
        text = clean(block.text)
        if not text:
            continue
        joins = current.text and current.text[-1] not in _END and not HEADING.match(text)
        if current.text and not joins:
            out.append(current)
            current = Unit()
        current.add(block, text)
        if (
            HEADING.match(text)
            and len(text) <= 30
            and text[-1] not in _END + _GOES_ON
            and not _AMOUNT.search(text)
        ):
            out.append(current)  # a short heading stands alone
            current = Unit()
    if current.text:
        out.append(current)
    return out


def sentences(doc: PublishedDocument) -> Iterator[Sentence]:
    """Every sentence of the document's running text, in order. A "sentence" longer than
    any real one (a text without full stops) is read in pieces of at most
    :data:`MAX_SENTENCE` characters, so that the checks' cost stays linear."""
    for unit in units(doc):
        for match in re.finditer(r"[^。！？!?]+[。！？!?]?", unit.text):
            for offset, piece in _pieces(match.group(0)):
                text = piece.strip()
                if text:
                    yield Sentence(text, match.start() + offset, unit)


MAX_SENTENCE = 2000
_BREAKS = "，,；;、 \u3000"


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """``text`` cut into pieces of at most MAX_SENTENCE characters, each cut after a comma,
    semicolon or space; a stretch with none of them (no real text) is left out."""
    start = 0
    while len(text) - start > MAX_SENTENCE:
        window = text[start : start + MAX_SENTENCE]
        cut = max(window.rfind(c) for c in _BREAKS)
        if cut <= 0:
            following = [text.find(c, start + MAX_SENTENCE) for c in _BREAKS]
            start = min((k + 1 for k in following if k >= 0), default=len(text))
            continue
        yield start, text[start : start + cut + 1]
        start += cut + 1
    if start < len(text):
        yield start, text[start:]


# -- the report's year ------------------------------------------------------------------------
_YEAR_OF_REPORT = re.compile(r"(20\d\d)\s*年度")
_YEAR_ANY = re.compile(r"(20\d\d)\s*年")


#: The last document's year: every table of a document asks for it.
_LAST_YEAR: list[tuple[PublishedDocument, int | None]] = []


def report_year(doc: PublishedDocument) -> int | None:
    """The year a report evaluates: the first 'YYYY年度' of its opening, else the most
    frequent one, else the most frequent 'YYYY年'."""
    if _LAST_YEAR and _LAST_YEAR[0][0] is doc:
        return _LAST_YEAR[0][1]
    year = _report_year(doc)
    _LAST_YEAR[:] = [(doc, year)]
    return year


def _report_year(doc: PublishedDocument) -> int | None:
    paragraphs = [clean(p.text) for p in doc.paragraphs()]
    for text in paragraphs[:12]:
        m = _YEAR_OF_REPORT.search(text)
        if m:
            return int(m.group(1))
    counts = Counter(int(y) for t in paragraphs for y in _YEAR_OF_REPORT.findall(t))
    if not counts:
        counts = Counter(int(y) for t in paragraphs for y in _YEAR_ANY.findall(t))
    return counts.most_common(1)[0][0] if counts else None
