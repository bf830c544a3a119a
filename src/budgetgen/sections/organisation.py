"""部门机构设置: the department's own text on its units, or a sentence over the unit list."""

from __future__ import annotations

from ..document import Block, Paragraph
from .base import Section


def blocks(n) -> list[Block]:
    budget = n.analysis.budget
    if budget.organisation:
        return [Paragraph(text) for text in budget.organisation]
    return [Paragraph(n.say("organisation.text"))]


SECTION = Section("organisation", "部门机构设置：说明文字，或按机构列表成句", blocks, ("机构设置", "职责与机构.机构"))
