"""Reposted documents in traditional characters, with reading aids: read as simplified.

"公務(wù)接待費支出決算6.28萬元" is read as "公务接待费支出决算6.28万元": each character is
converted on its own (OpenCC's t2s tables) so offsets keep meaning, and a pinyin reading
in brackets after a character is dropped. ``positions`` maps each character of the
normalised text back to the source, so a finding quotes the document as printed.
"""

from __future__ import annotations

import re
from functools import cache

#: A pinyin reading a reposting site puts after a character: "預(yù)".
_READING = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zü\u00e0-\u01dc]{1,7}[)）]")


#: Traditional characters every reposted budget document uses (萬元, 預算, 決算, 經費 …);
#: the converter (slow to load) is used only for a text holding one of them.
_TELLTALE = frozenset("萬預決費經務與對說數總計撥資關於為這個們國會時後級門單據額購車應報")


@cache
def _converter() -> object | None:
    try:
        from opencc_purepy import OpenCC
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return OpenCC("t2s")


@cache
def _simplified(ch: str) -> str:
    converter = _converter()
    if converter is None:
        return ch
    out = converter.convert(ch)  # type: ignore[attr-defined]
    return out if len(out) == 1 else ch


def normalise(text: str) -> tuple[str, list[int]]:
    """The text in simplified characters without pinyin readings, and for each of its
    characters the offset of the source character it comes from."""
    traditional = not _TELLTALE.isdisjoint(text)
    kept: list[str] = []
    positions: list[int] = []
    skip_until = -1
    readings = {m.start(): m.end() for m in _READING.finditer(text)}
    for i, ch in enumerate(text):
        if i < skip_until:
            continue
        if i in readings:
            skip_until = readings[i]
            continue
        kept.append(_simplified(ch) if traditional and "\u4e00" <= ch <= "\u9fff" else ch)
        positions.append(i)
    positions.append(len(text))
    return "".join(kept), positions
