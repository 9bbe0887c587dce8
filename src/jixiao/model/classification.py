"""Classification catalogs: 功能分类 (function) and 经济分类 (economic) codes and names.

The catalogs are data files in ``catalogs/``: ``NAME.csv`` holds the rows (code, name, the
keys of the sources that print them) and ``NAME.yaml`` the year, the sources and what the
rows cover. The hierarchy is the code prefix (2060702 ⊂ 20607 ⊂ 206). Loaded once per
process and never changed.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from types import MappingProxyType
from typing import Any, cast

import yaml

#: code length -> level, and code length -> parent code length, per set of lengths (these two
#: run for every row of every check: a dict lookup beats recomputing from the tuple)
_LEVELS = {(3, 5, 7): {3: 1, 5: 2, 7: 3}, (3, 5): {3: 1, 5: 2}}
_PARENT_LENGTH = {(3, 5, 7): {5: 3, 7: 5}, (3, 5): {5: 3}}


@dataclass(frozen=True)
class Classification:
    """A classification catalog.

    Attributes:
        kind: ``function`` (功能分类) or ``economic`` (经济分类).
        label: its Chinese name.
        lengths: code length of each level, top first: (3, 5, 7) = 类/款/项, or (3, 5).
        names: code -> name, in catalog order (the order tables print them in).
    """

    kind: str
    label: str
    lengths: tuple[int, ...]
    names: Mapping[str, str]
    _children: Mapping[str, tuple[str, ...]] = field(repr=False, compare=False, default_factory=dict)
    year: int | None = None
    source: str = ""
    coverage: str = ""
    #: code -> keys of the sources that print it; key -> description of that source
    evidence: Mapping[str, tuple[str, ...]] = field(repr=False, compare=False, default_factory=dict)
    sources: Mapping[str, str] = field(repr=False, compare=False, default_factory=dict)

    def level(self, code: str) -> int | None:
        """1 for a 类, 2 for a 款, 3 for a 项; None when the code has no valid length."""
        level = _LEVELS[self.lengths].get(len(code))
        return level if level is not None and code.isdigit() else None

    def valid(self, code: str) -> bool:
        """Whether ``code`` has the form of a code of this classification (3/5/7 digits)."""
        return self.level(code) is not None

    def parent(self, code: str) -> str | None:
        """The code one level up (206 for 20601), None for a 类 or an invalid code."""
        known = self.parent_map
        if code in known:  # it runs for every row of every check: a catalog code is looked up
            return known[code]
        length = _PARENT_LENGTH[self.lengths].get(len(code))
        return code[:length] if length is not None and code.isdigit() else None

    @cached_property
    def parent_map(self) -> dict[str, str | None]:
        """The parent of every code of the catalog, computed once (see :meth:`parent`)."""
        lengths = _PARENT_LENGTH[self.lengths]
        return {c: c[: lengths[len(c)]] if len(c) in lengths and c.isdigit() else None for c in self.names}

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    def children(self, code: str) -> tuple[str, ...]:
        """Direct children of ``code`` known to the catalog, in catalog order."""
        return self._children.get(code, ())

    def classes(self) -> tuple[str, ...]:
        """All 类 codes, in catalog order."""
        return tuple(c for c in self.names if len(c) == self.lengths[0])

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The code's 类, 款 ... down to itself."""
        level = self.level(code)
        if not level:
            return ()
        return tuple(code[: self.lengths[i]] for i in range(level))

    def closest(self, code: str, name: str | None = None, n: int = 3) -> tuple[str, ...]:
        """Known codes nearest to an unknown one: those of the same length sharing the longest
        prefix with it (its siblings, else its cousins), and names close to ``name``."""
        same = [c for c in self.names if len(c) == len(code)]
        by_name: list[str] = []
        if name:
            near = difflib.get_close_matches(name, [self.names[c] for c in same], n=n, cutoff=0.6)
            by_name = [c for c in same if self.names[c] in near]
        for keep in range(len(code) - 1, 0, -1):
            prefixed = [c for c in same if c.startswith(code[:keep])]
            if prefixed:
                ranked = sorted(prefixed, key=lambda c: abs(int(c) - int(code)) if code.isdigit() else 0)
                return tuple(dict.fromkeys([*by_name, *ranked]))[:n]
        return tuple(by_name[:n])

    def level_label(self, code: str) -> str:
        level = self.level(code) or 0
        return {1: "类", 2: "款", 3: "项"}.get(level, "")


@dataclass(frozen=True)
class EconomicClass:
    """What an economic 类 counts towards: ``personnel`` (人员经费) or ``public`` (公用经费),
    and the column group of 公开06表 it is printed in."""

    code: str
    kind: str
    group: int


def _build(
    kind: str,
    label: str,
    lengths: tuple[int, ...],
    names: dict[str, str],
    raw: dict[str, Any] | None = None,
    *,
    evidence: dict[str, tuple[str, ...]] | None = None,
) -> Classification:
    children: dict[str, list[str]] = {}
    for code in names:
        if not code.isdigit() or len(code) not in lengths:
            raise ValueError(f"{kind} catalog: bad code {code!r}")
        pos = lengths.index(len(code))
        if pos:
            children.setdefault(code[: lengths[pos - 1]], []).append(code)
    return Classification(
        kind=kind,
        label=label,
        lengths=lengths,
        names=MappingProxyType(dict(names)),
        _children=MappingProxyType({k: tuple(v) for k, v in children.items()}),
        year=int(raw["valid_for"]) if raw and raw.get("valid_for") else None,
        source=str(raw.get("source", "")) if raw else "",
        coverage=str(raw.get("coverage", "")) if raw else "",
        evidence=MappingProxyType(dict(evidence or {})),
        sources=MappingProxyType({str(k): str(v) for k, v in ((raw or {}).get("sources") or {}).items()}),
    )


def _text(name: str) -> str:
    return resources.files("jixiao.model").joinpath("catalogs", name).read_text(encoding="utf-8")


def catalog_data(name: str) -> dict[str, Any]:
    """A YAML file of ``catalogs/``, parsed."""
    return cast("dict[str, Any]", yaml.safe_load(_text(name)))


def _rows(name: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Names and source keys of the rows of a catalog CSV (``#`` lines are comments)."""
    lines = (line for line in _text(name).splitlines() if line.strip() and not line.startswith("#"))
    names: dict[str, str] = {}
    evidence: dict[str, tuple[str, ...]] = {}
    for row in csv.DictReader(lines):
        code = row["code"].strip()
        if code in names:
            raise ValueError(f"{name}: code {code} listed twice")
        names[code] = row["name"].strip()
        evidence[code] = tuple((row.get("sources") or "").split())
    return names, evidence


def _load(stem: str, kind: str, label: str, lengths: tuple[int, ...]) -> Classification:
    names, evidence = _rows(f"{stem}.csv")
    return _build(kind, label, lengths, names, catalog_data(f"{stem}.yaml"), evidence=evidence)


@cache
def function_catalog() -> Classification:
    """支出功能分类科目 (类/款/项)."""
    return _load("function", "function", "支出功能分类科目", (3, 5, 7))


@cache
def economic_catalog() -> Classification:
    """部门预算支出经济分类科目 (类/款)."""
    return _load("economic", "economic", "支出经济分类科目", (3, 5))


@cache
def economic_classes() -> Mapping[str, EconomicClass]:
    """The economic 类 printed in 公开06表, with what they count towards."""
    raw = catalog_data("economic.yaml")["classes"]
    return MappingProxyType(
        {str(k): EconomicClass(code=str(k), kind=v["kind"], group=int(v["group"])) for k, v in raw.items()}
    )
