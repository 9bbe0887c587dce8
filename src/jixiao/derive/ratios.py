"""Derive stage: ratios computed from a submission's raw figures, and the figures' identities.

The definitions are data (``ratios.yaml``, ``figures.yaml`` beside this module).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jixiao.core.findings import Finding, Location, finding
from jixiao.core.numbers import ZERO, money_text, tail_tolerance


@dataclass(frozen=True, slots=True)
class Term:
    """A sum of figures with signs: (('budget_total', 1), ('budget_initial', -1))."""

    parts: tuple[tuple[str, int], ...]

    @classmethod
    def parse(cls, text: str) -> Term:
        parts: list[tuple[str, int]] = []
        sign = 1
        for token in text.replace("+", " + ").replace("-", " - ").split():
            if token == "+":
                sign = 1
            elif token == "-":
                sign = -1
            else:
                parts.append((token, sign))
                sign = 1
        if not parts:
            raise ValueError(f"empty term: {text!r}")
        return cls(tuple(parts))

    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.parts)

    def value(self, figures: Mapping[str, Decimal]) -> Decimal | None:
        """The sum, or None when a figure is missing."""
        total = ZERO
        for name, sign in self.parts:
            value = figures.get(name)
            if value is None:
                return None
            total += sign * value
        return total

    def text(self, labels: Mapping[str, str]) -> str:
        out = ""
        for i, (name, sign) in enumerate(self.parts):
            label = labels.get(name, name)
            out += label if i == 0 and sign > 0 else f"{' + ' if sign > 0 else ' − '}{label}"
        return out


@dataclass(frozen=True, slots=True)
class Ratio:
    """A computed indicator: ``numerator`` / ``denominator``."""

    id: str
    name: str
    numerator: Term
    denominator: Term
    formula: str

    def compute(self, figures: Mapping[str, Decimal]) -> Decimal | None:
        """The ratio as a fraction, or None when a figure is missing or the denominator is 0."""
        num = self.numerator.value(figures)
        den = self.denominator.value(figures)
        if num is None or den is None or den == 0:
            return None
        return num / den

    def missing(self, figures: Mapping[str, Decimal]) -> list[str]:
        return [n for n in (*self.numerator.names(), *self.denominator.names()) if n not in figures]


@dataclass(frozen=True, slots=True)
class Identity:
    """``left`` = ``right`` between figures."""

    left: str
    right: Term


@cache
def _data(name: str) -> dict[str, Any]:
    text = resources.files("jixiao.derive").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def ratios() -> Mapping[str, Ratio]:
    """Every known ratio by id."""
    return {
        rid: Ratio(
            id=rid,
            name=spec["name"],
            numerator=Term.parse(spec["numerator"]),
            denominator=Term.parse(spec["denominator"]),
            formula=spec["formula"],
        )
        for rid, spec in _data("ratios.yaml").items()
    }


@cache
def figure_labels() -> Mapping[str, str]:
    """Chinese label of each known figure."""
    return {k: v["label"] for k, v in _data("figures.yaml")["figures"].items()}


@cache
def figure_units() -> Mapping[str, str]:
    return {k: v["unit"] for k, v in _data("figures.yaml")["figures"].items()}


@cache
def identities() -> tuple[Identity, ...]:
    out = []
    for text in _data("figures.yaml")["identities"]:
        left, right = text.split("=")
        out.append(Identity(left.strip(), Term.parse(right)))
    return tuple(out)


def check_figures(
    figures: Mapping[str, Decimal], where: Location, lines: Mapping[str, int] | None = None
) -> list[Finding]:
    """Identities between figures that do not hold, beyond rounding tails."""
    labels = figure_labels()
    out: list[Finding] = []
    for ident in identities():
        left = figures.get(ident.left)
        right = ident.right.value(figures)
        if left is None or right is None:
            continue  # an identity with a missing figure is skipped, not zero-filled
        if abs(left - right) > tail_tolerance(len(ident.right.parts) + 1):
            out.append(
                finding(
                    "figure-mismatch",
                    where.merged(field=ident.left, line=(lines or {}).get(f"figures.{ident.left}")),
                    printed=money_text(left),
                    expected=money_text(right),
                    left_name=labels.get(ident.left, ident.left),
                    right_text=ident.right.text(labels),
                )
            )
    return out
