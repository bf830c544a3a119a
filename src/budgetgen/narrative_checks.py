"""Checks of the explanatory part: consistency of what the narrative needs, and plausibility.

Plausibility checks only warn: a finance officer decides. Nothing here changes a figure.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation

from .checks import Context
from .model import INDICATOR_LEVELS
from .money import ZERO, format_text_amount, round_half_up
from .problems import Problem, error, note, warning

PLACEHOLDER = re.compile(r"目标内容\s*\d*|指标内容\s*\d*|XXX|xxx|＊＊|\*\*\*")
MONEY_CAP = re.compile(r"^\s*(?:≤|<=|＜|<|不超过)?\s*([0-9]+(?:\.[0-9]+)?)\s*万元\s*$")
YEAR = re.compile(r"(20\d\d)\s*年")


def _has_narrative(ctx: Context) -> bool:
    return bool(ctx.theme is not None and ctx.theme.get("narrative.sections"))


def check_prior_year(ctx: Context) -> list[Problem]:
    """比上年增减: Δ = Δ基本 + Δ项目 must hold; the narrative needs last year's figures."""
    prior = ctx.budget.prior_year
    problems = []
    if prior.total is not None and prior.basic is not None and prior.project is not None and prior.total != prior.basic + prior.project:
        problems.append(
            error(
                "比上年",
                f"上年收支总计 {prior.total} 万元不等于上年基本支出 {prior.basic} 万元与项目支出 {prior.project} 万元之和 {prior.basic + prior.project} 万元，增减额将对不上",
                "核对上年的三个数；收支总计可以不写，由基本支出加项目支出得出。",
                ("上年", "收支总计"),
            )
        )
    if prior.personnel is not None and prior.public is not None and prior.basic is not None and prior.personnel + prior.public != prior.basic:
        problems.append(
            error(
                "比上年",
                f"上年人员经费 {prior.personnel} 万元与公用经费 {prior.public} 万元之和不等于上年基本支出 {prior.basic} 万元",
                "核对上年人员经费、公用经费和基本支出。",
                ("上年", "人员经费"),
            )
        )
    reasons = ctx.budget.reasons
    if _has_narrative(ctx) and prior.basic is not None and prior.project is not None:
        for label, previous, current, reason, has_split in (
            ("基本支出", prior.basic, ctx.figures.basic, reasons.basic, prior.personnel is not None and prior.public is not None),
            ("项目支出", prior.project, ctx.figures.project, reasons.project, False),
        ):
            if previous != current and not reason and not has_split:
                problems.append(
                    warning("比上年", f"{label}比上年有增减，但没有写增减原因", f"在“增减原因”下填写“{label}: 主要为……”。", ("增减原因",))
                )
    if _has_narrative(ctx) and prior.three_public is None and prior.three_public_total is None:
        problems.append(
            warning(
                "比上年",
                "没有上年“三公”经费，“三公”经费一节将不写与上年相比的增减",
                "在“上年”下填写“三公经费”（分项）或“三公经费合计”。",
                ("上年",),
            )
        )
    if _has_narrative(ctx) and (prior.basic is None or prior.project is None):
        problems.append(
            error(
                "比上年",
                "缺少上年预算数，“比上年增减情况”无法计算",
                "在“上年”下填写“基本支出”和“项目支出”（万元，按上年预算）。",
                ("上年",),
            )
        )
    return problems


def check_main_projects(ctx: Context) -> list[Problem]:
    names = [p.name for p in ctx.budget.projects]
    problems = []
    expense_sentence = str(ctx.theme.get("narrative.overview.expense", "")) if ctx.theme else ""
    if "main_projects" in expense_sentence and ctx.figures.project and not ctx.budget.narrative.main_projects:
        problems.append(
            warning("说明", "支出说明将不列举主要项目：“说明 → 主要项目”为空", "在“说明”下写“主要项目: [项目名称, …]”（按列举顺序）。", ("说明",))
        )
    operating_sentence = str(ctx.theme.get("narrative.operating_costs.text", "")) if ctx.theme else ""
    for key, alias in (("personnel_text", "人员经费主要包括"), ("public_text", "公用经费主要包括")):
        if key in operating_sentence and not getattr(ctx.budget.narrative, "operating_cost_" + key.split("_")[0]):
            problems.append(warning("说明", f"机关运行经费一段需要“{alias}”的文字", f"在“说明”下写“{alias}: ……”。", ("说明",)))
    for i, name in enumerate(ctx.budget.narrative.main_projects):
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
            hint = f"是否指「{close[0]}」？" if close else "主要项目必须是“项目”中已有的项目名称。"
            problems.append(error("说明", f"支出说明列举的项目「{name}」不在“项目”列表中", hint, ("说明", "主要项目", i)))
    return problems


