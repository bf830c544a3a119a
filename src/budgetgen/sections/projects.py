"""部门项目预算安排情况及绩效目标: one goal table and indicator table per project."""

from __future__ import annotations

from ..document import Block
from ..narrative import Narrator
from .base import Section
from .text_tables import (
    indicator_block,
    project_budget_block,
    project_goal_block,
)


def projects(n: Narrator) -> list[Block]:
    blocks: list[Block] = []
    layout = n.setting("performance.project_table")
    for index, project in enumerate(n.statement.projects.values(), start=1):
        title = n.render(
            n.setting("performance.project_title"), "performance.project_title", number=index, project=project.name
        )
        anchor = f"project-{index}"
        if layout == "with_budget":
            blocks.append(project_budget_block(n, project, title, anchor))
        else:
            blocks.append(project_goal_block(project, title, anchor))
        blocks.append(
            indicator_block(
                project.project.indicators,
                f"{anchor}-indicators",
                canonical=n.setting("performance.indicator_order") == "canonical",
            )
        )
    return blocks


SECTION = Section("projects", "项目预算安排情况及绩效目标表", projects, ("项目",))
