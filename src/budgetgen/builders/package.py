"""Office packages (DOCX, XLSX) written deterministically: identical input, identical bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def deterministic_zip(data: bytes, rewrite: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """Rewrite the package with fixed member dates: identical input, identical bytes. `rewrite`
    maps a member name to a function fixing its content (e.g. a save time a library stamps in)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            content = source.read(item.filename)
            if rewrite and item.filename in rewrite:
                content = rewrite[item.filename](content)
            target.writestr(info, content)
    return output.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: T) -> T | str:
    """Text as a spreadsheet cell may hold it: control characters Excel refuses are shown as \\xNN
    (a file name with a bell in it still gets its summary row)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        shown: str = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
        return shown
    return value


def inert_cells(book: Any) -> None:  # an openpyxl Workbook (openpyxl has no type information)
    """Every text cell stays text: one that starts like a formula (= + - @, tab, CR) is stored as a
    string with Excel's quote prefix, so a department name such as `=HYPERLINK(…)` never becomes a
    live formula in any workbook budgetgen writes (budgetgen itself writes no formulas)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (cell.data_type == "f" or cell.value.startswith(FORMULA_STARTS)):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def save_workbook(workbook: Any, year: int) -> bytes:
    """The workbook's bytes, the same for the same content: its times fixed to the end of the year
    before the budget year, its cells inert, its zip deterministic."""
    import io
    import re
    from datetime import datetime

    fixed = datetime(year - 1, 12, 31)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    buffer = io.BytesIO()
    inert_cells(workbook)
    workbook.save(buffer)
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    # openpyxl writes the time of saving as "modified", whatever the workbook says
    def fix_modified(xml: bytes) -> bytes:
        return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", xml)

    return deterministic_zip(buffer.getvalue(), {"docProps/core.xml": fix_modified})
