"""Merge a framework's indicator tree with a submission's entries.

The framework gives the fixed part (level-1 indicators, standard leaves, weights); the
submission adds its own indicators below nodes the framework marks ``open`` and gives
values for the rest. The result is a tree of :class:`Node` for the engine to score.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.core.findings import Finding, Location, finding
from jixiao.core.numbers import ZERO, plain
from jixiao.model.framework import Framework, IndicatorSpec
from jixiao.model.submission import Entry, Submission
from jixiao.score.results import SEP


@dataclass(frozen=True, slots=True, eq=False)
class Shape:
    """A framework indicator as the plan holds it: decided once per framework.

    ``listed`` are the names the framework gives below it (the names a new indicator
    under an open parent is compared with, to catch a slip such as 数量指票)."""

    name: str
    path: tuple[str, ...]
    key: str
    spec: IndicatorSpec
    children: tuple[Shape, ...]
    listed: frozenset[str]


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """A framework compiled once for every submission scored against it: the indicator
    tree with its paths and keys, an index of full paths and one of leaf names."""

    framework: Framework
    roots: tuple[Shape, ...]
    by_path: Mapping[tuple[str, ...], Shape]
    by_name: Mapping[str, tuple[Shape, ...]]
    #: the near-miss names of each new path met so far (see _near_misses); bounded
    slips: dict[tuple[str, ...], tuple[tuple[str, str, str, str], ...]] = field(default_factory=dict)
    #: the layout of each list of entry paths met so far (see build); bounded
    layouts: dict[tuple[str, ...], Layout] = field(default_factory=dict)


def _shape(spec: IndicatorSpec, parent: tuple[str, ...]) -> Shape:
    path = (*parent, spec.name)
    return Shape(
        name=spec.name,
        path=path,
        key=SEP.join(path),
        spec=spec,
        children=tuple(_shape(c, path) for c in spec.children),
        listed=frozenset(c.name for c in spec.children),
    )


def compile_plan(framework: Framework) -> Plan:
    """The plan of ``framework`` (see :class:`Plan`)."""
    roots = tuple(_shape(s, ()) for s in framework.indicators)
    by_path: dict[tuple[str, ...], Shape] = {}
    by_name: dict[str, list[Shape]] = {}

    def index(shapes: tuple[Shape, ...]) -> None:
        for shape in shapes:
            by_path[shape.path] = shape
            by_name.setdefault(shape.name, []).append(shape)
            index(shape.children)

    index(roots)
    return Plan(framework, roots, by_path, {k: tuple(v) for k, v in by_name.items()})


@dataclass(slots=True, eq=False)
class Node:
    """One indicator while it is being resolved (mutable; the engine emits frozen results)."""

    name: str
    path: tuple[str, ...]
    key: str
    spec: IndicatorSpec | None = None
    entry: Entry | None = None
    open: bool = False
    children: list[Node] = field(default_factory=list)
    weight: Decimal | None = None  # resolved by build()


@dataclass(frozen=True, slots=True, eq=False)
class Slot:
    """A node of a :class:`Layout`: the node without values, and the index of its entry."""

    name: str
    path: tuple[str, ...]
    key: str
    spec: IndicatorSpec | None
    entry: int | None
    children: tuple[Slot, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Layout:
    """Where a submission's entries go in the plan's tree (pruned), and the problems met as
    (entry index, Finding code, parameters): the same for every submission that names the
    same indicators in the same order, so judged once for them all."""

    roots: tuple[Slot, ...]
    problems: tuple[tuple[int, str, dict[str, Any]], ...]


def _from_shape(shape: Shape, out: dict[tuple[str, ...], Node]) -> Node:
    spec = shape.spec
    node = Node(shape.name, shape.path, shape.key, spec, None, spec.open)
    out[shape.path] = node
    if shape.children:
        node.children = [_from_shape(c, out) for c in shape.children]
    return node


_LAYOUTS_KEPT = 1_000


def build(plan: Plan, submission: Submission, file: str | None) -> tuple[list[Node], list[Finding]]:
    """The indicator tree of ``submission`` under the plan's framework, and the problems met."""
    entries = submission.indicators
    paths = tuple(e.path for e in entries)
    layout = plan.layouts.get(paths)
    if layout is None:
        if len(plan.layouts) >= _LAYOUTS_KEPT:
            plan.layouts.clear()  # memory stays flat however many distinct layouts stream by
        layout = plan.layouts[paths] = _lay_out(plan, entries)
    findings = [
        finding(code, Location(file=file, line=entries[i].line, indicator=paths[i]), **params)
        for i, code, params in layout.problems
    ]
    return [_grow(s, entries) for s in layout.roots], findings


