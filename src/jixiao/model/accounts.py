"""The final accounts (部门决算) of one department and year: the nine public tables and the
figures the 情况说明 needs besides them.

Every amount is in 万元 (``Amount``: a Decimal, or None for an empty cell). An empty cell and
a written 0 are different values and stay different through reading, checking and writing.
Rows of the coded tables are keyed by classification codes: 功能分类 (类 3 digits / 款 5 /
项 7) or 经济分类 (类 3 / 款 5). All models are frozen; build a new one to change a figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator
from pydantic_core import PydanticCustomError

from jixiao.core.numbers import MONEY_UNITS, NumberFormatError, parse_measure, plain_number
from jixiao.model.classification import economic_catalog, function_catalog


def _amount(value: Any) -> Decimal | None:
    """A cell as written -> Decimal (万元) or None (empty). Text, other units and negative
    amounts are refused with a Chinese message."""
    if type(value) is str:  # most cells: plain digits, read at once (never negative)
        number = plain_number(value)
        if number is not None:
            return number
    if value is None:
        return None
    if isinstance(value, bool):
        raise PydanticCustomError("amount_text", "“{value}”不是金额", {"value": value})
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            measure = parse_measure(text)
        except NumberFormatError as exc:
            raise PydanticCustomError("amount_text", "{detail}", {"detail": str(exc)}) from None
        if measure.value is None or measure.comparator is not None:
            raise PydanticCustomError("amount_text", "“{value}”不是金额", {"value": text})
        if measure.unit and measure.unit != "万元":
            hint = "，请换算为万元" if measure.unit in MONEY_UNITS else ""
            raise PydanticCustomError(
                "amount_unit",
                "“{value}”的单位不是万元（部门决算公开表以万元为单位）{hint}",
                {"value": text, "hint": hint},
            )
        number = measure.value
    if not number.is_finite():
        raise PydanticCustomError("amount_text", "“{value}”不是金额", {"value": value})
    if number < 0:
        raise PydanticCustomError("negative_amount", "金额为负数（{value}）", {"value": value})
    return number


def _code(kind: str) -> Any:
    catalog = function_catalog if kind == "function" else economic_catalog
    lengths = "3、5或7" if kind == "function" else "3或5"
    label = "功能分类" if kind == "function" else "经济分类"

    def check(value: Any) -> str:
        if isinstance(value, bool):
            value = str(value)
        text = str(value).strip()
        if not catalog().valid(text):
            raise PydanticCustomError(
                "bad_code",
                "“{value}”不是有效的{label}科目编码（应为{lengths}位数字）",
                {"value": text, "label": label, "lengths": lengths},
            )
        return text

    return check


def _serialise(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


#: An amount in 万元; None is an empty cell (not zero).
Amount = Annotated[Decimal | None, BeforeValidator(_amount), PlainSerializer(_serialise, when_used="json")]
#: A 功能分类 code: 3 (类), 5 (款) or 7 (项) digits.
FunctionCode = Annotated[str, BeforeValidator(_code("function"))]
#: An 经济分类 code: 3 (类) or 5 (款) digits.
EconomicCode = Annotated[str, BeforeValidator(_code("economic"))]
#: A count (个, 人次, 辆, 台): a non-negative integer or None.
Count = Annotated[int | None, Field(ge=0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- 公开01表


class SummaryTable(_Frozen):
    """收入支出决算总表 (公开01表), 万元.

    Attributes (行次 as printed):
        general_budget (1), gov_fund (2), state_capital (3): 一般公共预算 / 政府性基金预算 /
            国有资本经营预算 财政拨款收入.
        superior (4) 上级补助收入, business (5) 事业收入, operating (6) 经营收入,
        affiliated (7) 附属单位上缴收入, other_income (8) 其他收入.
        income_total (27) 本年收入合计; surplus_used (28) 使用非财政拨款结余;
        opening (29) 年初结转和结余; income_sum (31) 收入总计.
        classes (32–57): expenditure by 功能分类 类 code; a 类 not listed is an empty row.
        expense_total (58) 本年支出合计; distribution (59) 结余分配;
        closing (60) 年末结转和结余; expense_sum (62) 支出总计.
    """

    general_budget: Amount = None
    gov_fund: Amount = None
    state_capital: Amount = None
    superior: Amount = None
    business: Amount = None
    operating: Amount = None
    affiliated: Amount = None
    other_income: Amount = None
    income_total: Amount = None
    surplus_used: Amount = None
    opening: Amount = None
    income_sum: Amount = None
    classes: dict[FunctionCode, Amount] = Field(default_factory=dict)
    expense_total: Amount = None
    distribution: Amount = None
    closing: Amount = None
    expense_sum: Amount = None

    @model_validator(mode="after")
    def _classes_are_classes(self) -> SummaryTable:
        _only_classes(self.classes)
        return self


def _only_classes(codes: Any) -> None:
    for code in codes:
        if len(code) != 3:
            raise PydanticCustomError(
                "not_class", "“{code}”不是类级科目（本表按功能分类的类列示）", {"code": code}
            )


# --------------------------------------------------------------------------- coded tables


class _Coded(_Frozen):
    """Common part of a row keyed by a 功能分类 code: ``code`` and the printed ``name``."""

    code: FunctionCode
    name: str = ""


class IncomeValues(_Frozen):
    """The columns of 收入决算表 (公开02表), 万元: total 本年收入合计, fiscal 财政拨款收入,
    superior 上级补助收入, business 事业收入, operating 经营收入, affiliated 附属单位上缴收入,
    other 其他收入."""

    total: Amount = None
    fiscal: Amount = None
    superior: Amount = None
    business: Amount = None
    operating: Amount = None
    affiliated: Amount = None
    other: Amount = None


class IncomeRow(IncomeValues, _Coded):
    """A row of 收入决算表: ``code``, ``name`` and the columns of :class:`IncomeValues`."""


class ExpenseValues(_Frozen):
    """The columns of 支出决算表 (公开03表), 万元: total 本年支出合计, basic 基本支出,
    project 项目支出, remit 上缴上级支出, operating 经营支出, subsidy 对附属单位补助支出."""

    total: Amount = None
    basic: Amount = None
    project: Amount = None
    remit: Amount = None
    operating: Amount = None
    subsidy: Amount = None


class ExpenseRow(ExpenseValues, _Coded):
    """A row of 支出决算表: ``code``, ``name`` and the columns of :class:`ExpenseValues`."""


class GeneralValues(_Frozen):
    """The columns of 一般公共预算财政拨款支出决算表 (公开05表), and of 国有资本经营预算财政拨款
    支出决算表, 万元: total 本年支出小计 (合计), basic 基本支出, project 项目支出."""

    total: Amount = None
    basic: Amount = None
    project: Amount = None


class GeneralRow(GeneralValues, _Coded):
    """A row of 公开05表 (or of the 国有资本经营 table): ``code``, ``name``, total/basic/project."""


class FundValues(_Frozen):
    """The columns of 政府性基金预算财政拨款收入支出决算表, 万元: opening 年初结转和结余,
    income 本年收入, total 本年支出小计, basic 基本支出, project 项目支出, closing 年末结转和结余."""

    opening: Amount = None
    income: Amount = None
    total: Amount = None
    basic: Amount = None
    project: Amount = None
    closing: Amount = None


class FundRow(FundValues, _Coded):
    """A row of the 政府性基金 table: ``code``, ``name`` and the columns of :class:`FundValues`."""


def _unique_codes(rows: Any) -> None:
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            raise PydanticCustomError("duplicate_code", "科目编码“{code}”出现了两次", {"code": row.code})
        seen.add(row.code)


class IncomeTable(_Frozen):
    """收入决算表 (公开02表): ``total`` is the 合计 row, ``rows`` the coded rows as printed."""

    total: IncomeValues = IncomeValues()
    rows: tuple[IncomeRow, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> IncomeTable:
        _unique_codes(self.rows)
        return self


class ExpenseTable(_Frozen):
    """支出决算表 (公开03表): ``total`` is the 合计 row, ``rows`` the coded rows as printed."""

    total: ExpenseValues = ExpenseValues()
    rows: tuple[ExpenseRow, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> ExpenseTable:
        _unique_codes(self.rows)
        return self


class GeneralTable(_Frozen):
    """一般公共预算财政拨款支出决算表 (公开05表); also the shape of the 国有资本经营预算财政拨款
    支出决算表. ``total`` is the 合计 row; ``note`` the printed 说明 of an empty table."""

    total: GeneralValues = GeneralValues()
    rows: tuple[GeneralRow, ...] = ()
    note: str = ""

    @model_validator(mode="after")
    def _unique(self) -> GeneralTable:
        _unique_codes(self.rows)
        return self


class FundTable(_Frozen):
    """政府性基金预算财政拨款收入支出决算表. ``total`` is the 合计 row; ``note`` the printed
    说明 of an empty table (我部门没有政府性基金收入……故本表无数据)."""

    total: FundValues = FundValues()
    rows: tuple[FundRow, ...] = ()
    note: str = ""

    @model_validator(mode="after")
    def _unique(self) -> FundTable:
        _unique_codes(self.rows)
        return self


# --------------------------------------------------------------------------- 公开04表


class FiscalColumns(_Frozen):
    """The expenditure columns of 财政拨款收入支出决算总表, 万元: total 合计, general
    一般公共预算财政拨款, fund 政府性基金预算财政拨款, capital 国有资本经营预算财政拨款."""

    total: Amount = None
    general: Amount = None
    fund: Amount = None
    capital: Amount = None


class FiscalTable(_Frozen):
    """财政拨款收入支出决算总表 (公开04表), 万元.

    Attributes (行次 as printed):
        general_budget (1), gov_fund (2), state_capital (3): 本年财政拨款收入 by budget type.
        income_total (27) 本年收入合计.
        opening (28) 年初财政拨款结转和结余, by type opening_general (29), opening_fund (30),
            opening_capital (31).
        income_sum (32) 收入总计.
        classes (33–58): expenditure by 功能分类 类, four columns each.
        expense_total (59) 本年支出合计; closing (60) 年末财政拨款结转和结余;
        expense_sum (64) 支出总计 — four columns each.
    """

    general_budget: Amount = None
    gov_fund: Amount = None
    state_capital: Amount = None
    income_total: Amount = None
    opening: Amount = None
    opening_general: Amount = None
    opening_fund: Amount = None
    opening_capital: Amount = None
    income_sum: Amount = None
    classes: dict[FunctionCode, FiscalColumns] = Field(default_factory=dict)
    expense_total: FiscalColumns = FiscalColumns()
    closing: FiscalColumns = FiscalColumns()
    expense_sum: FiscalColumns = FiscalColumns()

    @model_validator(mode="after")
    def _classes_are_classes(self) -> FiscalTable:
        _only_classes(self.classes)
        return self


# --------------------------------------------------------------------------- 公开06表


class BasicTable(_Frozen):
    """一般公共预算财政拨款基本支出决算明细表 (公开06表), 万元.

    Attributes:
        items: 决算数 by 经济分类 code (类 and 款); a code not listed is an empty row.
        personnel_total: 人员经费合计 (类 301 and 303).
        public_total: 公用经费合计 (类 302, 307, 310, 399).
    """

    items: dict[EconomicCode, Amount] = Field(default_factory=dict)
    personnel_total: Amount = None
    public_total: Amount = None


# --------------------------------------------------------------------------- 公开09表


class ThreePublicValues(_Frozen):
    """One half of the “三公”经费 table, 万元: total 合计, abroad 因公出国（境）费, vehicle
    公务用车购置及运行维护费小计, vehicle_purchase 公务用车购置费, vehicle_running 公务用车运行
    维护费, reception 公务接待费."""

    total: Amount = None
    abroad: Amount = None
    vehicle: Amount = None
    vehicle_purchase: Amount = None
    vehicle_running: Amount = None
    reception: Amount = None


class ThreePublicTable(_Frozen):
    """一般公共预算财政拨款“三公”经费支出决算表: ``budget`` 预算数 (全年预算数, after approved
    adjustments) and ``actual`` 决算数, 万元."""

    budget: ThreePublicValues = ThreePublicValues()
    actual: ThreePublicValues = ThreePublicValues()


# --------------------------------------------------------------------------- narrative data


class Previous(_Frozen):
    """Last year's figures (万元) the 情况说明 compares with.

    Attributes:
        income_sum / expense_sum: 收入总计 / 支出总计 (公开01表).
        fiscal_income_sum / fiscal_expense_sum: 财政拨款收入总计 / 支出总计 (公开04表).
        general_expense: 一般公共预算财政拨款支出.
        closing: 年末结转和结余 (this year's 年初结转和结余 must equal it).
        office_running: 机关运行经费.
        three_public: “三公”经费决算数.
    """

    income_sum: Amount = None
    expense_sum: Amount = None
    fiscal_income_sum: Amount = None
    fiscal_expense_sum: Amount = None
    general_expense: Amount = None
    closing: Amount = None
    office_running: Amount = None
    three_public: Amount = None


class BudgetItem(_Frozen):
    """An item's 年初预算 (万元) and the reason its 决算 differs (决算数与年初预算数存在差异的
    主要原因), as the 情况说明 section 五（三） states them."""

    budget: Amount = None
    reason: str = ""


class InitialBudget(_Frozen):
    """年初预算 (万元).

    Attributes:
        general: 一般公共预算财政拨款支出年初预算 (all items).
        items: by 功能分类 项 code: the item's 年初预算 and deviation reason.
        fund / capital: 政府性基金 / 国有资本经营 预算财政拨款支出年初预算.
    """

    general: Amount = None
    items: dict[FunctionCode, BudgetItem] = Field(default_factory=dict)
    fund: Amount = None
    capital: Amount = None


class Reasons(_Frozen):
    """Reasons the 情况说明 gives for changes on last year.

    Attributes:
        change: 收、支总计 (section 一).
        fiscal_change: 财政拨款收、支总计 (section 四); empty means the same as ``change``.
        general_change: 一般公共预算财政拨款支出 (section 五（一）); empty: ``change``.
    """

    change: str = ""
    fiscal_change: str = ""
    general_change: str = ""


class ThreePublicDetail(_Frozen):
    """What section 九 says beyond the “三公” table.

    Attributes:
        reason: why 决算 differs from 预算 overall; abroad_reason / vehicle_reason /
            reception_reason: the same per kind.
        abroad_groups / abroad_persons: 因公出国（境）团组 (个) and 人次.
        vehicles_purchased: 购置车辆 (台); vehicles_held: 公务用车保有量 (辆).
        vehicle_use: what 公务用车运行维护费 was used for.
        reception_foreign / reception_domestic: 外宾接待 / 其他国内公务接待支出 (万元).
        foreign_groups / foreign_persons, domestic_groups / domestic_persons: 接待团组 (个) / 人次.
        reception_use: what 国内公务接待 was for.
    """

    reason: str = ""
    abroad_reason: str = ""
    vehicle_reason: str = ""
    reception_reason: str = ""
    abroad_groups: Count = None
    abroad_persons: Count = None
    vehicles_purchased: Count = None
    vehicles_held: Count = None
    vehicle_use: str = ""
    reception_foreign: Amount = None
    foreign_groups: Count = None
    foreign_persons: Count = None
    reception_domestic: Amount = None
    domestic_groups: Count = None
    domestic_persons: Count = None
    reception_use: str = ""


class OfficeRunning(_Frozen):
    """机关运行经费 (万元) and the reason it changed on last year."""

    amount: Amount = None
    reason: str = ""


class Procurement(_Frozen):
    """政府采购支出 (万元): total 总额, goods 货物, works 工程, services 服务, sme 授予中小企业
    合同金额, small 其中授予小微企业合同金额."""

    total: Amount = None
    goods: Amount = None
    works: Amount = None
    services: Amount = None
    sme: Amount = None
    small: Amount = None


#: The vehicle categories section 十二 lists, in its order.
VEHICLE_CATEGORIES = (
    "省级领导干部用车",
    "主要领导干部用车",
    "机要通信用车",
    "应急保障车",
    "执法执勤用车",
    "特种专业技术用车",
    "离退休干部用车",
    "其他用车",
)


class Assets(_Frozen):
    """国有资产占用 at year end: ``vehicles`` 车辆 (辆) by category (keys of
    VEHICLE_CATEGORIES); ``equipment`` 单位价值100万元（含）以上设备 (台（套））."""

    vehicles: dict[str, Count] = Field(default_factory=dict)
    equipment: Count = None

    @model_validator(mode="after")
    def _known_categories(self) -> Assets:
        for name in self.vehicles:
            if name not in VEHICLE_CATEGORIES:
                raise PydanticCustomError(
                    "bad_category",
                    "“{name}”不是车辆类别，可选：{choices}",
                    {"name": name, "choices": "、".join(VEHICLE_CATEGORIES)},
                )
        return self

    @property
    def vehicles_total(self) -> int | None:
        counts = [v for v in self.vehicles.values() if v is not None]
        return sum(counts) if counts else None


class ProjectResult(_Frozen):
    """A project's self-evaluation result as section 十三 reports it: name, score (分),
    budget 全年预算数 and actual 执行数 (万元), summary 绩效目标完成情况 (text)."""

    name: str
    score: Annotated[Decimal | None, Field(ge=0)] = None
    budget: Amount = None
    actual: Amount = None
    summary: str = ""


class Performance(_Frozen):
    """Section 十三 (预算绩效情况).

    Attributes:
        general_projects / general_funds: 一般公共预算项目 self-evaluated (个) and their funds (万元).
        fund_projects / fund_funds, capital_projects / capital_funds: the same for 政府性基金 and
            国有资本经营预算项目.
        evaluated: names of the projects under 部门评价; evaluated_general / evaluated_fund /
            evaluated_capital: the funds they involve (万元).
        units: 开展整体支出绩效评价的单位 (个); unit_general / unit_fund: their funds (万元).
        projects: each project's self-evaluation result.
    """

    general_projects: Count = None
    general_funds: Amount = None
    fund_projects: Count = None
    fund_funds: Amount = None
    capital_projects: Count = None
    capital_funds: Amount = None
    evaluated: tuple[str, ...] = ()
    evaluated_general: Amount = None
    evaluated_fund: Amount = None
    evaluated_capital: Amount = None
    units: Count = None
    unit_general: Amount = None
    unit_fund: Amount = None
    projects: tuple[ProjectResult, ...] = ()


class Narrative(_Frozen):
    """Figures and reasons the 情况说明 needs besides the nine tables."""

    previous: Previous = Previous()
    reasons: Reasons = Reasons()
    initial_budget: InitialBudget = InitialBudget()
    three_public: ThreePublicDetail = ThreePublicDetail()
    office_running: OfficeRunning = OfficeRunning()
    procurement: Procurement = Procurement()
    assets: Assets = Assets()
    performance: Performance = Performance()


# --------------------------------------------------------------------------- the whole


class Accounts(_Frozen):
    """The final accounts of one department and year.

    Attributes:
        department: 部门名称.
        year: 决算年度.
        unit: always 万元 (other units are refused when read).
        layout: the table numbering (``henan-2024`` or ``mof``, see catalogs/tables.yaml).
        summary, income, expense, fiscal, general, basic, fund, capital, three_public: the
            nine tables (收入支出决算总表 … “三公”经费支出决算表).
        narrative: what the 情况说明 needs besides the tables.
        explanations: 出错说明 — a rule id (or ``rule:row`` / ``rule:row:column``) -> the
            department's written explanation of why that rule fails.
    """

    department: str = Field(min_length=1)
    year: int = Field(ge=1949, le=2200)
    unit: Literal["万元"] = "万元"
    layout: Literal["henan-2024", "mof"] = "henan-2024"
    summary: SummaryTable = SummaryTable()
    income: IncomeTable = IncomeTable()
    expense: ExpenseTable = ExpenseTable()
    fiscal: FiscalTable = FiscalTable()
    general: GeneralTable = GeneralTable()
    basic: BasicTable = BasicTable()
    fund: FundTable = FundTable()
    capital: GeneralTable = GeneralTable()
    three_public: ThreePublicTable = ThreePublicTable()
    narrative: Narrative = Narrative()
    explanations: dict[str, str] = Field(default_factory=dict)


#: The table fields of :class:`Accounts`, in printed order (Henan 2024).
TABLE_IDS = (
    "summary",
    "income",
    "expense",
    "fiscal",
    "general",
    "basic",
    "fund",
    "capital",
    "three_public",
)
