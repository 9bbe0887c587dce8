"""The Chinese names of the fields a user writes (``fields.yaml`` beside this module).

Messages name a field by its path in the file (``indicators.22.weight``), which is what a
user must find and edit; the Chinese name goes beside it, so that a reader who does not
know the English keys still knows what is meant: ``indicators.22.weight``（指标第23项·分值）,
``“-5”不是有效的分值（weight）``. This is the one glossary of field names; a reader with a
narrower name for one of its own fields passes it as an override.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

import yaml

_INDEX = re.compile(r"\d+")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@cache
def names() -> dict[str, str]:
    """Key -> Chinese name."""
    text = resources.files("jixiao.core").joinpath("fields.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise TypeError("fields.yaml must be a mapping")
    return {str(k): str(v) for k, v in data.items()}


def name(key: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The Chinese name of ``key`` (``overrides`` first), or None when it has none."""
    if overrides and key in overrides:
        return overrides[key]
    return names().get(key)


def label(key: str, overrides: Mapping[str, str] | None = None) -> str:
    """``key`` as a message names it: 分值（weight）; the key alone when it has no name."""
    chinese = name(key, overrides)
    if chinese is None:
        return key
    return chinese if chinese == key or not _KEY.fullmatch(key) else f"{chinese}（{key}）"


def gloss(path: str) -> str:
    """A dotted field path in Chinese: ``indicators.22.weight`` -> 指标第23项·分值.

    Empty when no part of the path has a Chinese name (a cell reference such as ``C7``,
    a key the glossary does not know), so that nothing is added to the message.
    """
    parts = path.split(".")
    if not any(name(p) for p in parts):
        return ""
    out: list[str] = []
    for part in parts:
        if _INDEX.fullmatch(part):
            number = f"第{int(part) + 1}项"
            if out:
                out[-1] += number
            else:
                out.append(number)
        else:
            out.append(name(part) or part)
    return "·".join(out)
