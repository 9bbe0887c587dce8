"""The editable grids: a self-evaluation's indicator table and the nine final-accounts
tables, built from the stored data and read back from the submitted form.

Field names carry where a value goes: ``t:3`` (target of row 3, its path in ``p:3``) for
indicators; ``c|income.rows.3.fiscal`` for a final-accounts cell."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

from django.http import QueryDict

from jixiao import api

FIELDS = {"t": "target", "a": "actual", "s": "score", "r": "deviation_reason"}
#: figures a department commonly fills in (万元), offered even when the data has none yet
COMMON_FIGURES = {"budget_total": "全年预算数", "spent": "全年执行数", "budget_initial": "年初预算数"}


# --------------------------------------------------------------------------- self-evaluation


def indicator_rows(evaluation: dict[str, Any] | None, data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per indicator in the framework's order (level 1 and 2 as headings, leaves
    with inputs), with the score computed now."""
    entries = {str(e.get("path")): e for e in data.get("indicators", []) if isinstance(e, dict)}
    rows: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        entry = entries.get(node["path"], {})
        leaf = not node.get("children")
        rows.append(
            {
                "index": len(rows),
                "path": node["path"],
                "name": node["name"],
                "level": node["level"],
                "leaf": leaf,
                "weight": node.get("weight"),
                "target": _text(entry.get("target", node.get("target") if leaf else None)),
                "actual": _text(entry.get("actual")),
                "stated": _text(entry.get("score")),
                "reason": _text(entry.get("deviation_reason")),
                "score": node.get("score"),
                "rule": node.get("rule_text") or "",
            }
        )
        for child in node.get("children", []):
            walk(child)

    for top in (evaluation or {}).get("indicators", []):
        walk(top)
    return rows


def figure_rows(data: dict[str, Any]) -> list[dict[str, str]]:
    figures = data.get("figures") or {}
    known = api.figure_labels()
    names = list(figures) + [k for k in COMMON_FIGURES if k not in figures]
    rows = []
    for n in names:
        label, unit = known.get(n, (COMMON_FIGURES.get(n, n), ""))
        rows.append(
            {"name": n, "label": f"{label}（{unit}）" if unit else label, "value": _text(figures.get(n))}
        )
    return rows


def indicators_from_form(data: dict[str, Any], form: QueryDict) -> dict[str, Any]:
    """A copy of ``data`` with the grid's values put in (an emptied cell removes the value)."""
    new = copy.deepcopy(data)
    entries: list[dict[str, Any]] = [dict(e) for e in new.get("indicators", []) if isinstance(e, dict)]
    by_path = {str(e.get("path")): e for e in entries}
    for key in form:
        if not key.startswith("p:"):
            continue
        index, path = key[2:], _value(form, key)
        entry = by_path.get(path)
        if entry is None:
            entry = {"path": path}
        changed = False
        for short, name in FIELDS.items():
            if f"{short}:{index}" not in form:
                continue
            value = _value(form, f"{short}:{index}").strip()[:500]
            if value:
                changed |= entry.get(name) != value
                entry[name] = value
            elif name in entry:
                changed = True
                del entry[name]
        if path not in by_path and changed and len(entry) > 1:
            entries.append(entry)
            by_path[path] = entry
    new["indicators"] = entries
    figures = dict(new.get("figures") or {})
    for key in form:
        if key.startswith("f:"):
            value = _value(form, key).strip()[:50]
            if value:
                figures[key[2:][:80]] = value
            else:
                figures.pop(key[2:], None)
    new["figures"] = figures
    return new


# --------------------------------------------------------------------------- final accounts

ORDER = ["summary", "income", "expense", "fiscal", "general", "basic", "fund", "capital", "three_public"]


def accounts_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The nine tables as sections of labelled input cells."""
    layout = api.accounts_tables()
    out = []
    for tid in ORDER:
        spec = layout.get(tid) if isinstance(layout.get(tid), dict) else {}
        assert isinstance(spec, dict)
        table = data.get(tid)
        section: dict[str, Any] = {"id": tid, "title": spec.get("title", tid), "rows": [], "fields": []}
        labels = _labels(spec)
        if isinstance(table, dict):
            rows = table.get("rows")
            columns = [c["key"] for c in spec.get("columns", []) if isinstance(c, dict)]
            if isinstance(rows, list) and columns:
                section["columns"] = [labels.get(c, c) for c in columns]
                heads = dict(zip(columns, section["columns"], strict=True))
                title = str(section["title"])
                total = table.get("total") if isinstance(table.get("total"), dict) else None
                if total is not None:
                    section["rows"].append(_row(f"{tid}.total", "合计", "", total, heads, title=title))
                for i, row in enumerate(rows):
                    if isinstance(row, dict):
                        section["rows"].append(
                            _row(
                                f"{tid}.rows.{i}",
                                str(row.get("code", "")),
                                str(row.get("name", "")),
                                row,
                                heads,
                                title=title,
                            )
                        )
            for path, value in _leaves(table, tid):
                if ".rows." in path or path.startswith(f"{tid}.total."):
                    continue
                last = path.rsplit(".", 1)[-1]
                label = _field_label(path, tid, labels, last)
                section["fields"].append(
                    {
                        "name": f"c|{path}",
                        "target": path,
                        "label": label,
                        "where": f"{section['title']} · {label}",
                        "value": value,
                    }
                )
        out.append(section)
    return out


def _row(
    base: str, code: str, name: str, row: dict[str, Any], heads: dict[str, str], *, title: str
) -> dict[str, Any]:
    line = " ".join(p for p in (code, name) if p)
    return {
        "code": code,
        "name": name,
        "cells": [
            {
                "name": f"c|{base}.{c}",
                "target": f"{base}.{c}",
                "where": f"{title} · {line} · {head}",
                "value": _money(row.get(c)),
            }
            for c, head in heads.items()
        ],
    }


def accounts_cells(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every cell of the sections (table rows and single fields), in reading order."""
    out: list[dict[str, Any]] = []
    for s in sections:
        for r in s["rows"]:
            out += r["cells"]
        out += s["fields"]
    return out


