"""The bureau's review checklist of one department (公开情况检查表), generated from what budgetgen
already knows: every table the set prints and whether an empty one carries its note, every
registered check with its result, and what only a person can confirm (the figures against the
budget system, the base year of comparisons, the reasons for changes). The reviewer fills in the
last column; the workbook prints on A4 landscape.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .checks import REGISTRY
from .problems import Problem, Severity

if TYPE_CHECKING:
    from .analysis import Analysis

PASSED, FAILED, CONFIRM = "通过", "不通过", "请核对"
COLUMNS = ("序号", "类别", "检查项", "结果", "说明", "审核意见")
SHOWN_PER_ITEM = 5  # messages quoted under one check; the rest are counted
KEY_FIGURES = (
    ("收入总计", "income.total"),
    ("支出总计", "expense.total"),
    ("基本支出", "expense.basic"),
    ("项目支出", "expense.project"),
    ("“三公”经费", "three_public.total"),
)
CHANGES = (
    ("支出总计", "total"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("“三公”经费", "three_public.total"),
)


@dataclass(frozen=True)
class Item:
    group: str  # 表格 | 核对 | 人工确认
    subject: str
    result: str  # 通过 | 不通过 | 请核对
    detail: str = ""


def review_items(analysis: Analysis | None, problems: list[Problem], file: str) -> list[Item]:
    """The checklist's rows. Without an analysis (the file could not be read) only the checks."""
    items: list[Item] = []
    if analysis is not None and analysis.tables_ok:
        items += table_items(analysis)
    items += check_items(problems, file)
    if analysis is not None and analysis.tables_ok:
        items += confirm_items(analysis)
    return items


def table_items(analysis: Analysis) -> list[Item]:
    """Every table the set prints: with figures, or empty with the note a reader needs."""
    items = []
    for table in analysis.tables:
        amounts = [c for row in table.rows for c in row.cells if isinstance(c, Decimal)]
        if any(table.printed_value(a) != 0 for a in amounts) or (table.rows and not amounts):
            items.append(Item("表格", table.title, PASSED, f"已列示，{len(table.rows)} 行"))
        elif table.note or (table.options and table.options.empty_placeholder):
            items.append(
                Item("表格", table.title, PASSED, f"空表，附说明：{table.note or table.options.empty_placeholder}")
            )
        else:
            items.append(Item("表格", table.title, CONFIRM, "空表且没有说明：请确认该表应为空，并在模板中写明原因"))
    return items


def check_items(problems: list[Problem], file: str) -> list[Item]:
    """One row per registered check, and one for what reading the input found."""
    by_check: dict[str, list[Problem]] = {}
    for problem in problems:
        key = problem.check if problem.check in REGISTRY else "输入"
        by_check.setdefault(key, []).append(problem)
    items = [_check_item("输入", "输入文件的格式、字段和科目", by_check.get("输入", []), file)]
    items += [_check_item(spec.id, spec.description, by_check.get(spec.id, []), file) for spec in REGISTRY.values()]
    return items


def _check_item(code: str, description: str, found: list[Problem], file: str) -> Item:
    subject = f"[{code}] {description}" if code != "输入" else description
    serious = [p for p in found if p.severity in (Severity.ERROR, Severity.WARNING)]
    if not serious:
        return Item("核对", subject, PASSED, f"另有 {len(found)} 条提示" if found else "")
    counts = Counter(p.severity.value for p in serious)
    result = FAILED if counts.get(Severity.ERROR.value) else CONFIRM
    lines = [f"{p.severity.value}：{p.message}" + (f"（{file}:{p.position}）" if p.position else "") for p in serious]
    more = len(lines) - SHOWN_PER_ITEM
    summary = "，".join(f"{kind} {n} 个" for kind, n in sorted(counts.items()))
    return Item(
        "核对",
        subject,
        result,
        "\n".join([summary, *lines[:SHOWN_PER_ITEM]] + ([f"……另有 {more} 条"] if more > 0 else [])),
    )


def confirm_items(analysis: Analysis) -> list[Item]:
    """What a person confirms: the key figures against the budget system, the comparisons' base."""
    statement, year = analysis.statement, analysis.budget.year
    figures = "；".join(f"{label} {statement[key]:,.2f} 万元" for label, key in KEY_FIGURES)
    items = [Item("人工确认", "主要数字与预算管理一体化系统一致", CONFIRM, figures)]
    compared = [(label, statement.changes[key]) for label, key in CHANGES if key in statement.changes]
    if compared:
        detail = "；".join(
            f"{label} {c.current:,.2f} 万元，上年 {c.previous:,.2f} 万元，{c.word}"
            + (f" {c.amount:,.2f} 万元" if c.word != "持平" else "")
            for label, c in compared
        )
        items.append(Item("人工确认", f"比较的基数为 {year - 1} 年预算数", CONFIRM, detail))
    else:
        items.append(Item("人工确认", f"比较的基数为 {year - 1} 年预算数", CONFIRM, "未填写上年预算数：文中不作比较"))
    reasons = analysis.budget.reasons
    written = [("基本支出", reasons.basic), ("项目支出", reasons.project), ("“三公”经费", reasons.three_public)]
    written += list(reasons.three_public_items.items())
    stated = "；".join(f"{label}：{text}" for label, text in written if text)
    items.append(Item("人工确认", "增减变化的原因属实、具体", CONFIRM, stated or "未填写增减原因"))
    return items


def checklist_workbook(items: list[Item], title: str, year: int) -> bytes:
    """The checklist as an XLSX (the same bytes for the same department)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from .builders.package import save_workbook, spreadsheet_text

    book = Workbook()
    sheet = book.active
    sheet.title = "审核清单"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, item in enumerate(items, start=1):
        sheet.append([number, item.group, *(spreadsheet_text(v) for v in (item.subject, item.result, item.detail)), ""])
    counts = Counter(item.result for item in items)
    sheet.append([])
    sheet.append(["", "", f"合计：通过 {counts[PASSED]} 项，不通过 {counts[FAILED]} 项，请核对 {counts[CONFIRM]} 项"])
    sheet.append(["", "", "审核人：", "", "审核日期：", ""])
    thin = Side(style="thin", color="999999")
    for row in sheet.iter_rows(min_row=2, max_row=len(items) + 2, max_col=len(COLUMNS)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEF", (6, 10, 40, 9, 70, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return save_workbook(book, year)


def checklist_title(name: str, year: int | None) -> str:
    return f"{name or '部门'}{f' {year} 年' if year else ''}部门预算公开审核清单"


__all__ = ["Item", "checklist_title", "checklist_workbook", "review_items"]
