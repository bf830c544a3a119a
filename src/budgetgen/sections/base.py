"""What a section is: a key, a one-line description, the input fields it prints (so a missing one
is named), and a function from the sentence machinery to blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..document import Block


@dataclass(frozen=True)
class Section:
    key: str
    description: str
    blocks: Callable[[Any], list[Block]]  # the sentence machinery (narrative.Narrator) → blocks
    reads: tuple[str, ...] = ()  # the input fields it prints, by their Chinese names
