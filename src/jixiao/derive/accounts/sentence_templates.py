"""SentenceTemplate templates of the 情况说明 (``explain.yaml``): parsed once, rendered with values
to write the text, compiled to regular expressions to read a text back.

A template is literal text with slots ``{name:kind}`` and optional parts ``[[ … ]]``; see
the head of explain.yaml for the kinds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from jixiao.core.numbers import HUNDRED, plain, round_half_up
from jixiao.model.accounts import VEHICLE_CATEGORIES

#: Closed vocabularies a slot may use as its kind.
VOCABULARIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "income_source": (
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ),
        "expense_part": ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"),
        "vehicle": VEHICLE_CATEGORIES,
    }
)
NUMBER_KINDS = ("money", "money_plain", "pct", "pct_plain", "count", "year")


class Missing:
    """A value the data does not give; ``what`` says which data (for the Finding)."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Missing({self.what!r})"


class DerivedInSentence:
    """A value computed from other figures *printed in the same sentence* (used when the
    data lacks the figure: the sentence can then only be checked for self-consistency)."""

    __slots__ = ("fn", "what")

    def __init__(self, fn: Any, what: str) -> None:
        self.fn = fn
        self.what = what


@dataclass(frozen=True)
class Slot:
    name: str
    kind: str


@dataclass(frozen=True)
class Optional:
    parts: tuple[Any, ...]


@dataclass(frozen=True)
class SentenceTemplate:
    """A template: ``id``, the ``section`` (一 … 十三) it belongs to, whether it is a list
    ``item`` inside another sentence, the ``heading`` written before it, its parts."""

    id: str
    section: str
    text: str
    item: bool
    heading: str
    parts: tuple[Any, ...]
    pattern: re.Pattern[str]

    def slots(self) -> list[Slot]:
        out: list[Slot] = []

        def walk(parts: tuple[Any, ...]) -> None:
            for p in parts:
                if isinstance(p, Slot):
                    out.append(p)
                elif isinstance(p, Optional):
                    walk(p.parts)

        walk(self.parts)
        return out

    def render(self, values: Mapping[str, Any]) -> str | None:
        """The sentence with ``values``; None when a required value is missing."""
        return _render(self.parts, values, required=True)


_TOKEN = re.compile(r"\[\[|\]\]|\{(\w+):([^}]+)\}")


def _parse(text: str) -> tuple[Any, ...]:
    stack: list[list[Any]] = [[]]
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            stack[-1].append(text[pos : m.start()])
        token = m.group(0)
        if token == "[[":
            stack.append([])
        elif token == "]]":
            inner = stack.pop()
            stack[-1].append(Optional(tuple(inner)))
        else:
            stack[-1].append(Slot(m.group(1), m.group(2)))
        pos = m.end()
    if pos < len(text):
        stack[-1].append(text[pos:])
    if len(stack) != 1:
        raise ValueError(f"unbalanced [[ ]] in {text!r}")
    return tuple(stack[0])


# --------------------------------------------------------------------------- rendering


def money(value: Decimal) -> str:
    """123.45 -> '123.45'; 0 -> '0' (the seed's way of writing zero amounts)."""
    if value == 0:
        return "0"
    return format(round_half_up(value, 2), "f")


def percent(rate: Decimal | None, *, trim: bool = False) -> str:
    """A fraction as the seed prints it: '76.54%'; '0%' when zero or when the base is zero."""
    if rate is None or rate == 0:
        return "0%"
    value = round_half_up(rate * HUNDRED, 2)
    return f"{plain(value) if trim else format(value, 'f')}%"


def format_value(kind: str, value: Any) -> str:
    if kind == "money":
        return money(value)
    if kind == "money_plain":
        return plain(round_half_up(value, 2))
    if kind == "pct":
        return percent(value)
    if kind == "pct_plain":
        return percent(value, trim=True)
    if kind == "names":
        return "、".join(value)
    return str(value)


def _render(parts: tuple[Any, ...], values: Mapping[str, Any], *, required: bool) -> str | None:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Optional):
            text = _render(part.parts, values, required=False)
            if text is not None:
                out.append(text)
        else:
            value = values.get(part.name)
            if value is None and part.kind in ("pct", "pct_plain") and part.name in values:
                if not required:  # an optional rate on a zero base is left out (seed 001, item 12)
                    return None
                value_text = "0%"
            elif value is None or isinstance(value, Missing | DerivedInSentence) or value == "":
                return None
            else:
                value_text = format_value(part.kind, value)
            out.append(value_text)
    return "".join(out)


