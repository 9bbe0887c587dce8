"""Read a self-evaluation submission (YAML or JSON) into the domain model.

A file holds one submission, or several under ``submissions:`` (a batch, e.g. the projects
of a department). Every entry remembers its line so that Findings can name it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jixiao.core.findings import InputError, finding
from jixiao.core.numbers import MONEY_UNITS, NumberFormatError, parse_measure
from jixiao.model.submission import Submission
from jixiao.read.structured import ParsedFile, load, validation_findings

SUPPORTED = (".yaml", ".yml", ".json")


def read_submissions(path: Path) -> tuple[list[Submission], ParsedFile]:
    """All submissions in ``path``; raises InputError (Chinese Findings) when unreadable."""
    if path.suffix.lower() not in SUPPORTED:
        raise InputError(
            [
                finding(
                    "unsupported-format",
                    None,
                    suffix=path.suffix or "（无扩展名）",
                    supported="、".join(SUPPORTED),
                )
            ]
        )
    doc = load(path)
    return submissions_from(doc), doc


def submissions_from(doc: ParsedFile) -> list[Submission]:
    data = doc.data
    if not isinstance(data, dict):
        raise InputError(
            [
                finding(
                    "invalid-structure",
                    doc.location(),
                    detail="文件内容应为键值表（department 部门、year 年度、framework 指标体系 …）",
                )
            ]
        )
    if "submissions" in data:
        items = data["submissions"]
        if not isinstance(items, list) or not items:
            raise InputError(
                [
                    finding(
                        "invalid-structure",
                        doc.location(["submissions"]),
                        detail="submissions（申报列表）应为非空列表",
                    )
                ]
            )
        shared = {k: v for k, v in data.items() if k not in ("submissions", "title")}
        out, problems = [], []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(
                    finding("invalid-structure", doc.location(["submissions", i]), detail="每一项应为键值表")
                )
                continue
            try:
                out.append(_one({**shared, **item}, doc, ["submissions", i]))
            except InputError as exc:
                problems += exc.findings
        if problems:
            raise InputError(problems)
        return out
    return [_one(data, doc, [])]


def _one(data: dict[str, Any], doc: ParsedFile, base: list[int | str]) -> Submission:
    data = dict(data)
    problems = []
    indicators = data.get("indicators")
    if isinstance(indicators, list):
        fixed = []
        for i, item in enumerate(indicators):
            if isinstance(item, dict) and "line" not in item:
                fixed.append({**item, "line": doc.line_of([*base, "indicators", i])})
            else:
                fixed.append(item)
        data["indicators"] = fixed
    stated = data.get("stated")
    if isinstance(stated, dict) and "line" not in stated:
        data["stated"] = {**stated, "line": doc.line_of([*base, "stated"])}
    figures = data.get("figures")
    if isinstance(figures, dict):
        converted = {}
        data["lines"] = {
            f"figures.{name}": line
            for name in figures
            if (line := doc.line_of([*base, "figures", name])) is not None
        }
        for name, value in figures.items():
            try:
                converted[name] = _figure(value)
            except NumberFormatError as exc:
                problems.append(
                    finding(
                        "invalid-number",
                        doc.location([*base, "figures", name]).merged(field=f"figures.{name}"),
                        detail=str(exc),
                    )
                )
        data["figures"] = converted
    if problems:
        raise InputError(problems)
    try:
        return Submission.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_findings(exc, doc, base)) from None


def figures_from(raw: dict[str, object]) -> dict[str, Decimal]:
    """Figures as written ('1234.5万元', '5000元', '30') converted to 万元; raises
    NumberFormatError for a value that is not an amount."""
    return {name: _figure(value) for name, value in raw.items()}


def _figure(value: object) -> Decimal:
    """A figure as written: '1234.5万元' and '5000元' are converted to 万元."""
    if value is None or isinstance(value, bool):
        raise NumberFormatError(f"“{value}”不是数字")
    measure = parse_measure(value)
    if measure.value is None:
        raise NumberFormatError(f"“{value}”不是数字")
    if measure.unit in MONEY_UNITS:
        return measure.value * MONEY_UNITS[measure.unit]
    if measure.unit in ("", "个", "项", "条", "人", "人次"):
        return measure.value
    raise NumberFormatError(f"“{value}”的单位“{measure.unit}”无法识别，金额请用万元")
