"""The input model: one department's budget for one year, as a finance officer types it.

Field names are Python identifiers; the YAML keys are their Chinese aliases. Only leaf amounts
are typed: every subtotal and total is computed (see ledger.py / tables.py). Amounts are Decimal
in the file's unit (万元 by default, or 元), with at most two decimals.
"""

from __future__ import annotations

import functools
import operator
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeInt,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .money import ZERO, decimal_places
from .taxonomy import (
    FISCAL_FUNDS,
    FUNDS,
    KIND_LABELS,
    KINDS,
    NON_FISCAL_FUNDS,
    PRIOR_THREE_PUBLIC_ITEMS,
    THREE_PUBLIC_ITEMS,
)

# The literals are made from the one vocabulary (taxonomy.py); the names stay importable from here.
__all__ = ["FISCAL_FUNDS", "FUNDS", "KINDS", "NON_FISCAL_FUNDS", "THREE_PUBLIC_ITEMS"]
Fund = Literal[FUNDS]  # type: ignore[valid-type]
FiscalFund = Literal[FISCAL_FUNDS]  # type: ignore[valid-type]
PriorThreePublicItem = Literal[PRIOR_THREE_PUBLIC_ITEMS]  # type: ignore[valid-type]
_KIND_LONG = {label: kind for kind, label in KIND_LABELS.items()}
Kind = Literal[KINDS + tuple(KIND_LABELS.values())]  # type: ignore[valid-type]  # short or printed form

# A department's figures cannot reach this: China's whole national budget is about 3 × 10^9 万元.
MAX_AMOUNT_WAN = Decimal(10) ** 10
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")

# true/false only: YAML 1.2 reads `yes` as text, and a lax bool would quietly turn it into true.
Flag = Annotated[bool, Strict()]


def halfwidth(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS)


def _refuse_fullwidth(value: Any, what: str) -> None:
    if isinstance(value, str) and halfwidth(value) != value:
        raise PydanticCustomError(
            "fullwidth_digits",
            "{what}「{value}」用了全角数字，应写成半角：{fixed}",
            {"what": what, "value": value, "fixed": halfwidth(value)},
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
        _refuse_fullwidth(value, what)
        if not (value.isascii() and value.isdigit()) or len(value) not in lengths:
            digits = "或".join(str(n) for n in lengths)
            raise PydanticCustomError(
                "budget_code",
                "{what}应为 {digits} 位数字，这里写的是「{value}」",
                {"what": what, "digits": digits, "value": value},
            )
        return value

    return check


def _typed_code(*lengths: int) -> Any:
    """What an editor may accept for a code: its digits as text or as a number (JSON Schema only)."""
    digits = "|".join(rf"\d{{{n}}}" for n in lengths)
    as_text = Annotated[str, Field(pattern=rf"^\s*(?:{digits})\s*$")]
    as_numbers = [Annotated[int, Field(ge=10 ** (n - 1), le=10**n - 1)] for n in lengths]
    return functools.reduce(operator.or_, as_numbers, as_text)


def _code(*lengths: int, what: str) -> Any:
    return Annotated[
        str,
        BeforeValidator(_text_of_number, json_schema_input_type=_typed_code(*lengths)),
        AfterValidator(_code_with_digits(*lengths, what=what)),
    ]


FunctionCode = _code(7, what="功能分类科目编码（项级）")
EconomicCode = _code(5, what="经济分类科目编码（款级）")
AnyCode = _code(3, 5, 7, what="科目编码")
Text = Annotated[str, BeforeValidator(_text_of_number, json_schema_input_type=str | int), Field(min_length=1)]


def _money(value: Decimal, info: ValidationInfo) -> Decimal:
    unit = (info.context or {}).get("unit", "万元")
    if abs(value) >= MAX_AMOUNT_WAN * (10000 if unit == "元" else 1):
        raise PydanticCustomError(
            "money_range",
            "金额 {value} {unit}超出合理范围：一个部门的预算不会达到 100 万亿元",
            {"value": str(value), "unit": unit},
        )
    if decimal_places(value) > 2:
        if unit == "万元":
            raise PydanticCustomError(
                "money_decimals",
                "金额 {value} 万元超过两位小数",
                {"value": str(value)},
            )
        raise PydanticCustomError("money_decimals", "金额 {value} 元超过两位小数（分）", {"value": str(value)})
    return value


_PLAIN_DECIMAL = re.compile(r"\s*[+-]?[0-9]+(?:\.[0-9]+)?\s*")
_PLAIN_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")


def _no_float(value: Any) -> Any:
    _refuse_fullwidth(value, "金额")
    if isinstance(value, str) and not _PLAIN_DECIMAL.fullmatch(value):
        # Decimal() itself would read "1_000" as 1000 or "1e3" typed as text: refuse what is not plain digits.
        raise PydanticCustomError("decimal_parsing", "not a plain decimal")
    if isinstance(value, float):  # only reachable from Python callers; the loader never makes floats
        return Decimal(repr(value))
    if isinstance(value, bool):
        raise PydanticCustomError("money_type", "金额应为数字，这里写的是「{value}」", {"value": value})
    return value


# An amount as an editor sees it: a YAML number, or its digits quoted.
MoneyInput = float | Annotated[str, Field(pattern=r"^\s*[+-]?\d+(?:\.\d+)?\s*$")]


def _plain_integer(value: Any) -> Any:
    _refuse_fullwidth(value, "年度")
    if isinstance(value, str) and not _PLAIN_INTEGER.fullmatch(value):
        raise PydanticCustomError("int_parsing", "not a plain integer")
    return value


Money = Annotated[Decimal, BeforeValidator(_no_float, json_schema_input_type=MoneyInput), AfterValidator(_money)]


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True)


