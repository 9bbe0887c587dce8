"""The frameworks shipped with jixiao (``data/*.yaml``) and the loading of user frameworks.

A framework file may ``extends: OTHER-ID`` to inherit every setting it does not give
itself. Loading validates the tree -- weights add up to their parent and level 1 to the
total, names are unique among siblings, rules and ratios exist -- and reports each
problem as a Finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jixiao.core.findings import Finding, InputError, Location, finding
from jixiao.core.numbers import ZERO, plain
from jixiao.derive.ratios import ratios
from jixiao.model.framework import Framework, IndicatorSpec, RuleKind
from jixiao.read.structured import ParsedFile, parse, read_text, validation_findings


@dataclass(frozen=True)
class Catalog:
    """Frameworks by id, and the Findings met while loading them."""

    frameworks: Mapping[str, Framework]
    findings: tuple[Finding, ...] = ()

    def get(self, framework_id: str) -> Framework | None:
        return self.frameworks.get(framework_id)

    def ids(self) -> list[str]:
        return sorted(self.frameworks)

    def with_files(self, paths: Iterable[Path]) -> Catalog:
        """A new catalog with the user's framework files added (errors raise InputError)."""
        added: dict[str, Framework] = dict(self.frameworks)
        raw = {}
        for path in paths:
            doc = parse(read_text(path), str(path))
            if not isinstance(doc.data, dict) or not isinstance(doc.data.get("id"), str):
                missing = not isinstance(doc.data, dict) or "id" not in doc.data
                detail = "缺少编号（id）" if missing else "编号（id）应为文字"
                raise InputError([finding("framework-invalid", doc.location(["id"]), detail=detail)])
            raw[doc.data["id"]] = doc
        fws, problems = _build(raw, base=added)
        errors = [f for f in problems if f.severity.value == "error"]
        if errors:
            raise InputError(errors)
        added.update(fws)
        return Catalog(added, self.findings + tuple(problems))


def _package_documents() -> dict[str, ParsedFile]:
    folder = resources.files("jixiao.frameworks").joinpath("data")
    docs: dict[str, ParsedFile] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            doc = parse(entry.read_text(encoding="utf-8"), f"frameworks/{entry.name}")
            docs[str(doc.data.get("id", entry.name))] = doc
    return docs


@cache
def builtin() -> Catalog:
    """The frameworks shipped in the package (loaded once per process; immutable)."""
    frameworks, problems = _build(_package_documents(), base={})
    return Catalog(frameworks, tuple(problems))


def _merged(
    fid: str, docs: Mapping[str, ParsedFile], base: Mapping[str, Framework], seen: tuple[str, ...] = ()
) -> dict[str, Any]:
    data = dict(docs[fid].data)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):  # a list or mapping would fail as a dictionary key
        raise ValueError(f"“{fid}”的继承的指标体系（extends）应为一个指标体系的编号（文字）")
    if parent in seen:
        raise ValueError(f"“{fid}”的继承的指标体系（extends）形成循环")
    if parent in docs:
        inherited = _merged(parent, docs, base, (*seen, fid))
    elif parent in base:
        inherited = base[parent].model_dump(mode="python")
    else:
        raise ValueError(f"“{fid}”继承的指标体系“{parent}”不存在")
    return {**inherited, **data}


def _build(
    docs: Mapping[str, ParsedFile], base: Mapping[str, Framework]
) -> tuple[dict[str, Framework], list[Finding]]:
    frameworks: dict[str, Framework] = {}
    problems: list[Finding] = []
    for fid, doc in docs.items():
        try:
            data = _merged(fid, docs, base)
        except ValueError as exc:
            problems.append(finding("framework-invalid", doc.location(), detail=str(exc)))
            continue
        try:
            fw = Framework.model_validate(data)
        except ValidationError as exc:
            problems += validation_findings(exc, doc)
            continue
        found = validate(fw, doc)
        problems += found
        if not any(f.severity.value == "error" for f in found):
            frameworks[fw.id] = fw
    return frameworks, problems


def validate(fw: Framework, doc: ParsedFile | None = None) -> list[Finding]:
    """Structural problems of a framework: weights, duplicate names, unknown rules or ratios."""
    out: list[Finding] = []
    name = doc.name if doc else f"指标体系 {fw.id}"

    def where(path: tuple[str, ...]) -> Location:
        return Location(file=name, indicator="/".join(path) or "（总分）")

    def walk(
        specs: tuple[IndicatorSpec, ...], parent: tuple[str, ...], parent_weight: Decimal | None
    ) -> None:
        names = [s.name for s in specs]
        for dup in sorted({n for n in names if names.count(n) > 1}):
            out.append(finding("duplicate-name", where(parent), name=dup))
        weights = [s.weight for s in specs]
        if specs and parent_weight is not None and all(w is not None for w in weights):
            total = sum((w for w in weights if w is not None), ZERO)
            if total != parent_weight:
                out.append(
                    finding(
                        "weight-sum",
                        where(parent),
                        printed=plain(total),
                        expected=plain(parent_weight),
                        detail="",
                    )
                )
        for spec in specs:
            path = (*parent, spec.name)
            if spec.derive is not None and spec.derive not in ratios():
                out.append(
                    finding("unknown-ratio", where(path), name=spec.derive, available="、".join(ratios()))
                )
            if spec.rule is RuleKind.deduction and spec.per_case is None:
                out.append(
                    finding("framework-invalid", where(path), detail="扣分规则缺少 per_case（每例扣分）")
                )
            if spec.children and spec.rule is not None:
                out.append(
                    finding("framework-invalid", where(path), detail="有下级指标的指标不能指定计分规则")
                )
            walk(spec.children, path, spec.weight)

    walk(fw.indicators, (), fw.total)
    tiers = [b.tier for b in fw.bands]
    if sorted(tiers) != sorted(set(tiers)) or len(tiers) != 3:
        out.append(
            finding(
                "framework-invalid",
                Location(file=name),
                detail="定性档次必须恰好为达成、部分达成、未达成三档",
            )
        )
    return out
