"""一般公共预算财政拨款基本支出表: basic expenditure by economic 类/款, 合计 | 人员经费 | 公用经费."""

from __future__ import annotations

from .base import CodeHeader, Context, HierarchyOptions, MoneyColumn, Table, TableKind, hierarchy_table

DEFAULT_COLUMNS = tuple(
    MoneyColumn(figure=figure, group=("一般公共预算基本支出",)) for figure in ("合计", "人员经费", "公用经费")
)


class EconomicOptions(HierarchyOptions):
    code_header: CodeHeader = CodeHeader(group="支出部门经济分类科目")


def build(key: str, options: EconomicOptions, context: Context) -> Table:
    return hierarchy_table(
        key, options, context, context.statement.economic, DEFAULT_COLUMNS, ("人员经费", "公用经费"), 2
    )


KIND = TableKind("基本支出表", "一般公共预算基本支出按部门经济分类（类/款）及人员/公用经费", EconomicOptions, build)