class AdjustableAmount(InputModel):
    """金额不得为负数，注明“调整: true”的调整行除外。"""

    amount: Money = Field(alias="金额")
    adjustment: Flag = Field(False, alias="调整", description="调减等调整行可为负数；普通行为负数时报错")

    @model_validator(mode="after")
    def _negative_needs_adjustment(self):
        if self.amount < ZERO and not self.adjustment:
            raise PydanticCustomError(
                "negative_amount",
                "金额为负数（{value}）；只有调整行才能为负数",
                {"value": str(self.amount), "field": "金额"},
            )
        return self


class Department(InputModel):
    """部门基本信息。"""

    code: Text = Field(alias="编码", description="部门编码，如 471")
    # The longest official names run to about 30 characters; the name heads every table page.
    name: Text = Field(alias="名称", max_length=100, description="部门全称，与公开文件一致")
    level: Literal["市", "区", "县"] = Field(alias="级次")
    short_name: Text | None = Field(
        None, alias="简称", max_length=50, description="情况说明中称呼本部门的简称，如 海港区科工局；不写时用全称"
    )
    place: Text | None = Field(
        None, alias="地区", max_length=50, description="部门所在的市、区或县，如 秦皇岛市海港区；模板集的句子可引用"
    )


class LineItem(AdjustableAmount):
    """一行功能分类“项”级支出：科目 × 资金来源 × 类型 × 金额。"""

    code: FunctionCode = Field(alias="科目", description="7 位功能分类科目编码（项）")
    name: Text | None = Field(None, alias="名称", description="目录中没有的科目才需要写名称")
    fund: Fund = Field("一般公共预算", alias="资金", description="资金来源，默认一般公共预算")
    kind: Kind = Field(alias="类型", description="基本 / 项目 / 经营 / 上解上级 / 对附属单位补助")
    carried_over: Flag = Field(False, alias="上年结转", description="由上年结转结余安排的支出")
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
    function_code: FunctionCode | None = Field(
        None,
        alias="功能科目",
        description="这笔基本支出所在的功能分类科目（项）；单位预算收支总表按类分列人员经费、公用经费时必填",
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


ThreePublicEntry = Annotated[
    FundAmounts,
    BeforeValidator(_amount_or_by_fund, json_schema_input_type=MoneyInput | dict[FiscalFund, MoneyInput]),
]


class ThreePublic(InputModel):
    """财政拨款“三公”经费明细；只写数字即为一般公共预算，也可按资金来源分别填写。合计由程序计算。"""

    abroad_research: ThreePublicEntry = Field(default_factory=dict, alias="教学科研人员因公出国（境）费")
    abroad_other: ThreePublicEntry = Field(default_factory=dict, alias="其他因公出国（境）费")
    vehicle_purchase: ThreePublicEntry = Field(default_factory=dict, alias="公务用车购置费")
    vehicle_operation: ThreePublicEntry = Field(default_factory=dict, alias="公务用车运行维护费")
    reception: ThreePublicEntry = Field(default_factory=dict, alias="公务接待费")
    unit: Literal["万元", "元"] | None = Field(
        None, alias="单位", description="本节金额的单位，与全文件不同时写（如上海“三公”经费以万元填报）"
    )

    def by_item(self) -> dict[str, dict[str, Decimal]]:
        return dict(
            zip(
                THREE_PUBLIC_ITEMS,
                (
                    self.abroad_research,
                    self.abroad_other,
                    self.vehicle_purchase,
                    self.vehicle_operation,
                    self.reception,
                ),
                strict=True,
            )
        )


INDICATOR_LEVELS = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}


