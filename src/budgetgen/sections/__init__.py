"""Sections that stand as parts of their own (Shanghai's 一、部门主要职能 … 七、项目经费情况说明).
Each is one module with a `SECTION`: its key, what it prints, and a function from the sentence
machinery (`Narrator`: the set's sentences and the statement's figures) to document blocks. The
set places a section with `document.parts: [{key: <section>, title: …, heading: …}]`; its
sentences live under `narrative.<key>` in theme.yaml. Adding a section is one module here plus
one line in SECTIONS below.
"""

from __future__ import annotations

from . import explanation, functions, glossary, organisation, other_info, project_notes
from .base import Section

SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        functions.SECTION,
        organisation.SECTION,
        glossary.SECTION,
        explanation.SECTION,
        other_info.SECTION,
        project_notes.SECTION,
    )
}

__all__ = ["SECTIONS", "Section"]
