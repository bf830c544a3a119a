"""部门预算收入总表: income by 类/款/项, in the columns the set chooses (Hebei: 合计 | 本年收入 (小计
and seven sources) | 上年结转; Shanghai: 合计 | 财政拨款收入 | 事业收入 | 事业单位经营收入 | 其他收入)."""

from __future__ import annotations

from ..taxonomy import INCOME_SOURCES
from .base import Context, HierarchyOptions, MoneyColumn, Table, TableKind, hierarchy_table

DEFAULT_COLUMNS = (
    MoneyColumn(figure="合计"),
    MoneyColumn(figure="小计", group=("本年收入",)),
    *(MoneyColumn(figure=source, group=("本年收入",)) for source in INCOME_SOURCES),
    MoneyColumn(figure="上年结转"),
)


class IncomeOptions(HierarchyOptions):
    pass


def build(key: str, options: IncomeOptions, context: Context) -> Table:
    return hierarchy_table(
        key, options, context, context.statement.income, DEFAULT_COLUMNS, (*INCOME_SOURCES, "上年结转"), 3
    )


KIND = TableKind("收入总表", "收入按功能分类科目（类/款/项）及收入来源", IncomeOptions, build)
