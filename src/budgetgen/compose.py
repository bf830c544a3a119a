"""Compose the format-neutral document from an analysis: cover, contents, the nine tables.

Wording comes from the template set (theme.yaml); figures come from the computed tables, already
printed as strings. Renderers receive only this document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from .analysis import Analysis
from .document import (
    BodyRow,
    Cell,
    Contents,
    ContentsEntry,
    CoverPage,
    Document,
    HeaderCell,
    Heading,
    Meta,
    SetImage,
    TableBlock,
    TopLine,
)
from .layout import (
    CellRoom,
    align_continued_tables,
    fit_columns,
    keep_headings_with_tables,
    keep_small_tables_together,
    mark_flowing_merges,
    room_for,
)
from .numbering import number_label
from .problems import InputRejected, error
from .sections import narrative_blocks, section_blocks
from .settings import Part
from .tables import Column, Table
from .theme import Theme, set_file
from .wording import NARRATIVE_PART, TABLES_PART, document_parts, fill, wording_values


def compose(analysis: Analysis, cells: CellRoom, narrative: bool = True) -> Document:
    """The whole disclosure, its parts in the set's order, its tables fitted to the room the PDF
    engine (`cells`, its declaration) and the DOCX put beside a cell's text; with narrative=False
    only the tables (for spreadsheets)."""
    theme = analysis.theme
    values = wording_values(analysis.budget)
    settings = theme.config.document
    text = lambda value: fill(value, values)  # noqa: E731
    meta = Meta(
        title=text(settings.title),
        author=analysis.budget.department.name,
        subject=text(settings.subject),
        keywords=(analysis.budget.department.name, f"{analysis.budget.year}年", "部门预算", "预算公开"),
        year=analysis.budget.year,
    )
    layout = document_parts(theme)
    body: list = []
    for number, part in enumerate(layout.parts, start=1):
        label = "" if layout.part_numbering == "none" else number_label(layout.part_numbering, number)
        if part.key == TABLES_PART:
            body += tables_part(analysis, part, label, layout.table_numbering, values)
        elif narrative and part.key == NARRATIVE_PART:
            if theme.config.narrative.sections:
                body += narrative_blocks(analysis)
        elif narrative:
            body += section_part(analysis, part, label, number)
    body = _return_to_portrait(keep_headings_with_tables(body))
    page, font_pt = theme.config.page, theme.config.fonts.size_table_pt
    room = room_for(cells, theme.config.docx.cell_padding_mm)
    body = align_continued_tables(
        [fit_columns(b, page, font_pt, room) if isinstance(b, TableBlock) else b for b in body]
    )
    body = mark_flowing_merges(keep_small_tables_together(body, font_pt, room), font_pt, room)
    document = Document(meta)
    document.blocks.append(CoverPage(text(settings.cover_title), text(settings.cover_subtitle), cover_image(theme)))
    page_numbers = settings.contents_page_numbers
    document.blocks.append(Contents(text(settings.contents_title), (), page_numbers))
    document.blocks.extend(body)
    entries = tuple(ContentsEntry(t, a, lvl) for t, a, lvl in document.headings())
    document.blocks[1] = Contents(text(settings.contents_title), entries, page_numbers)
    return document


def tables_part(analysis: Analysis, part: Part, label: str, table_numbering: str, values: Mapping[str, object]) -> list:
    """The tables part: its heading (a bookmark only where the references print none), then each
    table; the contents may number the tables (1. 2. …) without the printed titles carrying it."""
    title = fill(part.title or analysis.theme.config.document.tables_part, values)
    heading = Heading(f"{label}{title}", 1, "part-tables", new_page=True, visible=part.heading_visible)
    blocks = [table_block(table, analysis.theme, values) for table in analysis.tables]
    if blocks and not part.heading_visible:
        blocks[0] = replace(blocks[0], new_page=False)
    if table_numbering != "none":
        blocks = [
            replace(b, contents_text=f"{number_label(table_numbering, i)}{b.title}")
            for i, b in enumerate(blocks, start=1)
        ]
    return [heading, *blocks]


def section_part(analysis: Analysis, part: Part, label: str, number: int) -> list:
    """One section standing as a part of its own (Shanghai's 一、部门主要职能 …): its heading as
    printed and its contents entry as the set words them, then the section's blocks."""
    return section_blocks(analysis, part, label)


def cover_image(theme: Theme) -> SetImage | None:
    name = theme.config.document.cover_image
    if not name:
        return None
    path = set_file(theme, str(name))
    if path is None:
        raise InputRejected(
            [
                error(
                    "模板",
                    f"{theme.where('document.cover_image')} 的封面图片「{name}」不在模板集文件夹中",
                    "把图片放进模板集文件夹，并写它的文件名（如 logo.png）。",
                )
            ]
        )
    return SetImage(name, path, theme.config.document.cover_image_width_mm)


def _return_to_portrait(blocks: list) -> list:
    """What follows a landscape table starts a new portrait page (PDF named pages, DOCX sections)."""
    result = []
    for block in blocks:
        previous = result[-1] if result else None
        if (
            isinstance(previous, TableBlock)
            and previous.orientation == "landscape"
            and getattr(block, "orientation", "portrait") == "portrait"
            and hasattr(block, "new_page")
        ):
            block = replace(block, new_page=True)
        result.append(block)
    return result


def table_block(table: Table, theme: Theme, values: Mapping[str, object]) -> TableBlock:
    """A table as printed: the set's 序号 column and 栏次 row where its options keep them, its top
    line with the unit line derived from the table's printed unit, every amount printed once."""
    options = table.options
    assert options is not None
    page_top = theme.config.page_top
    line_values = {**values, "unit_line": table.unit_line(), "unit": table.numbers.unit}
    serial = [Column(theme.config.labels.serial)] if options.serial else []
    columns = serial + list(table.columns)
    header, depth = header_grid(columns)
    rows = tuple(
        BodyRow(
            ((Cell(str(number), "number"),) if serial else ())
            + tuple(
                _cell(table, i, value, column, row.indent if i == 0 else 0)
                for i, (value, column) in enumerate(zip(row.cells, table.columns, strict=True))
            ),
            role=row.role,
            level=row.level,
        )
        for number, row in enumerate(table.rows, start=1)
    )
    column_numbers = None
    if options.column_numbers:
        column_numbers = (theme.config.labels.column_numbers,) + tuple(str(i) for i in range(1, len(columns)))
    return TableBlock(
        anchor=f"table-{_anchor(table.key)}",
        title=table.title,
        top_line=TopLine(
            fill(page_top.left, line_values),
            fill(page_top.middle, line_values),
            fill(page_top.right, line_values),
        ),
        header=tuple(header),
        header_rows=depth,
        column_count=len(columns),
        column_numbers=column_numbers,
        rows=rows,
        align=tuple(_align(c) for c in columns),
        widths=tuple(_width(c) for c in columns),
        note=table.note,
        orientation=options.orientation,
        part_table=True,
        amount_format=excel_format(table),
    )


def excel_format(table: Table) -> str:
    """The table's printed style as an Excel number format: decimals, separators, and the zero
    section where the table prints its zeros (0.00 or 0)."""
    style = table.numbers
    number = ("#,##0" if style.thousands else "0") + ("." + "0" * style.decimals if style.decimals else "")
    if not style.zero:
        return number  # a zero prints blank: its cell is left empty
    return f'{number};-{number};"{style.zero.replace(chr(34), "")}"'


def _cell(table: Table, index: int, value, column: Column, indent: int = 0) -> Cell:
    if isinstance(value, Decimal):
        return Cell(table.printed(value, index), "amount", table.printed_value(value))
    return Cell(table.printed(value, index), column.kind if column.kind != "amount" else "text", indent=indent)


def header_grid(columns: list[Column]) -> tuple[list[HeaderCell], int]:
    """Header cells with spans: a group label spans its columns; a short path spans down."""
    paths = [c.group + (c.label,) for c in columns]
    depth = max(len(p) for p in paths)
    cells: list[HeaderCell] = []
    for row in range(depth):
        column = 0
        while column < len(paths):
            path = paths[column]
            if row >= len(path):
                column += 1
                continue
            rowspan = depth - row if row == len(path) - 1 else 1
            span = 1
            while (
                column + span < len(paths)
                and len(paths[column + span]) > row
                and paths[column + span][: row + 1] == path[: row + 1]
                and row < len(path) - 1
            ):
                span += 1
            cells.append(HeaderCell(path[row], row, column, rowspan, span))
            column += span
    return cells, depth


def _align(column: Column) -> str:
    if column.numeric:
        return "right"
    if column.kind == "code" or not column.group and column.label == "序号":
        return "center"
    return "left"


def _width(column: Column) -> float:
    if column.numeric:
        return 1.25
    if column.kind == "code":
        return 1.2 if column.label == "科目编码" else 0.6
    if column.label in ("序号",):
        return 0.7
    return 3.0


def _anchor(key: str) -> str:
    return {
        "收支总表": "t1",
        "收入总表": "t2",
        "支出总表": "t3",
        "财政拨款收支总表": "t4",
        "一般公共预算财政拨款支出表": "t5",
        "一般公共预算财政拨款基本支出表": "t6",
        "政府性基金预算财政拨款支出表": "t7",
        "国有资本经营预算财政拨款支出表": "t8",
        "三公经费支出表": "t9",
    }.get(key, key)
