"""部门主管专项资金预算安排情况及绩效目标."""

from __future__ import annotations

from ..document import Block, Paragraph
from ..narrative import Narrator
from .base import Section


def special_funds(n: Narrator) -> list[Block]:
    texts = n.analysis.budget.performance.special_funds
    if texts:
        return [Paragraph(t) for t in texts]
    none = n.say("performance.special_funds_none")
    return [Paragraph(none)] if none else []


SECTION = Section("special_funds", "部门主管专项资金及绩效目标", special_funds, ("绩效.专项资金",))
