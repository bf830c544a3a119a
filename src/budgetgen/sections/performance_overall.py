"""部门整体绩效目标: （一）总体绩效目标 （二）分项绩效目标 （三）工作保障措施."""

from __future__ import annotations

from ..document import Block, Heading, Paragraph
from ..narrative import Narrator
from ..numbering import number_label
from .base import Section


def performance_overall(n: Narrator) -> list[Block]:
    """（一）总体绩效目标 （二）分项绩效目标 （三）工作保障措施."""
    perf = n.analysis.budget.performance
    style = n.setting("performance.subsection_numbering")
    titles = [
        n.say("performance.overall_title"),
        n.say("performance.items_title"),
        n.say("performance.safeguards_title"),
    ]
    parts = [
        ("performance-overall", titles[0], [Paragraph(text) for text in perf.overall]),
        ("performance-items", titles[1], goal_items(n)),
        ("performance-safeguards", titles[2], safeguards(n)),
    ]
    blocks: list[Block] = []
    number = 0
    for anchor, title, content in parts:
        if not content:
            continue  # a heading over nothing is not printed; the numbering closes up
        number += 1
        blocks.append(Heading(f"{number_label(style, number)}{title}", 3, anchor, in_contents=False))
        blocks += content
    return blocks


def goal_items(n: Narrator) -> list[Block]:
    perf = n.analysis.budget.performance
    item_style = n.setting("performance.item_numbering")
    line_style = n.setting("performance.item_line_numbering")
    bold_labels = n.setting("performance.labels_bold")
    blocks: list[Block] = []
    for index, item in enumerate(perf.items, start=1):
        blocks.append(Paragraph(f"{number_label(item_style, index)}{item.title}", style="label"))
        if item.goal:
            blocks.append(_labelled(n.say("performance.goal_label"), item.goal, bold_labels))
        if item.measure:
            blocks.append(_labelled(n.say("performance.measure_label"), item.measure, bold_labels))
        blocks += [Paragraph(f"{number_label(line_style, i)}{line}") for i, line in enumerate(item.lines, start=1)]
    return blocks


def _labelled(label: str, text: str, bold: bool) -> Paragraph:
    return Paragraph(text, lead=label) if bold else Paragraph(label + text)


def safeguards(n: Narrator) -> list[Block]:
    perf = n.analysis.budget.performance
    style = n.setting("performance.safeguard_style")
    numbering = n.setting("performance.safeguard_numbering")
    separator = n.setting("performance.safeguard_separator")
    blocks: list[Block] = []
    for index, item in enumerate(perf.safeguards, start=1):
        head = f"{number_label(numbering, index)}{item.title}"
        if style == "heading":
            blocks.append(Paragraph(head, style="label"))
            blocks += [Paragraph(text) for text in item.text]
        else:
            first, *rest = item.text or [""]
            blocks.append(Paragraph(f"{head}{separator}{first}"))
            blocks += [Paragraph(text) for text in rest]
    return blocks


SECTION = Section("performance_overall", "部门整体绩效目标", performance_overall, ("绩效",))
