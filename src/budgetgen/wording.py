"""Wording from the template set, as plain data for the composer and the table views.

The statement and the checks never see a set; here its settings become the labels, titles and
groupings that are applied when a document is composed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .model import FISCAL_FUNDS, FUNDS, Budget
from .problems import InputRejected, error
from .settings import DocumentSettings
from .statement import THREE_PUBLIC_ROWS
from .tables import TABLE_KINDS, TableSpec
from .tables.summary import SummaryOptions
from .tables.three_public import THREE_PUBLIC_INCLUDES, THREE_PUBLIC_KEYS, ThreePublicOptions
from .theme import Theme, did_you_mean, model_problems

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


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


# ---------------------------------------------------------------- the document's parts


TABLES_PART = "tables"
NARRATIVE_PART = "narrative"


def document_parts(theme: Theme) -> DocumentSettings:
    """The document's parts in the set's order (typed at load), each listed once, the tables part
    among them."""
    parts = theme.config.document
    problems = []
    keys = [p.key for p in parts.parts]
    for key in dict.fromkeys(keys):
        if keys.count(key) > 1:
            problems.append(
                error(
                    "模板",
                    f"{theme.where('document.parts')} 的 document.parts 中「{key}」列了 {keys.count(key)} 次",
                    "每个部分只列一次。",
                )
            )
    if TABLES_PART not in keys:
        problems.append(
            error(
                "模板",
                f"{theme.where('document.parts')} 的 document.parts 没有表格部分（key: tables）",
                "公开文件必须包含预算表：加上 {key: tables, tables: [收支总表, …]}。",
            )
        )
    if problems:
        raise InputRejected(problems)
    return parts


# ---------------------------------------------------------------- tables


def table_specs(theme: Theme) -> tuple[TableSpec, ...]:
    """The tables the set prints, in its order, each parsed by its kind's options model; every
    mistake is located at its theme.yaml line."""
    parts = document_parts(theme)
    order = next(p.tables for p in parts.parts if p.key == TABLES_PART)
    problems, specs = [], []
    where_order = theme.where("document.parts")
    for key in dict.fromkeys(order):
        if order.count(key) > 1:
            problems.append(
                error(
                    "模板",
                    f"{where_order} 的表格部分中表「{key}」列了 {order.count(key)} 次",
                    "每张表只列一次；同类的表用不同的键。",
                )
            )
    for key in dict.fromkeys(order):
        raw = theme.config.tables.get(key)
        if not isinstance(raw, dict):
            known = [k for k, v in theme.config.tables.items() if isinstance(v, dict)]
            problems.append(
                error(
                    "模板",
                    f"{where_order} 的表格部分列了表「{key}」，但 tables 中没有它的设置{did_you_mean(key, known)}",
                    f"在 tables 下写 {key}: {{kind: …, title: …}}；已有的表：{'、'.join(known)}。",
                )
            )
            continue
        kind_key = str(raw.get("kind", key))
        kind = TABLE_KINDS.get(kind_key)
        if kind is None:
            problems.append(
                error(
                    "模板",
                    f"{theme.where(('tables', key, 'kind') if 'kind' in raw else ('tables', key))} 的表「{key}」的种类"
                    f"「{kind_key}」不存在{did_you_mean(kind_key, list(TABLE_KINDS))}",
                    f"可用的种类：{'、'.join(TABLE_KINDS)}（见 budgetgen templates kinds）。",
                )
            )
            continue
        try:
            options = kind.options.model_validate({**raw, "kind": kind_key})
        except ValidationError as exc:
            problems += model_problems(theme, ("tables", key), exc, kind.options)
            continue
        problems += _option_problems(theme, key, options)
        specs.append(TableSpec(key, kind, options))
    problems += _unit_line_problems(theme)
    if problems:
        raise InputRejected(problems)
    return tuple(specs)


def _option_problems(theme: Theme, key: str, options: Any) -> list:
    if isinstance(options, SummaryOptions):
        rows = [(row.label, row.funds) for row in options.income_rows if not row.detail]
        return income_row_problems(theme, f"tables.{key}.income_rows", FUNDS, rows)
    if isinstance(options, ThreePublicOptions):
        return three_public_row_problems(theme, f"tables.{key}.rows", options)
    if hasattr(options, "income_rows"):  # the 财政拨款收支总表
        rows = [(row.label, (row.fund,)) for row in options.income_rows]
        return income_row_problems(theme, f"tables.{key}.income_rows", FISCAL_FUNDS, rows)
    return []


_TYPED_UNIT = re.compile(r"单位\s*[:：]\s*(?:千|万|亿)?元")


def _unit_line_problems(theme: Theme) -> list:
    """The unit line is derived from each table's printed unit; a set that types one could print
    单位：元 over 万元 figures."""
    page_top = theme.config.page_top.model_dump()
    return [
        error(
            "模板",
            f"{theme.where(('page_top', side))} 的 page_top.{side}「{text}」写死了金额单位",
            '单位由各表的 numbers.unit 决定，这里写 {unit_line}（如 right: "{unit_line}"），'
            '单位行的样式写在表的 unit_line（如 "单位：{unit}"）。',
        )
        for side, text in page_top.items()
        if isinstance(text, str) and _TYPED_UNIT.search(text)
    ]


# The table kinds a department workbook's tables are imported into (excel.tables keys).
IMPORTED_KINDS = {
    "收支总表": "收支总表",
    "收入总表": "收入总表",
    "支出总表": "支出总表",
    "财政拨款收支总表": "财政拨款收支总表",
    "基本支出表": "一般公共预算财政拨款基本支出表",
    "三公经费支出表": "三公经费支出表",
    "三公经费横表": "三公经费支出表",
}


def import_titles(theme: Theme) -> dict[str, tuple[str, ...]]:
    """What the titles of this set's tables say, for recognising them in an export: each printed
    title without its {year}, plus the table's own `import_titles`."""
    from .taxonomy import FUND_TABLES

    by_fund = {fund: key for key, fund in FUND_TABLES.items()}
    words: dict[str, tuple[str, ...]] = {}
    for spec in table_specs(theme):
        key = by_fund.get(getattr(spec.options, "fund", "")) if spec.kind.key == "财政拨款支出表" else None
        key = key or IMPORTED_KINDS.get(spec.kind.key)
        if key is None:
            continue
        title = re.sub(r"\{[a-z_]+\}年?", "", spec.options.title)
        words[key] = tuple(dict.fromkeys((*words.get(key, ()), title, *spec.options.import_titles)))
    return words


