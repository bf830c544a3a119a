"""The fill-in workbook: a department's input typed in Excel/WPS instead of YAML.

`budgetgen new 名称 --xlsx` writes it (input sheets with headers, drop-down lists for 资金/类型,
number formats); `check` and `build` read it directly, with every value's position as 工作表!单元格.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..loading import Loaded, SourceMap
from ..model import FUNDS, KINDS, THREE_PUBLIC_ITEMS
from ..problems import InputRejected, Position, error
from .workbook import Sheet, cell_name, read_workbook

MARKER_SHEET = "支出明细"
DEPARTMENT_FIELDS = (
    ("编码", "部门编码，按文字写"),
    ("名称", "部门全称"),
    ("级次", "市 / 区 / 县"),
    ("预算年度", "如 2027"),
    ("金额单位", "万元 或 元"),
    ("模板", "模板集名称，如 hebei-city-2023"),
    ("简称", "情况说明中的简称（可不填）"),
    ("地区", "所在的市、区或县（可不填）"),
)
PRIOR_FIELDS = ("基本支出", "项目支出", "三公经费合计")


@dataclass(frozen=True)
class Columns:
    sheet: str
    headers: tuple[str, ...]


LINES = Columns("支出明细", ("科目", "名称", "资金", "类型", "金额", "上年结转", "项目"))
ECONOMIC = Columns("基本支出经济分类", ("科目", "名称", "金额", "经费类别"))
THREE_PUBLIC = Columns("三公经费", ("项目", "一般公共预算", "政府性基金", "国有资本经营"))
PROJECTS = Columns("项目", ("名称", "科目", "金额", "资金", "项目编码", "资金用途", "绩效目标"))


def is_fillin(sheets: list[Sheet]) -> bool:
    return any(sheet.name == MARKER_SHEET for sheet in sheets)


# ---------------------------------------------------------------- writing


def fillin_workbook(name: str, code: str = "000", template: str = "base", year: int | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..builders.package import deterministic_zip, inert_cells

    book = Workbook()
    guide = book.active
    guide.title = "说明"
    for row, text in enumerate(
        (
            f"{name} 部门预算源数据（填写用工作簿）",
            "在各工作表中填写明细，合计、小计和情况说明中的数字都由程序计算，不要重复填写。",
            "填好后运行：budgetgen check 本文件   （列出要修改的单元格，如 支出明细!E5）",
            "再运行：    budgetgen build 本文件   （生成 PDF 和 DOCX）",
            "情况说明的文字（职责、绩效目标表等）请用 YAML 文件填写：budgetgen new 部门名称",
        ),
        start=1,
    ):
        guide.cell(row=row, column=1, value=text).font = Font(bold=row == 1)
    guide.column_dimensions["A"].width = 90
    sheet = book.create_sheet("部门")
    values = {
        "编码": code,
        "名称": name,
        "级次": "区" if "区" in name else "县" if "县" in name else "市",
        "预算年度": year or date.today().year + 1,
        "金额单位": "万元",
        "模板": template,
    }
    for row, (field, note) in enumerate(DEPARTMENT_FIELDS, start=1):
        sheet.cell(row=row, column=1, value=field).font = Font(bold=True)
        sheet.cell(row=row, column=2, value=values.get(field))
        sheet.cell(row=row, column=3, value=note)
    _list(sheet, "B3", ("市", "区", "县"), DataValidation)
    _list(sheet, "B5", ("万元", "元"), DataValidation)
    for columns, widths in (
        (LINES, (10, 24, 14, 14, 12, 10, 24)),
        (ECONOMIC, (10, 24, 12, 12)),
        (THREE_PUBLIC, (30, 14, 14, 14)),
        (PROJECTS, (24, 10, 12, 14, 24, 30, 40)),
    ):
        ws = book.create_sheet(columns.sheet)
        for column, (header, width) in enumerate(zip(columns.headers, widths, strict=True), start=1):
            ws.cell(row=1, column=column, value=header).font = Font(bold=True)
            ws.column_dimensions[chr(64 + column)].width = width
        ws.freeze_panes = "A2"
    lines = book["支出明细"]
    _list(lines, "C2:C500", FUNDS, DataValidation)
    _list(lines, "D2:D500", KINDS, DataValidation)
    _list(lines, "F2:F500", ("是", "否"), DataValidation)
    _list(book["基本支出经济分类"], "D2:D500", ("人员经费", "公用经费"), DataValidation)
    for column_letters, ws in (("E", lines), ("C", book["基本支出经济分类"]), ("C", book["项目"])):
        for row in range(2, 501):
            ws[f"{column_letters}{row}"].number_format = "0.00"
    three_public = book["三公经费"]
    for row, item in enumerate(THREE_PUBLIC_ITEMS, start=2):
        three_public.cell(row=row, column=1, value=item)
        for column in range(2, 5):
            three_public.cell(row=row, column=column).number_format = "0.00"
    prior = book.create_sheet("上年")
    for row, field in enumerate(PRIOR_FIELDS, start=1):
        prior.cell(row=row, column=1, value=field).font = Font(bold=True)
        prior.cell(row=row, column=2, value=0).number_format = "0.00"
    buffer = io.BytesIO()
    inert_cells(book)
    book.save(buffer)
    return deterministic_zip(buffer.getvalue())


def _list(sheet, cells: str, options, DataValidation) -> None:
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(options) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="只能选择列表中的值",
        error="请从下拉列表中选择。",
    )
    sheet.add_data_validation(validation)
    validation.add(cells)


# ---------------------------------------------------------------- reading


def load_fillin(path: Path, read: list[Sheet] | None = None) -> Loaded:
    sheets = {sheet.name: sheet for sheet in (read if read is not None else read_workbook(path))}
    missing = [name for name in ("部门", LINES.sheet) if name not in sheets]
    if missing:
        raise InputRejected(
            [
                error(
                    "工作簿",
                    f"{path} 缺少工作表「{'、'.join(missing)}」",
                    "用 budgetgen new 部门名称 --xlsx 生成的工作簿填写。",
                )
            ],
            unreadable=True,
        )
    source = SourceMap(str(path))
    data: dict = {}

    def at(sheet: Sheet, row: int, column: int, where: tuple) -> None:
        source.values[where] = Position(row, column, cell_name(sheet, row, column))

    department = sheets["部门"]
    fields = {department.text(row, 1): row for row in department.row_numbers()}
    data["部门"] = {}
    for field in ("编码", "名称", "级次", "简称", "地区"):
        if field in fields and (
            field in ("编码", "名称", "级次") or department.value(fields[field], 2) not in (None, "")
        ):
            data["部门"][field] = _text(department.value(fields[field], 2))
            at(department, fields[field], 2, ("部门", field))
    source.values[("部门",)] = Position(1, 1, cell_name(department, 1, 1))
    for field in ("预算年度", "金额单位", "模板"):
        if field in fields and department.value(fields[field], 2) not in (None, ""):
            value = department.value(fields[field], 2)
            data[field] = int(value) if field == "预算年度" and isinstance(value, (int, float)) else _text(value)
            at(department, fields[field], 2, (field,))
    data["支出"] = _rows(
        sheets,
        LINES,
        at,
        lambda r: {
            k: v
            for k, v in (
                ("科目", r["科目"]),
                ("名称", r.get("名称")),
                ("资金", r.get("资金")),
                ("类型", r.get("类型")),
                ("金额", r.get("金额")),
                ("上年结转", _yes(r.get("上年结转"))),
                ("项目", _names(r.get("项目"))),
            )
            if v not in (None, "", False)
        },
        "支出",
    )
    data["基本支出经济分类"] = _rows(
        sheets,
        ECONOMIC,
        at,
        lambda r: {
            k: v
            for k, v in (
                ("科目", r["科目"]),
                ("名称", r.get("名称")),
                ("金额", r.get("金额")),
                ("经费类别", r.get("经费类别")),
            )
            if v not in (None, "")
        },
        "基本支出经济分类",
    )
    projects = _rows(
        sheets,
        PROJECTS,
        at,
        lambda r: {
            k: v
            for k, v in (
                ("名称", r.get("名称")),
                ("科目", r.get("科目")),
                ("金额", r.get("金额")),
                ("资金", r.get("资金")),
                ("项目编码", r.get("项目编码")),
                ("资金用途", r.get("资金用途")),
                ("绩效目标", _lines(r.get("绩效目标"))),
            )
            if v not in (None, "", [])
        },
        "项目",
        key="名称",
    )
    if projects:
        data["项目"] = projects
    if THREE_PUBLIC.sheet in sheets:
        sheet = sheets[THREE_PUBLIC.sheet]
        header_row, _ = header_of(sheet, THREE_PUBLIC)
        items = {}
        for row in sheet.row_numbers(header_row + 1):
            item = sheet.text(row, 1)
            by_fund = {}
            for column, fund in enumerate(THREE_PUBLIC.headers[1:], start=2):
                value = sheet.value(row, column)
                if value not in (None, "", 0):
                    by_fund[fund] = _number(value)
                    at(sheet, row, column, ("三公经费", item, fund))
            if item and by_fund:
                items[item] = by_fund
                at(sheet, row, 1, ("三公经费", item))
        data["三公经费"] = items
    if "上年" in sheets:
        sheet = sheets["上年"]
        data["上年"] = {}
        for row in sheet.row_numbers():
            field = sheet.text(row, 1)
            if field in PRIOR_FIELDS and sheet.value(row, 2) not in (None, ""):
                data["上年"][field] = _number(sheet.value(row, 2))
                at(sheet, row, 2, ("上年", field))
    return Loaded(data, source)


def header_of(sheet: Sheet, columns: Columns) -> tuple[int, dict[str, int]]:
    """The sheet's header row — the first row naming at least two of its columns, wherever a title or
    a note was inserted above it — and its columns by name. A sheet with values but no such row is
    refused: read from a guessed row it would silently become an empty budget."""
    for row in sheet.row_numbers()[:30]:
        header = {sheet.text(row, c): c for c in sheet.rows[row]}
        if sum(name in header for name in columns.headers) >= 2:
            return row, header
    if sheet.count == 0:
        return 1, {}
    first = ", ".join(columns.headers)
    raise InputRejected(
        [
            error(
                "工作簿",
                f"工作表「{sheet.name}」中找不到表头行（应有 {first} 等列名）",
                f"把表头行恢复为 {first}（可在其上方加标题行），或用 budgetgen new 部门名称 --xlsx"
                " 重新生成工作簿后填写。",
            )
        ],
        unreadable=True,
    )


def _rows(sheets, columns: Columns, at, shape, path_key: str, key: str = "科目") -> list:
    if columns.sheet not in sheets:
        return []
    sheet = sheets[columns.sheet]
    header_row, header = header_of(sheet, columns)
    rows = []
    for row in sheet.row_numbers(header_row + 1):
        record = {name: sheet.value(row, header[name]) for name in columns.headers if name in header}
        if all(v in (None, "") for v in record.values()):
            continue
        record = {k: (_number(v) if k == "金额" else _text(v) if isinstance(v, str) else v) for k, v in record.items()}
        record.setdefault(key, None)
        shaped = shape(record)
        index = len(rows)
        source_path = (path_key, index)
        at(sheet, row, 1, source_path)
        for name, column in header.items():  # empty cells too: a missing value is named at its cell
            at(sheet, row, column, source_path + (name,))
        rows.append(shaped)
    return rows


def _number(value):
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return value  # text: the model reports it, at this cell


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _yes(value) -> bool:
    return str(value).strip() in ("是", "true", "True", "TRUE") if value is not None else False


def _names(value) -> list[str] | None:
    if value in (None, ""):
        return None
    parts = [p.strip() for p in str(value).replace("，", "、").replace(",", "、").split("、") if p.strip()]
    return parts[0] if len(parts) == 1 else parts


def _lines(value) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]
