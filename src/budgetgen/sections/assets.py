"""国有资产信息: the set's sentence and the fixed-asset table."""

from __future__ import annotations

from ..document import Block, BodyRow, Paragraph, TopLine
from ..money import format_amount
from ..narrative import Narrator
from .base import Section
from .text_tables import (
    _header_cells,
    _quantity,
    embedded_table,
    fill_page_top,
)


def assets(n: Narrator) -> list[Block]:
    settings = n.setting("assets")
    budget = n.analysis.budget
    assets_total = n.statement.figures.get("assets.total")
    rows = [
        BodyRow(
            ("资产总额", settings.total_quantity, format_amount(assets_total) if assets_total else ""),
            role="total",
        )
    ]
    for row in settings.rows:
        data = getattr(budget.assets, row.key, None)
        quantity = _quantity(data.quantity) if data is not None and data.quantity is not None else ""
        value = format_amount(data.value) if data is not None and data.value is not None else ""
        rows.append(BodyRow((row.label, quantity, value)))
    top = TopLine(fill_page_top(n, "left"), "", f"截止时间：{budget.year - 1}-12-31")
    labels = ("项目", "数量", n.say("assets.value_header"))
    table = embedded_table(
        "table-assets",
        n.say("assets.table_title"),
        rows,
        (3, 1.2, 2),
        ("left", "center", "right"),
        _header_cells(labels),
        top_line=top,
    )
    return [Paragraph(n.say("assets.text")), table]


SECTION = Section("assets", "国有资产信息及固定资产表", assets, ("国有资产",))
