"""部门预算收支总表: income by the set's rows (a fund group each, optionally a parent row over its
detail rows) beside expenditure by 类 (all 31, or only those with money), then the fixed rows the
set keeps (本年合计, 结转) and 总计."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from .. import catalog
from ..numbering import chinese_numeral
from ..problems import InputRejected, error
from .base import Cell, Column, Context, Options, Row, Table, TableKind, TableOptions, fill_year

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
    # unit caliber (Shanghai 单位预算): the expense side split 合计 | 基本支出 (人员经费, 公用经费) | 项目支出
    expense_split: bool = False
    split_labels: tuple[str, str, str, str, str] = ("合计", "基本支出", "人员经费", "公用经费", "项目支出")


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


SPLIT = ("expense", "人员经费", "公用经费", "project")


def expense_amounts(key: str, options: SummaryOptions, context: Context, number: int | None) -> tuple[Decimal, ...]:
    """A class's expenditure (number None: all classes): its total, or 合计, 人员经费, 公用经费, 项目支出."""
    s, zero = context.statement, Decimal(0)
    if not options.expense_split:
        return (s.class_exact["expense"].get(number, zero) if number else s.exact["expense.total"],)
    if "人员经费" not in s.class_exact:
        raise InputRejected(
            [
                error(
                    "输入",
                    f"表「{key}」按类分列人员经费和公用经费（expense_split: true），"
                    "而“基本支出经济分类”有的行没有写 功能科目",
                    "在“基本支出经济分类”每一行写它所在的功能分类科目，如 {科目: 30101, 功能科目: 2040601, 金额: …}。",
                    ("基本支出经济分类",),
                )
            ]
        )
    if number is None:
        exact = s.exact
        return (exact["expense.total"], exact["expense.personnel"], exact["expense.public"], exact["expense.project"])
    return tuple(s.class_exact[name].get(number, zero) for name in SPLIT)


def build(key: str, options: SummaryOptions, context: Context) -> Table:
    s, exact = context.statement, context.statement.exact
    labels = {**{label: label for label in SUMMARY_LABELS}, **options.labels}
    income = [(row.label, s.income_of_exact(row.funds), row.indent) for row in options.income_rows]
    expense: list[tuple[Cell, ...]] = [
        (label, *expense_amounts(key, options, context, number))
        for label, number in class_rows(context, s.class_exact["expense"], options.classes, options.class_31_label)
    ]
    width = 4 if options.expense_split else 1
    rows = []
    for index in range(max(len(income), len(expense))):
        left: tuple[str, Decimal | None, int] = income[index] if index < len(income) else ("", None, 0)
        right: tuple[Cell, ...] = expense[index] if index < len(expense) else ("", *(None,) * width)
        rows.append(Row((left[0], left[1], *right), indent=left[2]))
    fixed_rows = not options.expense_split  # the split has no 本年合计 or 结转 rows to print
    if options.this_year_row and fixed_rows:
        this_year = (
            labels["本年收入合计"],
            exact["income.this_year"],
            labels["本年支出合计"],
            exact["expense.this_year"],
        )
        rows.append(Row(this_year, role="total"))
    if options.carried_rows and fixed_rows:
        carried = (
            labels["上年结转结余"],
            exact["income.carried_in"],
            labels["年终结转结余"],
            exact["expense.carried_out"],
        )
        rows.append(Row(carried))
    else:
        refuse_hidden_carry_over(key, [exact["income.carried_in"], exact["expense.carried_out"]])
    totals: tuple[Cell, ...] = (
        labels["收入总计"],
        exact["income.total"],
        labels["支出总计"],
        *expense_amounts(key, options, context, None),
    )
    rows.append(Row(totals, role="total"))
    return Table(key, fill_year(options.title, context.year), summary_columns(options), rows, None, options, s.unit)


def summary_columns(options: SummaryOptions) -> list[Column]:
    income_side, expense_side = (options.income_header,), (options.expense_header,)
    columns = [
        Column("项目", income_side),
        Column(options.amount_label, income_side, True, "amount"),
        Column("项目", expense_side),
    ]
    if not options.expense_split:
        return columns + [Column(options.amount_label, expense_side, True, "amount")]
    total, basic, personnel, public, project = options.split_labels
    group = expense_side + (options.amount_label,)
    return columns + [
        Column(total, group, True, "amount"),
        Column(personnel, group + (basic,), True, "amount"),
        Column(public, group + (basic,), True, "amount"),
        Column(project, group, True, "amount"),
    ]


KIND = TableKind("收支总表", "收入按资金来源、支出按功能分类“类”的总表", SummaryOptions, build)
