"""Write accounts out: YAML or JSON (the input format) and Excel (see :mod:`form_write`), chosen
by the file's suffix. Reading what is written gives the same model back."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from jixiao.core import outputs
from jixiao.core.findings import InputError, Location, finding
from jixiao.model.accounts import Accounts
from jixiao.read.accounts.form_write import write_workbook

FORMATS = (".xlsx", ".yaml", ".yml", ".json")


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes Decimal as a plain number with all its digits (2.20 stays 2.20)."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    if "." not in text:  # 53, 0: plain integers read back as the same Decimal
        return dumper.represent_scalar("tag:yaml.org,2002:int", text)
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(Decimal, _decimal)


def _data(acc: Accounts) -> dict[str, Any]:
    data = acc.model_dump(mode="python", exclude_defaults=True)
    head = {"department": acc.department, "year": acc.year, "unit": acc.unit, "layout": acc.layout}
    return {**head, **{k: v for k, v in data.items() if k not in head}}


def to_yaml(acc: Accounts) -> str:
    """The accounts as YAML, rows on one line each (the format of the examples)."""
    return yaml.dump(
        _data(acc), Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=None, width=200
    )


def to_json(acc: Accounts) -> str:
    return json.dumps(
        acc.model_dump(mode="json", exclude_defaults=True) | {"department": acc.department, "year": acc.year},
        ensure_ascii=False,
        indent=2,
    )


def write(acc: Accounts | None, path: Path, *, layout: str = "henan-2024") -> None:
    """Write ``acc`` (a blank Excel template when None) to ``path`` by its suffix."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS or (acc is None and suffix != ".xlsx"):
        supported = ".xlsx" if acc is None else "、".join(FORMATS)
        raise InputError(
            [
                finding(
                    "unsupported-format",
                    Location(file=str(path)),
                    suffix=path.suffix or "（无扩展名）",
                    supported=supported,
                )
            ]
        )
    try:
        if suffix == ".xlsx":
            write_workbook(acc, path, layout=layout)
        elif suffix == ".json":
            outputs.write(path, to_json(acc))  # type: ignore[arg-type]
        else:
            outputs.write(path, to_yaml(acc))  # type: ignore[arg-type]
    except OSError as exc:
        raise InputError(
            [finding("file-not-found", Location(file=str(path)), path=f"{path}（无法写入：{exc.strerror}）")]
        ) from None
