"""部门职责及机构设置情况 (Hebei): the duties, numbered, and the table of units."""

from __future__ import annotations

from ..document import Block, BodyRow, Paragraph
from ..narrative import Narrator
from ..numbering import number_label
from .base import Section
from .text_tables import (
    _header_cells,
    embedded_table,
)


def duties(n: Narrator) -> list[Block]:
    budget = n.analysis.budget
    part = budget.duties
    blocks: list[Block] = [Paragraph(n.say("duties.duties_label"), style="label")]
    blocks += [
        Paragraph(text, style="plain" if i == 0 and len(part.intro) > 1 else "body")
        for i, text in enumerate(part.intro)
    ]
    style = n.setting("duties.duties_numbering")
    blocks += [Paragraph(f"{number_label(style, i)}{text}") for i, text in enumerate(part.duties, start=1)]
    blocks.append(Paragraph(n.say("duties.units_label"), style="label"))
    if part.organisation_text:
        blocks.append(Paragraph(part.organisation_text))
    rows = [BodyRow((u.name, u.nature, u.rank or "", u.funding or "")) for u in part.units]
    labels = ("单位名称", "单位性质", "单位规格", "经费保障形式")
    blocks.append(
        embedded_table(
            "table-units",
            n.say("duties.units_table_title"),
            rows,
            (3, 1.2, 1.6, 2),
            ("left", "center", "center", "center"),
            _header_cells(labels),
        )
    )
    return blocks


SECTION = Section("duties", "部门职责及机构设置情况：职责及机构表", duties, ("职责与机构",))
