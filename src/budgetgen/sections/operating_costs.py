"""机关运行经费安排情况: one sentence of the set over the 公用经费 figures."""

from __future__ import annotations

from ..document import Block, Paragraph
from ..narrative import Narrator
from .base import Section


def operating_costs(n: Narrator) -> list[Block]:
    return [Paragraph(n.say("operating_costs.text"))]


SECTION = Section("operating_costs", "机关运行经费安排情况", operating_costs, ())
