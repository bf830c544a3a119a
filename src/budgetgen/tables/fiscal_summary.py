"""部门预算财政拨款收支总表: fiscal income by fund beside fiscal expenditure by 类 and fund, with the
fixed rows the set keeps (本年合计, 年初/年末结转) and 总计."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ..model import FISCAL_FUNDS, FiscalFund
from .base import Cell, Column, Context, Options, Row, Table, TableKind, TableOptions, fill_year
from .summary import class_rows, refuse_hidden_carry_over

FISCAL_LABELS = {
    "本年收入合计": "本年收入合计",
    "本年支出合计": "本年支出合计",
    "年初结转": "年初财政拨款结转和结余",
    "年末结转": "年末财政拨款结转和结余",
    "收入总计": "收入总计",
    "支出总计": "支出总计",
}


class FundRow(Options):
    label: str
    fund: FiscalFund


class FiscalSummaryOptions(TableOptions):
    income_rows: tuple[FundRow, ...]
    labels: dict[str, str] = FISCAL_LABELS
    classes: Literal["all", "with_money"] = "all"
    class_31_label: str = "人行科目"
    this_year_row: bool = True
    carried_rows: bool = True
    income_header: str = "收入"
    expense_header: str = "支出"
    amount_label: str = "金额"
    fund_labels: tuple[str, str, str, str] = (
        "合计",
        "一般公共预算财政拨款",
        "政府性基金预算财政拨款",
        "国有资本经营预算财政拨款",
    )


def build(key: str, options: FiscalSummaryOptions, context: Context) -> Table:
    s = context.statement
    labels = {**FISCAL_LABELS, **options.labels}
    exact = s.exact
    income = [(row.label, s.income_of_exact([row.fund])) for row in options.income_rows]
    zero = Decimal(0)
    rows: list[Row] = []
    expense = class_rows(context, s.class_exact["fiscal"], options.classes, options.class_31_label)
    for index in range(max(len(income), len(expense))):
        left: tuple[str, Decimal | None] = income[index] if index < len(income) else ("", None)
        right: tuple[Cell, ...]
        if index < len(expense):
            label, number = expense[index]
            by_fund = [s.class_exact[f].get(number, zero) for f in FISCAL_FUNDS]
            right = (label, s.class_exact["fiscal"].get(number, zero), *by_fund)
        else:
            right = ("", None, None, None, None)
        rows.append(Row((left[0], left[1], *right)))
    if options.this_year_row:
        spent = [exact[f"fiscal.{f}.spent"] for f in FISCAL_FUNDS]
        rows.append(
            Row(
                (labels["本年收入合计"], exact["fiscal.income"], labels["本年支出合计"], exact["fiscal.spent"], *spent),
                role="total",
            )
        )
    if options.carried_rows:
        carried_out = [exact[f"fiscal.{f}.carried_out"] for f in FISCAL_FUNDS]
        rows.append(
            Row(
                (
                    labels["年初结转"],
                    exact["fiscal.carried_in"],
                    labels["年末结转"],
                    exact["fiscal.carried_out"],
                    *carried_out,
                )
            )
        )
        for row in options.income_rows:
            rows.append(Row((row.label, exact[f"fiscal.{row.fund}.carried_in"], "", None, None, None, None)))
    else:
        refuse_hidden_carry_over(key, [exact["fiscal.carried_in"], exact["fiscal.carried_out"]])
    out_total = [exact[f"fiscal.{f}.expense_total"] for f in FISCAL_FUNDS]
    rows.append(
        Row(
            (
                labels["收入总计"],
                exact["fiscal.income_total"],
                labels["支出总计"],
                exact["fiscal.expense_total"],
                *out_total,
            ),
            role="total",
        )
    )
    columns = [
        Column("项目", (options.income_header,)),
        Column(options.amount_label, (options.income_header,), True, "amount"),
        Column("项目", (options.expense_header,)),
        *(Column(label, (options.expense_header,), True, "amount") for label in options.fund_labels),
    ]
    return Table(key, fill_year(options.title, context.year), columns, rows, None, options, s.unit)


KIND = TableKind("财政拨款收支总表", "财政拨款收入按资金、支出按“类”及资金", FiscalSummaryOptions, build)