def income_row_problems(
    theme: Theme, setting: str, funds: tuple[str, ...], rows: list[tuple[str, tuple[str, ...]]]
) -> list:
    """Every fund is gathered by exactly one printed row (detail rows under a parent aside): a fund
    left out would vanish from the rows while the 合计 still holds it, and one listed twice would
    be printed twice."""
    where = theme.where(setting)
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
            "每个资金来源只能计入一行，否则它的金额会印两次；分列明细的行写 detail: true。",
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
    return problems


def three_public_row_problems(theme: Theme, setting: str, options: ThreePublicOptions) -> list:
    """Every 三公 row that carries money is printed or included in a printed row the set names
    (`includes`), so no amount silently leaves the table."""
    where = theme.where(setting)
    problems, shown, included = [], set(), {}
    names = "、".join(THREE_PUBLIC_KEYS)
    for index, entry in enumerate(options.rows):
        row = THREE_PUBLIC_KEYS.get(entry.row)
        if row is None:
            problems.append(
                error(
                    "模板",
                    f"{where} 的 {setting} 第 {index + 1} 项的行「{entry.row}」不是“三公”经费表的行",
                    f"可用的行：{names}。",
                )
            )
            continue
        if not 0 <= entry.indent <= 8:
            problems.append(
                error(
                    "模板",
                    f"{where} 的 {setting} 中「{entry.row}」的缩进 indent「{entry.indent}」应为 0 到 8 的整数（字数）",
                    "如 indent: 2。",
                )
            )
        shown.add(row)
        for hidden in entry.includes:
            key = THREE_PUBLIC_KEYS.get(hidden)
            if key is None or key not in THREE_PUBLIC_INCLUDES.get(row, ()):
                problems.append(
                    error(
                        "模板",
                        f"{where} 的 {setting} 中「{entry.row}」不包含「{hidden}」",
                        "includes 只能写该行数额中包含的行：合计与小计互相包含；因公出国包含其两个“其中”行；"
                        "公务用车包含购置费和运行维护费。",
                    )
                )
            else:
                included[key] = row
    for row in THREE_PUBLIC_ROWS:
        if row not in shown and row not in included:
            label = next(k for k, v in THREE_PUBLIC_KEYS.items() if v == row)
            problems.append(
                error(
                    "模板",
                    f"{where} 的 {setting} 没有印「{label}」这一行，它的数额也没有计入印出的行",
                    f"印出这一行，或在包含它的行写 includes: [{label}]（如合计与小计互相包含，"
                    "因公出国包含其“其中”行）。",
                )
            )
    return problems


NEUTRAL_INCOME_LABELS = (
    "一般公共预算拨款收入",
    "政府性基金预算拨款收入",
    "国有资本经营预算拨款收入",
    "财政专户管理资金收入",
    "单位资金",
    "事业收入",
    "事业单位经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
)


def neutral_specs() -> tuple[TableSpec, ...]:
    """The base set's nine tables with one 收支总表 income row per fund, for output that must not
    depend on a city's choices (`budgetgen tables --neutral`)."""
    from .numbering import chinese_numeral
    from .tables.summary import IncomeRow
    from .theme import load_theme

    specs = []
    for spec in table_specs(load_theme("base")):
        if isinstance(spec.options, SummaryOptions):
            rows = tuple(
                IncomeRow(label=f"{chinese_numeral(i)}、{label}", funds=(fund,))
                for i, (label, fund) in enumerate(zip(NEUTRAL_INCOME_LABELS, FUNDS, strict=True), start=1)
            )
            spec = TableSpec(spec.key, spec.kind, spec.options.model_copy(update={"income_rows": rows}))
        specs.append(spec)
    return tuple(specs)
