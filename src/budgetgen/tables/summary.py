"""部门预算收支总表: income by the set's rows (a fund group each, optionally a parent row over its
detail rows) beside expenditure by 类 (all 31, or only those with money), then the fixed rows the
set keeps (本年合计, 结转) and 总计."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from .. import catalog
from ..numbering import chinese_numeral
from ..problems import InputRejected, error
from .base import Column, Context, Options, Row, Table, TableKind, TableOptions, fill_year

SUMMARY_LABELS = ("本年收入合计", "本年支出合计", "上年结转结余", "年终结转结余", "收入总计", "支出总计")


class IncomeRow(Options):
    label: str
    funds: tuple[str, ...] = ()
    detail: bool = False  # a breakdown of the row above it: printed, not counted again
    indent: int = 0


class SummaryOptions(TableOptions):
    income_rows: tuple[IncomeRow, ...]
    labels: dict[str, str] = {label: label for label in SUMMARY_LABELS}
    classes: Literal["all", "with_money"] = "all"  # all 31 类, or only those with money, numbered in order
    class_31_label: str = "人行科目"
    this_year_row: bool = True  # 本年收入合计 | 本年支出合计
    carried_rows: bool = True  # 上年结转结余 | 年终结转结余
    income_header: str = "收入"
    expense_header: str = "支出"
    amount_label: str = "预算数"


def class_rows(
    context: Context, by_class: dict[int, Decimal], classes: str, class_31_label: str
) -> list[tuple[str, int]]:
    """(printed label, class number) of the expenditure rows."""
    listed = [c for c in catalog.expenditure_classes() if classes == "all" or by_class.get(c.number)]
    return [
        (
            f"{chinese_numeral(i if classes != 'all' else cls.number)}、"
            f"{class_31_label if cls.code is None else cls.name}",
            cls.number,
        )
        for i, cls in enumerate(listed, start=1)
    ]


def refuse_hidden_carry_over(key: str, amounts: list[Decimal]) -> None:
    if any(amounts):
        raise InputRejected(
            [
                error(
                    "模板",
                    f"表「{key}」不印结转结余行（carried_rows: false），而本部门有结转结余，总计将与各行不符",
                    "在该表的设置中写 carried_rows: true，或换用印结转行的模板集。",
                )
            ]
        )


def build(key: str, options: SummaryOptions, context: Context) -> Table:
    s = context.statement
    labels = {**{label: label for label in SUMMARY_LABELS}, **options.labels}
    income = [(row.label, s.income_of_exact(row.funds), row.indent) for row in options.income_rows]
    expense = [
        (label, s.class_exact["expense"].get(number, Decimal(0)))
        for label, number in class_rows(context, s.class_exact["expense"], options.classes, options.class_31_label)
    ]
    rows = []
    for index in range(max(len(income), len(expense))):
        left = income[index] if index < len(income) else ("", None, 0)
        right = expense[index] if index < len(expense) else ("", None)
        rows.append(Row((left[0], left[1], right[0], right[1]), indent=left[2]))
    exact = s.exact
    if options.this_year_row:
        rows.append(
            Row(
                (labels["本年收入合计"], exact["income.this_year"], labels["本年支出合计"], exact["expense.this_year"]),
                role="total",
            )
        )
    if options.carried_rows:
        rows.append(
            Row(
                (
                    labels["上年结转结余"],
                    exact["income.carried_in"],
                    labels["年终结转结余"],
                    exact["expense.carried_out"],
                )
            )
        )
    else:
        refuse_hidden_carry_over(key, [exact["income.carried_in"], exact["expense.carried_out"]])
    rows.append(
        Row((labels["收入总计"], exact["income.total"], labels["支出总计"], exact["expense.total"]), role="total")
    )
    columns = [
        Column("项目", (options.income_header,)),
        Column(options.amount_label, (options.income_header,), True, "amount"),
        Column("项目", (options.expense_header,)),
        Column(options.amount_label, (options.expense_header,), True, "amount"),
    ]
    return Table(key, fill_year(options.title, context.year), columns, rows, None, options, s.unit)


KIND = TableKind("收支总表", "收入按资金来源、支出按功能分类“类”的总表", SummaryOptions, build)
