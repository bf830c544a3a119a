"""The format-neutral document: what a disclosure contains, with every figure already printed.

Composed once from the statement and the set's wording (compose.py); the builders only lay it out.
Nothing here or downstream adds numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

Orientation = Literal["portrait", "landscape"]
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    subject: str
    language: str = "zh-CN"
    keywords: tuple[str, ...] = ()
    year: int = 2000  # fixes the documents' own dates, so identical input gives identical bytes


@dataclass(frozen=True)
class SetImage:
    """A picture of the template set (e.g. an emblem): its name in the set and its checked path."""

    name: str
    path: Path
    width_mm: float


@dataclass(frozen=True)
class CoverPage:
    title: str
    subtitle: str = ""
    image: SetImage | None = None


@dataclass(frozen=True)
class ContentsEntry:
    text: str
    anchor: str
    level: int  # 1 = part, 2 = table or section


@dataclass(frozen=True)
class Contents:
    title: str
    entries: tuple[ContentsEntry, ...]
    page_numbers: bool = True  # Shanghai's contents list the parts without page numbers


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 = part (第一部分…), 2 = table / section title, 3 = sub-section
    anchor: str
    new_page: bool = False
    orientation: Orientation = "portrait"
    in_contents: bool = True
    visible: bool = True  # False: a bookmark and contents entry only, nothing printed
    contents_text: str = ""  # the contents entry when it differs from the printed heading


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "center", "note", "right", "label", "plain", "title-line"] = "body"
    bold: bool = False
    lead: str = ""  # printed bold before the text, e.g. a glossary term


@dataclass(frozen=True)
class HeaderCell:
    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Merge:
    """A body cell spanning rows and/or columns; the cells it covers are not printed."""

    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1
    align: str | None = None  # overrides the column's alignment, e.g. for a long text cell
    flows: bool = False  # too tall to keep on one page: its rows flow on, the PDF splits it where pages break


CellKind = Literal["amount", "code", "number", "text"]


@dataclass(frozen=True)
class Cell:
    """A table cell as printed, with its kind and (for amounts) the statement figure it shows, so a
    spreadsheet builder can write a number rather than text."""

    text: str
    kind: CellKind = "text"
    value: Decimal | None = None
    indent: int = 0  # characters of indentation before the text (a set's 其中 rows)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class BodyRow:
    cells: tuple[Cell, ...]  # plain strings given here become text cells
    role: str = "item"  # total | class | section | item
    level: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", tuple(c if isinstance(c, Cell) else Cell(str(c)) for c in self.cells))


@dataclass(frozen=True)
class TopLine:
    """The line above every page of a table: `{code} {部门}` | `预算年度：{Y}` | `单位：万元`."""

    left: str
    middle: str = ""
    right: str = ""


@dataclass(frozen=True)
class TableBlock:
    anchor: str
    title: str
    top_line: TopLine | None
    header: tuple[HeaderCell, ...]
    header_rows: int
    column_count: int
    column_numbers: tuple[str, ...] | None  # the 栏次 row, or None
    rows: tuple[BodyRow, ...]
    align: tuple[Align, ...]
    widths: tuple[float, ...]  # relative column widths
    note: str | None = None
    notes_after: tuple[str, ...] = ()
    orientation: Orientation = "portrait"
    new_page: bool = True
    title_level: int = 2
    in_contents: bool = True
    merges: tuple[Merge, ...] = ()
    continues: bool = False  # sits directly under the previous table, as its lower part
    keep_together: bool = False  # small: printed whole on one page with its title (and its lower part)
    part_table: bool = False  # one of the set's tables (the tables part), not a table inside a section
    amount_format: str = "0.00"  # Excel's number format for its amounts: as the table prints them
    contents_text: str = ""  # the contents entry when it differs from the printed title (1. 表名)

    def covered(self) -> set[tuple[int, int]]:
        """Body cells hidden under a merge (the merge's own top-left cell excluded)."""
        cells = set()
        for merge in self.merges:
            for r in range(merge.row, merge.row + merge.rowspan):
                for c in range(merge.column, merge.column + merge.colspan):
                    if (r, c) != (merge.row, merge.column):
                        cells.add((r, c))
        return cells

    def merge_at(self, row: int, column: int) -> Merge | None:
        return next((m for m in self.merges if m.row == row and m.column == column), None)

    def kept_whole(self, group: range) -> bool:
        """Whether a page break must not fall inside these rows (a merge short enough to move
        whole onto the next page)."""
        merge = next((m for m in self.merges if m.row == group.start and m.rowspan > 1), None)
        return len(group) > 1 and not (merge is not None and merge.flows)

    def row_groups(self) -> list[range]:
        """Body rows in groups a page break should not split: the rows a vertical merge spans
        together, every other row on its own."""
        groups, row = [], 0
        while row < len(self.rows):
            end = max([m.row + m.rowspan for m in self.merges if m.row == row and m.rowspan > 1], default=row + 1)
            groups.append(range(row, end))
            row = end
        return groups


Block = CoverPage | Contents | Heading | Paragraph | TableBlock


@dataclass
class Document:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)

    def headings(self) -> list[tuple[str, str, int]]:
        """(text, anchor, level) of everything a reader navigates to, in order."""
        found = []
        for block in self.blocks:
            if isinstance(block, Heading) and block.in_contents:
                found.append((block.contents_text or block.text, block.anchor, block.level))
            elif isinstance(block, TableBlock) and block.in_contents and block.title:
                found.append((block.contents_text or block.title, block.anchor, block.title_level))
        return found
