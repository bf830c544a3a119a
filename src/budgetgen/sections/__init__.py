"""The explanatory sections, as registered units: Hebei's (职责及机构, 总体情况, 机关运行经费, 三公,
绩效, 政府采购, 国有资产, 名词解释, 其他事项) and Shanghai's (主要职能, 机构设置, 编制说明, 其他相关
情况说明, 项目经费情况说明). Each is one module with a `SECTION`: its key, what it prints, and a
function from the sentence machinery (`Narrator`: the set's sentences and the statement's
figures) to document blocks. A set lists them under narrative.sections (Hebei's explanatory part)
or places one as a part of its own with `document.parts: [{key: <section>, title: …, heading: …}]`;
their sentences live under `narrative.<key>` in theme.yaml. Adding a section is one module here
plus one line in SECTIONS below.
"""

from __future__ import annotations

from ..document import Block
from ..narrative import Analysis
from . import (
    assets,
    duties,
    explanation,
    functions,
    glossary,
    operating_costs,
    organisation,
    other,
    other_info,
    overview,
    parts,
    performance,
    performance_overall,
    procurement,
    project_notes,
    projects,
    special_funds,
    three_public,
)
from .base import Section

SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        duties.SECTION,
        overview.SECTION,
        operating_costs.SECTION,
        three_public.SECTION,
        performance.SECTION,
        performance_overall.SECTION,
        special_funds.SECTION,
        projects.SECTION,
        procurement.SECTION,
        assets.SECTION,
        glossary.SECTION,
        other.SECTION,
        functions.SECTION,
        organisation.SECTION,
        explanation.SECTION,
        other_info.SECTION,
        project_notes.SECTION,
    )
}


def narrative_blocks(analysis: Analysis) -> list[Block]:
    """Hebei's explanatory part: its heading, intro and the sections of narrative.sections."""
    return parts.narrative_blocks(analysis, SECTIONS)


def section_blocks(analysis: Analysis, part, label: str) -> list[Block]:
    """One registered section as a part of its own."""
    return parts.section_blocks(analysis, SECTIONS, part, label)


__all__ = ["SECTIONS", "Section", "narrative_blocks", "section_blocks"]


def structure_problems(theme) -> list:
    """Section keys the set names that no module registers — in document.parts, narrative.sections
    and narrative.performance.parts — located at their theme.yaml line, before anything is composed."""
    from ..problems import error
    from ..theme import did_you_mean

    found = []
    config = theme.config
    places = (
        (("document", "parts"), config.document.parts, {"tables", "narrative"}),
        (("narrative", "sections"), config.narrative.sections, set()),
        (("narrative", "performance", "parts"), config.narrative.performance.parts, set()),
    )
    for path, entries, allowed in places:
        for index, entry in enumerate(entries):
            key = entry.key
            if key in SECTIONS or key in allowed:
                continue
            known = [*allowed, *SECTIONS]
            found.append(
                error(
                    "模板",
                    f"{theme.where((*path, index, 'key'))} 的 {'.'.join(path)} 中有未知的部分「{key}」"
                    f"{did_you_mean(key, known)}",
                    f"可用：{'、'.join(known)}（见 budgetgen templates sections）。",
                )
            )
    return found
