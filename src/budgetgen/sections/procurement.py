"""政府采购预算情况: the set's sentence and the procurement table by unit, source and item."""

from __future__ import annotations

from ..document import Block, BodyRow, HeaderCell, Paragraph, TableBlock, TopLine
from ..money import format_amount, format_text_amount
from ..narrative import Narrator
from .base import Section
from .text_tables import (
    _quantity,
    embedded_table,
    fill_page_top,
)


def procurement(n: Narrator) -> list[Block]:
    """The set's sentence and the table; with no procurement, the set's “none” sentence, and the
    empty table only where the set prints one (never “见下表” above nothing)."""
    blocks: list[Block] = []
    empty = not n.statement.procurement.rows
    text = n.say("procurement.none" if empty and n.setting("procurement.none") else "procurement.text")
    if text:
        blocks.append(Paragraph(text))
    if not empty or n.setting("procurement.empty_table"):
        blocks.append(procurement_table(n))
    return blocks


def procurement_table(n: Narrator) -> TableBlock:
    settings = n.setting("procurement")
    fund_columns = settings.fund_columns
    share_header = n.render(settings.share_header, "procurement.share_header")
    header = [
        HeaderCell("政府采购项目来源", 0, 0, 1, 2),
        HeaderCell("项目名称", 1, 0),
        HeaderCell("预算资金", 1, 1),
        HeaderCell("采购物品名称", 0, 2, 2),
        HeaderCell("政府采购目录序号", 0, 3, 2),
        HeaderCell("计量单位", 0, 4, 2),
        HeaderCell("数量", 0, 5, 2),
        HeaderCell("单价", 0, 6, 2),
        HeaderCell("政府采购金额（当年部门预算安排资金）", 0, 7, 1, 1 + len(fund_columns)),
        HeaderCell("合计", 1, 7),
        *[HeaderCell(c.label, 1, 8 + i) for i, c in enumerate(fund_columns)],
        HeaderCell(share_header, 0, 8 + len(fund_columns), 2),
    ]
    procurement = n.statement.procurement

    def money_row(label: str, unit: str | None, role: str) -> BodyRow:
        amounts = [procurement.amount(unit, c.funds) for c in fund_columns]
        return BodyRow(
            (
                label,
                "",
                "",
                "",
                "",
                "",
                "",
                format_amount(procurement.amount(unit)),
                *map(format_amount, amounts),
                format_amount(procurement.share(unit)),
            ),
            role=role,
        )

    body: list[BodyRow] = []
    purchases = procurement.rows
    if purchases:
        body.append(money_row("合计", None, "total"))
        for unit in procurement.units:
            body.append(money_row(f"{unit}小计", unit, "section"))
            for r in (r for r in purchases if r.unit == unit):
                amounts = [format_amount(r.amount) if r.item.fund in c.funds else "" for c in fund_columns]
                body.append(
                    BodyRow(
                        (
                            r.source,
                            format_amount(r.source_budget),
                            r.item.name,
                            r.item.catalogue,
                            r.item.unit,
                            _quantity(r.item.quantity),
                            format_text_amount(
                                r.item.price
                            ),  # a nonzero price is never blank, even when it prints 0.00 (E13)
                            format_amount(r.amount),
                            *amounts,
                            format_amount(r.sme_amount),
                        )
                    )
                )
    top = TopLine(fill_page_top(n, "left"), "", "单位：万元")
    notes = [settings.footnote] + ([] if purchases else [settings.empty_note])
    # text columns get the room; a fund column no purchase uses is kept narrow
    used = [any(r.item.fund in c.funds for r in procurement.rows) for c in fund_columns]
    widths = (3.0, 1.1, 2.2, 1.5, 0.9, 0.8, 0.9, 1.1) + tuple(1.1 if u else 0.35 for u in used) + (1.2,)
    align = ("left", "right", "left", "center", "center", "right", "right") + ("right",) * (2 + len(fund_columns))
    return embedded_table(
        "table-procurement",
        n.say("procurement.table_title"),
        body,
        widths,
        align,
        header,
        header_rows=2,
        top_line=top,
        new_page=True,
        orientation="landscape",
        notes_after=tuple(notes),
    )


SECTION = Section("procurement", "政府采购预算情况及政府采购表", procurement, ("政府采购",))
