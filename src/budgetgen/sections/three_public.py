"""财政拨款“三公”经费预算情况 (Hebei): one sentence of the set over the 三公 figures."""

from __future__ import annotations

from ..document import Block, Paragraph
from ..narrative import Narrator
from .base import Section


def three_public(n: Narrator) -> list[Block]:
    return [Paragraph(n.say("three_public.text"))]


SECTION = Section(
    "three_public", "财政拨款“三公”经费预算情况及增减变化原因", three_public, ("上年.三公经费", "增减原因.三公经费")
)
