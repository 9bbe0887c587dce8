"""The labels of the evaluated year's amounts (``synonyms.yaml``), read once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TypedDict, cast

import yaml


class RateSpec(TypedDict):
    """A named rate and the words of the labels of its numerator and denominator."""

    rate: str
    numerator: list[str]
    denominator: list[str]


@cache
def _data() -> dict[str, object]:
    text = resources.files("jixiao.read.published").joinpath("synonyms.yaml").read_text("utf-8")
    return cast(dict[str, object], yaml.safe_load(text))


def words(key: str) -> tuple[str, ...]:
    """A list of the file: ``words("adjusted_words")``."""
    return tuple(cast(list[str], _data()[key]))


def groups(key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A mapping of the file as (name, labels) pairs, in the file's order."""
    return tuple((k, tuple(v)) for k, v in cast(dict[str, list[str]], _data()[key]).items())


def rates() -> tuple[RateSpec, ...]:
    """The named rates (``rates``) that claims.check_rates checks."""
    return tuple(cast(list[RateSpec], _data()["rates"]))
