"""What a section is: a key, a one-line description, the input fields it prints (so a missing one
is named), and a function from the sentence machinery to blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..document import Block
    from ..narrative import Narrator


@dataclass(frozen=True)
class Section:
    key: str
    description: str
    blocks: Callable[[Narrator], list[Block]]
    reads: tuple[str, ...] = ()  # the input fields it prints, by their Chinese names