def _grow(slot: Slot, entries: Sequence[Entry]) -> Node:
    """The node of ``slot`` with its entry and its weight: the entry's (unless the framework
    fixes it), else the framework's, else the sum of the children's (grown first)."""
    entry = None if slot.entry is None else entries[slot.entry]
    spec = slot.spec
    children = [_grow(c, entries) for c in slot.children]
    weight = None
    if entry is not None and entry.weight is not None:
        weight = spec.weight if spec is not None and spec.fixed and spec.weight is not None else entry.weight
    elif spec is not None and spec.weight is not None:
        weight = spec.weight
    elif children:
        weight = total_of(c.weight for c in children)
    return Node(slot.name, slot.path, slot.key, spec, entry, False, children, weight)


def _slot(node: Node, placed: dict[int, int]) -> Slot:
    children = tuple(_slot(c, placed) for c in node.children)
    return Slot(node.name, node.path, node.key, node.spec, placed.get(id(node)), children)


def _lay_out(plan: Plan, entries: Sequence[Entry]) -> Layout:
    by_path: dict[tuple[str, ...], Node] = {}
    roots = [_from_shape(s, by_path) for s in plan.roots]
    problems: list[tuple[int, str, dict[str, Any]]] = []
    added: dict[str, list[Node]] = {}  # the submission's own indicators, by name
    placed: dict[int, int] = {}  # the index of each node's entry, by the node's id
    for i, entry in enumerate(entries):
        names = entry.names
        node = by_path.get(names)
        if node is None and len(names) == 1:
            same = [by_path[s.path] for s in plan.by_name.get(names[0], ())] + added.get(names[0], [])
            if len(same) == 1:
                node = same[0]  # a unique leaf name alone is enough
        if node is None:
            node = _attach(by_path, names, added)
            if node is not None:
                problems += [(i, "indicator-name-near-miss", slip) for slip in _near_misses(plan, names)]
        if node is None:
            problems.append((i, "unknown-indicator", _unknown(plan.framework, names)))
        elif node.entry is not None:
            problems.append((i, "duplicate-indicator", {"name": node.key}))
        else:
            node.entry, placed[id(node)] = entry, i
    _prune(roots)
    return Layout(tuple(_slot(n, placed) for n in roots), tuple(problems))


def _attach(
    by_path: dict[tuple[str, ...], Node], names: tuple[str, ...], added: dict[str, list[Node]]
) -> Node | None:
    """Create the path below its deepest existing ancestor, if that ancestor is open."""
    for depth in range(len(names) - 1, 0, -1):
        parent = by_path.get(names[:depth])
        if parent is None:
            continue
        if not parent.open:
            return None
        for name in names[depth:]:
            path = (*parent.path, name)
            node = Node(name, path, SEP.join(path), None, None, True)
            parent.children.append(node)
            by_path[path] = node
            added.setdefault(name, []).append(node)
            parent = node
        return parent
    return None


_LEVELS = ("一级", "二级", "三级", "四级")
_WIDE_SEPARATORS = ("／", "∕", "⁄", "\\", "、")


def _closest(name: str, choices: list[str]) -> list[str]:
    return difflib.get_close_matches(name, choices, n=1, cutoff=0.6)


def _unknown(framework: Framework, names: tuple[str, ...]) -> dict[str, Any]:
    """The parameters of ``unknown-indicator``: what was read, why it does not fit, and the
    closest valid name."""
    wide = next((c for c in _WIDE_SEPARATORS if any(c in n for n in names)), None)
    if wide is not None:
        fixed = SEP.join(names)
        for c in _WIDE_SEPARATORS:
            fixed = fixed.replace(c, SEP)
        hint = f"；路径中的“{wide}”不是层级分隔符，层级之间请用半角“/”，如“{fixed}”"
        return {"framework": framework.id, "name": SEP.join(names), "hint": hint}
    specs = list(framework.indicators)
    parent = ""
    for depth, name in enumerate(names):
        match = next((s for s in specs if s.name == name), None)
        if match is None:
            level = _LEVELS[min(depth, len(_LEVELS) - 1)]
            valid = [s.name for s in specs]
            under = f"“{parent}”下" if parent else ""
            if not valid:
                hint = f"；{under}不允许自定义下级指标"
                break
            near = _closest(name, valid)
            guess = f"，是否应为“{near[0]}”？" if near else ""
            allowed = "、".join(valid)
            hint = f"；读到的{level}指标是“{name}”，{under}没有这个指标（可用的有：{allowed}）{guess}"
            break
        specs, parent = list(match.children), name
    else:
        hint = "；其上级指标不允许自定义下级指标，请核对名称"
    return {"framework": framework.id, "name": SEP.join(names), "hint": hint}


