"""名词解释 as a part of its own: the set's glossary, numbered as the set says."""

from __future__ import annotations

from ..document import Block
from .base import Section


def blocks(n) -> list[Block]:
    from ..narrative import glossary

    return glossary(n)


SECTION = Section("glossary", "名词解释（模板集的名词表）", blocks)
