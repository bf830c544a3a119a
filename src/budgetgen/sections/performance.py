"""预算绩效信息 (Hebei 2022/2023): the parts the set lists under it, each a registered section."""

from __future__ import annotations

from ..document import Block, Heading
from ..narrative import Narrator
from .base import Section


def performance(n: Narrator) -> list[Block]:
    """2022/2023 五、预算绩效信息: the parts the set lists, each with its title."""
    blocks: list[Block] = []
    for index, part in enumerate(n.setting("performance.parts"), start=1):
        blocks.append(
            Heading(n.render(part.title, "performance.parts"), 3, f"performance-part-{index}", in_contents=False)
        )
        blocks += n.sections[part.key].blocks(n)
    return blocks


SECTION = Section("performance", "预算绩效信息（下设 performance.parts 所列各节）", performance, ())
