"""The layouts of the self-evaluation tables, loaded from ``catalogs/selfeval_tables.yaml``:
each layout's parts (预算执行 block, indicator table, project rows) as columns in order, a key
and the header jixiao prints, the notes under it, and the words a published table may head
each column with. Writers print the headers, the reader of jixiao's 自评表.xlsx finds its
columns by them, the recogniser of published tables by the words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

#: The parts of a layout: the 预算执行 block, the indicator table, the project rows.
Part = Literal["execution", "indicators", "projects"]
#: The words of each part's columns, and of the 预算执行 block's copied into running text.
Vocabulary = Literal["execution", "execution_text", "indicators", "projects"]
_NOTE = re.compile(r"[（(].*?[)）]")


def without_note(text: str) -> str:
    """A header without its parenthesised notes: 年初目标值（A） -> 年初目标值."""
    return _NOTE.sub("", text)


class Words(BaseModel):
    """What a published table may call a column: a header equal to one of ``words``,
    beginning with one of ``prefixes`` or holding one of ``contains``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    words: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        return text in self.words or text.startswith(self.prefixes) or any(w in text for w in self.contains)


class Notes(BaseModel):
    """The notes printed under a table: their heading (注 / 备注) and the numbered texts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    head: str = "注"
    notes: tuple[str, ...] = ()


class SelfEvalLayout(BaseModel):
    """One layout: its title, each part's columns as (key, printed header), its notes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    execution: tuple[tuple[str, str], ...] = ()
    indicators: tuple[tuple[str, str], ...] = ()
    projects: tuple[tuple[str, str], ...] = ()
    notes: Notes = Notes()

    def heads(self, part: Part) -> list[str]:
        """The printed headers of ``part``, in order."""
        columns: tuple[tuple[str, str], ...] = getattr(self, part)
        return [head for _, head in columns]


class SelfEvalTables(BaseModel):
    """Every layout by name, and the words of each part's columns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    words: Mapping[Vocabulary, Mapping[str, Words]]
    layouts: Mapping[str, SelfEvalLayout]

    @model_validator(mode="after")
    def _heads_recognised(self) -> SelfEvalTables:
        """A header jixiao prints is one a published table is recognised by."""
        parts: tuple[Part, ...] = ("execution", "indicators", "projects")
        for name, layout in self.layouts.items():
            for part in parts:
                for key, head in getattr(layout, part):
                    found = self.words[part].get(key)
                    text = without_note(head) if part == "indicators" else head
                    if found is not None and (found.words or found.prefixes) and not found.matches(text):
                        raise ValueError(f"{name}: “{head}” is not among the words of {part}.{key}")
        return self


@cache
def selfeval_tables() -> SelfEvalTables:
    """The layouts (``catalogs/selfeval_tables.yaml``), loaded once."""
    path = resources.files("jixiao.model").joinpath("catalogs/selfeval_tables.yaml")
    return SelfEvalTables.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def selfeval_layout(name: str) -> SelfEvalLayout:
    """The layout ``name`` (``tree``, ``execution-block``, ``project``, ``project-summary``)."""
    return selfeval_tables().layouts[name]


def words(part: Vocabulary) -> Mapping[str, Words]:
    """The words of ``part``'s columns, by key, in the order a cell is matched."""
    return selfeval_tables().words[part]


@cache
def heads_of(*keys: str) -> tuple[str, ...]:
    """The headers of these indicator-table columns in every layout, each once, in order."""
    found = (h for layout in selfeval_tables().layouts.values() for k, h in layout.indicators if k in keys)
    return tuple(dict.fromkeys(found))
