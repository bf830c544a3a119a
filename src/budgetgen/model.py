"""The input model: one department's budget for one year, as a finance officer types it.

Field names are Python identifiers; the YAML keys are their Chinese aliases. Only leaf amounts
are typed: every subtotal and total is computed (see ledger.py / tables.py). Amounts are Decimal
in the file's unit (万元 by default, or 元), with at most two decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .money import ZERO, decimal_places

FISCAL_FUNDS = ("一般公共预算", "政府性基金", "国有资本经营")
NON_FISCAL_FUNDS = ("财政专户", "单位资金", "事业收入", "事业单位经营收入", "上级补助", "附属单位上缴", "其他")
FUNDS = FISCAL_FUNDS + NON_FISCAL_FUNDS

Fund = Literal[
    "一般公共预算",
    "政府性基金",
    "国有资本经营",
    "财政专户",
    "单位资金",
    "事业收入",
    "事业单位经营收入",
    "上级补助",
    "附属单位上缴",
    "其他",
]
FiscalFund = Literal["一般公共预算", "政府性基金", "国有资本经营"]

# 支出总表 columns, in printed order; the short form is what the YAML uses.
KINDS = ("基本", "项目", "经营", "上解上级", "对附属单位补助")
_KIND_LONG = {"基本支出": "基本", "项目支出": "项目", "经营支出": "经营", "上解上级支出": "上解上级", "对附属单位补助支出": "对附属单位补助"}
Kind = Literal["基本", "项目", "经营", "上解上级", "对附属单位补助", "基本支出", "项目支出", "经营支出", "上解上级支出", "对附属单位补助支出"]

THREE_PUBLIC_ITEMS = (
    "教学科研人员因公出国（境）费",
    "其他因公出国（境）费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
)


def _text_of_number(value: Any) -> Any:
    """Codes may be typed as numbers (2080501) or text ("2080501")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


def _code_with_digits(*lengths: int, what: str):
    def check(value: str) -> str:
        value = value.strip()
        if not value.isdigit() or len(value) not in lengths:
            digits = "或".join(str(n) for n in lengths)
            raise PydanticCustomError(
                "budget_code",
                "{what}应为 {digits} 位数字，这里写的是「{value}」",
                {"what": what, "digits": digits, "value": value},
            )
        return value

    return check


FunctionCode = Annotated[str, BeforeValidator(_text_of_number), AfterValidator(_code_with_digits(7, what="功能分类科目编码（项级）"))]
EconomicCode = Annotated[str, BeforeValidator(_text_of_number), AfterValidator(_code_with_digits(5, what="经济分类科目编码（款级）"))]
AnyCode = Annotated[str, BeforeValidator(_text_of_number), AfterValidator(_code_with_digits(3, 5, 7, what="科目编码"))]
Text = Annotated[str, BeforeValidator(_text_of_number), Field(min_length=1)]


def _money(value: Decimal, info: ValidationInfo) -> Decimal:
    unit = (info.context or {}).get("unit", "万元")
    if decimal_places(value) > 2:
        if unit == "万元":
            raise PydanticCustomError(
                "money_decimals",
                "金额 {value} 万元超过两位小数",
                {"value": str(value)},
            )
        raise PydanticCustomError("money_decimals", "金额 {value} 元超过两位小数（分）", {"value": str(value)})
    return value


def _no_float(value: Any) -> Any:
    if isinstance(value, float):  # only reachable from Python callers; the loader never makes floats
        return Decimal(repr(value))
    if isinstance(value, bool):
        raise PydanticCustomError("money_type", "金额应为数字，这里写的是「{value}」", {"value": value})
    return value


Money = Annotated[Decimal, BeforeValidator(_no_float), AfterValidator(_money)]


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True)


class AdjustableAmount(InputModel):
    """金额不得为负数，注明“调整: true”的调整行除外。"""

    amount: Money = Field(alias="金额")
    adjustment: bool = Field(False, alias="调整", description="调减等调整行可为负数；普通行为负数时报错")

    @model_validator(mode="after")
    def _negative_needs_adjustment(self):
        if self.amount < ZERO and not self.adjustment:
            raise PydanticCustomError(
                "negative_amount",
                "金额为负数（{value}）；只有调整行才能为负数",
                {"value": str(self.amount)},
            )
        return self


class Department(InputModel):
    """部门基本信息。"""

    code: Text = Field(alias="编码", description="部门编码，如 471")
    name: Text = Field(alias="名称", description="部门全称，与公开文件一致")
    level: Literal["市", "区", "县"] = Field(alias="级次")


class LineItem(AdjustableAmount):
    """一行功能分类“项”级支出：科目 × 资金来源 × 类型 × 金额。"""

    code: FunctionCode = Field(alias="科目", description="7 位功能分类科目编码（项）")
    name: Text | None = Field(None, alias="名称", description="目录中没有的科目才需要写名称")
    fund: Fund = Field("一般公共预算", alias="资金", description="资金来源，默认一般公共预算")
    kind: Kind = Field(alias="类型", description="基本 / 项目 / 经营 / 上解上级 / 对附属单位补助")
    carried_over: bool = Field(False, alias="上年结转", description="由上年结转结余安排的支出")
    project: Text | list[Text] | None = Field(None, alias="项目", description="所属项目名称（可列多个）")

    @field_validator("kind")
    @classmethod
    def _short_kind(cls, value: str) -> str:
        return _KIND_LONG.get(value, value)

    @property
    def project_names(self) -> list[str]:
        if self.project is None:
            return []
        return [self.project] if isinstance(self.project, str) else list(self.project)


