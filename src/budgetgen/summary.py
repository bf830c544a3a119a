"""The city summary of a batch run: 汇总.xlsx, 汇总.html and (on request) 汇总.json — one row per
department with its status and main figures, a city totals row, and every problem of every
department in a list a reviewer can filter."""

from __future__ import annotations

import html
import io
import json
from decimal import Decimal
from pathlib import Path

from .build import write_file
from .statement import city_totals

COLUMNS = (
    "编码",
    "名称",
    "文件",
    "状态",
    "收入总计",
    "支出总计",
    "基本支出",
    "项目支出",
    "三公经费",
    "错误",
    "警告",
    "页数",
    "用时（秒）",
)
FIGURE_LABELS = ("收入总计", "支出总计", "基本支出", "项目支出", "三公经费")
PROBLEM_COLUMNS = ("部门", "位置", "编号", "级别", "说明", "处理办法")


def totals(rows: list[dict]) -> dict[str, Decimal]:
    return city_totals(
        {label: Decimal(row["figures"][label]) for label in FIGURE_LABELS if label in row["figures"]} for row in rows
    )


def write_summary(output: Path, rows: list[dict], as_json: bool = False) -> list[Path]:
    rows = sorted(rows, key=lambda r: (r["code"] or "~", r["file"]))
    written = [
        write_file(output / "汇总.xlsx", _workbook(rows)),
        write_file(output / "汇总.html", _page(rows).encode("utf-8")),
    ]
    if as_json:
        data = {"departments": rows, "totals": {k: str(v) for k, v in totals(rows).items()}}
        written.append(write_file(output / "汇总.json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")))
    return written


def _cells(row: dict) -> list:
    figures = [Decimal(row["figures"][label]) if label in row["figures"] else None for label in FIGURE_LABELS]
    status = row["status"] + ("（未变，已跳过）" if row.get("skipped") else "")
    return [
        row["code"],
        row["name"],
        Path(row["file"]).name,
        status,
        *figures,
        row["errors"],
        row["warnings"],
        row["pages"],
        row["seconds"],
    ]


def _problem_cells(row: dict, problem: dict) -> tuple:
    return (
        row["name"] or Path(row["file"]).name,
        problem["where"],
        problem["id"],
        problem["severity"],
        problem["message"],
        problem.get("hint", ""),
    )


def _total_cells(rows: list[dict], blank: str | None) -> list:
    """The city row: every department's figures added (by the statement's city_totals)."""
    city = totals(rows)
    summed = sum(1 for row in rows if any(label in row["figures"] for label in FIGURE_LABELS))
    return [
        "",
        "全市合计",
        f"{summed} 个部门" + (f"（另有 {len(rows) - summed} 个有错误，未计入）" if summed < len(rows) else ""),
        "",
        *[city.get(label) for label in FIGURE_LABELS],
        sum(r["errors"] for r in rows),
        sum(r["warnings"] for r in rows),
        blank,
        blank,
    ]


def _workbook(rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .builders.package import deterministic_zip, inert_cells, spreadsheet_text

    book = Workbook()
    sheet = book.active
    sheet.title = "部门"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([spreadsheet_text(c) for c in _cells(row)])
    sheet.append(_total_cells(rows, blank=None))
    for cell in sheet[1] + sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in "EFGHI":
        for cell in sheet[column][1:]:
            cell.number_format = "0.00"
    for column, width in zip("ABCDEFGHIJKLM", (8, 30, 24, 18, 12, 12, 12, 12, 10, 6, 6, 6, 9), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    _print_setup(sheet)
    problems = book.create_sheet("问题")
    problems.append(PROBLEM_COLUMNS)
    for row in rows:
        for problem in row["problems"]:
            problems.append([spreadsheet_text(c) for c in _problem_cells(row, problem)])
    for cell in problems[1]:
        cell.font = Font(bold=True)
    problems.auto_filter.ref = f"A1:F{max(problems.max_row, 1)}"
    for column, width in zip("ABCDEF", (24, 40, 8, 6, 80, 50), strict=True):
        problems.column_dimensions[column].width = width
    problems.freeze_panes = "A2"
    _print_setup(problems)
    inert_cells(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return deterministic_zip(buffer.getvalue())


AMOUNT_COLUMNS = frozenset(range(4, 4 + len(FIGURE_LABELS)))  # 收入总计 … 三公经费, after 编码 名称 文件 状态


def _td(index: int, value, escape) -> str:
    kind = ' class="amount"' if index in AMOUNT_COLUMNS else ""
    return f"<td{kind}>{escape(value)}</td>"


def _print_setup(sheet) -> None:
    """A summary prints as a table: landscape A4, one page wide, the header row on every page,
    borders and a filter on the columns."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="999999")
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=1, column=sheet.max_column).column_letter}{max(sheet.max_row, 1)}"


def _page(rows: list[dict]) -> str:
    escape = lambda value: html.escape("" if value is None else str(value))  # noqa: E731
    body = "".join(
        f'<tr class="{escape(r["status"])}">' + "".join(_td(i, c, escape) for i, c in enumerate(_cells(r))) + "</tr>"
        for r in rows
    )
    total = _total_cells(rows, blank="")
    problems = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in _problem_cells(r, p)) + "</tr>"
        for r in rows
        for p in r["problems"]
    )

    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>部门预算公开 汇总</title>
<style>body{{font-family:sans-serif;margin:1.5em}}
table{{border-collapse:collapse;margin-bottom:2em}}td,th{{border:1px solid #999;padding:2px 6px}}
td.amount{{text-align:right}}tr.有错误 td{{background:#fde2e2}}tr.有警告 td{{background:#fff6d5}}
tfoot td{{font-weight:bold}}</style></head>
<body><h1>部门预算公开 汇总</h1>
<table><thead><tr>{"".join(f"<th>{c}</th>" for c in COLUMNS)}</tr></thead>
<tbody>{body}</tbody>
<tfoot><tr>{"".join(_td(i, c, escape) for i, c in enumerate(total))}</tr></tfoot></table>
<h2>问题（{sum(len(r["problems"]) for r in rows)} 个）</h2>
<p>筛选：<input id="filter" placeholder="输入部门、编号或文字" oninput="
 for (const tr of document.querySelectorAll('#problems tbody tr'))
   tr.hidden = !tr.textContent.includes(this.value)"></p>
<table id="problems"><thead><tr>{"".join(f"<th>{c}</th>" for c in PROBLEM_COLUMNS)}</tr></thead>
<tbody>{problems}</tbody></table>
</body></html>
"""
