"""Workbooks as plain grids: every sheet's visible cells by (row, column), merged labels spread over
their span, for .xlsx (openpyxl's streaming sheet parser) and .xls (python-calamine). The format is
told from the file's first bytes, not its name, so a .xls renamed .xlsx still opens, and a web page,
an Excel 2003 XML file, a CSV or a Word file given as a workbook is named for what it is.

Reading is bounded: cells are kept sparse (only those with a value), their number is capped, and a
merged range or a declared dimension never reaches beyond the cells that really exist — a stray
value in XFD1048576 or a merge over a million rows costs nothing. A workbook the parser cannot read
(damaged XML, entity tricks) is refused as damaged, in Chinese, never with a traceback.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..loading import read_limited
from ..problems import InputRejected, error

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # an export of nine tables is a few hundred KB
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # the XML inside; a real export unpacks to a few MB
MAX_CELLS = 100_000  # cells with a value; a department's tables hold a few thousand
MAX_ELEMENTS = 1_000_000  # cells parsed, empty (styled) ones included
MAX_MERGES = 20_000
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also an encrypted .xlsx
SAVE_AS_XLSX = "在 Excel 或 WPS 中打开它，选择“另存为”，文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的文件。"


class CellError(str):
    """An Excel error value (#REF!, #DIV/0!, …) kept apart from text typed into a cell."""


@dataclass
class Sheet:
    name: str
    rows: dict[int, dict[int, object]] = field(default_factory=dict)  # row → column → value, 1-based
    spread: set[tuple[int, int]] = field(default_factory=set)  # cells that hold a merged range's label
    uncalculated: dict[tuple[int, int], str] = field(default_factory=dict)  # formula saved without its result
    book: list[Sheet] = field(default_factory=list, repr=False)  # every visible sheet (formulas reach across)
    hidden_rows: set[int] = field(default_factory=set)
    max_row: int = 0
    max_column: int = 0

    count: int = 0  # cells with a value

    def put(self, row: int, column: int, value: object) -> None:
        cells = self.rows.setdefault(row, {})
        self.count += column not in cells
        cells[column] = value
        self.max_row = max(self.max_row, row)
        self.max_column = max(self.max_column, column)

    def row_numbers(self, start: int = 1, end: int | None = None) -> list[int]:
        """The rows that hold a value, in order (a sheet is sparse: never walk 1..max_row)."""
        return [r for r in sorted(self.rows) if r >= start and (end is None or r < end)]

    def value(self, row: int, column: int):
        return self.rows.get(row, {}).get(column)

    def text(self, row: int, column: int) -> str:
        value = self.value(row, column)
        return "" if value is None else str(value).strip()

    def row_texts(self, row: int) -> list[str]:
        """The row's texts by position, up to its own last cell."""
        cells = self.rows.get(row, {})
        return [self.text(row, c) for c in range(1, max(cells, default=0) + 1)]


def cell_name(sheet: Sheet, row: int, column: int) -> str:
    """`部门预算收入总表!F12`, as Excel and WPS name a cell."""
    return f"{sheet.name}!{column_letters(column)}{row}"


def column_letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Sheets(list):
    """The visible sheets, in order, and the names of the hidden ones (not read: a hidden sheet is
    not part of what was published — the import says so)."""

    hidden: list[str]

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.hidden = []


def read_workbook(path: Path) -> list[Sheet]:
    raw = read_limited(path, MAX_WORKBOOK_BYTES)
    name = str(path)
    if raw.startswith(ZIP_MAGIC):
        return _read_xlsx(raw, name)
    if raw.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in raw:
            raise _refused(
                f"{name} 设置了打开密码，无法读取",
                "在 Excel 或 WPS 中打开后取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码），"
                "另存后再导入。",
            )
        return _read_xls(raw, name)
    raise _refused(
        f"{name} {what_it_is(raw)}，不是 Excel 工作簿（.xlsx 或 .xls）",
        SAVE_AS_XLSX if _openable_in_excel(raw) else "请选择预算管理一体化系统导出的部门预算公开表（Excel 文件）。",
    )


def what_it_is(raw: bytes) -> str:
    """What a file that is not a workbook really is, in words finance staff know."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in raw[:65536]:
        return "是 Excel 2003 XML 表格（“XML 电子表格”格式）"
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<table" in head:
        return "是网页（HTML）格式的表格（系统导出的“Excel”常是这种文件）"
    if head.startswith(b"%pdf"):
        return "是 PDF 文件"
    if head.startswith(b"{\\rtf"):
        return "是 RTF 文档"
    if _is_text(raw):
        return "是 CSV 或文本文件" if b"," in head or b"\t" in head else "是文本文件"
    return "无法识别"


def _is_text(raw: bytes) -> bool:
    sample = raw[:4096]
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _openable_in_excel(raw: bytes) -> bool:
    return not raw[:5].lower().startswith(b"%pdf") and (b"<" in raw[:512] or _is_text(raw) or raw.startswith(b"{\\rtf"))


def _refused(message: str, hint: str) -> InputRejected:
    return InputRejected([error("工作簿", message, hint)], unreadable=True)


def _damaged(name: str, kind: str = "xlsx") -> InputRejected:
    what = "已损坏或不是完整的 .xlsx 文件" if kind == "xlsx" else "已损坏或无法识别"
    return _refused(
        f"{name} {what}，无法读取（损坏的工作簿）",
        "在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入；打不开时请重新从系统导出。",
    )


def _too_many(name: str, what: str) -> InputRejected:
    return _refused(
        f"{name} {what}，不像一个部门的预算公开表（通常只有几千个有数据的单元格）",
        "删除与公开表无关的工作表和远处的内容（Ctrl+End 可找到表中最后一个单元格），另存后再导入。",
    )


# ---------------------------------------------------------------- .xlsx


def _read_xlsx(raw: bytes, name: str) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _damaged(name) from None
    if "xl/workbook.xml" not in members and not any(m.endswith("workbook.xml") for m in members):
        kind = (
            "是 Word 文档"
            if any(m.startswith("word/") for m in members)
            else "是 PowerPoint 文稿"
            if any(m.startswith("ppt/") for m in members)
            else "是 ZIP 压缩包"
        )
        raise _refused(
            f"{name} {kind}，不是 Excel 工作簿", "请选择预算管理一体化系统导出的部门预算公开表（Excel 文件）。"
        )
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise _too_many(name, f"解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB")
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheets = Sheets(_stream_sheet(ws, name) for ws in workbook.worksheets if ws.sheet_state == "visible")
        sheets.hidden = [ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"]
    except InputRejected:
        raise
    except MemoryError:
        raise _too_many(name, "太大，读取时内存不足") from None
    except Exception:
        raise _damaged(name) from None
    _check_budget(sheets, name)
    _join(sheets)
    return sheets


def _join(sheets: list[Sheet]) -> None:
    for sheet in sheets:
        sheet.book = sheets


def _stream_sheet(ws, name: str) -> Sheet:
    """One sheet by openpyxl's own streaming parser: linear in the cells the file really holds (its
    read-only iterator pads every missing row and column up to the declared dimension instead)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            found = element.find(FORMULA_TAG)
            cell["formula"] = "" if found is None else "=" + (found.text or "")
            return cell

    sheet = Sheet(ws.title)
    workbook = ws.parent
    elements = 0
    with ws._get_source() as source:
        parser = Parser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for _, cells in parser.parse():
            elements += len(cells)
            if elements > MAX_ELEMENTS:
                raise _too_many(name, f"的工作表「{ws.title}」单元格超过 {MAX_ELEMENTS} 个")
            for cell in cells:
                _keep(sheet, cell)
            if sheet.count > MAX_CELLS:
                raise _too_many(name, f"有数据的单元格超过 {MAX_CELLS} 个")
        sheet.hidden_rows = {
            int(r) for r, attrs in parser.row_dimensions.items() if attrs.get("hidden") in ("1", "true")
        }
        merges = [m.ref for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    if len(merges) > MAX_MERGES:
        raise _too_many(name, f"的工作表「{ws.title}」合并单元格超过 {MAX_MERGES} 处")
    for ref in merges:
        _spread(sheet, *_bounds(ref))
    return sheet


def _keep(sheet: Sheet, cell: dict) -> None:
    value, row, column = cell["value"], cell["row"], cell["column"]
    if cell["data_type"] == "e" and value is not None:
        value = CellError(value)
    if value is not None and value != "":
        sheet.put(row, column, value)
    elif cell["formula"]:
        # A formula saved by a program that does not calculate has no result: never read it as blank.
        sheet.uncalculated[(row, column)] = cell["formula"]


def _bounds(ref: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return min_row, min_col, max_row or min_row, max_col or min_col


def _spread(sheet: Sheet, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """A merged range's label copied over its span — clipped to the cells that exist, so a merge
    declared over a million rows costs no more than the table it covers."""
    label = sheet.value(min_row, min_col)
    if label is None:
        return
    for r in range(min_row, min(max_row, sheet.max_row) + 1):
        for c in range(min_col, min(max_col, sheet.max_column) + 1):
            if (r, c) != (min_row, min_col):
                sheet.put(r, c, label)
                sheet.spread.add((r, c))


def _check_budget(sheets: list[Sheet], name: str) -> None:
    if sum(s.count for s in sheets) > MAX_CELLS:
        raise _too_many(name, f"有数据的单元格超过 {MAX_CELLS} 个")


# ---------------------------------------------------------------- .xls


def _read_xls(raw: bytes, name: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        visible = [m.name for m in workbook.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    except Exception:
        raise _damaged(name, "xls") from None
    sheets = Sheets()
    sheets.hidden = [m.name for m in workbook.sheets_metadata if m.visible != SheetVisibleEnum.Visible]
    for sheet_name in visible:  # hidden sheets are not part of what was published, as for .xlsx
        try:
            source = workbook.get_sheet_by_name(sheet_name)
            sheet = Sheet(sheet_name)
            if source.height * source.width > MAX_ELEMENTS:
                raise _too_many(name, f"的工作表「{sheet_name}」范围超过 {MAX_ELEMENTS} 个单元格")
            start_row, start_column = source.start or (0, 0)
            for r, row in enumerate(source.iter_rows(), start=start_row + 1):
                for c, value in enumerate(row, start=start_column + 1):
                    if value is not None and value != "":
                        sheet.put(r, c, value)
            for (top, left), (bottom, right) in source.merged_cell_ranges or []:
                _spread(sheet, top + 1, left + 1, bottom + 1, right + 1)
        except InputRejected:
            raise
        except Exception:
            raise _refused(f"{name} 的工作表「{sheet_name}」无法读取", SAVE_AS_XLSX) from None
        sheets.append(sheet)
    _check_budget(sheets, name)
    _join(sheets)
    return sheets
