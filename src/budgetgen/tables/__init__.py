"""Table kinds: each printed table is a view of the statement built by one registered kind, with
the options the template set gives it (title, columns, rows, code layout, 合计 first or last,
序号/栏次, printed unit, empty-table note). A set lists the tables it prints, in order, each by
kind; several tables may share a kind (the three fund tables). Adding a kind is one module here
plus one line in KINDS below. Nothing here adds or rounds money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Budget
from ..statement import Statement
from . import (
    economic,
    expense,
    fiscal_summary,
    fund,
    income,
    overall_goals,
    procurement,
    project_expense,
    project_goals,
    purchased_services,
    summary,
    three_public,
    three_public_row,
)
from .base import Cell, Column, Context, PrintedTables, Row, Table, TableKind, TableOptions

KINDS: tuple[TableKind, ...] = (
    summary.KIND,
    income.KIND,
    expense.KIND,
    fiscal_summary.KIND,
    fund.KIND,
    economic.KIND,
    three_public.KIND,
    three_public_row.KIND,
    project_expense.KIND,
    procurement.KIND,
    purchased_services.KIND,
    project_goals.KIND,
    overall_goals.KIND,
)
TABLE_KINDS: dict[str, TableKind] = {kind.key: kind for kind in KINDS}


@dataclass(frozen=True)
class TableSpec:
    """One table a set prints: its key in the set, its kind and its parsed options."""

    key: str
    kind: TableKind
    options: TableOptions


def build_tables(statement: Statement, specs: Sequence[TableSpec], budget: Budget | None = None) -> PrintedTables:
    context = Context(statement, statement.year, budget)
    return PrintedTables({spec.key: spec.kind.build(spec.key, spec.options, context) for spec in specs})


__all__ = [
    "KINDS",
    "TABLE_KINDS",
    "Cell",
    "Column",
    "PrintedTables",
    "Row",
    "Table",
    "TableKind",
    "TableOptions",
    "TableSpec",
    "build_tables",
]