_SLIPS_KEPT = 20_000


def _near_misses(plan: Plan, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """A new name under an open parent that is one slip away from a name the framework lists
    there (数量指票 for 数量指标) is accepted as the user's own indicator, but never silently.

    Only a name the framework does not list below a parent that lists some is compared,
    and each path is judged once per plan (the same paths recur in every submission)."""
    slips = plan.slips.get(names)
    if slips is None:
        if len(plan.slips) >= _SLIPS_KEPT:
            plan.slips.clear()  # memory stays flat however many distinct paths stream by
        slips = plan.slips[names] = _slips(plan, names)
    return [
        {"name": name, "parent": parent, "near": near, "listed": listed}
        for name, parent, near, listed in slips
    ]


def _slips(plan: Plan, names: tuple[str, ...]) -> tuple[tuple[str, str, str, str], ...]:
    out = []
    for depth in range(1, len(names)):
        shape = plan.by_path.get(names[:depth])
        if shape is None or not shape.listed or names[depth] in shape.listed:
            continue
        listed = [c.name for c in shape.children]
        name = names[depth]
        near = _closest(name, listed)
        if near:
            out.append((name, shape.name, near[0], "、".join(listed)))
    return tuple(out)


def _prune(nodes: list[Node]) -> None:
    """Drop optional framework leaves (no weight) that the submission did not fill in."""
    for node in nodes:
        _prune(node.children)
    nodes[:] = [n for n in nodes if not _optional_unused(n)]


def _optional_unused(node: Node) -> bool:
    if node.entry is not None or node.children:
        return False
    spec = node.spec
    if spec is None:
        return False
    return spec.weight is None or (spec.weight == 0 and node.entry is None)


def total_of(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of ``values``, None when one is None. (Tested with "is None": "None in values"
    would compare None with each Decimal, an abstract-class check every time.)"""
    total = ZERO
    for value in values:
        if value is None:
            return None
        total += value
    return total


def check_weights(framework: Framework, roots: list[Node], file: str | None) -> list[Finding]:
    """Weights of children must add up to their parent's, level 1 to the framework total."""
    out: list[Finding] = []

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            entry = node.entry
            spec = node.spec
            if (
                entry is not None
                and entry.weight is not None
                and spec is not None
                and spec.fixed
                and spec.weight is not None
                and entry.weight != spec.weight
            ):
                out.append(
                    finding(
                        "weight-mismatch",
                        Location(file=file, line=entry.line, indicator=node.key, field="weight"),
                        printed=plain(entry.weight),
                        expected=plain(spec.weight),
                    )
                )
            if node.children:
                own = node.weight
                total = total_of(c.weight for c in node.children)
                if own is not None and total is not None and total != own:
                    line = entry.line if entry else first_line(node)
                    out.append(
                        finding(
                            "weight-sum",
                            Location(file=file, line=line, indicator=node.key),
                            printed=plain(total),
                            expected=plain(own),
                            detail=_weights_to_fix(node, own, total),
                        )
                    )
                walk(node.children)

    walk(roots)
    total = total_of(n.weight for n in roots)
    if total is not None and total != framework.total:
        top = Node(name="总分", path=(), key="", children=roots)
        out.append(
            finding(
                "weight-sum",
                Location(file=file, line=first_line(top), indicator="（总分）"),
                printed=plain(total),
                expected=plain(framework.total),
                detail=_weights_to_fix(top, framework.total, total),
            )
        )
    return out


def first_line(node: Node) -> int | None:
    """The first line of the file that writes this node or one below it."""
    if node.entry is not None and node.entry.line is not None:
        return node.entry.line
    lines = [line for c in node.children if (line := first_line(c)) is not None]
    return min(lines) if lines else None


def _weights_to_fix(node: Node, own: Decimal, total: Decimal) -> str:
    """Each child's weight with the line that gives it, and by how much the sum is off."""
    parts = []
    for child in node.children:
        line = first_line(child)
        where = f"（第{line}行）" if line is not None else ""
        parts.append(f"{child.name} {plain(child.weight) if child.weight is not None else '—'}{where}")
    gap = total - own
    side = f"多出 {plain(gap)} 分" if gap > 0 else f"少了 {plain(-gap)} 分"
    return (
        f"：{'、'.join(parts)}，{side}；请修改这些分值使合计为 {plain(own)}"
        f"（“{node.name}”的得分按下级得分相加，分值不符时可能超过其分值 {plain(own)}）"
    )
