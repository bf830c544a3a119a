"""Wording from the template set, as plain data for the composer and the table views.

The statement and the checks never see a set; here its settings become the labels, titles and
groupings that are applied when a document is composed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import FISCAL_FUNDS, FUNDS, Budget
from .problems import InputRejected, error
from .statement import THREE_PUBLIC_ROWS
from .tables import TABLE_KEYS, THREE_PUBLIC_INCLUDES, PrintedRow, TableWording
from .theme import Theme

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# theme.yaml's keys for the 三公 rows → the statement's row names
_THREE_PUBLIC_KEYS = {
    "合计": "total",
    "小计": "subtotal",
    "因公出国": "abroad",
    "教学科研人员因公出国（境）费": "abroad.research",
    "其他因公出国（境）费": "abroad.other",
    "公务用车": "vehicles",
    "公务用车购置费": "vehicles.purchase",
    "公务用车运行维护费": "vehicles.operation",
    "公务接待费": "reception",
}


def fill(template: str, values: Mapping[str, object]) -> str:
    """Substitute `{name}` placeholders of theme wording; unknown names stay as written.

    Deliberately not str.format: a theme must not reach attributes such as {x.__class__}.
    """
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), str(template))


def wording_values(budget: Budget) -> dict[str, object]:
    department = budget.department
    return {
        "code": department.code,
        "name": department.name,
        "short_name": department.short_name or department.name,
        "place": department.place or "",
        "year": budget.year,
        "previous_year": budget.year - 1,
        "level": department.level,
        "unit": "万元",
    }


def table_wording(theme: Theme) -> TableWording:
    summary = theme.require("tables.收支总表")
    fiscal = theme.require("tables.财政拨款收支总表")
    return TableWording(
        titles={key: str(theme.require(f"tables.{key}.title")) for key in TABLE_KEYS},
        empty_notes={
            key: str(theme.get(f"tables.{key}.empty_note"))
            for key in TABLE_KEYS
            if theme.get(f"tables.{key}.empty_note")
        },
        summary_income_rows=income_rows(
            theme, "tables.收支总表.income_rows", FUNDS, lambda row: row.get("funds") or []
        ),
        summary_labels={k: str(v) for k, v in summary["labels"].items()},
        fiscal_income_rows=tuple(
            (label, funds[0])
            for label, funds in income_rows(
                theme, "tables.财政拨款收支总表.income_rows", FISCAL_FUNDS, lambda row: [row.get("fund")]
            )
        ),
        fiscal_labels={k: str(v) for k, v in fiscal["labels"].items()},
        class_31_label=str(theme.require("tables.class_31_label")),
        three_public_rows=three_public_rows(theme),
    )


def income_rows(
    theme: Theme, setting: str, funds: tuple[str, ...], funds_of
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A table's income rows as the set lists them. Every fund is gathered by exactly one printed
    row: a fund left out would vanish from the rows while the 合计 still holds it, and one listed
    twice would be printed twice."""
    where = theme.where(setting)
    rows = tuple((str(row["label"]), tuple(str(f) for f in funds_of(row))) for row in theme.require(setting))
    listed = [fund for _, row_funds in rows for fund in row_funds]
    problems = [
        error("模板", f"{where} 的 {setting} 中的资金来源「{fund}」不存在", f"可用的资金来源：{'、'.join(funds)}。")
        for fund in dict.fromkeys(listed)
        if fund not in funds
    ]
    problems += [
        error(
            "模板",
            f"{where} 的 {setting} 中资金来源「{fund}」列在了 {listed.count(fund)} 行",
            "每个资金来源只能计入一行，否则它的金额会印两次。",
        )
        for fund in dict.fromkeys(listed)
        if fund in funds and listed.count(fund) > 1
    ]
    problems += [
        error(
            "模板",
            f"{where} 的 {setting} 没有哪一行计入资金来源「{fund}」，它的金额会从表中消失（合计里仍有）",
            f"把「{fund}」写进包含它的那一行的资金来源（如“单位资金”一行）。",
        )
        for fund in funds
        if fund not in listed
    ]
    if problems:
        raise InputRejected(problems)
    return rows


def three_public_rows(theme: Theme) -> tuple[PrintedRow, ...]:
    """The 三公 table's rows as the set lists them. Every row that carries money is printed or
    included in a printed row the set names (`includes`), so no amount silently leaves the table."""
    setting = "tables.三公经费支出表.rows"
    entries = theme.require(setting)
    where = theme.where(setting)
    problems, printed, included = [], [], {}
    names = "、".join(_THREE_PUBLIC_KEYS)
    for index, entry in enumerate(entries):
        row = _THREE_PUBLIC_KEYS.get(str(entry.get("row")))
        if row is None:
            problems.append(
                error(
                    "模板",
                    f"{where} 的 {setting} 第 {index + 1} 项的行「{entry.get('row')}」不是“三公”经费表的行",
                    f"可用的行：{names}。",
                )
            )
            continue
        indent = entry.get("indent", 0)
        if isinstance(indent, bool) or not isinstance(indent, int) or not 0 <= indent <= 8:
            problems.append(
                error(
                    "模板",
                    f"{where} 的 {setting} 中「{entry['row']}」的缩进 indent「{indent}」应为 0 到 8 的整数（字数）",
                    "如 indent: 2。",
                )
            )
            indent = 0
        printed.append(PrintedRow(row, str(entry.get("label", "")), indent))
        for hidden in entry.get("includes", []) or []:
            key = _THREE_PUBLIC_KEYS.get(str(hidden))
            if key is None or key not in THREE_PUBLIC_INCLUDES.get(row, ()):
                problems.append(
                    error(
                        "模板",
                        f"{where} 的 {setting} 中「{entry['row']}」不包含「{hidden}」",
                        "includes 只能写该行数额中包含的行：合计与小计互相包含；因公出国包含其两个“其中”行；"
                        "公务用车包含购置费和运行维护费。",
                    )
                )
            else:
                included[key] = row
    shown = {p.row for p in printed}
    for row in THREE_PUBLIC_ROWS:
        if row not in shown and row not in included:
            label = next(k for k, v in _THREE_PUBLIC_KEYS.items() if v == row)
            problems.append(
                error(
                    "模板",
                    f"{where} 的 {setting} 没有印「{label}」这一行，它的数额也没有计入印出的行",
                    f"印出这一行，或在包含它的行写 includes: [{label}]（如合计与小计互相包含，"
                    "因公出国包含其“其中”行）。",
                )
            )
    if problems:
        raise InputRejected(problems)
    return tuple(printed)