def _indicator_row(value: Any) -> Any:
    """An indicator is typed as one flow list: [一级, 二级, 三级, 描述, 指标值, 依据]."""
    if isinstance(value, list):
        keys = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
        if len(value) not in (5, 6):
            raise PydanticCustomError(
                "indicator_shape",
                "绩效指标应写成 [一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值, 指标值确定依据]（6 项，"
                "依据可省略），这里有 {count} 项",
                {"count": len(value)},
            )
        return dict(zip(keys, ["" if v is None else str(v) for v in value], strict=False))
    return value


class Indicator(InputModel):
    """绩效指标：一级 → 二级 → 三级。"""

    level1: Literal["产出指标", "效益指标", "满意度指标"] = Field(alias="一级指标")
    level2: str = Field(alias="二级指标")
    level3: str = Field("", alias="三级指标")
    description: str = Field("", alias="绩效指标描述")
    value: str = Field("", alias="指标值")
    basis: str = Field("", alias="指标值确定依据")

    @model_validator(mode="after")
    def _level2_belongs_to_level1(self):
        allowed = INDICATOR_LEVELS[self.level1]
        if self.level2 not in allowed:
            raise PydanticCustomError(
                "indicator_level",
                "二级指标「{level2}」不属于一级指标「{level1}」；可选：{allowed}",
                {"level2": self.level2, "level1": self.level1, "allowed": "、".join(allowed)},
            )
        return self


Lines = Annotated[
    list[Text],
    BeforeValidator(lambda v: [v] if isinstance(v, str) else v, json_schema_input_type=Text | list[Text]),
]

# The compact row [一级, 二级, 三级, 描述, 指标值, 依据] (依据 may be left out), or the keyed form.
IndicatorRow = Annotated[list[str | float | None], Field(min_length=5, max_length=6)]


class ProjectDescription(InputModel):
    """项目经费情况说明（上海等地逐项目说明）。"""

    overview: Text = Field(alias="项目概述")
    basis: Text = Field(alias="立项依据")
    implementer: Text = Field(alias="实施主体")
    plan: Text = Field(alias="实施方案")
    period: Text = Field(alias="实施周期")
    goal: Text = Field(alias="绩效目标")


class Project(InputModel):
    """项目：资金写在项目下（科目、金额），或写在“支出”中注明该项目的行。"""

    name: Text = Field(alias="名称")
    project_code: Text | None = Field(None, alias="项目编码")
    code: FunctionCode | None = Field(None, alias="科目", description="项目资金的功能分类科目；与金额一起写")
    fund: Fund = Field("一般公共预算", alias="资金")
    amount: Money | None = Field(None, alias="金额")
    carried_over: Flag = Field(False, alias="上年结转")
    purpose: Text | None = Field(None, alias="资金用途", description="预算规模及资金用途（2025 版式）")
    goals: Lines = Field(default_factory=list, alias="绩效目标", description="绩效目标，每条一行（编号自动加）")
    description: ProjectDescription | None = Field(None, alias="经费情况说明", description="项目经费情况说明各部分")
    indicators: list[
        Annotated[Indicator, BeforeValidator(_indicator_row, json_schema_input_type=IndicatorRow | Indicator)]
    ] = Field(default_factory=list, alias="绩效指标")
    spending_plan: list[Money] | None = Field(
        None, alias="资金支出计划", description="3月底、6月底、10月底、12月底累计金额；不写时按 25/50/75/100% 计算"
    )

    @model_validator(mode="after")
    def _code_and_amount_together(self):
        if (self.code is None) != (self.amount is None):
            raise PydanticCustomError(
                "project_money",
                "项目「{name}」的科目和金额要么都写，要么都不写（不写时由“支出”中注明该项目的行安排资金）",
                {"name": self.name},
            )
        if self.amount is not None and self.amount < ZERO:
            raise PydanticCustomError(
                "negative_amount", "项目金额不能为负数（{value}）", {"value": str(self.amount), "field": "金额"}
            )
        return self


