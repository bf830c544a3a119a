"""Workbooks as plain grids: every sheet's visible cells by (row, column), merged labels spread over
their span, for .xlsx (openpyxl) and .xls (python-calamine). The format is told from the file's
first bytes, not its name, so a .xls renamed .xlsx still opens; encrypted, corrupt, oversized and
non-workbook files are refused with a Chinese message.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..loading import read_limited
from ..problems import InputRejected, error

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # an export of nine tables is a few hundred KB
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also an encrypted .xlsx


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)  # (row, column), 1-based
    spread: set[tuple[int, int]] = field(default_factory=set)  # cells that hold a merged range's label
    uncalculated: set[tuple[int, int]] = field(default_factory=set)  # formulas saved without their result
    hidden_rows: set[int] = field(default_factory=set)

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_column(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def value(self, row: int, column: int):
        return self.cells.get((row, column))

    def text(self, row: int, column: int) -> str:
        value = self.cells.get((row, column))
        return "" if value is None else str(value).strip()

    def row_texts(self, row: int) -> list[str]:
        return [self.text(row, c) for c in range(1, self.max_column + 1)]


def cell_name(sheet: Sheet, row: int, column: int) -> str:
    """`部门预算收入总表!F12`, as Excel and WPS name a cell."""
    letters = ""
    number = column
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{sheet.name}!{letters}{row}"


def read_workbook(path: Path) -> list[Sheet]:
    raw = read_limited(path, MAX_WORKBOOK_BYTES)
    name = str(path)
    if raw.startswith(ZIP_MAGIC):
        return _read_xlsx(raw, name)
    if raw.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in raw:
            raise _refused(f"{name} 设置了打开密码，无法读取", "在 Excel 或 WPS 中打开后取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码），另存后再导入。")
        return _read_xls(raw, name)
    raise _refused(f"{name} 不是 Excel 工作簿（.xlsx 或 .xls）", "请选择预算管理一体化系统导出的部门预算公开表（Excel 文件）。")


def _refused(message: str, hint: str) -> InputRejected:
    return InputRejected([error("工作簿", message, hint)], unreadable=True)


def _read_xlsx(raw: bytes, name: str) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), data_only=True)
        formulas = load_workbook(io.BytesIO(raw), data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise _refused(f"{name} 已损坏或不是完整的 .xlsx 文件，无法读取", "在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入；或重新从系统导出。")
    sheets = []
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            continue  # hidden sheets are not part of what was published
        sheet = Sheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and cell.value != "":
                    sheet.cells[(cell.row, cell.column)] = cell.value
        for merged in ws.merged_cells.ranges:
            label = sheet.cells.get((merged.min_row, merged.min_col))
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col) and label is not None:
                        sheet.cells[(r, c)] = label
                        sheet.spread.add((r, c))
        sheet.hidden_rows = {r for r, dimension in ws.row_dimensions.items() if dimension.hidden}
        # A formula saved by a program that does not calculate has no result: never read it as blank.
        for row in formulas[ws.title].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and (cell.row, cell.column) not in sheet.cells:
                    sheet.uncalculated.add((cell.row, cell.column))
        sheets.append(sheet)
    return sheets


def _read_xls(raw: bytes, name: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception:  # noqa: BLE001 - calamine raises its own error types for broken files
        raise _refused(f"{name} 已损坏或无法识别，无法读取", "在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入；或重新从系统导出。")
    sheets = []
    for sheet_name in workbook.sheet_names:
        try:
            rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001
            raise _refused(f"{name} 的工作表「{sheet_name}」无法读取", "在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。")
        sheet = Sheet(sheet_name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    sheet.cells[(r, c)] = value
        sheets.append(sheet)
    return sheets
