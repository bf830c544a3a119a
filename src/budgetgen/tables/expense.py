"""部门预算支出总表: expenditure by 类/款/项 and kind (基本 | 项目 | 经营 | 上解上级 | 对附属单位补助)."""

from __future__ import annotations

from ..taxonomy import KIND_LABELS, KINDS
from .base import Context, HierarchyOptions, MoneyColumn, Table, TableKind, hierarchy_table

DEFAULT_COLUMNS = (MoneyColumn(figure="合计"), *(MoneyColumn(figure=k, label=KIND_LABELS[k]) for k in KINDS))


class ExpenseOptions(HierarchyOptions):
    pass


def build(key: str, options: ExpenseOptions, context: Context) -> Table:
    return hierarchy_table(key, options, context, context.statement.expense, DEFAULT_COLUMNS, KINDS, 3)


KIND = TableKind("支出总表", "支出按功能分类科目（类/款/项）及支出类型", ExpenseOptions, build)
