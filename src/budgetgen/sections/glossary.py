"""名词解释: the set's glossary (with `glossary_changes` applied), numbered as the set says; a part
of its own in Shanghai's layout, a section of the explanatory part in Hebei's."""

from __future__ import annotations

from typing import Any

from ..document import Block, Paragraph
from ..numbering import number_label
from ..theme import Theme
from .base import Section


def glossary(n: Any) -> list[Block]:
    style = n.setting("glossary_numbering")
    bold = n.setting("glossary_bold_terms")
    blocks: list[Block] = []
    for index, (term, definition) in enumerate(glossary_entries(n.theme), start=1):
        text = n.render(definition, "glossary")
        lead = f"{number_label(style, index)}{term}："
        blocks.append(Paragraph(text, lead=lead) if bold else Paragraph(lead + text))
    return blocks


def glossary_entries(theme: Theme) -> list[tuple[str, str]]:
    """The set's glossary with `glossary_changes` applied: a city rewrites, adds (at the end) or,
    with an empty definition, removes single terms without restating the whole list."""
    entries = dict(theme.config.narrative.glossary)
    for term, definition in theme.config.narrative.glossary_changes.items():
        if definition in (None, ""):
            entries.pop(str(term), None)
        else:
            entries[str(term)] = str(definition)
    return list(entries.items())


SECTION = Section("glossary", "名词解释（模板集的名词表）", glossary)