class OrgUnit(InputModel):
    """部门机构设置情况的一行。"""

    name: Text = Field(alias="单位名称")
    nature: Text = Field(alias="单位性质", description="行政 / 事业 / 参公")
    rank: Text | None = Field(
        None, alias="单位规格", description="如 正处（县）级、正科级（印机构设置情况表的版式需要）"
    )
    funding: Text | None = Field(
        None, alias="经费保障形式", description="如 财政拨款、财政性资金基本保证（印机构设置情况表的版式需要）"
    )


class Duties(InputModel):
    """一、部门职责及机构设置情况。"""

    intro: Lines = Field(default_factory=list, alias="职责引言", description="职责列表前的段落（可选）")
    duties: Lines = Field(default_factory=list, alias="职责", description="每条职责一行，编号由模板添加")
    organisation_text: Text | None = Field(None, alias="机构设置说明", description="内设机构说明（可选）")
    units: list[OrgUnit] = Field(default_factory=list, alias="机构", description="部门机构设置情况表，本级在前")
    no_subordinate_units: Flag = Field(
        False, alias="无所属单位", description="部门没有所属单位时写 true：情况说明称“机关”而不称“机关及所属事业单位”"
    )


class PriorYear(InputModel):
    """上年预算数（万元），用于“比上年增减情况”。"""

    total: Money | None = Field(None, alias="收支总计", description="可选：与 基本支出+项目支出 核对")
    basic: Money | None = Field(None, alias="基本支出")
    project: Money | None = Field(None, alias="项目支出")
    personnel: Money | None = Field(None, alias="人员经费")
    public: Money | None = Field(None, alias="公用经费")
    three_public: dict[PriorThreePublicItem, Money] | None = Field(
        None, alias="三公经费", description="上年“三公”经费分项；不分项时可只写 合计"
    )
    three_public_total: Money | None = Field(None, alias="三公经费合计")
    fiscal: dict[FiscalFund, Money] | None = Field(
        None, alias="财政拨款", description="上年财政拨款预算，按资金来源（编制说明比较财政拨款收支时用）"
    )


class Reasons(InputModel):
    """增减变化的原因（文字）。"""

    basic: Text | None = Field(None, alias="基本支出", description="如：主要为增加人员经费支出")
    project: Text | None = Field(None, alias="项目支出")
    three_public: Text | None = Field(None, alias="三公经费")
    fiscal: Text | None = Field(None, alias="财政拨款", description="财政拨款收支增减的主要原因")
    three_public_items: dict[
        Literal["因公出国（境）费", "公务用车购置及运维费", "公务用车购置费", "公务用车运行维护费", "公务接待费"], Text
    ] = Field(default_factory=dict, alias="三公经费分项")


class GoalItem(InputModel):
    """分项绩效目标的一项。"""

    title: Text = Field(alias="标题")
    goal: Text | None = Field(None, alias="绩效目标")
    measure: Text | None = Field(None, alias="绩效指标")
    lines: Lines = Field(default_factory=list, alias="条目", description="不分“绩效目标/绩效指标”时的各条")


class Safeguard(InputModel):
    """工作保障措施的一项：标题与内容。"""

    title: Text = Field(alias="标题")
    text: Lines = Field(default_factory=list, alias="内容")


class Performance(InputModel):
    """部门整体绩效目标。"""

    overall: Lines = Field(default_factory=list, alias="总体绩效目标")
    items: list[GoalItem] = Field(default_factory=list, alias="分项绩效目标")
    safeguards: list[Safeguard] = Field(default_factory=list, alias="工作保障措施")
    special_funds: Lines = Field(
        default_factory=list, alias="专项资金", description="有专项资金时的说明；不写时印“无专项资金”"
    )


class PurchaseItem(InputModel):
    """一项政府采购物品或服务。合计 = 数量 × 单价（单价按原值保存，不四舍五入）。"""

    name: Text = Field(alias="名称")
    catalogue: Text = Field(alias="目录序号", description="政府采购目录序号，如 A02020100")
    unit: Text = Field(alias="计量单位")
    quantity: Decimal = Field(alias="数量", gt=0)
    price: Decimal = Field(alias="单价", ge=0, description="万元，可多于两位小数（如 0.0036）")
    fund: Literal[
        "一般公共预算",
        "政府性基金",
        "国有资本经营",
        "财政专户",
        "单位资金",
        "财政拨款结转",
        "非财政拨款结转结余",
        "上年结转结余",
    ] = Field("一般公共预算", alias="资金")
    sme_share: Flag | Money = Field(False, alias="预留中小微企业份额", description="true 表示全部预留，或写预留金额")
    fixed_asset: Flag = Field(
        False, alias="固定资产", description="购置的是固定资产时写 true（计入拟购置固定资产总额）"
    )
    purchased_service: Flag = Field(
        False, alias="政府购买服务", description="属于政府购买服务的事项写 true（列入政府购买服务预算表）"
    )

    @property
    def procurement_kind(self) -> str:
        """货物 / 工程 / 服务, from the 政府采购目录 code's letter (A / B / C)."""
        return {"A": "货物", "B": "工程", "C": "服务"}.get(self.catalogue.strip()[:1].upper(), "货物")