def check_procurement(ctx: Context) -> list[Problem]:
    budget = ctx.budget
    problems = []
    units = [u.name for u in budget.duties.units]
    projects = {p.name for p in budget.projects}
    columns = ctx.theme.get("narrative.procurement.fund_columns", []) if ctx.theme else []
    allowed_funds = {f for column in columns for f in column.get("funds", [])}
    for i, unit in enumerate(budget.procurement):
        if units and unit.unit not in units:
            problems.append(error("采购", f"采购单位「{unit.unit}」不在机构设置中", f"单位名称应与“机构”中的一致：{'、'.join(units)}。", ("政府采购", i, "单位")))
        for j, source in enumerate(unit.sources):
            path = ("政府采购", i, "来源", j)
            if source.project is not None and source.project not in projects:
                problems.append(error("采购", f"采购来源项目「{source.project}」不在“项目”列表中", "写项目列表中的名称，或改用“名称”加“预算资金”。", path + ("项目",)))
            for k, item in enumerate(source.items):
                item_path = path + ("物品", k)
                amount = round_half_up(item.quantity * item.price)
                if allowed_funds and item.fund not in allowed_funds:
                    problems.append(error("采购", f"采购资金「{item.fund}」在本模板集的采购表中没有对应的列", f"可用：{'、'.join(sorted(allowed_funds))}。", item_path + ("资金",)))
                share = item.sme_share
                if not isinstance(share, bool) and share > amount:
                    problems.append(error("X13", f"预留中小微企业份额 {share} 万元超过该项采购金额 {format_text_amount(amount)} 万元", "份额不能大于采购金额。", item_path + ("预留中小微企业份额",)))
                if item.price and round_half_up(item.price) == ZERO:
                    problems.append(
                        warning(
                            "E13",
                            f"「{item.name}」单价 {item.price} 万元印出为 0.00，读者无法由数量 × 单价核对金额 {format_text_amount(amount)} 万元",
                            "可在物品名称或计量单位中注明实际单价（如“元/包”），或确认按预算系统原样公开。",
                            item_path + ("单价",),
                        )
                    )
    return problems


def check_performance_tables(ctx: Context) -> list[Problem]:
    problems = []
    year = ctx.budget.year
    figures = ctx.figures
    for i, project in enumerate(ctx.budget.projects):
        path = ("项目", i)
        levels = {ind.level1 for ind in project.indicators}
        if project.indicators:
            for missing in (lvl for lvl in INDICATOR_LEVELS if lvl not in levels):
                problems.append(warning("绩效", f"项目「{project.name}」的绩效目标表没有{missing}", f"补充至少一行{missing}（如服务对象满意度）。", path + ("绩效指标",)))
        elif _has_narrative(ctx):
            problems.append(warning("绩效", f"项目「{project.name}」没有绩效指标，绩效目标表将只有表头", "补充“绩效指标”。", path))
        texts = list(project.goals) + [f"{ind.level3} {ind.description} {ind.value}" for ind in project.indicators]
        if any(PLACEHOLDER.search(t) for t in texts):
            problems.append(warning("E16", f"项目「{project.name}」的绩效目标或指标中有模板占位文字（如“目标内容1”）", "改为该项目实际的绩效目标。", path + ("绩效目标",)))
        amount = next((p.amount for p in figures.projects if p.name == project.name), None)
        plan = project.spending_plan
        if plan is not None and (len(plan) != 4 or plan != sorted(plan) or (amount is not None and plan[-1] != amount)):
            problems.append(
                error(
                    "X17",
                    f"项目「{project.name}」的资金支出计划应为 3月底、6月底、10月底、12月底 四个累计数，逐期不减，12月底等于项目金额"
                    + (f" {format_text_amount(amount)} 万元" if amount is not None else ""),
                    "改正四个累计数，或删除“资金支出计划”按 25/50/75/100% 自动计算。",
                    path + ("资金支出计划",),
                )
            )
        for k, ind in enumerate(project.indicators):
            ind_path = path + ("绩效指标", k)
            if ind.level2 == "成本指标" and amount is not None:
                cap = _money_cap(ind.value)
                if cap is not None and cap != amount:
                    problems.append(
                        warning("X16", f"项目「{project.name}」成本指标为 {ind.value}，与项目预算 {format_text_amount(amount)} 万元不一致", "核对成本指标或项目金额。", ind_path)
                    )
            if ind.level2 == "时效指标":
                early = [int(y) for y in YEAR.findall(ind.value) if int(y) < year]
                if early:
                    problems.append(
                        warning("E8", f"项目「{project.name}」时效指标“{ind.value}”早于预算年度 {year} 年", "如为上年结转项目请确认；否则改为本年度的完成时限。", ind_path)
                    )
    return problems


