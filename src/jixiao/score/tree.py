"""Merge a framework's indicator tree with a submission's entries.

The framework gives the fixed part (level-1 indicators, standard leaves, weights); the
submission adds its own indicators below nodes the framework marks ``open`` and gives
values for the rest. The result is a tree of :class:`Node` for the engine to score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.findings import Finding, Location, finding
from jixiao.core.numbers import ZERO, plain
from jixiao.model.framework import Framework, IndicatorSpec
from jixiao.model.submission import Entry, Submission
from jixiao.score.results import SEP


@dataclass
class Node:
    """One indicator while it is being resolved (mutable; the engine emits frozen results)."""

    name: str
    path: tuple[str, ...]
    spec: IndicatorSpec | None = None
    entry: Entry | None = None
    open: bool = False
    children: list[Node] = field(default_factory=list)
    weight: Decimal | None = None  # resolved by build(), see weight_of()

    @property
    def key(self) -> str:
        return SEP.join(self.path)

    @property
    def level(self) -> int:
        return len(self.path)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def child(self, name: str) -> Node | None:
        return next((c for c in self.children if c.name == name), None)


def _from_spec(spec: IndicatorSpec, parent: tuple[str, ...]) -> Node:
    path = (*parent, spec.name)
    node = Node(name=spec.name, path=path, spec=spec, open=spec.open)
    node.children = [_from_spec(c, path) for c in spec.children]
    return node


def _index(nodes: list[Node], out: dict[str, list[Node]]) -> None:
    for node in nodes:
        out.setdefault(node.name, []).append(node)
        _index(node.children, out)


def _register(nodes: list[Node], out: dict[tuple[str, ...], Node]) -> None:
    for node in nodes:
        out[node.path] = node
        _register(node.children, out)


def build(framework: Framework, submission: Submission, file: str | None) -> tuple[list[Node], list[Finding]]:
    """The indicator tree of ``submission`` under ``framework``, and the problems met."""
    roots = [_from_spec(s, ()) for s in framework.indicators]
    by_path: dict[tuple[str, ...], Node] = {}
    _register(roots, by_path)
    by_name: dict[str, list[Node]] = {}  # built on first use: most paths are full paths
    findings: list[Finding] = []
    for entry in submission.indicators:
        names = entry.names
        node = by_path.get(names)
        if node is None and len(names) == 1:
            if not by_name:
                _index(roots, by_name)
            if len(by_name.get(names[0], [])) == 1:
                node = by_name[names[0]][0]  # a unique leaf name alone is enough
        if node is None:
            node = _attach(by_path, names)
        if node is None or node.entry is not None:
            where = Location(file=file, line=entry.line, indicator=entry.path)
            if node is None:
                findings.append(_unknown(framework, names, where))
            else:
                findings.append(finding("duplicate-indicator", where, name=node.key))
            continue
        node.entry = entry
    _prune(roots)
    _resolve_weights(roots)
    return roots, findings


def _attach(by_path: dict[tuple[str, ...], Node], names: tuple[str, ...]) -> Node | None:
    """Create the path below its deepest existing ancestor, if that ancestor is open."""
    for depth in range(len(names) - 1, 0, -1):
        parent = by_path.get(names[:depth])
        if parent is None:
            continue
        if not parent.open:
            return None
        for name in names[depth:]:
            node = Node(name=name, path=(*parent.path, name), open=True)
            parent.children.append(node)
            by_path[node.path] = node
            parent = node
        return parent
    return None


def _unknown(framework: Framework, names: tuple[str, ...], where: Location) -> Finding:
    roots = [s.name for s in framework.indicators]
    hint = ""
    if names and names[0] not in roots:
        hint = f"；一级指标应为：{'、'.join(roots)}"
    elif len(names) > 1:
        hint = "；其上级指标不允许自定义下级指标，请核对名称"
    return finding("unknown-indicator", where, framework=framework.id, name=SEP.join(names), hint=hint)


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


def _resolve_weights(nodes: list[Node]) -> None:
    for node in nodes:
        _resolve_weights(node.children)
        node.weight = _own_weight(node)


def weight_of(node: Node) -> Decimal | None:
    """The node's weight, as resolved when the tree was built."""
    return node.weight


def _own_weight(node: Node) -> Decimal | None:
    """The entry's weight, else the framework's, else the sum of the children's (resolved)."""
    if node.entry is not None and node.entry.weight is not None:
        if node.spec is not None and node.spec.fixed and node.spec.weight is not None:
            return node.spec.weight
        return node.entry.weight
    if node.spec is not None and node.spec.weight is not None:
        return node.spec.weight
    if node.children:
        weights = [c.weight for c in node.children]
        if None not in weights:
            return sum((w for w in weights if w is not None), ZERO)
    return None


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
                own = weight_of(node)
                kids = [weight_of(c) for c in node.children]
                if own is not None and all(k is not None for k in kids):
                    total = sum((k for k in kids if k is not None), ZERO)
                    if total != own:
                        line = entry.line if entry else None
                        out.append(
                            finding(
                                "weight-sum",
                                Location(file=file, line=line, indicator=node.key),
                                printed=plain(total),
                                expected=plain(own),
                            )
                        )
                walk(node.children)

    walk(roots)
    level1 = [weight_of(n) for n in roots]
    if all(w is not None for w in level1):
        total = sum((w for w in level1 if w is not None), ZERO)
        if total != framework.total:
            out.append(
                finding(
                    "weight-sum",
                    Location(file=file, indicator="（总分）"),
                    printed=plain(total),
                    expected=plain(framework.total),
                )
            )
    return out
