"""部门主要职能: the department's own paragraphs, the duties numbered as the set says."""

from __future__ import annotations

from ..document import Block, Paragraph
from ..numbering import number_label
from .base import Section


def blocks(n) -> list[Block]:
    """The department's free text (主要职能), or its 职责引言 and numbered 职责."""
    budget = n.analysis.budget
    if budget.functions_text:
        return [Paragraph(text) for text in budget.functions_text]
    duties = budget.duties
    style = n.setting("functions.numbering")
    found: list[Block] = [Paragraph(text) for text in duties.intro]
    found += [Paragraph(f"{number_label(style, i)}{text}") for i, text in enumerate(duties.duties, start=1)]
    return found


SECTION = Section("functions", "部门主要职能：自由文字，或职责引言与逐条职责", blocks, ("主要职能", "职责与机构.职责"))