class PurchaseSource(InputModel):
    """政府采购项目来源：项目列表中的项目，或写明预算资金的其他来源（如日常公用经费）。"""

    project: Text | None = Field(None, alias="项目", description="“项目”中的项目名称，预算资金自动取项目金额")
    name: Text | None = Field(None, alias="名称", description="不在项目列表中的来源名称")
    budget: Money | None = Field(None, alias="预算资金", description="来源不是项目时的预算资金")
    items: list[PurchaseItem] = Field(alias="物品", min_length=1)

    @model_validator(mode="after")
    def _project_or_named_budget(self):
        if (self.project is None) == (self.name is None):
            raise PydanticCustomError(
                "purchase_source", "采购来源写“项目”（项目名称）或“名称”加“预算资金”，二者选一", {}
            )
        if self.name is not None and self.budget is None:
            raise PydanticCustomError(
                "purchase_source", "采购来源「{name}」不是项目，需要写“预算资金”", {"name": self.name}
            )
        return self


class PurchaseUnit(InputModel):
    unit: Text = Field(alias="单位", description="机构设置中的单位名称")
    sources: list[PurchaseSource] = Field(alias="来源", min_length=1)


class AssetRow(InputModel):
    quantity: Decimal | None = Field(None, alias="数量", ge=0)
    value: Money | None = Field(None, alias="价值")


class Assets(InputModel):
    """部门固定资产占用情况（上年末）。资产总额由各项相加。"""

    buildings: AssetRow | None = Field(None, alias="房屋")
    offices: AssetRow | None = Field(None, alias="办公用房")
    vehicles: AssetRow | None = Field(None, alias="车辆")
    large_equipment: AssetRow | None = Field(None, alias="单价在20万元以上的设备")
    general_equipment: AssetRow | None = Field(None, alias="通用设备")
    other: AssetRow | None = Field(None, alias="其他固定资产")


class Narrative(InputModel):
    """情况说明中需要文字的部分；其中的金额全部由表格计算。"""

    main_projects: list[Text] = Field(
        default_factory=list, alias="主要项目", description="支出说明中列举的项目（项目名称，按列举顺序）"
    )
    operating_cost_personnel: Text | None = Field(None, alias="人员经费主要包括")
    operating_cost_public: Text | None = Field(None, alias="公用经费主要包括")
    other_matters: Lines = Field(
        default_factory=list, alias="其他需要说明的事项", description="不写时印“我部门无其他需要说明的事项。”"
    )


class Declared(InputModel):
    """从预算系统抄录的合计数，只用于与计算值核对。默认以万元填写；“单位: 元”时按元精确核对。"""

    unit: Literal["万元", "元"] = Field("万元", alias="单位", description="申报数的单位；从以元导出的工作簿导入时为元")
    code_totals: dict[AnyCode, Money] = Field(
        default_factory=dict,
        alias="科目合计",
        description="类、款级科目的合计（功能分类按支出总表，经济分类按基本支出表）",
    )
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


class ItemNote(InputModel):
    """编制说明中一个“项”级科目的说明（上海等地逐项列示财政拨款支出）。"""

    purpose: Text | None = Field(None, alias="主要用于", description="如：行政单位的基本支出。")
    prior_execution: Money | None = Field(None, alias="上年执行数", description="上年当年预算执行数（万元，同“上年”）")
    reason: Text | None = Field(None, alias="增减原因", description="如：部分人员退休。")


