"""部门整体支出绩效目标表: the department's overall goals and its itemised goals as rows of a
table (as Beijing prints them), beside the year's total expenditure."""

from __future__ import annotations

from .base import Column, Context, Row, Table, TableKind, TableOptions, fill_year


class OverallGoalsOptions(TableOptions):
    labels: tuple[str, str, str] = ("项目", "内容", "预算金额")
    overall_label: str = "总体绩效目标"
    serial: bool = False
    column_numbers: bool = False


def build(key: str, options: OverallGoalsOptions, context: Context) -> Table:
    statement = context.statement
    performance = context.performance
    columns = [Column(options.labels[0]), Column(options.labels[1]), Column(options.labels[2], (), True, "amount")]
    rows = [
        Row((options.overall_label, "；".join(performance.overall), statement.exact["expense.total"]), role="section")
    ]
    for item in performance.items:
        text = "；".join(part for part in (item.goal or "", item.measure or "", *item.lines) if part)
        rows.append(Row((item.title, text, None)))
    return Table(key, fill_year(options.title, context.year), columns, rows, None, options, statement.unit)


KIND = TableKind("部门整体支出绩效目标表", "部门整体绩效目标（总体与分项）及支出总额", OverallGoalsOptions, build)
