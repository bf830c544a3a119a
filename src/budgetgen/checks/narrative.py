"""Checks of the explanatory part: what its sentences need, consistency, and plausibility.

Plausibility checks only warn: a finance officer decides. Nothing here changes a figure. Which
inputs the set's sentences need arrives as `ctx.needs` (the inputs they quote), never by reading
the sentences themselves.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation

from ..model import INDICATOR_LEVELS
from ..money import format_text_amount
from ..problems import Problem, Severity, error, note, warning
from .registry import Context, check


# In a 元 budget last year's figures are the published 万元 ones, each rounded to the cent on its
# own: a sum of two may differ from the printed total by a cent (2356.33 + 217.83 against 2574.17).
# In a 万元 budget every figure is an exact sum, so they must add up exactly.
def _rounding(ctx: Context) -> Decimal:
    return Decimal("0.01") if ctx.budget.unit == "元" else Decimal(0)


ERROR, WARNING, NOTE = Severity.ERROR, Severity.WARNING, Severity.NOTE
PLACEHOLDER = re.compile(r"目标内容\s*\d*|指标内容\s*\d*|XXX|xxx|＊＊|\*\*\*")
MONEY_CAP = re.compile(r"^\s*(?:≤|<=|＜|<|不超过)?\s*([0-9]+(?:\.[0-9]{1,2})?)\s*万元\s*$")
YEAR = re.compile(r"(20\d\d)\s*年")

# Inputs a sentence may quote (narrative.VARIABLE_INPUTS): what is missing, and where to add it.
NEEDS = {
    "主要项目": (
        "支出说明将不列举主要项目：“说明 → 主要项目”为空",
        "在“说明”下写“主要项目: [项目名称, …]”（按列举顺序）。",
        ("说明",),
    ),
    "人员经费主要包括": (
        "机关运行经费一段需要“人员经费主要包括”的文字",
        "在“说明”下写“人员经费主要包括: ……”。",
        ("说明",),
    ),
    "公用经费主要包括": (
        "机关运行经费一段需要“公用经费主要包括”的文字",
        "在“说明”下写“公用经费主要包括: ……”。",
        ("说明",),
    ),
}


def _missing(ctx: Context, need: str) -> bool:
    narrative = ctx.budget.narrative
    if need == "主要项目":
        return bool(ctx.statement["expense.project"]) and not narrative.main_projects
    if need == "人员经费主要包括":
        return not narrative.operating_cost_personnel
    if need == "公用经费主要包括":
        return not narrative.operating_cost_public
    return False


@check(
    "比上年",
    (ERROR, WARNING),
    "上年数齐全且自洽（Δ = Δ基本 + Δ项目），有增减时写了原因",
    ("上年", "增减原因"),
    part="narrative",
)
def check_prior_year(ctx: Context) -> list[Problem]:
    prior = ctx.budget.prior_year
    problems = []
    if (
        prior.total is not None
        and prior.basic is not None
        and prior.project is not None
        and abs(prior.total - prior.basic - prior.project) > _rounding(ctx)
    ):
        problems.append(
            error(
                "比上年",
                f"上年收支总计 {format_text_amount(prior.total)} 万元不等于上年基本支出"
                f" {format_text_amount(prior.basic)} 万元与项目支出 {format_text_amount(prior.project)} 万元之和"
                f" {format_text_amount(prior.basic + prior.project)} 万元，增减额将对不上",
                "核对上年的三个数；收支总计可以不写，由基本支出加项目支出得出。",
                ("上年", "收支总计"),
            )
        )
    if (
        prior.personnel is not None
        and prior.public is not None
        and prior.basic is not None
        and abs(prior.personnel + prior.public - prior.basic) > _rounding(ctx)
    ):
        problems.append(
            error(
                "比上年",
                f"上年人员经费 {format_text_amount(prior.personnel)} 万元与公用经费 {format_text_amount(prior.public)}"
                f" 万元之和不等于上年基本支出 {format_text_amount(prior.basic)} 万元",
                "核对上年人员经费、公用经费和基本支出。",
                ("上年", "人员经费"),
            )
        )
    if not ctx.narrative:
        return problems
    reasons = ctx.budget.reasons
    changes = ctx.statement.changes
    if prior.basic is not None and prior.project is not None:
        for label, key, reason, has_split in (
            ("基本支出", "basic", reasons.basic, prior.personnel is not None and prior.public is not None),
            ("项目支出", "project", reasons.project, False),
        ):
            if key in changes and changes[key].delta and not reason and not has_split:
                problems.append(
                    warning(
                        "比上年",
                        f"{label}比上年有增减，但没有写增减原因",
                        f"在“增减原因”下填写“{label}: 主要为……”。",
                        ("增减原因",),
                    )
                )
    if prior.three_public is None and prior.three_public_total is None:
        problems.append(
            warning(
                "比上年",
                "没有上年“三公”经费，“三公”经费一节将不写与上年相比的增减",
                "在“上年”下填写“三公经费”（分项）或“三公经费合计”。",
                ("上年",),
            )
        )
    if prior.basic is None or prior.project is None:
        problems.append(
            error(
                "比上年",
                "缺少上年预算数，“比上年增减情况”无法计算",
                "在“上年”下填写“基本支出”和“项目支出”（万元，按上年预算）。",
                ("上年",),
            )
        )
    return problems


@check(
    "说明",
    (ERROR, WARNING),
    "句子需要的文字都已填写；支出说明列举的项目在项目列表中",
    ("说明", "项目"),
    part="narrative",
)
def check_narrative_inputs(ctx: Context) -> list[Problem]:
    problems = []
    for need in sorted(ctx.needs & set(NEEDS)):
        if ctx.narrative and _missing(ctx, need):
            message, hint, path = NEEDS[need]
            problems.append(warning("说明", message, hint, path))
    names = [p.name for p in ctx.budget.projects]
    for i, name in enumerate(ctx.budget.narrative.main_projects):
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
            hint = f"是否指「{close[0]}」？" if close else "主要项目必须是“项目”中已有的项目名称。"
            problems.append(
                error("说明", f"支出说明列举的项目「{name}」不在“项目”列表中", hint, ("说明", "主要项目", i))
            )
    return problems


@check(
    "采购",
    (ERROR,),
    "采购单位在机构设置中，来源项目存在，资金在本模板集的采购表中有对应的列",
    ("政府采购", "职责与机构"),
    part="narrative",
)
def check_procurement_sources(ctx: Context) -> list[Problem]:
    budget = ctx.budget
    problems = []
    units = [u.name for u in budget.duties.units]
    projects = {p.name for p in budget.projects}
    allowed = ctx.procurement_funds
    for i, unit in enumerate(budget.procurement):
        if units and unit.unit not in units:
            problems.append(
                error(
                    "采购",
                    f"采购单位「{unit.unit}」不在机构设置中",
                    f"单位名称应与“机构”中的一致：{'、'.join(units)}。",
                    ("政府采购", i, "单位"),
                )
            )
        for j, source in enumerate(unit.sources):
            path = ("政府采购", i, "来源", j)
            if source.project is not None and source.project not in projects:
                problems.append(
                    error(
                        "采购",
                        f"采购来源项目「{source.project}」不在“项目”列表中",
                        "写项目列表中的名称，或改用“名称”加“预算资金”。",
                        path + ("项目",),
                    )
                )
            for k, item in enumerate(source.items):
                if allowed and item.fund not in allowed:
                    problems.append(
                        error(
                            "采购",
                            f"采购资金「{item.fund}」在本模板集的采购表中没有对应的列",
                            f"可用：{'、'.join(sorted(allowed))}。",
                            path + ("物品", k, "资金"),
                        )
                    )
    return problems


def _purchase_items(ctx: Context):
    """(statement row, path) of every procurement item, in input order."""
    rows = iter(ctx.statement.procurement.rows)
    for i, unit in enumerate(ctx.budget.procurement):
        for j, source in enumerate(unit.sources):
            for k, _ in enumerate(source.items):
                yield next(rows), ("政府采购", i, "来源", j, "物品", k)


@check("X13", (ERROR,), "预留中小微企业份额不超过采购金额", ("政府采购",), part="narrative")
def check_procurement_share(ctx: Context) -> list[Problem]:
    problems = []
    for row, path in _purchase_items(ctx):
        share = row.item.sme_share
        if not isinstance(share, bool) and share > row.amount:
            problems.append(
                error(
                    "X13",
                    f"预留中小微企业份额 {format_text_amount(share)} 万元超过该项采购金额"
                    f" {format_text_amount(row.amount)} 万元",
                    "份额不能大于采购金额。",
                    path + ("预留中小微企业份额",),
                )
            )
    return problems


@check("E13", (WARNING,), "单价印出为 0.00 时读者无法核对金额", ("政府采购",), part="narrative")
def check_zero_printed_price(ctx: Context) -> list[Problem]:
    problems = []
    for row, path in _purchase_items(ctx):
        item = row.item
        if item.price and format_text_amount(item.price) == "0.00":
            problems.append(
                warning(
                    "E13",
                    f"「{item.name}」单价 {item.price} 万元印出为 0.00，读者无法由数量 × 单价核对金额"
                    f" {format_text_amount(row.amount)} 万元",
                    "可在物品名称或计量单位中注明实际单价（如“元/包”），或确认按预算系统原样公开。",
                    path + ("单价",),
                )
            )
    return problems


def _projects(ctx: Context):
    for i, project in enumerate(ctx.budget.projects):
        yield project, ctx.statement.projects[project.name], ("项目", i)


@check("绩效", (WARNING,), "每个项目有绩效指标，且产出、效益、满意度三个一级指标都有", ("项目",), part="narrative")
def check_indicator_levels(ctx: Context) -> list[Problem]:
    problems = []
    for project, _, path in _projects(ctx):
        levels = {ind.level1 for ind in project.indicators}
        if project.indicators:
            for missing in (lvl for lvl in INDICATOR_LEVELS if lvl not in levels):
                problems.append(
                    warning(
                        "绩效",
                        f"项目「{project.name}」的绩效目标表没有{missing}",
                        f"补充至少一行{missing}（如服务对象满意度）。",
                        path + ("绩效指标",),
                    )
                )
        # no indicators at all: P4 (a ready-to-publish check) says so once, with the goals if missing too
    return problems


@check("E16", (WARNING,), "绩效目标或指标中没有“目标内容1”之类的模板占位文字", ("项目",), part="narrative")
def check_placeholders(ctx: Context) -> list[Problem]:
    problems = []
    for project, _, path in _projects(ctx):
        texts = list(project.goals) + [f"{ind.level3} {ind.description} {ind.value}" for ind in project.indicators]
        if any(PLACEHOLDER.search(t) for t in texts):
            problems.append(
                warning(
                    "E16",
                    f"项目「{project.name}」的绩效目标或指标中有模板占位文字（如“目标内容1”）",
                    "改为该项目实际的绩效目标。",
                    path + ("绩效目标",),
                )
            )
    return problems


@check("X17", (ERROR,), "手填的资金支出计划为四个逐期不减的累计数，12月底等于项目金额", ("项目",), part="narrative")
def check_spending_plan(ctx: Context) -> list[Problem]:
    problems = []
    for project, figures, path in _projects(ctx):
        amount, plan = figures.amount, project.spending_plan
        if plan is not None and (len(plan) != 4 or plan != sorted(plan) or (amount is not None and plan[-1] != amount)):
            problems.append(
                error(
                    "X17",
                    "项目「"
                    + project.name
                    + "」的资金支出计划应为 3月底、6月底、10月底、12月底 四个累计数，逐期不减，12月底等于项目金额"
                    + (f" {format_text_amount(amount)} 万元" if amount is not None else ""),
                    "改正四个累计数，或删除“资金支出计划”按 25/50/75/100% 自动计算。",
                    path + ("资金支出计划",),
                )
            )
    return problems


@check("成本指标", (WARNING,), "成本指标写成金额上限时，与项目预算一致", ("项目",), part="narrative")
def check_cost_indicator(ctx: Context) -> list[Problem]:
    problems = []
    for project, figures, path in _projects(ctx):
        for k, ind in enumerate(project.indicators):
            cap = _money_cap(ind.value) if ind.level2 == "成本指标" else None
            if cap is not None and figures.amount is not None and cap != figures.amount:
                problems.append(
                    warning(
                        "成本指标",
                        f"项目「{project.name}」成本指标为 {ind.value}，与项目预算"
                        f" {format_text_amount(figures.amount)} 万元不一致",
                        "核对成本指标或项目金额。",
                        path + ("绩效指标", k),
                    )
                )
    return problems


def _money_cap(text: str) -> Decimal | None:
    match = MONEY_CAP.match(text or "")
    if not match:
        return None
    try:
        return Decimal(match.group(1))
    except InvalidOperation:
        return None


@check("E8", (WARNING,), "时效指标不早于预算年度", ("项目",), part="narrative")
def check_deadlines(ctx: Context) -> list[Problem]:
    problems = []
    year = ctx.budget.year
    for project, _, path in _projects(ctx):
        for k, ind in enumerate(project.indicators):
            early = [int(y) for y in YEAR.findall(ind.value) if int(y) < year] if ind.level2 == "时效指标" else []
            if early:
                problems.append(
                    warning(
                        "E8",
                        f"项目「{project.name}」时效指标“{ind.value}”早于预算年度 {year} 年",
                        "如为上年结转项目请确认；否则改为本年度的完成时限。",
                        path + ("绩效指标", k),
                    )
                )
    return problems


ASSET_ITEM_LIMIT_WAN = Decimal("200")  # an average vehicle or general item above 200 万元 is almost surely 元


@check(
    "E11",
    (WARNING,),
    "固定资产价值像是以元填写（平均每件过高，或资产总额远超本年预算）",
    ("国有资产",),
    part="narrative",
)
def check_assets_plausible(ctx: Context) -> list[Problem]:
    assets = ctx.budget.assets
    problems = []
    budget_total = ctx.statement["expense.this_year"]
    for field_name, label in (("vehicles", "车辆"), ("general_equipment", "通用设备"), ("other", "其他固定资产")):
        row = getattr(assets, field_name)
        if row is None or not row.value or not row.quantity:
            continue
        if row.value > ASSET_ITEM_LIMIT_WAN * row.quantity:
            per_item = row.value / row.quantity
            problems.append(
                warning(
                    "E11",
                    f"{label}平均每件 {format_text_amount(per_item)} 万元"
                    f"（{format_text_amount(row.value)} 万元 / {row.quantity}），"
                    "金额单位可能是元而不是万元",
                    f"如果预算系统导出的是元，请除以 10000 后填写（{format_text_amount(row.value)} 元 ="
                    f" {format_text_amount(row.value / 10000)} 万元）。",
                    ("国有资产", label, "价值"),
                )
            )
    assets_total = ctx.statement.figures.get("assets.total")
    if assets_total and budget_total and assets_total > 50 * budget_total:
        problems.append(
            warning(
                "E11",
                f"资产总额 {format_text_amount(assets_total)} 万元超过本年预算 {format_text_amount(budget_total)}"
                " 万元的 50 倍，请确认金额单位",
                "固定资产价值以万元填写。",
                ("国有资产",),
            )
        )
    return problems


@check(
    "E10",
    (WARNING,),
    "句子写“所属事业单位”，机构设置却只列了一个单位（部门可写“无所属单位: true”作答）",
    ("职责与机构",),
    part="narrative",
)
def check_subordinate_units_claim(ctx: Context) -> list[Problem]:
    duties = ctx.budget.duties
    if not ctx.narrative or "所属事业单位" not in ctx.needs:
        return []
    if duties.no_subordinate_units and len(duties.units) > 1:
        return [
            warning(
                "E10",
                f"写了“无所属单位: true”，但机构设置列了 {len(duties.units)} 个单位",
                "如这些单位是所属单位，删去“无所属单位”；否则机构设置只列本级。",
                ("职责与机构", "无所属单位"),
            )
        ]
    if len(duties.units) == 1 and not duties.no_subordinate_units:
        return [
            warning(
                "E10",
                "总体情况的句子写“机关及所属事业单位的收支”，但机构设置只列了一个单位",
                "如部门没有所属单位，在“职责与机构”下写“无所属单位: true”，句子将称“机关”；如有，"
                "在“机构”中列出所属单位。",
                ("职责与机构", "机构"),
            )
        ]
    return []


@check("E5", (WARNING,), "政府采购预算为空，而项目的绩效目标提到采购或购置", ("政府采购", "项目"), part="narrative")
def check_missing_procurement(ctx: Context) -> list[Problem]:
    if not ctx.narrative or ctx.budget.procurement:
        return []
    mentions = [
        p.name
        for p in ctx.budget.projects
        if any("采购" in t or "购置" in t for t in list(p.goals) + [i.description for i in p.indicators])
    ]
    if not mentions:
        return []
    return [
        warning(
            "E5",
            f"政府采购预算为空，但项目「{mentions[0]}」等的绩效目标提到采购或购置",
            "核对是否漏填了政府采购预算。",
            ("政府采购",),
        )
    ]


@check("E6", (NOTE,), "拟购置固定资产多于基本支出中的资本性支出", ("政府采购", "基本支出经济分类"), part="narrative")
def check_fixed_assets_vs_capital(ctx: Context) -> list[Problem]:
    statement = ctx.statement
    purchases, capital = statement["procurement.fixed_assets"], statement["operating.capital"]
    if purchases <= capital:
        return []
    return [
        note(
            "E6",
            f"拟购置固定资产 {format_text_amount(purchases)} 万元多于基本支出中的资本性支出"
            f" {format_text_amount(capital)} 万元",
            "部分设备可能在商品和服务支出或项目支出中安排；如无误可忽略。",
            ("政府采购",),
        )
    ]


@check(
    "节",
    (ERROR, WARNING),
    "单独成部分的各节要印的输入都已填写（编制说明的科目说明、其他相关情况说明的采购、绩效、资产）",
    ("科目说明", "政府采购预算", "绩效目标设置", "资产占有", "项目"),
    part="narrative",
)
def check_section_facts(ctx: Context) -> list[Problem]:
    """What a section standing as a part prints and the department has not written: an error where
    the section cannot be printed without it, a publish warning where it prints nothing instead."""
    budget, problems = ctx.budget, []
    if "explanation" in ctx.parts:
        notes = budget.item_notes
        for node in ctx.statement.expense.nodes:
            if node.level != 2:
                continue
            if node.code not in notes or notes[node.code].purpose is None:
                problems.append(
                    error(
                        "节",
                        f"部门预算编制说明逐项列示“项”级科目，科目 {node.code}（{node.name}）没有“科目说明 → 主要用于”",
                        f"在“科目说明”下写 {node.code}: {{主要用于: …, 上年执行数: …, 增减原因: …}}。",
                        ("科目说明",),
                    )
                )
            elif notes[node.code].prior_execution is None:
                problems.append(
                    warning(
                        "节",
                        f"科目 {node.code}（{node.name}）没有“上年执行数”，编制说明将不印它与上年的比较",
                        f"在“科目说明 → {node.code}”下写 上年执行数（万元）。",
                        ("科目说明", node.code),
                    )
                )
    if "other_info" in ctx.parts:
        facts = (
            ("政府采购预算", budget.procurement_summary is not None or bool(ctx.statement.procurement.rows)),
            ("绩效目标设置", budget.performance_summary is not None),
            ("资产占有", budget.asset_holdings is not None),
        )
        problems += [
            error(
                "节",
                f"其他相关情况说明要印“{name}”，文件中没有这一项",
                f"在文件中写 {name}: …（见示例 examples/putuo-sfj-2026.yaml）。",
                (name,),
            )
            for name, present in facts
            if not present
        ]
    if "organisation" in ctx.parts and not budget.organisation and not budget.duties.units:
        problems.append(
            error(
                "节",
                "部门机构设置要印机构：文件中既没有“机构设置”说明，也没有“职责与机构 → 机构”",
                "写 机构设置: [说明文字]，或在“职责与机构”下列出 机构: [{单位名称: …, 单位性质: 行政}]。",
                ("职责与机构",),
            )
        )
    if "project_notes" in ctx.parts and not any(p.description for p in budget.projects):
        problems.append(
            warning(
                "节",
                "项目经费情况说明将是空的：没有哪个项目写了“经费情况说明”",
                "在要说明的项目下写 经费情况说明: {项目概述: …, 立项依据: …, 实施主体: …, 实施方案: …,"
                " 实施周期: …, 绩效目标: …}。",
                ("项目",),
            )
        )
    return problems
