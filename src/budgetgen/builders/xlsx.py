"""Document → XLSX with openpyxl: the nine standard tables, one sheet each, as printed.

Title, the page-top line, header rows merged as in the PDF, the 栏次 row and 序号; amounts are
numbers (the statement figures the cells carry) formatted 0.00, never text, and blank for zero;
total rows bold; column widths from content; A4 print setup with the orientation of the PDF and
the header rows repeated on every printed page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..document import Contents, CoverPage, Document, Heading, Paragraph, TableBlock
from ..theme import Theme
from .package import save_workbook

if TYPE_CHECKING:
    from . import BuildOptions

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
AMOUNT_FORMAT = "0.00"
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: "_" for c in "[]:*?/\\"})


def standard_tables(document: Document) -> list[TableBlock]:
    """The set's tables (the tables part), not the tables inside the explanatory sections."""
    found = []
    for block in document.blocks:
        if isinstance(block, TableBlock):
            if block.part_table:
                found.append(block)
        elif not isinstance(block, (CoverPage, Contents, Heading, Paragraph)):
            raise TypeError(f"the XLSX builder has no layout for {type(block).__name__}")
    return found


def build_xlsx(document: Document, theme: Theme, options: BuildOptions) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for block in standard_tables(document):
        write_sheet(workbook.create_sheet(sheet_name(block.title)), block, theme)
    workbook.properties.creator = document.meta.author
    workbook.properties.title = document.meta.title
    return save_workbook(workbook, document.meta.year)


def sheet_name(title: str) -> str:
    return title.translate(FORBIDDEN_IN_SHEET_NAMES)[:31]


def write_sheet(sheet: Any, block: TableBlock, theme: Theme) -> None:  # an openpyxl Worksheet
    columns = block.column_count
    font_size = theme.config.fonts.size_table_pt + 1
    body_font, bold_font = Font(name="宋体", size=font_size), Font(name="宋体", size=font_size, bold=True)
    widths = [0] * columns

    def put(
        row: int,
        column: int,
        text: str,
        *,
        bold: bool = False,
        align: str = "center",
        value: Decimal | int | None = None,
        number_format: str = AMOUNT_FORMAT,
        boxed: bool = True,
        note_width: bool = True,
        indent: int = 0,
    ) -> Any:
        cell = sheet.cell(row=row, column=column + 1)
        cell.value = value if value is not None else (text or None)
        if value is not None:
            cell.number_format = number_format
        cell.font = bold_font if bold else body_font
        # Excel's indent unit is about one full-width character's width at this size
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=align == "left", indent=indent)
        if boxed:
            cell.border = BOX
        if note_width:
            widths[column] = max(widths[column], _display_width(text) + 2 * indent)
        return cell

    sheet.cell(row=1, column=1, value=block.title).font = Font(name="黑体", size=font_size + 5, bold=True)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.row_dimensions[1].height = 28
    row = 2
    if block.top_line is not None:
        middle = max(1, columns // 2)
        put(row, 0, block.top_line.left, align="left", boxed=False, note_width=False)
        if middle > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=middle)
        if block.top_line.middle:
            put(row, middle, block.top_line.middle, align="left", boxed=False, note_width=False)
            if columns - 2 > middle:
                sheet.merge_cells(start_row=row, start_column=middle + 1, end_row=row, end_column=columns - 1)
        put(row, columns - 1, block.top_line.right, align="right", boxed=False, note_width=False)
        row += 1
    header_top = row
    for cell in block.header:
        put(header_top + cell.row, cell.column, cell.text, bold=True, note_width=cell.colspan == 1)
        for r in range(cell.rowspan):
            for c in range(cell.colspan):
                sheet.cell(row=header_top + cell.row + r, column=cell.column + c + 1).border = BOX
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=header_top + cell.row,
                start_column=cell.column + 1,
                end_row=header_top + cell.row + cell.rowspan - 1,
                end_column=cell.column + cell.colspan,
            )
    row = header_top + block.header_rows
    if block.column_numbers:
        for column, label in enumerate(block.column_numbers):
            put(row, column, label, bold=True)
        row += 1
    last_header = row - 1
    for body in block.rows:
        bold = body.role == "total"
        for column, item in enumerate(body.cells):
            # a printed amount (zero included where the table prints one) is a number; a blank stays blank
            value = item.value if item.kind == "amount" and item.value is not None and item.text else None
            written = put(
                row,
                column,
                item.text,
                bold=bold,
                align=block.align[column],
                value=value,
                indent=item.indent,
                number_format=block.amount_format,
            )
            if item.kind == "number" and item.text.isdigit():
                written.value = int(item.text)
        row += 1
    for note in ([block.note] if block.note else []) + list(block.notes_after):
        sheet.cell(row=row, column=1, value=note).font = body_font
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        row += 1
    for column, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(column + 1)].width = max(6, min(60, width + 2))
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if block.orientation == "landscape" else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"2:{last_header}"
    sheet.freeze_panes = sheet.cell(row=last_header + 1, column=1)


def _display_width(text: str) -> int:
    return max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in str(text or "").split("\n")), default=0)
