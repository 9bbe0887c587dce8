"""Where each table's cells sit in the Excel workbook (shared by the writer and the reader).

One sheet per table, laid out like the printed 公开表: a title row, the table number, the
department and unit row, the header rows, the 栏次 row, then the data. The sheet is named by
the table number of the layout (公开01表 …) and carries the title in A1, which is how the
reader finds it (by title first, so renumbered sheets still read).
"""

from __future__ import annotations

from jixiao.model.classification import economic_catalog, economic_classes, function_catalog
from jixiao.model.tables import TableLayout

TITLE_ROW = 1
NUMBER_ROW = 2
DEPARTMENT_ROW = 3
HEADER_ROW = 4
#: Sheets beyond the nine tables.
NARRATIVE_SHEET = "情况说明数据"
BUDGET_SHEET = "年初预算"
PROJECTS_SHEET = "项目绩效自评"
EXPLANATIONS_SHEET = "出错说明"
BUDGET_HEADER = ["功能分类科目编码", "科目名称", "年初预算", "决算数与年初预算数存在差异的主要原因"]
PROJECT_HEADER = ["项目名称", "自评得分", "全年预算数", "执行数", "绩效目标完成情况"]
PROJECT_FIELDS = ("name", "score", "budget", "actual", "summary")


def economic_groups(extra_codes: list[str] = ()) -> dict[int, list[str]]:  # type: ignore[assignment]
    """The codes printed in each column group of 公开06表, in order; ``extra_codes`` that are
    not among its fixed rows (codes outside the catalog, or of a 类 the table does not print)
    are added after their 类, or to group 3."""
    catalog = economic_catalog()
    kinds = economic_classes()
    groups: dict[int, list[str]] = {1: [], 2: [], 3: []}
    for cls in kinds.values():
        codes = [cls.code, *catalog.children(cls.code)]
        codes += sorted(c for c in extra_codes if c not in codes and c.startswith(cls.code))
        groups[cls.group] += codes
    placed = {c for g in groups.values() for c in g}
    groups[3] += [c for c in extra_codes if c not in placed]
    return groups


def basic_header(spec: TableLayout) -> list[str]:
    """The column headers of 公开06表: code, name and amount of each of the three groups."""
    return ["经济分类科目编码", "科目名称", spec.all_columns()[0].label] * 3


#: (label column, amount column) of the 人员经费合计 and 公用经费合计 of 公开06表.
BASIC_TOTAL_CELLS = ((1, 3), (4, 9))


#: Chinese labels of the narrative fields, for the 情况说明数据 sheet.
NARRATIVE_LABELS = {
    "previous.income_sum": "上年收入总计",
    "previous.expense_sum": "上年支出总计",
    "previous.fiscal_income_sum": "上年财政拨款收入总计",
    "previous.fiscal_expense_sum": "上年财政拨款支出总计",
    "previous.general_expense": "上年一般公共预算财政拨款支出",
    "previous.closing": "上年年末结转和结余",
    "previous.office_running": "上年机关运行经费",
    "previous.three_public": "上年“三公”经费决算数",
    "reasons.change": "收、支总计增减的主要原因",
    "reasons.fiscal_change": "财政拨款收、支总计增减的主要原因",
    "reasons.general_change": "一般公共预算财政拨款支出增减的主要原因",
    "initial_budget.general": "一般公共预算财政拨款支出年初预算",
    "initial_budget.fund": "政府性基金预算财政拨款支出年初预算",
    "initial_budget.capital": "国有资本经营预算财政拨款支出年初预算",
    "three_public.reason": "“三公”经费决算数与预算数差异的原因",
    "three_public.abroad_reason": "因公出国（境）费差异原因",
    "three_public.vehicle_reason": "公务用车购置及运行费差异原因",
    "three_public.reception_reason": "公务接待费差异原因",
    "three_public.abroad_groups": "因公出国（境）团组（个）",
    "three_public.abroad_persons": "因公出国（境）人次",
    "three_public.vehicles_purchased": "购置车辆（台）",
    "three_public.vehicles_held": "公务用车保有量（辆）",
    "three_public.vehicle_use": "公务用车运行维护费主要用途",
    "three_public.reception_foreign": "外宾接待支出",
    "three_public.foreign_groups": "接待国（境）外来访团组（个）",
    "three_public.foreign_persons": "来访外宾人次",
    "three_public.reception_domestic": "其他国内公务接待支出",
    "three_public.domestic_groups": "接待国内来访团组（个）",
    "three_public.domestic_persons": "国内来宾人次",
    "three_public.reception_use": "国内公务接待主要用途",
    "office_running.amount": "机关运行经费",
    "office_running.reason": "机关运行经费增减的主要原因",
    "procurement.total": "政府采购支出总额",
    "procurement.goods": "政府采购货物支出",
    "procurement.works": "政府采购工程支出",
    "procurement.services": "政府采购服务支出",
    "procurement.sme": "授予中小企业合同金额",
    "procurement.small": "授予小微企业合同金额",
    "assets.equipment": "单位价值100万元（含）以上设备（台（套））",
    "performance.general_projects": "一般公共预算项目自评个数",
    "performance.general_funds": "一般公共预算项目自评涉及资金",
    "performance.fund_projects": "政府性基金预算项目自评个数",
    "performance.fund_funds": "政府性基金预算项目自评涉及资金",
    "performance.capital_projects": "国有资本经营预算项目自评个数",
    "performance.capital_funds": "国有资本经营预算项目自评涉及资金",
    "performance.evaluated_general": "部门评价涉及一般公共预算支出",
    "performance.evaluated_fund": "部门评价涉及政府性基金预算支出",
    "performance.evaluated_capital": "部门评价涉及国有资本经营预算支出",
    "performance.units": "整体支出绩效评价单位个数",
    "performance.unit_general": "整体评价涉及一般公共预算支出",
    "performance.unit_fund": "整体评价涉及政府性基金预算支出",
}
#: Narrative fields that are lists (their path segments after them are indexes).
NARRATIVE_LISTS = ("performance.evaluated",)


def narrative_label(path: str) -> str:
    """A Chinese label for a flattened narrative path."""
    if path in NARRATIVE_LABELS:
        return NARRATIVE_LABELS[path]
    parts = path.split(".")
    if path.startswith("initial_budget.items."):
        code = parts[2]
        name = function_catalog().name(code) or ""
        what = "年初预算" if parts[-1] == "budget" else "决算数与年初预算数差异原因"
        return f"{code} {name} {what}".replace("  ", " ")
    if path.startswith("assets.vehicles."):
        return f"车辆：{parts[2]}（辆）"
    if path.startswith("performance.evaluated."):
        return f"部门评价项目{int(parts[2]) + 1}"
    if path.startswith("performance.projects."):
        field = {
            "name": "名称",
            "score": "自评得分",
            "budget": "全年预算数",
            "actual": "执行数",
            "summary": "绩效目标完成情况",
        }
        return f"自评项目{int(parts[2]) + 1}{field.get(parts[3], parts[3])}"
    return path
