"""A bureau's copy of the ministry's 《政府收支分类科目》, as a workbook or CSV: a code column and a
name column, or the book's layout of 类 | 款 | 项 columns whose 款 and 项 are two-digit parts under
the 类 and 款 above them (often with the names indented). Read into code → name, every row located."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import InputRejected, error
from .workbook import Sheet, cell_name, read_workbook

CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


@dataclass
class CatalogFile:
    names: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # sheet!cell of rows that are not codes


def read_catalog_file(path: Path) -> CatalogFile:
    if path.suffix.lower() == ".csv":
        return _from_sheet(_csv_sheet(path))
    sheets = read_workbook(path)
    for sheet in sheets:
        if _header(sheet) is not None:
            return _from_sheet(sheet)
    raise InputRejected(
        [
            error(
                "科目",
                f"{path} 中没有找到科目表：需要一行表头，含“科目编码”（或“类”“款”“项”）和“科目名称”",
                "保留原表头，或把表头改为：科目编码、科目名称。",
            )
        ],
        unreadable=True,
    )


def _csv_sheet(path: Path) -> Sheet:
    from ..loading import read_limited

    raw = read_limited(path)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputRejected([error("科目", f"{path} 的编码无法识别", "另存为 UTF-8 编码的 CSV。")], unreadable=True)
    sheet = Sheet(path.name)
    for r, row in enumerate(csv.reader(text.splitlines()), start=1):
        for c, value in enumerate(row, start=1):
            if value.strip():
                sheet.put(r, c, value)
    return sheet


def _header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row and its columns: code (or 类/款/项) and name."""
    for row in list(sheet.row_numbers())[:20]:
        columns: dict[str, int] = {}
        for column, value in sheet.rows.get(row, {}).items():
            text = re.sub(r"\s", "", str(value))
            if text in ("类", "款", "项"):
                columns[text] = column
            elif "编码" in text or "代码" in text or text.lower() == "code":
                columns.setdefault("code", column)
            elif "名称" in text or text.lower() == "name":
                columns.setdefault("name", column)
        if "name" in columns and ("code" in columns or "类" in columns):
            return row, columns
    return None


def _from_sheet(sheet: Sheet) -> CatalogFile:
    found = _header(sheet)
    if found is None:
        raise InputRejected(
            [error("科目", f"{sheet.name} 没有含“科目编码”和“科目名称”的表头", "第一行写：科目编码,科目名称。")],
            unreadable=True,
        )
    header, columns = found
    result = CatalogFile()
    current = {"类": "", "款": ""}
    for row in sheet.row_numbers(header + 1):
        name = re.sub(r"\s", "", sheet.text(row, columns["name"]))
        if "code" in columns:
            code = re.sub(r"\s", "", sheet.text(row, columns["code"])).removesuffix(".0")
        else:
            parts = {
                k: re.sub(r"\s", "", sheet.text(row, c)).removesuffix(".0") for k, c in columns.items() if k in "类款项"
            }
            if parts.get("类"):
                current["类"], current["款"] = parts["类"], ""
            if parts.get("款"):
                current["款"] = current["类"] + parts["款"].zfill(2)
            code = (
                (current["款"] + parts["项"].zfill(2))
                if parts.get("项")
                else current["款"]
                if parts.get("款")
                else (current["类"] if parts.get("类") else "")
            )
        if not code and not name:
            continue
        if not CODE.match(code) or not name:
            result.skipped.append(cell_name(sheet, row, columns.get("code", columns.get("类", 1))))
            continue
        result.names[code] = name
    return result
