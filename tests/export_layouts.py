"""Workbooks in the layout of real budget-system exports, built from a reference's transcription, so
the import can be tested on every layout the issue describes — and the layouts are data a test can
vary: Shanghai Putuo's department export (sheets 3.15–3.25, 元, 三公 in 万元, 合计 at the bottom with
its label merged across the code columns), one sheet or one sheet per table, codes split into
类 | 款 | 项 or in one column, Liaoning's titles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = json.loads((ROOT / "tests" / "fixtures" / "reference" / "005.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Layout:
    one_sheet: bool = False  # every table on one sheet, one below the other
    split_codes: bool = True  # 类 | 款 | 项 columns (款/项 as two-digit text); else one column 2040601
    titles: str = "shanghai"  # or "liaoning"
    duplicate_income: bool = False  # a second 收入总表 (含转移支付), as the unit export has


TITLES = {
    "shanghai": {
        "收支总表": "{year}年部门财务收支预算总表",
        "收入总表": "{year}年部门收入预算总表",
        "支出总表": "{year}年部门支出预算总表",
        "财政拨款收支总表": "{year}年部门财政拨款收支预算总表",
        "一般公共预算": "{year}年部门一般公共预算支出功能分类预算表",
        "政府性基金": "{year}年部门政府性基金预算支出功能分类预算表",
        "国有资本经营": "{year}年部门国有资本经营预算支出功能分类预算表",
        "基本支出": "{year}年部门一般公共预算基本支出部门预算经济分类预算表",
        "三公": "{year}年部门“三公”经费和机关运行经费预算表",
    },
    "liaoning": {
        "收支总表": "{year}年部门收支预算总表",
        "收入总表": "{year}年部门收入预算表",
        "支出总表": "{year}年部门支出预算表",
        "财政拨款收支总表": "{year}年部门财政拨款收支预算总表",
        "一般公共预算": "{year}年一般公共预算支出表",
        "政府性基金": "{year}年政府性基金预算支出表",
        "国有资本经营": "{year}年国有资本经营预算支出表",
        "基本支出": "{year}年一般公共预算基本支出表",
        "三公": "{year}年“三公”经费和机关运行经费预算表",
    },
}
SHEETS = {
    "收支总表": "3.15部门收支总表",
    "收入总表": "3.16部门收入总表",
    "支出总表": "3.17部门支出总表",
    "财政拨款收支总表": "3.19部门财政拨款收支总表",
    "一般公共预算": "3.21部门一般公共预算拨款表",
    "政府性基金": "3.22部门政府性基金拨款表",
    "国有资本经营": "3.23部门国有资本经营预算拨款表 ",
    "基本支出": "3.24部门一般公共预算拨款基本支出明细表",
    "三公": "3.25部门“三公”经费和机关运行费预算表",
}


def number(text: str | None) -> float | None:
    return None if text is None else float(Decimal(text))


class Writer:
    """Writes tables one below the other on a sheet (or a sheet each), tracking the next free row."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.book = Workbook()
        self.book.remove(self.book.active)
        self.sheet = None
        self.row = 1
        text_sheets = ("3.11部门职能（部门）", "3.12部门机构设置（部门）", "3.13名词解释（部门）")
        for name in text_sheets:
            sheet = self.book.create_sheet(name)
            sheet["A1"] = name[4:]
            sheet["A3"] = "（文字说明，不含金额）"

    def start(self, key: str, width: int, unit: str = "元") -> None:
        if self.sheet is None or not self.layout.one_sheet:
            name = "公开表" if self.layout.one_sheet else SHEETS[key]
            self.sheet = self.book.create_sheet(name)
            self.row = 1
        else:
            self.row += 2
        title = TITLES[self.layout.titles][key].format(year=REFERENCE["year"])
        self.put(self.row, 1, title, merge_to=width)
        self.put(self.row + 1, 1, f"编制部门：{REFERENCE['dept_name']}")
        self.put(self.row + 1, width, f"单位：{unit}" if unit == "元" else f"单位:{unit}")
        self.row += 2

    def put(self, row: int, column: int, value, merge_to: int | None = None, down: int = 0) -> None:
        self.sheet.cell(row=row, column=column, value=value)
        if merge_to and merge_to > column or down:
            last_column = get_column_letter(merge_to or column)
            self.sheet.merge_cells(f"{get_column_letter(column)}{row}:{last_column}{row + down}")

    def line(self, values: list) -> None:
        for column, value in enumerate(values, start=1):
            if value is not None:
                self.put(self.row, column, value)
        self.row += 1


def code_cells(code: str, layout: Layout, depth: int) -> list:
    if not layout.split_codes:
        return [int(code)]
    parts = [int(code[:3]), code[3:5] or None, code[5:7] or None][:depth]
    return parts


