"""其他需要说明的事项: the department's own paragraphs, or the set's sentence that there are none."""

from __future__ import annotations

from ..document import Block, Paragraph
from ..narrative import Narrator
from .base import Section


def other(n: Narrator) -> list[Block]:
    texts = n.analysis.budget.narrative.other_matters
    return [Paragraph(t) for t in texts] if texts else [Paragraph(n.say("other_none"))]


SECTION = Section("other", "其他需要说明的事项", other, ("说明.其他需要说明的事项",))
