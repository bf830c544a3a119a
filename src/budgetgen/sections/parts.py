"""The explanatory part of Hebei's layout (its heading, intro and the numbered sections the set
lists under narrative.sections) and a single section standing as a part of its own (Shanghai's
一、部门主要职能 …), both over the registered sections."""

from __future__ import annotations

from ..document import Block, Heading, Paragraph
from ..narrative import Analysis, Narrator, sentence_environment
from ..numbering import number_label
from ..problems import InputRejected, error
from ..theme import did_you_mean
from .base import Section


def narrator(analysis: Analysis, sections: dict[str, Section]) -> Narrator:
    return Narrator(analysis, analysis.statement, sentence_environment(analysis.theme), sections)


def narrative_blocks(analysis: Analysis, sections: dict[str, Section]) -> list[Block]:
    n = narrator(analysis, sections)
    blocks: list[Block] = [Heading(n.say("part_title"), 1, "part-narrative", new_page=True)]
    title_line = n.say("title_line")
    if title_line:
        blocks.append(Paragraph(title_line, style="title-line"))
    blocks.append(Paragraph(n.say("intro")))
    style = n.setting("section_numbering")
    for index, entry in enumerate(n.setting("sections"), start=1):
        section = sections.get(entry.key)
        if section is None:
            raise InputRejected(
                [
                    error(
                        "模板",
                        f"{analysis.theme.where('narrative.sections')} 的 narrative.sections 中有未知的部分"
                        f"「{entry.key}」{did_you_mean(entry.key, list(sections))}",
                        f"可用：{'、'.join(sections)}（见 budgetgen templates sections）。",
                    )
                ]
            )
        blocks.append(Heading(f"{number_label(style, index)}{entry.title}", 2, f"section-{index}"))
        blocks += section.blocks(n)
    return blocks


def section_blocks(analysis: Analysis, sections: dict[str, Section], part, label: str) -> list[Block]:
    """A registered section standing as a part of the document: its heading as printed (the
    part's `heading`, else its numbered title), its contents entry, then its blocks."""
    section = sections.get(part.key)
    if section is None:
        raise InputRejected(
            [
                error(
                    "模板",
                    f"{analysis.theme.where('document.parts')} 的 document.parts 中有未知的部分「{part.key}」"
                    f"{did_you_mean(part.key, [*sections, 'tables', 'narrative'])}",
                    f"可用：tables、narrative、{'、'.join(sections)}（见 budgetgen templates sections）。",
                )
            ]
        )
    n = narrator(analysis, sections)
    title = f"{label}{n.render(part.title, 'document.parts')}"
    printed = n.render(part.heading, "document.parts") if part.heading else title
    heading = Heading(printed, 1, f"part-{part.key}", new_page=True, contents_text=title, visible=part.heading_visible)
    return [heading, *section.blocks(n)]
