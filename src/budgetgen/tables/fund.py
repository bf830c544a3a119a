"""One fiscal fund's expenditure by 类/款/项: 合计 | 基本支出 | 项目支出 (the 一般公共预算, 政府性基金
and 国有资本经营预算 财政拨款支出表)."""

from __future__ import annotations

from ..model import FISCAL_FUNDS, FiscalFund
from .base import Context, HierarchyOptions, MoneyColumn, Table, TableKind, hierarchy_table

DEFAULT_COLUMNS = (
    MoneyColumn(figure="合计"),
    MoneyColumn(figure="基本", label="基本支出"),
    MoneyColumn(figure="项目", label="项目支出"),
)


class FundOptions(HierarchyOptions):
    fund: FiscalFund


def build(key: str, options: FundOptions, context: Context) -> Table:
    assert options.fund in FISCAL_FUNDS
    hierarchy = context.statement.fiscal[options.fund]
    return hierarchy_table(key, options, context, hierarchy, DEFAULT_COLUMNS, ("基本", "项目"), 3)


KIND = TableKind("财政拨款支出表", "一种财政拨款资金的支出按功能分类科目及基本/项目", FundOptions, build)
