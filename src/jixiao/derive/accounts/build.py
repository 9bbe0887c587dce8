"""Build complete, consistent final accounts from their detail (汇总).

Given each 项's basic and project expenditure, the economic breakdown of the basic
expenditure and the “三公” figures, every other cell of the nine tables follows: the 款 and
类 rows, the totals, 公开01表 and 公开04表, the 人员经费 / 公用经费 totals. Figures are
computed exactly and each printed figure is rounded to 0.01 万元 at the end, as the
reporting software does when it converts 元 to 万元 — so the result carries real rounding
tails, and no error.

Used by the tests (a consistent set must give no error), the benchmark, and anyone who
wants the totals filled in from the detail.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jixiao.core.numbers import ZERO, round_half_up
from jixiao.model.accounts import Accounts
from jixiao.model.classification import economic_catalog, economic_classes, function_catalog


def _p(value: Decimal) -> Decimal | None:
    """A printed cell: rounded to 0.01, empty when exactly zero."""
    return None if value == 0 else round_half_up(value, 2)


def _cells(**values: Decimal) -> dict[str, Decimal]:
    return {k: p for k, v in values.items() if (p := _p(v)) is not None}


def build_accounts(
    *,
    department: str,
    year: int,
    items: Mapping[str, tuple[Decimal, Decimal]],
    economic: Mapping[str, Decimal],
    three_public_budget: Mapping[str, Decimal] | None = None,
    three_public_actual: Mapping[str, Decimal] | None = None,
    opening: Decimal = ZERO,
    closing: Decimal = ZERO,
    initial_budget: Mapping[str, Decimal] | None = None,
    layout: str = "henan-2024",
) -> Accounts:
    """Accounts whose every table agrees with every other.

    Args:
        items: 功能分类 项 code -> (basic, project) expenditure, 万元, any precision; all of it
            一般公共预算财政拨款.
        economic: 经济分类 款 code -> amount (万元) of the basic expenditure; must add up to
            the items' basic expenditure.
        three_public_budget / three_public_actual: abroad, vehicle_purchase, vehicle_running,
            reception (万元); the actual must not be below the basic 30212/30217/30231/31013.
        opening / closing: 年初 / 年末结转和结余 (一般公共预算), with opening ≤ closing.
        initial_budget: 项 code -> 年初预算 (万元).
    """
    fn = function_catalog()
    basic_total = sum((b for b, _ in items.values()), ZERO)
    econ_total = sum(economic.values(), ZERO)
    if basic_total != econ_total:
        raise ValueError(f"economic breakdown {econ_total} != basic expenditure {basic_total}")
    if opening > closing:
        raise ValueError("opening must not exceed closing")

    # exact totals of every 类 / 款 / 项 row
    basic: dict[str, Decimal] = {}
    project: dict[str, Decimal] = {}
    for code, (b, p) in items.items():
        if fn.level(code) != 3:
            raise ValueError(f"{code} is not an item (项) code")
        for node in fn.ancestors(code):
            basic[node] = basic.get(node, ZERO) + b
            project[node] = project.get(node, ZERO) + p
    codes = sorted(basic, key=lambda c: (c[:3], c[:5], c))
    spending = basic_total + sum((p for _, p in items.values()), ZERO)
    income = spending + closing - opening
    # the year's income by code: what was spent, plus what is carried forward, on the first item
    first_item = next((c for c in codes if len(c) == 7), None)
    carried = closing - opening

    def income_of(code: str) -> Decimal:
        extra = carried if first_item is not None and first_item.startswith(code) else ZERO
        return basic[code] + project[code] + extra

    name = fn.name
    income_rows = [
        {"code": c, "name": name(c) or "", **_cells(total=income_of(c), fiscal=income_of(c))} for c in codes
    ]
    expense_rows = [
        {
            "code": c,
            "name": name(c) or "",
            **_cells(total=basic[c] + project[c], basic=basic[c], project=project[c]),
        }
        for c in codes
    ]
    classes = [c for c in codes if len(c) == 3]
    data: dict[str, Any] = {
        "department": department,
        "year": year,
        "layout": layout,
        "summary": {
            **_cells(
                general_budget=income,
                income_total=income,
                opening=opening,
                income_sum=income + opening,
                expense_total=spending,
                closing=closing,
                expense_sum=spending + closing,
            ),
            "classes": {c: _p(basic[c] + project[c]) for c in classes},
        },
        "income": {"total": _cells(total=income, fiscal=income), "rows": income_rows},
        "expense": {
            "total": _cells(total=spending, basic=basic_total, project=spending - basic_total),
            "rows": expense_rows,
        },
        "general": {
            "total": _cells(total=spending, basic=basic_total, project=spending - basic_total),
            "rows": expense_rows,
        },
        "fiscal": {
            **_cells(
                general_budget=income,
                income_total=income,
                opening=opening,
                opening_general=opening,
                income_sum=income + opening,
            ),
            "classes": {
                c: _cells(total=basic[c] + project[c], general=basic[c] + project[c]) for c in classes
            },
            "expense_total": _cells(total=spending, general=spending),
            "closing": _cells(total=closing, general=closing),
            "expense_sum": _cells(total=spending + closing, general=spending + closing),
        },
        "basic": _basic(economic),
        "three_public": {
            "budget": _three(three_public_budget or {}),
            "actual": _three(three_public_actual or {}),
        },
    }
    if initial_budget:
        data["narrative"] = {
            "initial_budget": {
                "general": round_half_up(sum(initial_budget.values(), ZERO), 2),
                "items": {c: {"budget": round_half_up(v, 2)} for c, v in initial_budget.items()},
            }
        }
    return Accounts.model_validate(data)


def _basic(economic: Mapping[str, Decimal]) -> dict[str, Any]:
    catalog = economic_catalog()
    kinds = economic_classes()
    by_class: dict[str, Decimal] = {}
    for code, amount in economic.items():
        parent = catalog.parent(code)
        if parent is None or parent not in kinds:
            raise ValueError(f"{code} is not a 款 of 公开06表")
        by_class[parent] = by_class.get(parent, ZERO) + amount
    items: dict[str, Decimal | None] = {}
    for cls in kinds:
        if cls in by_class:
            items[cls] = _p(by_class[cls])
            for code in catalog.children(cls):
                if code in economic:
                    items[code] = _p(economic[code])
    personnel = sum((v for c, v in by_class.items() if kinds[c].kind == "personnel"), ZERO)
    public = sum((v for c, v in by_class.items() if kinds[c].kind == "public"), ZERO)
    return {"items": items, **_cells(personnel_total=personnel, public_total=public)}


def _three(parts: Mapping[str, Decimal]) -> dict[str, Decimal]:
    abroad = parts.get("abroad", ZERO)
    purchase = parts.get("vehicle_purchase", ZERO)
    running = parts.get("vehicle_running", ZERO)
    reception = parts.get("reception", ZERO)
    vehicle = purchase + running
    # the “三公” table prints 0.00 rather than leaving cells empty (seed 001)
    return {
        k: round_half_up(v, 2)
        for k, v in {
            "total": abroad + vehicle + reception,
            "abroad": abroad,
            "vehicle": vehicle,
            "vehicle_purchase": purchase,
            "vehicle_running": running,
            "reception": reception,
        }.items()
    }
