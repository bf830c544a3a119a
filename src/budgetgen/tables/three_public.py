"""财政拨款“三公”经费支出表 (vertical): the rows the set prints, in its order, by fiscal fund."""

from __future__ import annotations

from decimal import Decimal

from ..model import FISCAL_FUNDS
from ..statement import THREE_PUBLIC_ROWS
from ..taxonomy import THREE_PUBLIC_TREE
from .base import Column, Context, Options, Row, Table, TableKind, TableOptions, fill_year

# The set names rows in Chinese (taxonomy's tree); the statement by stable keys.
THREE_PUBLIC_KEYS = {row.name: row.key for row in THREE_PUBLIC_TREE}
THREE_PUBLIC_ROLES = {
    "total": "total",
    "subtotal": "total",
    "abroad": "section",
    "vehicles": "section",
    "reception": "section",
}
SAME_AS = {"subtotal": "total"}  # printed rows that show another row's figure
# Which rows each row's amount includes: a set may leave a row unprinted only where a printed row
# includes it (合计 and 小计 are the same sum, so each includes the other).
THREE_PUBLIC_INCLUDES = {
    "total": frozenset(THREE_PUBLIC_ROWS) - {"total"},
    "subtotal": frozenset(THREE_PUBLIC_ROWS) - {"subtotal"},
    "abroad": frozenset({"abroad.research", "abroad.other"}),
    "vehicles": frozenset({"vehicles.purchase", "vehicles.operation"}),
}


class ThreePublicRow(Options):
    row: str
    label: str = ""
    indent: int = 0
    includes: tuple[str, ...] = ()


class ThreePublicOptions(TableOptions):
    rows: tuple[ThreePublicRow, ...]
    fund_group: str = "资金性质"
    fund_labels: tuple[str, str, str, str] = (
        "合计",
        "一般公共预算财政拨款",
        "政府性基金预算拨款",
        "国有资本经营预算财政拨款",
    )


def amounts(context: Context, row: str) -> tuple[Decimal, ...]:
    s = context.statement
    row = SAME_AS.get(row, row)
    return (s.three_public_exact(row), *(s.three_public_exact(row, f) for f in FISCAL_FUNDS))


def build(key: str, options: ThreePublicOptions, context: Context) -> Table:
    rows = [
        Row(
            (printed.label, *amounts(context, THREE_PUBLIC_KEYS[printed.row])),
            role=THREE_PUBLIC_ROLES.get(THREE_PUBLIC_KEYS[printed.row], "item"),
            indent=printed.indent,
        )
        for printed in options.rows
    ]
    columns = [Column("项目"), *(Column(label, (options.fund_group,), True, "amount") for label in options.fund_labels)]
    return Table(key, fill_year(options.title, context.year), columns, rows, None, options, context.statement.unit)


KIND = TableKind("三公经费支出表", "财政拨款“三公”经费，逐行按资金来源", ThreePublicOptions, build)
