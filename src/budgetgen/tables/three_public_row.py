"""“三公”经费和机关运行经费预算表 (horizontal, one data row): each column a 三公 figure or
机关运行经费, as Shanghai prints it."""

from __future__ import annotations

from decimal import Decimal

from .base import Column, Context, Options, Row, Table, TableKind, TableOptions, fill_year
from .three_public import THREE_PUBLIC_KEYS

OPERATING_COSTS = "机关运行经费"
FIGURES = (*THREE_PUBLIC_KEYS, OPERATING_COSTS)


class RowColumn(Options):
    figure: str  # a 三公 row (合计, 因公出国, 公务用车, 公务用车购置费 …) or 机关运行经费
    label: str = ""
    group: tuple[str, ...] = ()


class ThreePublicRowOptions(TableOptions):
    columns: tuple[RowColumn, ...]
    serial: bool = False
    column_numbers: bool = False


def figure(context: Context, name: str) -> Decimal:
    if name == OPERATING_COSTS:
        return context.statement.exact["expense.public"]
    key = THREE_PUBLIC_KEYS[name]
    return context.statement.three_public_exact("total" if key == "subtotal" else key)


def build(key: str, options: ThreePublicRowOptions, context: Context) -> Table:
    columns = [Column(c.label or c.figure, c.group, True, "amount") for c in options.columns]
    rows = [Row(tuple(figure(context, c.figure) for c in options.columns), role="item")]
    return Table(key, fill_year(options.title, context.year), columns, rows, None, options, context.statement.unit)


KIND = TableKind("三公经费横表", "“三公”经费和机关运行经费，一行横排", ThreePublicRowOptions, build)
