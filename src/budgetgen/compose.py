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
from .layout import align_continued_tables, fit_columns, keep_headings_with_tables
from .narrative import narrative_blocks
from .problems import InputRejected, error
from .tables import Column, Table, printed_cell
from .theme import Theme, set_file
from .wording import fill, wording_values


def compose(analysis: Analysis, narrative: bool = True) -> Document:
    """The whole disclosure; with narrative=False only the nine tables (for spreadsheets)."""
    theme = analysis.theme
    values = wording_values(analysis.budget)
    text = lambda key: fill(theme.require(key), values)  # noqa: E731
    meta = Meta(
        title=text("document.title"),
        author=analysis.budget.department.name,
        subject=text("document.subject"),
        keywords=(analysis.budget.department.name, f"{analysis.budget.year}年", "部门预算", "预算公开"),
        year=analysis.budget.year,
    )
    tables = [table_block(table, theme, values) for table in analysis.tables]
    # The references print no heading above the tables; the part exists for navigation only.
    tables[0] = replace(tables[0], new_page=False)
    body = [Heading(text("document.tables_part"), 1, "part-tables", new_page=True, visible=False)] + tables
    if narrative and analysis.theme.get("narrative.sections"):
        body += narrative_blocks(analysis)
    body = _return_to_portrait(keep_headings_with_tables(body))
    page, font_pt, padding = (
        theme.require("page"),
        float(theme.require("fonts.size_table_pt")),
        float(theme.get("docx.cell_padding_mm", 1.0)),
    )
    body = align_continued_tables(
        [fit_columns(b, page, font_pt, padding) if isinstance(b, TableBlock) else b for b in body]
    )
    document = Document(meta)
    document.blocks.append(CoverPage(text("document.cover_title"), text("document.cover_subtitle"), cover_image(theme)))
    document.blocks.append(Contents(text("document.contents_title"), ()))
    document.blocks.extend(body)
    entries = tuple(ContentsEntry(t, a, lvl) for t, a, lvl in document.headings())
    document.blocks[1] = Contents(text("document.contents_title"), entries)
    return document


def cover_image(theme: Theme) -> SetImage | None:
    name = theme.get("document.cover_image") or ""
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
    width = theme.get("document.cover_image_width_mm", 40)
    return SetImage(str(name), path, float(width))


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
    settings = theme.get(f"tables.{table.key}", {}) or {}
    page_top = theme.require("page_top")
    serial_label = theme.require("labels.serial")
    columns = [Column(serial_label)] + list(table.columns)
    header, depth = header_grid(columns)
    rows = tuple(
        BodyRow(
            (Cell(str(number), "number"),)
            + tuple(
                _cell(value, column, row.indent if i == 0 else 0)
                for i, (value, column) in enumerate(zip(row.cells, table.columns, strict=True))
            ),
            role=row.role,
            level=row.level,
        )
        for number, row in enumerate(table.rows, start=1)
    )
    return TableBlock(
        anchor=f"table-{_anchor(table.key)}",
        title=table.title,
        top_line=TopLine(
            fill(page_top["left"], values),
            fill(page_top.get("middle", ""), values),
            fill(page_top.get("right", ""), values),
        ),
        header=tuple(header),
        header_rows=depth,
        column_count=len(columns),
        column_numbers=(theme.require("labels.column_numbers"),) + tuple(str(i) for i in range(1, len(columns))),
        rows=rows,
        align=tuple(_align(c) for c in columns),
        widths=tuple(_width(c) for c in columns),
        note=table.note,
        orientation=settings.get("orientation", "portrait"),
    )


def _cell(value, column: Column, indent: int = 0) -> Cell:
    if isinstance(value, Decimal):
        return Cell(printed_cell(value), "amount", value)
    return Cell(printed_cell(value), column.kind if column.kind != "amount" else "text", indent=indent)


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
    if column.label in ("科目编码",) or not column.group and column.label == "序号":
        return "center"
    return "left"


def _width(column: Column) -> float:
    if column.numeric:
        return 1.25
    if column.label == "科目编码":
        return 1.2
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