def attach_comments(sections: list[dict[str, Any]], comments: list[Any]) -> dict[str, str]:
    """Put each cell comment on its cell (``cell["notes"]``) and on its table
    (``section["notes"]``); returns every cell's place in words, by target."""
    by_target: dict[str, list[Any]] = {}
    for c in comments:
        if c.target:
            by_target.setdefault(c.target, []).append(c)
    where: dict[str, str] = {}
    for s in sections:
        s["notes"] = []
        cells = [c for r in s["rows"] for c in r["cells"]] + s["fields"]
        for cell in cells:
            where[cell["target"]] = cell["where"]
            notes = by_target.get(cell["target"], [])
            cell["notes"] = notes
            cell["note_text"] = "\n".join(n.text for n in notes)
            s["notes"] += [(cell, n) for n in notes]
    return where


def _labels(spec: dict[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key in ("columns", "income_columns", "expense_columns", "income_rows", "expense_rows", "rows"):
        for item in spec.get(key, []) or []:
            if isinstance(item, dict) and "key" in item:
                labels[str(item["key"])] = str(item.get("name") or item.get("label"))
    return labels


#: names of the data's own keys that the table layout does not label
GENERIC = {
    "classes": "功能分类科目",
    "items": "经济分类科目",
    "budget": "预算数",
    "actual": "决算数",
    "note": "说明",
    "total": "合计",
    "abroad": "因公出国（境）费",
    "vehicle": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_running": "公务用车运行费",
    "reception": "公务接待费",
    "personnel_total": "人员经费合计",
    "public_total": "公用经费合计",
}


def _field_label(path: str, tid: str, labels: dict[str, str], last: str) -> str:
    parts = path.split(".")[1:]
    return " · ".join(labels.get(p) or GENERIC.get(p, p) for p in parts)


def _leaves(value: Any, prefix: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _leaves(v, f"{prefix}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _leaves(v, f"{prefix}.{i}")
    else:
        out.append((prefix, _text(value)))
    return out


def accounts_from_form(data: dict[str, Any], form: QueryDict) -> dict[str, Any]:
    """A copy of ``data`` with each ``c|path`` cell set (emptied cells removed)."""
    new = copy.deepcopy(data)
    for key in form:
        if not key.startswith("c|"):
            continue
        parts = key[2:].split(".")
        if not parts or parts[0] not in ORDER or len(parts) > 6:
            continue
        _set(new, parts, _value(form, key).strip()[:100])
    if "explanation_text" in form:
        new["explanation_text"] = _value(form, "explanation_text")[:100_000]
    return new


def _set(root: dict[str, Any], parts: list[str], value: str) -> None:
    node: Any = root
    for i, part in enumerate(parts[:-1]):
        nxt: Any
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return
            nxt = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                if not value:
                    return
                node[part] = {} if not parts[i + 1].isdigit() else []
            nxt = node[part]
        else:
            return
        node = nxt
    last = parts[-1]
    if isinstance(node, dict):
        if not value:
            node.pop(last, None)
        elif not _same_amount(node.get(last), value):
            node[last] = value
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = value or None


def _value(form: QueryDict, key: str) -> str:
    """The last value sent for ``key`` (a form field is text)."""
    value = form.get(key, "")
    return value if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


#: An amount written with at most two decimals: shown with two, as the tables print it.
_AMOUNT = re.compile(r"-?\d{1,15}(\.\d{1,2})?")


def _money(value: Any) -> str:
    """A table cell as its input shows it: an amount of at most two decimals with two
    (``12.5`` as ``12.50``); anything else (more decimals, text) exactly as stored, so
    that the checks' findings about it match what the user sees."""
    text = _text(value)
    if _AMOUNT.fullmatch(text):
        return f"{Decimal(text).quantize(Decimal('0.01')):f}"
    return text


def _same_amount(old: Any, new: str) -> bool:
    """Whether a cell sent back holds the amount already stored (``12.50`` for ``12.5``):
    then the stored value is kept and no change is recorded."""
    old_text = _text(old)
    return bool(_AMOUNT.fullmatch(old_text) and _AMOUNT.fullmatch(new)) and Decimal(old_text) == Decimal(new)
