"""部门主要职能: the department's own paragraphs, the duties numbered as the set says."""

from __future__ import annotations

from ..document import Block, Paragraph
from ..numbering import number_label
from .base import Section


def blocks(n) -> list[Block]:
    duties = n.analysis.budget.duties
    style = n.setting("functions.numbering", "paren_chinese")
    found: list[Block] = [Paragraph(text) for text in duties.intro]
    found += [Paragraph(f"{number_label(style, i)}{text}") for i, text in enumerate(duties.duties, start=1)]
    return found


SECTION = Section("functions", "部门主要职能：职责引言与逐条职责", blocks, ("职责与机构.职责",))
