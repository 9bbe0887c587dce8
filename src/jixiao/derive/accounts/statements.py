"""What each sentence of the 情况说明 states, computed from the accounts.

Each sentence's values come from one function of (accounts, key) — used by the writer
(:mod:`explain`) and by the text checker (:mod:`jixiao.check.accounts.explanation`), which so agree on what a
department's own text should say. Figures the data does not give are :class:`Missing` (the
sentence is left out when writing, and noted when checking); a rate whose base is zero is
None and written "0%".
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jixiao.core.numbers import ZERO
from jixiao.derive.accounts.sentence_templates import DerivedInSentence, Missing, catalog
from jixiao.model.accounts import VEHICLE_CATEGORIES, Accounts, FundValues, GeneralValues
from jixiao.model.classification import economic_catalog, economic_classes, function_catalog

Values = dict[str, Any]


def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole; None when either is missing or the whole is zero (printed as 0%)."""
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def _or0(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


def _missing_or(value: Any, what: str) -> Any:
    return Missing(what) if value is None else value


def _change(current: Decimal | None, previous: Decimal | None, what: str) -> Values:
    """direction / change / trend / rate of ``current`` against ``previous``. Without the
    previous figure the rate can still be checked against the printed change."""
    if current is None:
        return {k: Missing("本年数") for k in ("direction", "change", "trend", "rate")}
    if previous is None:

        def rate(p: dict[str, Any]) -> Decimal | None:
            change = p.get("change")
            if change is None or p.get("direction") is None:
                return None
            before = current - change if p["direction"] == "增加" else current + change
            return ratio(change, before)

        return {
            "direction": Missing(what),
            "change": Missing(what),
            "trend": DerivedInSentence(
                lambda p: "增长" if p.get("direction") == "增加" else "下降", "同句的增减方向"
            ),
            "rate": DerivedInSentence(rate, "同句的增减额与本年数"),
        }
    diff = current - previous
    return {
        "direction": "增加" if diff >= 0 else "减少",
        "change": abs(diff),
        "trend": "增长" if diff >= 0 else "下降",
        "rate": ratio(abs(diff), previous),
    }


def _budget_actual(budget: Decimal | None, actual: Decimal, what: str) -> Values:
    """budget / actual / rate / differs, the rate self-checked when the budget is not given."""
    if budget is None:
        return {
            "budget": Missing(what),
            "actual": actual,
            "rate": DerivedInSentence(
                lambda p: ratio(p.get("actual"), p.get("budget")), "同句的预算数与决算数"
            ),
            "differs": DerivedInSentence(
                lambda p: "无差异" if p.get("budget") == p.get("actual") else "存在差异",
                "同句的预算数与决算数",
            ),
        }
    return {
        "budget": budget,
        "actual": actual,
        "rate": ratio(actual, budget),
        "differs": "无差异" if budget == actual else "存在差异",
    }


# --------------------------------------------------------------------------- names


def class_label(acc: Accounts, code: str) -> str:
    """A 类 as section 五（二） names it: 科学技术 (the name without its final 支出)."""
    name = row_name(acc, code)
    return name[:-2] if name.endswith("支出") else name


def row_name(acc: Accounts, code: str) -> str:
    """The name printed for ``code`` in 公开05表, else the catalog name."""
    for row in acc.general.rows:
        if row.code == code and row.name:
            return row.name
    return function_catalog().name(code) or code


def item_names(acc: Accounts, code: str) -> tuple[str, str, str]:
    """(类, 款, 项) names of an item code."""
    return row_name(acc, code[:3]), row_name(acc, code[:5]), row_name(acc, code)


INCOME_SOURCES = {
    "财政拨款收入": "fiscal",
    "上级补助收入": "superior",
    "事业收入": "business",
    "经营收入": "operating",
    "附属单位上缴收入": "affiliated",
    "其他收入": "other",
}
EXPENSE_PARTS = {
    "基本支出": "basic",
    "项目支出": "project",
    "上缴上级支出": "remit",
    "经营支出": "operating",
    "对附属单位补助支出": "subsidy",
}


def economic_items(acc: Accounts, kind: str) -> list[str]:
    """Names of the printed (non-empty, non-zero) 款 of 人员经费 or 公用经费, in table order."""
    catalog = economic_catalog()
    out = []
    for cls in economic_classes().values():
        if cls.kind != kind:
            continue
        for code in catalog.children(cls.code):
            value = acc.basic.items.get(code)
            if value:
                out.append(catalog.name(code) or code)
    return out


def _fund_empty(acc: Accounts, table: str) -> bool:
    t = getattr(acc, table)
    values = [v for v in t.total.__dict__.values() if v]
    values += [v for r in t.rows for k, v in r.__dict__.items() if k not in ("code", "name") and v]
    return not values


# --------------------------------------------------------------------------- values


def _v_total(acc: Accounts, _key: Any) -> Values | None:
    s = acc.summary
    return {"year": acc.year, "income_sum": s.income_sum, "expense_sum": s.expense_sum}


def _v_total_change(acc: Accounts, _key: Any) -> Values:
    p = acc.narrative.previous
    return {
        **_change(acc.summary.income_sum, p.income_sum, "上年度收、支总计"),
        "reason": acc.narrative.reasons.change,
    }


def _income_total(acc: Accounts) -> Decimal | None:
    return acc.income.total.total if acc.income.total.total is not None else acc.summary.income_total


def _v_income(acc: Accounts, _key: Any) -> Values:
    parts = [
        _render_item("income_part", acc, s)
        for s in INCOME_SOURCES
        if getattr(acc.income.total, INCOME_SOURCES[s])
    ]
    return {"year": acc.year, "total": _income_total(acc), "parts": "；".join(p for p in parts if p)}


def _v_income_part(acc: Accounts, key: str) -> Values:
    amount = _or0(getattr(acc.income.total, INCOME_SOURCES[key]))
    return {"source": key, "amount": amount, "share": ratio(amount, _income_total(acc))}


def _expense_total(acc: Accounts) -> Decimal | None:
    return acc.expense.total.total if acc.expense.total.total is not None else acc.summary.expense_total


def _v_expense(acc: Accounts, _key: Any) -> Values:
    parts = [
        _render_item("expense_part", acc, p)
        for p in EXPENSE_PARTS
        if getattr(acc.expense.total, EXPENSE_PARTS[p])
    ]
    return {"year": acc.year, "total": _expense_total(acc), "parts": "；".join(p for p in parts if p)}


def _v_expense_part(acc: Accounts, key: str) -> Values:
    amount = _or0(getattr(acc.expense.total, EXPENSE_PARTS[key]))
    return {"part": key, "amount": amount, "share": ratio(amount, _expense_total(acc))}


def _v_fiscal(acc: Accounts, _key: Any) -> Values:
    f = acc.fiscal
    return {"year": acc.year, "income_sum": f.income_sum, "expense_sum": f.expense_sum.total}


def _v_fiscal_change(acc: Accounts, _key: Any) -> Values:
    p, r = acc.narrative.previous, acc.narrative.reasons
    return {
        **_change(acc.fiscal.income_sum, p.fiscal_income_sum, "上年度财政拨款收、支总计"),
        "reason": r.fiscal_change or r.change,
    }


def _v_general_total(acc: Accounts, _key: Any) -> Values:
    total = acc.general.total.total
    return {"year": acc.year, "total": total, "share": ratio(total, _expense_total(acc))}


def _v_general_change(acc: Accounts, _key: Any) -> Values:
    p, r = acc.narrative.previous, acc.narrative.reasons
    return {
        **_change(acc.general.total.total, p.general_expense, "上年度一般公共预算财政拨款支出"),
        "reason": r.general_change or r.change,
    }


def general_classes(acc: Accounts) -> list[str]:
    """The 类 of 公开05表 with spending, in table order."""
    return [r.code for r in acc.general.rows if len(r.code) == 3 and r.total]


def _v_general_structure(acc: Accounts, _key: Any) -> Values:
    parts = [_render_item("general_class", acc, c) for c in general_classes(acc)]
    return {"year": acc.year, "total": acc.general.total.total, "parts": "；".join(p for p in parts if p)}


def _general_row_total(acc: Accounts, code: str) -> Decimal:
    for row in acc.general.rows:
        if row.code == code:
            return _or0(row.total)
    return ZERO


def _v_general_class(acc: Accounts, key: str) -> Values:
    amount = _general_row_total(acc, key)
    return {
        "class_name": class_label(acc, key),
        "amount": amount,
        "share": ratio(amount, acc.general.total.total),
    }


def _v_general_budget(acc: Accounts, _key: Any) -> Values:
    budget = acc.narrative.initial_budget.general
    return {
        "year": acc.year,
        **_budget_actual(budget, _or0(acc.general.total.total), "一般公共预算财政拨款支出年初预算"),
    }


def general_items(acc: Accounts) -> list[str]:
    """Items (项) of section 五（三）: those with spending or an initial budget, table order."""
    items = acc.narrative.initial_budget.items
    out = [r.code for r in acc.general.rows if len(r.code) == 7 and (r.total or r.code in items)]
    out += [c for c in items if c not in out and len(c) == 7]
    return out


def _v_general_item(acc: Accounts, key: str) -> Values:
    item = acc.narrative.initial_budget.items.get(key)
    budget = item.budget if item is not None else None
    class_name, section_name, item_name = item_names(acc, key)
    values = _budget_actual(budget, _general_row_total(acc, key), f"“{item_name}”的年初预算")
    return {
        "class_name": class_name,
        "section_name": section_name,
        "item_name": item_name,
        **values,
        "reason": item.reason if item is not None else "",
    }


def _v_basic(acc: Accounts, _key: Any) -> Values:
    b = acc.basic
    return {
        "year": acc.year,
        "basic": acc.general.total.basic,
        "personnel": b.personnel_total,
        "personnel_items": economic_items(acc, "personnel"),
        "public": b.public_total,
        "public_items": economic_items(acc, "public"),
    }


def _v_fund(acc: Accounts, _key: Any) -> Values:
    budget = acc.narrative.initial_budget.fund
    return {
        "year": acc.year,
        **_budget_actual(budget, _or0(acc.fund.total.total), "政府性基金预算财政拨款支出年初预算"),
    }


def _v_capital(acc: Accounts, _key: Any) -> Values:
    budget = acc.narrative.initial_budget.capital
    return {
        "year": acc.year,
        **_budget_actual(budget, _or0(acc.capital.total.total), "国有资本经营预算财政拨款支出年初预算"),
    }


def _v_fund_none(acc: Accounts, _key: Any) -> Values:
    return {
        "year": acc.year,
        "_claim": _fund_empty(acc, "fund"),
        "_what": "政府性基金预算财政拨款收入支出决算表有数据",
    }


def _v_capital_none(acc: Accounts, _key: Any) -> Values:
    return {
        "year": acc.year,
        "_claim": _fund_empty(acc, "capital"),
        "_what": "国有资本经营预算财政拨款支出决算表有数据",
    }


def _three(acc: Accounts, field: str) -> tuple[Decimal | None, Decimal | None]:
    return getattr(acc.three_public.budget, field), getattr(acc.three_public.actual, field)


def _v_three_total(acc: Accounts, _key: Any) -> Values:
    budget, actual = _three(acc, "total")
    return {"year": acc.year, "budget": budget, "actual": actual, "rate": ratio(actual, budget)}


def _v_three_total_reason(acc: Accounts, _key: Any) -> Values:
    budget, actual = _three(acc, "total")
    return {
        "year": acc.year,
        "differs": "无差异" if budget == actual else "存在差异",
        "reason": acc.narrative.three_public.reason,
    }


def _v_three_parts(acc: Accounts, _key: Any) -> Values:
    total = acc.three_public.actual.total
    out: Values = {"year": acc.year}
    for name in ("abroad", "vehicle", "reception"):
        budget, actual = _three(acc, name)
        out[name] = _or0(actual)
        out[f"{name}_rate"] = ratio(_or0(actual), budget)
        out[f"{name}_share"] = ratio(_or0(actual), total)
    return out


def _three_kind(acc: Accounts, field: str, reason: str) -> Values:
    budget, actual = _three(acc, field)
    return {
        "budget": _or0(budget),
        "actual": _or0(actual),
        "rate": ratio(_or0(actual), budget),
        "differs": "无差异" if _or0(budget) == _or0(actual) else "存在差异",
        "reason": reason,
    }


def _v_three_abroad(acc: Accounts, _key: Any) -> Values:
    d = acc.narrative.three_public
    return {
        **_three_kind(acc, "abroad", d.abroad_reason),
        "groups": d.abroad_groups,
        "persons": d.abroad_persons,
    }


def _v_three_vehicle(acc: Accounts, _key: Any) -> Values:
    return _three_kind(acc, "vehicle", acc.narrative.three_public.vehicle_reason)


def _v_three_reception(acc: Accounts, _key: Any) -> Values:
    return _three_kind(acc, "reception", acc.narrative.three_public.reception_reason)


def _v_three_vehicle_purchase(acc: Accounts, _key: Any) -> Values:
    d = acc.narrative.three_public
    return {"amount": _or0(acc.three_public.actual.vehicle_purchase), "count": d.vehicles_purchased}


def _v_three_vehicle_running(acc: Accounts, _key: Any) -> Values:
    d = acc.narrative.three_public
    return {
        "amount": _or0(acc.three_public.actual.vehicle_running),
        "use": d.vehicle_use,
        "year": acc.year,
        "held": d.vehicles_held,
    }


def _v_three_foreign(acc: Accounts, _key: Any) -> Values:
    d = acc.narrative.three_public
    return {
        "amount": _missing_or(d.reception_foreign, "外宾接待支出"),
        "year": acc.year,
        "groups": d.foreign_groups,
        "persons": d.foreign_persons,
    }


def _v_three_domestic(acc: Accounts, _key: Any) -> Values:
    d = acc.narrative.three_public
    return {
        "amount": _missing_or(d.reception_domestic, "其他国内公务接待支出"),
        "use": d.reception_use,
        "year": acc.year,
        "groups": d.domestic_groups,
        "persons": d.domestic_persons,
    }


def _v_office_running(acc: Accounts, _key: Any) -> Values:
    o = acc.narrative.office_running
    return {
        "year": acc.year,
        "amount": _missing_or(o.amount, "机关运行经费"),
        "previous_year": acc.year - 1,
        **_change(o.amount, acc.narrative.previous.office_running, "上年机关运行经费"),
        "reason": o.reason,
    }


def _v_procurement(acc: Accounts, _key: Any) -> Values:
    p = acc.narrative.procurement
    what = "政府采购数据"
    return {
        "year": acc.year,
        "total": _missing_or(p.total, what),
        "goods": _missing_or(p.goods, what),
        "works": _missing_or(p.works, what),
        "services": _missing_or(p.services, what),
        "sme": _missing_or(p.sme, what),
        "sme_share": ratio(p.sme, p.total) if p.sme is not None else Missing(what),
        "small": _missing_or(p.small, what),
        "small_share": ratio(p.small, p.sme) if p.small is not None else Missing(what),
    }


def _v_assets(acc: Accounts, _key: Any) -> Values:
    a = acc.narrative.assets
    parts = [_render_item("assets_vehicle", acc, c) for c in VEHICLE_CATEGORIES if c in a.vehicles]
    return {
        "year": acc.year,
        "total": _missing_or(a.vehicles_total, "车辆数"),
        "vehicles": "、".join(p for p in parts if p),
        "equipment": _missing_or(a.equipment, "单位价值100万元以上设备数"),
    }


def _v_assets_vehicle(acc: Accounts, key: str) -> Values:
    count = acc.narrative.assets.vehicles.get(key)
    return {"category": key, "count": _missing_or(count, f"{key}数量")}


def _v_performance(kind: str) -> Callable[[Accounts, Any], Values]:
    def values(acc: Accounts, _key: Any) -> Values:
        p = acc.narrative.performance
        projects, funds = getattr(p, f"{kind}_projects"), getattr(p, f"{kind}_funds")
        total: GeneralValues | FundValues = getattr(acc, kind).total  # the general / fund / capital table
        what = "项目绩效自评数据"
        return {
            "year": acc.year,
            "count": _missing_or(projects, what),
            "funds": _missing_or(funds, what),
            "share": ratio(funds, _or0(total.project)) if funds is not None else Missing(what),
        }

    return values


def _v_performance_evaluated(acc: Accounts, _key: Any) -> Values:
    p = acc.narrative.performance
    what = "部门评价数据"
    return {
        "names": "、".join(p.evaluated),
        "count": len(p.evaluated) if p.evaluated else Missing(what),
        "general": _missing_or(p.evaluated_general, what),
        "fund": _missing_or(p.evaluated_fund, what),
        "capital": _missing_or(p.evaluated_capital, what),
    }


def _v_performance_unit(acc: Accounts, _key: Any) -> Values:
    p = acc.narrative.performance
    what = "整体支出绩效评价数据"
    return {
        "department": acc.department,
        "count": _missing_or(p.units, what),
        "general": _missing_or(p.unit_general, what),
        "fund": _missing_or(p.unit_fund, what),
    }


def _v_performance_project(acc: Accounts, key: int | None) -> Values:
    projects = acc.narrative.performance.projects
    if key is None or not 0 <= key < len(projects):
        what = "该项目的自评数据"
        return {
            "index": Missing(what),
            "score": Missing(what),
            "budget": Missing(what),
            "actual": Missing(what),
            "rate": DerivedInSentence(
                lambda p: ratio(p.get("actual"), p.get("budget")), "同句的预算数与执行数"
            ),
        }
    project = projects[key]
    return {
        "index": key + 1,
        "name": project.name,
        "score": _missing_or(project.score, "自评得分"),
        "budget": _missing_or(project.budget, "全年预算数"),
        "actual": _missing_or(project.actual, "执行数"),
        "rate": ratio(project.actual, project.budget)
        if project.budget is not None
        else DerivedInSentence(lambda p: ratio(p.get("actual"), p.get("budget")), "同句的预算数与执行数"),
    }


VALUES: dict[str, Callable[[Accounts, Any], Values | None]] = {
    "total_equal": _v_total,
    "total_unequal": _v_total,
    "total_change": _v_total_change,
    "income": _v_income,
    "income_part": _v_income_part,
    "expense": _v_expense,
    "expense_part": _v_expense_part,
    "fiscal_equal": _v_fiscal,
    "fiscal_unequal": _v_fiscal,
    "fiscal_change": _v_fiscal_change,
    "general_total": _v_general_total,
    "general_change": _v_general_change,
    "general_structure": _v_general_structure,
    "general_class": _v_general_class,
    "general_budget": _v_general_budget,
    "general_item": _v_general_item,
    "basic": _v_basic,
    "fund": _v_fund,
    "fund_none": _v_fund_none,
    "capital": _v_capital,
    "capital_none": _v_capital_none,
    "three_total": _v_three_total,
    "three_total_reason": _v_three_total_reason,
    "three_parts": _v_three_parts,
    "three_abroad": _v_three_abroad,
    "three_vehicle": _v_three_vehicle,
    "three_vehicle_purchase": _v_three_vehicle_purchase,
    "three_vehicle_running": _v_three_vehicle_running,
    "three_reception": _v_three_reception,
    "three_reception_foreign": _v_three_foreign,
    "three_reception_domestic": _v_three_domestic,
    "office_running": _v_office_running,
    "procurement": _v_procurement,
    "assets": _v_assets,
    "assets_vehicle": _v_assets_vehicle,
    "performance_general": _v_performance("general"),
    "performance_fund": _v_performance("fund"),
    "performance_capital": _v_performance("capital"),
    "performance_evaluated": _v_performance_evaluated,
    "performance_unit": _v_performance_unit,
    "performance_project": _v_performance_project,
}


def values(sentence: str, acc: Accounts, key: Any = None) -> Values | None:
    """The values of one sentence (for ``key``: a code, a name or an index)."""
    return VALUES[sentence](acc, key)


def _render_item(sentence: str, acc: Accounts, key: Any) -> str | None:
    v = values(sentence, acc, key)
    return catalog().sentences[sentence].render(v) if v is not None else None