def _money_cap(text: str) -> Decimal | None:
    match = MONEY_CAP.match(text or "")
    if not match:
        return None
    try:
        return round_half_up(Decimal(match.group(1)))
    except InvalidOperation:
        return None


def check_assets_plausible(ctx: Context) -> list[Problem]:
    """E11: values that look like 元 typed as 万元."""
    assets = ctx.budget.assets
    problems = []
    budget_total = ctx.ledger.printed(ctx.ledger.sum_lines())
    for field_name, label, limit in (("vehicles", "车辆", Decimal("200")), ("general_equipment", "通用设备", Decimal("200")), ("other", "其他固定资产", Decimal("200"))):
        row = getattr(assets, field_name)
        if row is None or not row.value or not row.quantity:
            continue
        per_item = row.value / row.quantity
        if per_item > limit:
            problems.append(
                warning(
                    "E11",
                    f"{label}平均每件 {format_text_amount(per_item)} 万元（{row.value} 万元 / {row.quantity}），金额单位可能是元而不是万元",
                    f"如果预算系统导出的是元，请除以 10000 后填写（{row.value} 元 = {format_text_amount(row.value / 10000)} 万元）。",
                    ("国有资产", label, "价值"),
                )
            )
    values = [r.value for r in (assets.buildings, assets.vehicles, assets.large_equipment, assets.general_equipment, assets.other) if r and r.value]
    if values and budget_total and sum(values, ZERO) > 50 * budget_total:
        problems.append(
            warning(
                "E11",
                f"资产总额 {format_text_amount(sum(values, ZERO))} 万元超过本年预算 {format_text_amount(budget_total)} 万元的 50 倍，请确认金额单位",
                "固定资产价值以万元填写。",
                ("国有资产",),
            )
        )
    return problems


def check_narrative_claims(ctx: Context) -> list[Problem]:
    problems = []
    if not _has_narrative(ctx):
        return problems
    lead = str(ctx.theme.get("narrative.overview.lead", ""))
    if "所属事业单位" in lead and len(ctx.budget.duties.units) == 1:
        problems.append(
            warning(
                "E10",
                "总体情况的句子写“机关及所属事业单位的收支”，但机构设置只列了一个单位",
                "如部门没有所属单位，可在城市模板集中改写 narrative.overview.lead。",
                ("职责与机构", "机构"),
            )
        )
    if not ctx.budget.procurement:
        mentions = [p.name for p in ctx.budget.projects if any("采购" in t or "购置" in t for t in list(p.goals) + [i.description for i in p.indicators])]
        if mentions:
            problems.append(
                warning(
                    "E5",
                    f"政府采购预算为空，但项目「{mentions[0]}」等的绩效目标提到采购或购置",
                    "核对是否漏填了政府采购预算。",
                    ("政府采购",),
                )
            )
    figures = ctx.figures
    if figures.fixed_asset_purchases > figures.capital:
        problems.append(
            note(
                "E6",
                f"拟购置固定资产 {format_text_amount(figures.fixed_asset_purchases)} 万元多于基本支出中的资本性支出 {format_text_amount(figures.capital)} 万元",
                "部分设备可能在商品和服务支出或项目支出中安排；如无误可忽略。",
                ("政府采购",),
            )
        )
    return problems


NARRATIVE_CHECKS = (check_prior_year, check_main_projects, check_procurement, check_performance_tables, check_assets_plausible, check_narrative_claims)
