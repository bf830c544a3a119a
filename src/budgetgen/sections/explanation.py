"""部门预算编制说明: income and expenditure with the change of 财政拨款 against last year by fund,
then one paragraph per 项 with money — its amount, what it is for, last year's execution and the
change (all computed from the two figures)."""

from __future__ import annotations

from ..document import Block, Paragraph
from ..numbering import number_label
from ..problems import InputRejected, error
from .base import Section


def items(n) -> list[dict]:
    """Each 项 with money, in code order, with its 类 and 款 and the department's notes on it."""
    s, budget = n.statement, n.analysis.budget
    nodes = {node.code: node for node in s.expense.nodes}
    found, missing = [], []
    for node in s.expense.nodes:
        if node.level != 2:
            continue
        note = budget.item_notes.get(node.code)
        if note is None or note.purpose is None:
            missing.append(node.code)
            continue
        found.append(
            {
                "code": node.code,
                "class_name": nodes[node.code[:3]].name,
                "class_code": node.code[:3],
                "section_name": nodes[node.code[:5]].name,
                "section_code": node.code[3:5],
                "name": node.name,
                "item_code": node.code[5:7],
                "amount": node.values[0],
                "purpose": note.purpose,
                "reason": note.reason or "",
                "prior": note.prior_execution,
                "change": s.changes.get(f"item.{node.code}"),
            }
        )
    if missing:
        raise InputRejected(
            [
                error(
                    "说明",
                    f"编制说明逐项列示财政拨款支出，科目 {'、'.join(missing)} 没有“科目说明”"
                    "（主要用于、上年执行数、增减原因）",
                    "在文件中写 科目说明: {科目编码: {主要用于: …, 上年执行数: …, 增减原因: …}}。",
                    ("科目说明",),
                )
            ]
        )
    return found


def blocks(n) -> list[Block]:
    found: list[Block] = [Paragraph(n.say(f"explanation.{key}")) for key in ("income", "expense", "reason")]
    found = [b for b in found if b.text]
    found.append(Paragraph(n.say("explanation.items_title")))
    style = n.setting("explanation.item_numbering")
    for index, item in enumerate(items(n), start=1):
        found.append(Paragraph(number_label(style, index) + n.say("explanation.item", item=item)))
    return found


SECTION = Section(
    "explanation", "部门预算编制说明：收支、财政拨款增减及逐项说明", blocks, ("科目说明", "上年.财政拨款")
)
