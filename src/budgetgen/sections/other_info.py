"""其他相关情况说明: numbered sub-sections (三公 with each item's change, 机关运行经费, 政府采购 by
货物/工程/服务 with the amounts reserved for 中小企业, 绩效目标, 国有资产 by vehicle use), each the
set's sentences over the statement's figures and the department's facts."""

from __future__ import annotations

from ..document import Block, Heading, Paragraph
from ..numbering import number_label
from ..problems import InputRejected, error
from .base import Section


def facts(n) -> dict:
    """The department's own facts the sentences quote; a missing one is named with its field."""
    budget = n.analysis.budget
    problems = []
    from_items = bool(n.statement.procurement.rows)  # 政府采购 by kind can be derived from the items
    for field, value in (
        ("政府采购预算", budget.procurement_summary or from_items or None),
        ("绩效目标设置", budget.performance_summary),
        ("资产占有", budget.asset_holdings),
    ):
        if value is None:
            problems.append(
                error(
                    "说明",
                    f"其他相关情况说明要印“{field}”，文件中没有这一项",
                    f"在文件中写 {field}: …（见示例 examples/putuo-sfj-2026.yaml）"
                    + ("，或在“政府采购”中逐项填写采购物品。" if field == "政府采购预算" else "。"),
                    (field,),
                )
            )
    if problems:
        raise InputRejected(problems)
    holdings = budget.asset_holdings
    s = n.statement
    return {
        "purchase": purchase(n),
        "goals": {
            **budget.performance_summary.model_dump(),
            "units": budget.performance_summary.units
            if budget.performance_summary.units is not None
            else len(budget.duties.units),
        },
        "assets": {
            "as_of": holdings.as_of,
            "vehicles": holdings.vehicles.by_use(),
            "vehicles_total": s.vehicle_count(holdings.vehicles),
            "equipment": holdings.large_equipment,
            "to_buy": holdings.vehicles_to_buy.by_use(),
            "to_buy_total": s.vehicle_count(holdings.vehicles_to_buy),
            "equipment_to_buy": holdings.large_equipment_to_buy,
        },
    }


def purchase(n) -> dict:
    """政府采购 by 货物/工程/服务 and the SME reservation: as typed, or from the procurement items
    (their 目录序号 letter gives the kind; the items do not tell the 小微 part, which is then absent)."""
    typed, s = n.analysis.budget.procurement_summary, n.statement
    if typed is not None:
        return {**typed.model_dump(), "total": s["procurement.by_kind"]}
    totals = s.procurement.totals()
    goods, works, services = totals.by_kind
    return {
        "goods": goods,
        "works": works,
        "services": services,
        "total": totals.amount,
        "sme_reserved": totals.sme,
        "small_micro_reserved": None,
    }


def blocks(n) -> list[Block]:
    values = facts(n)
    style = n.setting("other_info.numbering")
    found: list[Block] = []
    for index, part in enumerate(n.setting("other_info.parts"), start=1):
        found.append(
            Heading(
                f"{number_label(style, index)}{n.render(part.title, 'other_info.parts')}",
                3,
                f"other-{index}",
                in_contents=False,
            )
        )
        for sentence in part.sentences:
            text = n.render(sentence, "other_info.parts", **values)
            if text:
                found.append(Paragraph(text))
    return found


SECTION = Section(
    "other_info",
    "其他相关情况说明：三公、机关运行经费、政府采购、绩效目标、国有资产",
    blocks,
    ("政府采购预算", "绩效目标设置", "资产占有"),
)
