"""项目经费情况说明: one part per project the department describes — its 概述, 立项依据, 实施主体,
实施方案, 实施周期, 年度预算安排 (the project's amount from the ledger) and 绩效目标."""

from __future__ import annotations

from ..document import Block, Heading, Paragraph
from ..numbering import number_label
from .base import Section

FIELDS = ("overview", "basis", "implementer", "plan", "period", "amount", "goal")


def blocks(n) -> list[Block]:
    found: list[Block] = []
    titles = n.setting("project_notes.titles")
    style = n.setting("project_notes.numbering")
    described = [p for p in n.statement.projects.values() if p.project.description is not None]
    for index, project in enumerate(described, start=1):
        heading = n.say("project_notes.heading", project=project.name)
        found.append(Heading(heading, 2, f"project-note-{index}", new_page=index > 1, in_contents=False))
        text = project.project.description
        for number, field in enumerate(FIELDS, start=1):
            found.append(Paragraph(f"{number_label(style, number)}{titles.get(field, field)}", style="label"))
            if field == "amount":
                found.append(Paragraph(n.say("project_notes.amount", amount=project.amount), style="plain"))
            else:
                found.append(Paragraph(getattr(text, field), style="plain"))
    return found


SECTION = Section(
    "project_notes",
    "项目经费情况说明：逐个项目的概述、依据、主体、方案、周期、预算和目标",
    blocks,
    ("项目.经费情况说明",),
)
