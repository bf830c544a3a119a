"""部门预算安排的总体情况 (Hebei): income, expenditure and the change against last year."""

from __future__ import annotations

from ..document import Block, Heading, Paragraph
from ..narrative import Narrator
from ..numbering import number_label
from .base import Section


def overview(n: Narrator) -> list[Block]:
    style = n.setting("overview.subsection_numbering")
    blocks: list[Block] = [Paragraph(n.say("overview.lead"))]
    for index, key in enumerate(("income", "expense", "change"), start=1):
        blocks.append(
            Heading(
                f"{number_label(style, index)}{n.say(f'overview.{key}_title')}", 3, f"overview-{key}", in_contents=False
            )
        )
        blocks.append(Paragraph(n.say(f"overview.{key}")))
    return blocks


SECTION = Section(
    "overview", "部门预算安排的总体情况：收入、支出、比上年增减", overview, ("上年", "增减原因", "说明.主要项目")
)