class EconomicLine(AdjustableAmount):
    """一般公共预算基本支出按经济分类“款”的一行。"""

    code: EconomicCode = Field(alias="科目", description="5 位经济分类科目编码（款）")
    name: Text | None = Field(None, alias="名称")
    category: Literal["人员经费", "公用经费"] | None = Field(
        None, alias="经费类别", description="默认：301、303 为人员经费，其余为公用经费"
    )

    @property
    def resolved_category(self) -> str:
        if self.category:
            return self.category
        return "人员经费" if self.code[:3] in ("301", "303") else "公用经费"


FundAmounts = dict[FiscalFund, Money]


def _amount_or_by_fund(value: Any) -> Any:
    """`公务接待费: 0.46` means 一般公共预算; a mapping gives amounts per fund."""
    if isinstance(value, dict) or value is None:
        return value
    return {"一般公共预算": value}


ThreePublicEntry = Annotated[FundAmounts, BeforeValidator(_amount_or_by_fund)]


class ThreePublic(InputModel):
    """财政拨款“三公”经费明细；只写数字即为一般公共预算，也可按资金来源分别填写。合计由程序计算。"""

    abroad_research: ThreePublicEntry = Field(default_factory=dict, alias="教学科研人员因公出国（境）费")
    abroad_other: ThreePublicEntry = Field(default_factory=dict, alias="其他因公出国（境）费")
    vehicle_purchase: ThreePublicEntry = Field(default_factory=dict, alias="公务用车购置费")
    vehicle_operation: ThreePublicEntry = Field(default_factory=dict, alias="公务用车运行维护费")
    reception: ThreePublicEntry = Field(default_factory=dict, alias="公务接待费")

    def by_item(self) -> dict[str, dict[str, Decimal]]:
        return dict(zip(THREE_PUBLIC_ITEMS, (self.abroad_research, self.abroad_other, self.vehicle_purchase, self.vehicle_operation, self.reception)))


class Project(InputModel):
    """项目：资金写在项目下（科目、金额），或写在“支出”中注明该项目的行。"""

    name: Text = Field(alias="名称")
    project_code: Text | None = Field(None, alias="项目编码")
    code: FunctionCode | None = Field(None, alias="科目", description="项目资金的功能分类科目；与金额一起写")
    fund: Fund = Field("一般公共预算", alias="资金")
    amount: Money | None = Field(None, alias="金额")
    carried_over: bool = Field(False, alias="上年结转")

    @model_validator(mode="after")
    def _code_and_amount_together(self):
        if (self.code is None) != (self.amount is None):
            raise PydanticCustomError(
                "project_money",
                "项目「{name}」的科目和金额要么都写，要么都不写（不写时由“支出”中注明该项目的行安排资金）",
                {"name": self.name},
            )
        if self.amount is not None and self.amount < ZERO:
            raise PydanticCustomError("negative_amount", "项目金额不能为负数（{value}）", {"value": str(self.amount)})
        return self


class Declared(InputModel):
    """从预算系统抄录的合计数（万元），只用于与计算值核对。"""

    income_total: Money | None = Field(None, alias="收入总计")
    income_this_year: Money | None = Field(None, alias="本年收入合计")
    carried_forward: Money | None = Field(None, alias="上年结转结余")
    expenditure_total: Money | None = Field(None, alias="支出总计")
    expenditure_this_year: Money | None = Field(None, alias="本年支出合计")
    basic: Money | None = Field(None, alias="基本支出")
    project: Money | None = Field(None, alias="项目支出")
    personnel: Money | None = Field(None, alias="人员经费")
    public: Money | None = Field(None, alias="公用经费")
    general_budget: Money | None = Field(None, alias="一般公共预算拨款收入")
    gov_fund: Money | None = Field(None, alias="政府性基金预算拨款收入")
    state_capital: Money | None = Field(None, alias="国有资本经营预算拨款收入")
    three_public: Money | None = Field(None, alias="三公经费")


class Budget(InputModel):
    """一个部门一个预算年度的源数据。"""

    department: Department = Field(alias="部门")
    year: int = Field(alias="预算年度", ge=2000, le=2100)
    unit: Literal["万元", "元"] = Field("万元", alias="金额单位", description="所有金额的单位；默认万元")
    template: Text = Field("base", alias="模板", description="模板集名称，如 hebei-city-2023")
    code_names: dict[AnyCode, Text] = Field(
        default_factory=dict, alias="科目名称", description="目录中没有的类/款/项科目名称"
    )
    expenditures: list[LineItem] = Field(default_factory=list, alias="支出")
    economic_lines: list[EconomicLine] = Field(default_factory=list, alias="基本支出经济分类")
    three_public: ThreePublic = Field(default_factory=ThreePublic, alias="三公经费")
    projects: list[Project] = Field(default_factory=list, alias="项目")
    year_end_balance: dict[Fund, Money] = Field(
        default_factory=dict, alias="年终结转结余", description="本年收入中留待以后年度使用的部分，按资金来源"
    )
    declared: Declared = Field(default_factory=Declared, alias="申报数")


def json_schema() -> dict:
    schema = Budget.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "budgetgen 部门预算源数据"
    return schema
