"""Report outlines and table layouts: data files shipped with the package.

``layouts.yaml`` says which table layout and which report outline a framework's
submissions get; ``outlines/*.yaml`` hold the outlines (提纲) of the seeds' reports. Both
are loaded once and validated into frozen models; adding an outline is adding a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

TableLayout = Literal["tree", "execution-block", "project"]

#: Sentences computed from the model (see :mod:`jixiao.render.sentences`).
Paras = Literal[
    "level1_summary",
    "grade_summary",
    "lost_points",
    "indicator_counts",
    "funds",
    "spending",
    "carryover",
    "project_results",
]
TableName = Literal["level1", "indicators", "projects"]
ChartName = Literal["level1", "budget", "trend"]


class Block(BaseModel):
    """One block of a report section; exactly one of its kinds is set.

    Attributes:
        text: a paragraph with Jinja tags (numbers come from the model).
        field: the summary key (or keys, first present wins) of a text only a person can
            write; ``optional`` leaves it out when missing, ``default`` stands in for it.
        paras: the name of sentences computed from the model (``Paras``).
        details: ``indicators``: every indicator with its weight, score and explanation.
        table: ``level1`` (表3-1), ``indicators`` (the self-evaluation table), ``projects``.
        chart: ``level1``, ``budget`` or ``trend``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str | None = None
    field: tuple[str, ...] | None = None
    optional: bool = False
    default: str | None = None
    paras: Paras | None = None
    details: Literal["indicators"] | None = None
    table: TableName | None = None
    chart: ChartName | None = None

    @model_validator(mode="before")
    @classmethod
    def _field_list(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("field"), str):
            return {**data, "field": (data["field"],)}
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        kinds = [k for k in ("text", "field", "paras", "details", "table", "chart") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(f"每个块只能有一种内容，实际为：{kinds or '无'}")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("text", "field", "paras", "details", "table", "chart") if getattr(self, k))


class OutlineSection(BaseModel):
    """A heading (optional for an untitled preface) with its blocks and sub-sections.

    ``when: projects`` keeps the section only when the department's projects are given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = ""
    when: Literal["projects"] | None = None
    blocks: tuple[Block, ...] = ()
    sections: tuple[OutlineSection, ...] = ()

    def optional_keys(self) -> tuple[str, ...]:
        """The keys of a section made only of optional texts (shown only when one is given);
        empty for any other section."""
        if self.sections or not self.blocks or not all(b.field and b.optional for b in self.blocks):
            return ()
        return tuple(k for b in self.blocks for k in b.field or ())


class Outline(BaseModel):
    """A report outline: cover lines, title, sections, appendices, closing lines."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    cover: tuple[str, ...] = ()
    title: str
    subtitle: str = ""
    byline: str = ""
    sections: tuple[OutlineSection, ...]
    appendix: tuple[OutlineSection, ...] = ()
    closing: tuple[str, ...] = ()

    def walk(self) -> list[tuple[int, OutlineSection]]:
        """Every section with its depth (1 = top), appendices included, in reading order."""
        out: list[tuple[int, OutlineSection]] = []

        def visit(sections: tuple[OutlineSection, ...], depth: int) -> None:
            for s in sections:
                out.append((depth, s))
                visit(s.sections, depth + 1)

        visit(self.sections, 1)
        visit(self.appendix, 1)
        return out

    def fields(self) -> list[str]:
        """The summary keys this outline reads, in order of first use."""
        keys: list[str] = []
        for _, section in self.walk():
            for block in section.blocks:
                for key in block.field or ():
                    if key not in keys:
                        keys.append(key)
        return keys


class LayoutChoice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    table: TableLayout
    outline: str | None = None


class Layouts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    defaults: Mapping[str, LayoutChoice]
    frameworks: Mapping[str, LayoutChoice] = Field(default_factory=dict)

    def choose(self, framework_id: str, kind: str) -> LayoutChoice:
        return self.frameworks.get(framework_id) or self.defaults[kind]


def _read(name: str) -> object:
    return yaml.safe_load(resources.files("jixiao.render").joinpath(name).read_text(encoding="utf-8"))


@cache
def layouts() -> Layouts:
    """The framework → layout table (``layouts.yaml``), loaded once."""
    return Layouts.model_validate(_read("layouts.yaml"))


@cache
def outlines() -> Mapping[str, Outline]:
    """The built-in report outlines by id, loaded once."""
    folder = resources.files("jixiao.render").joinpath("outlines")
    found: dict[str, Outline] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            outline = Outline.model_validate(yaml.safe_load(entry.read_text(encoding="utf-8")))
            found[outline.id] = outline
    return MappingProxyType(found)


@cache
def fields() -> Mapping[str, str]:
    """The summary keys the documents read, with their Chinese meaning (``fields.yaml``)."""
    raw = _read("fields.yaml")
    if not isinstance(raw, dict):  # pragma: no cover - package data
        raise TypeError("fields.yaml must be a mapping")
    return MappingProxyType({str(k): str(v) for k, v in raw.items()})