def hierarchy(
    writer: Writer,
    key: str,
    table: dict,
    group: str,
    depth: int = 3,
    code_header: str = "功能分类科目编码",
    name_header: str = "功能分类科目名称",
) -> None:
    layout = writer.layout
    codes = depth if layout.split_codes else 1
    width = codes + 1 + len(table["columns"])
    writer.start(key, width)
    top = writer.row
    writer.put(top, 1, "项目", merge_to=codes + 1)
    writer.put(top, codes + 2, group, merge_to=width)
    writer.put(top + 1, 1, code_header, merge_to=codes if codes > 1 else None)
    writer.put(top + 1, codes + 1, name_header, down=1 if layout.split_codes else 0)
    for offset, label in enumerate(table["columns"]):
        label = "事业单位\n经营收入" if label == "事业单位经营收入" else label
        writer.put(top + 1, codes + 2 + offset, label, down=1 if layout.split_codes else 0)
    writer.row = top + 2
    if layout.split_codes:
        writer.line(["类", "款", "项"][:depth])
    rows = table["rows"]
    for code, name, *amounts in rows[:-1]:
        writer.line(
            [
                *code_cells(code, layout, depth),
                *([None] * (codes - len(code_cells(code, layout, depth)))),
                name,
                *map(number, amounts),
            ]
        )
    total = rows[-1] if rows else ["", "合计", *table.get("合计", [None] * len(table["columns"]))]
    writer.put(writer.row, 1, "合计", merge_to=codes + 1 if codes + 1 > 1 else None)
    for offset, amount in enumerate(total[2:]):
        if amount is not None:
            writer.put(writer.row, codes + 2 + offset, number(amount))
    writer.row += 1
    if table.get("empty_note"):
        writer.put(writer.row, 1, table["empty_note"])
        writer.row += 1


def summary(writer: Writer) -> None:
    table = REFERENCE["tables"]["收支总表"]
    writer.start("收支总表", 4)
    writer.put(writer.row, 1, "本年收入", merge_to=2)
    writer.put(writer.row, 3, "本年支出", merge_to=4)
    writer.row += 1
    writer.line(["项目", "预算数", "项目", "预算数"])
    income, expense = table["income"], table["expense"]
    for index in range(max(len(income), len(expense))):
        left = income[index] if index < len(income) else [None, None]
        right = expense[index] if index < len(expense) else [None, None]
        label = left[0].replace("1. 一般公共预算", "1. 一般公共预算资金") if left[0] else None
        writer.line([label, number(left[1]), right[0], number(right[1])])
    writer.line(["收入总计", number(table["收入总计"]), "支出总计", number(table["支出总计"])])


def fiscal_summary(writer: Writer) -> None:
    table = REFERENCE["tables"]["财政拨款收支总表"]
    writer.start("财政拨款收支总表", 7)
    writer.put(writer.row, 1, "财政拨款收入", merge_to=2)
    writer.put(writer.row, 3, "财政拨款支出", merge_to=7)
    writer.row += 1
    writer.line(["项目", "预算数", "项目", *table["expense_columns"]])
    income, expense = table["income"], table["expense"]
    for index in range(max(len(income), len(expense))):
        left = income[index] if index < len(income) else [None, None]
        right = expense[index] if index < len(expense) else [None] * 5
        writer.line([left[0], number(left[1]), right[0], *map(number, right[1:])])
    writer.line(["收入总计", number(table["收入总计"]), "支出总计", *map(number, table["支出总计"])])


def three_public(writer: Writer) -> None:
    values = [v for _, v in REFERENCE["tables"]["三公经费支出表"]["rows"]]
    writer.start("三公", 7, unit="万元")
    top = writer.row
    year = REFERENCE["year"]
    writer.put(top, 1, f"{year}年“三公”经费预算数", merge_to=6)
    writer.put(top, 7, f"{year}年机关运行经费预算数", down=2)
    writer.put(top + 1, 1, "合计", down=1)
    writer.put(top + 1, 2, "因公出国(境)费", down=1)
    writer.put(top + 1, 3, "公务接待费", down=1)
    writer.put(top + 1, 4, "公务用车购置及运行费", merge_to=6)
    writer.put(top + 2, 4, "小计")
    writer.put(top + 2, 5, "购置费")
    writer.put(top + 2, 6, "运行费")
    writer.row = top + 3
    writer.line([float(Decimal(v)) for v in values])


def putuo_export(path: Path, layout: Layout = Layout()) -> Path:
    """Reference 005's numbers in the Putuo export layout."""
    writer = Writer(layout)
    tables = REFERENCE["tables"]
    summary(writer)
    hierarchy(writer, "收入总表", tables["收入总表"], "收入预算")
    if layout.duplicate_income:
        saved = SHEETS["收入总表"]
        SHEETS["收入总表"] = "3.27部门收入总表（含转移支付）"
        hierarchy(writer, "收入总表", tables["收入总表"], "收入预算")
        SHEETS["收入总表"] = saved
    hierarchy(writer, "支出总表", tables["支出总表"], "支出预算")
    fiscal_summary(writer)
    hierarchy(writer, "一般公共预算", tables["一般公共预算财政拨款支出表"], "一般公共预算支出")
    hierarchy(writer, "政府性基金", tables["政府性基金预算财政拨款支出表"], "政府性基金预算支出")
    hierarchy(writer, "国有资本经营", tables["国有资本经营预算财政拨款支出表"], "国有资本经营预算支出")
    hierarchy(
        writer,
        "基本支出",
        tables["一般公共预算财政拨款基本支出表"],
        "一般公共预算基本支出",
        depth=2,
        code_header="经济分类科目编码",
        name_header="部门经济分类科目名称",
    )
    three_public(writer)
    writer.book.save(path)
    return path