# --------------------------------------------------------------------------- reading


_PUNCT = str.maketrans({"(": "（", ")": "）", ";": "；", ":": "：", "\u3000": "", "*": "", "#": ""})


def normalize(text: str) -> tuple[str, list[int]]:
    """The text without white space and markup, half-width punctuation made full-width;
    and for each character of the result, its index in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    n = len(text)
    for i, raw in enumerate(text):
        if raw.isspace():
            continue
        ch = raw
        if raw == ",":
            prev = chars[-1] if chars else ""
            nxt = text[i + 1] if i + 1 < n else ""
            if not (prev.isdigit() and nxt.isdigit()):
                ch = "，"
        ch = ch.translate(_PUNCT)
        if not ch:
            continue
        chars.append(ch)
        index.append(i)
    return "".join(chars), index


# The slots are searched over whole user texts, so each must cost a bounded amount per
# starting position: a number never starts inside another one (lookbehinds) nor gives back
# digits (possessive), and free text is bounded in length. Unbounded, 40,000 digits or a
# long text without a full stop took a minute.
_START = r"(?<![\d.])(?<!\d,)"
_SLOT_RE = {
    "money": _START + r"\d[\d,]*+(?:\.\d++)?+",
    "money_plain": _START + r"\d[\d,]*+(?:\.\d++)?+",
    "pct": _START + r"\d++(?:\.\d++)?+%",
    "pct_plain": _START + r"\d++(?:\.\d++)?+%",
    "count": _START + r"\d++",
    "year": r"\d{4}",
    "text": r"[^。]{0,500}?",
    "names": r"[^；。]{0,500}?",
    "name": r"[^\d，。；：、（）.．“”][^，。；：、（）“”]{0,60}?",
}
_SEPARATORS = "。，；"


def _literal(text: str) -> str:
    norm, _ = normalize(text)
    out = []
    for ch in norm:
        out.append(f"[{_SEPARATORS}]" if ch in _SEPARATORS else re.escape(ch))
    return "".join(out)


def _regex(parts: tuple[Any, ...]) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(_literal(part))
        elif isinstance(part, Optional):
            out.append(f"(?:{_regex(part.parts)})?")
        else:
            kind = part.kind
            if kind in _SLOT_RE:
                body = _SLOT_RE[kind]
            elif kind in VOCABULARIES:
                body = "|".join(re.escape(w) for w in VOCABULARIES[kind])
            elif "|" in kind:
                body = "|".join(re.escape(w) for w in kind.split("|"))
            else:
                raise ValueError(f"unknown slot kind {kind!r}")
            out.append(f"(?P<{part.name}>{body})")
    return "".join(out)


def parse_number(kind: str, text: str) -> Decimal | int:
    """A captured slot's number: Decimal for money and percentages (as printed, 76.54 for
    76.54%), int for counts and years."""
    if kind in ("count", "year"):
        return int(text)
    return Decimal(text.rstrip("%").replace(",", ""))


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class SentenceSet:
    """Every sentence by id, and the sections (id, title) in order."""

    sentences: Mapping[str, SentenceTemplate]
    sections: tuple[tuple[str, str], ...]

    def of_section(self, section: str) -> list[SentenceTemplate]:
        return [s for s in self.sentences.values() if s.section == section]


@cache
def catalog() -> SentenceSet:
    text = resources.files("jixiao.derive.accounts").joinpath("explain.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    sentences: dict[str, SentenceTemplate] = {}
    for sid, spec in raw["sentences"].items():
        parts = _parse(spec["text"])
        names = [p.name for p in _all_slots(parts)]
        if len(names) != len(set(names)):
            raise ValueError(f"sentence {sid}: a slot name is used twice")
        sentences[sid] = SentenceTemplate(
            id=sid,
            section=str(spec["section"]),
            text=spec["text"],
            item=bool(spec.get("item", False)),
            heading=spec.get("heading", ""),
            parts=parts,
            pattern=re.compile(_regex(parts)),
        )
    sections = tuple((str(s["id"]), s["title"]) for s in raw["sections"])
    return SentenceSet(MappingProxyType(sentences), sections)


def _all_slots(parts: tuple[Any, ...]) -> list[Slot]:
    out: list[Slot] = []
    for p in parts:
        if isinstance(p, Slot):
            out.append(p)
        elif isinstance(p, Optional):
            out += _all_slots(p.parts)
    return out