class VehicleCounts(InputModel):
    """车辆按用途八类的数量（辆）；合计由程序计算。"""

    ministerial: NonNegativeInt = Field(0, alias="部级领导干部用车")
    principal: NonNegativeInt = Field(0, alias="主要领导干部用车")
    confidential: NonNegativeInt = Field(0, alias="机要通信用车")
    emergency: NonNegativeInt = Field(0, alias="应急保障用车")
    enforcement: NonNegativeInt = Field(0, alias="执法执勤用车")
    special: NonNegativeInt = Field(0, alias="特种专业技术用车")
    retired: NonNegativeInt = Field(0, alias="离退休干部用车")
    other: NonNegativeInt = Field(0, alias="其他用车")

    def by_use(self) -> dict[str, int]:
        return {VEHICLE_USES[name]: value for name, value in self if name in VEHICLE_USES}


VEHICLE_USES = {
    "ministerial": "部级领导干部用车",
    "principal": "主要领导干部用车",
    "confidential": "机要通信用车",
    "emergency": "应急保障用车",
    "enforcement": "执法执勤用车",
    "special": "特种专业技术用车",
    "retired": "离退休干部用车",
    "other": "其他用车",
}


class AssetHoldings(InputModel):
    """国有资产占有使用情况（车辆按用途、单价100万元以上设备），及本年拟购置。"""

    as_of: Text = Field(alias="截至", description="如：2025年8月31日")
    vehicles: VehicleCounts = Field(default_factory=VehicleCounts, alias="车辆")
    large_equipment: NonNegativeInt = Field(0, alias="单价100万元以上设备", description="台（套），不含车辆")
    vehicles_to_buy: VehicleCounts = Field(default_factory=VehicleCounts, alias="拟购置车辆")
    large_equipment_to_buy: NonNegativeInt = Field(0, alias="拟购置单价100万元以上设备")


class ProcurementSummary(InputModel):
    """政府采购预算按货物、工程、服务的金额及预留中小企业份额（万元，与公开文件所印一致）。"""

    goods: Money = Field(0, alias="货物")
    works: Money = Field(0, alias="工程")
    services: Money = Field(0, alias="服务")
    sme_reserved: Money = Field(0, alias="面向中小企业预留")
    small_micro_reserved: Money = Field(0, alias="预留给小型和微型企业")


class PerformanceSummary(InputModel):
    """绩效目标设置情况：编报绩效目标的预算单位数、项目数及其项目预算资金（万元）。"""

    units: NonNegativeInt | None = Field(None, alias="预算单位数", description="不写时为“职责与机构 → 机构”的单位数")
    projects: NonNegativeInt = Field(alias="项目数")
    amount: Money = Field(alias="项目预算资金")


class ReviewItem(InputModel):
    """一处待复核的内容（开始下一年度时标出的年份、日期和上年数字）；核对或修改后删去这一条。"""

    place: Text = Field(alias="位置", description="字段路径，如 项目[1].绩效指标[2]")
    reason: Text = Field(alias="原因")
    text: Text | None = Field(None, alias="内容", description="标出时的文字")


class Budget(InputModel):
    """一个部门一个预算年度的源数据。"""

    department: Department = Field(alias="部门")
    year: Annotated[int, BeforeValidator(_plain_integer)] = Field(alias="预算年度", ge=2000, le=2100)
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
    duties: Duties = Field(default_factory=Duties, alias="职责与机构")
    prior_year: PriorYear = Field(default_factory=PriorYear, alias="上年")
    reasons: Reasons = Field(default_factory=Reasons, alias="增减原因")
    performance: Performance = Field(default_factory=Performance, alias="绩效")
    procurement: list[PurchaseUnit] = Field(default_factory=list, alias="政府采购")
    assets: Assets = Field(default_factory=Assets, alias="国有资产")
    narrative: Narrative = Field(default_factory=Narrative, alias="说明")
    item_notes: dict[FunctionCode, ItemNote] = Field(
        default_factory=dict,
        alias="科目说明",
        description="编制说明逐项列示的“项”级科目：主要用于、上年执行数、增减原因",
    )
    functions_text: Lines = Field(
        default_factory=list, alias="主要职能", description="部门主要职能，每段一行（上海等地版式）"
    )
    organisation: Lines = Field(default_factory=list, alias="机构设置", description="机构设置说明，每段一行")
    procurement_summary: ProcurementSummary | None = Field(None, alias="政府采购预算")
    performance_summary: PerformanceSummary | None = Field(None, alias="绩效目标设置")
    asset_holdings: AssetHoldings | None = Field(None, alias="资产占有")
    review: list[ReviewItem] = Field(
        default_factory=list, alias="待复核", description="开始下一年度时标出、发布前要核对的内容；核对后删去"
    )


def json_schema() -> dict:
    schema = Budget.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "budgetgen 部门预算源数据"
    return schema
