"""The nine standard tables as views of the statement (SPEC §2): statement figures placed into rows
and columns. Titles, fixed row labels and the funds a printed row gathers are wording, passed in
as data (`TableWording`), so the same statement prints under any city's set. A zero cell prints
blank. Nothing here adds or rounds money.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import catalog
from .model import FISCAL_FUNDS, FUNDS
from .money import ZERO, format_amount
from .numbering import chinese_numeral
from .statement import INCOME_SOURCES, THREE_PUBLIC_ROWS, Hierarchy, Statement

Cell = str | Decimal | None

TABLE_KEYS = (
    "收支总表",
    "收入总表",
    "支出总表",
    "财政拨款收支总表",
    "一般公共预算财政拨款支出表",
    "一般公共预算财政拨款基本支出表",
    "政府性基金预算财政拨款支出表",
    "国有资本经营预算财政拨款支出表",
    "三公经费支出表",
)
FUND_TABLES = {
    "一般公共预算财政拨款支出表": "一般公共预算",
    "政府性基金预算财政拨款支出表": "政府性基金",
    "国有资本经营预算财政拨款支出表": "国有资本经营",
}


@dataclass(frozen=True)
class Column:
    label: str
    group: tuple[str, ...] = ()  # header cells above the label, outermost first
    numeric: bool = False
    kind: str = "text"  # amount | code | text


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    role: str = "item"  # total | class | section | item
    level: int = 0  # depth in the 类/款/项 hierarchy (0 for 合计 and fixed rows)
    indent: int = 0  # characters the row's label is indented by (a set's choice for fixed rows)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    note: str | None = None

    def as_printed(self) -> list[list[str]]:
        return [[printed_cell(c) for c in row.cells] for row in self.rows]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": [c.label for c in self.columns],
            "rows": self.as_printed(),
            "indents": [row.indent for row in self.rows],
            "note": self.note,
        }


def printed_cell(cell: Cell) -> str:
    if isinstance(cell, Decimal):
        return format_amount(cell)
    return "" if cell is None else str(cell)


@dataclass
class StandardTables:
    tables: dict[str, Table] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Table:
        return self.tables[key]

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables.values())

    def to_json(self) -> dict[str, Any]:
        return {"tables": [t.to_json() for t in self]}


# ---------------------------------------------------------------- wording


@dataclass(frozen=True)
class TableWording:
    """What a set says about the nine tables: titles, fixed labels, empty-table notes, and which
    funds each 收支总表 / 财政拨款收支总表 income row gathers."""

    titles: dict[str, str]
    empty_notes: dict[str, str]
    summary_income_rows: tuple[tuple[str, tuple[str, ...]], ...]
    summary_labels: dict[str, str]
    fiscal_income_rows: tuple[tuple[str, str], ...]
    fiscal_labels: dict[str, str]
    class_31_label: str
    three_public_rows: tuple[PrintedRow, ...]

    @classmethod
    def neutral(cls) -> TableWording:
        """The national wording with one income row per fund, for output that must not depend on
        a city's choices (`budgetgen tables --json`)."""
        labels = ("本年收入合计", "本年支出合计", "上年结转结余", "年终结转结余", "收入总计", "支出总计")
        fund_labels = (
            "一般公共预算拨款收入",
            "政府性基金预算拨款收入",
            "国有资本经营预算拨款收入",
            "财政专户管理资金收入",
            "单位资金",
            "事业收入",
            "事业单位经营收入",
            "上级补助收入",
            "附属单位上缴收入",
            "其他收入",
        )
        return cls(
            titles={key: f"部门预算{key.replace('三公经费支出表', '财政拨款“三公”经费支出表')}" for key in TABLE_KEYS},
            empty_notes={key: f"注：无{key[: -len('财政拨款支出表')]}财政拨款预算，空表列示。" for key in FUND_TABLES},
            summary_income_rows=tuple(
                (f"{chinese_numeral(i)}、{label}", (fund,))
                for i, (label, fund) in enumerate(zip(fund_labels, FUNDS, strict=True), start=1)
            ),
            summary_labels={label: label for label in labels},
            fiscal_income_rows=tuple(
                zip(
                    ("一、一般公共预算拨款", "二、政府性基金预算拨款", "三、国有资本经营预算拨款"),
                    FISCAL_FUNDS,
                    strict=True,
                )
            ),
            fiscal_labels={
                "本年收入合计": "本年收入合计",
                "本年支出合计": "本年支出合计",
                "年初结转": "年初财政拨款结转和结余",
                "年末结转": "年末财政拨款结转和结余",
                "收入总计": "收入总计",
                "支出总计": "支出总计",
            },
            class_31_label="人行科目",
            three_public_rows=tuple(PrintedRow(row, label) for row, label in NEUTRAL_THREE_PUBLIC_LABELS.items()),
        )


@dataclass(frozen=True)
class PrintedRow:
    """One printed row of a fixed table: the statement row it shows, its label and indentation."""

    row: str
    label: str
    indent: int = 0


NEUTRAL_THREE_PUBLIC_LABELS = {
    "total": "合计",
    "subtotal": "“三公”经费小计",
    "abroad": "一、因公出国（境）费",
    "abroad.research": "其中：教学科研人员因公出国（境）费",
    "abroad.other": "其他因公出国（境）费",
    "vehicles": "二、公务用车购置及运维费",
    "vehicles.purchase": "其中：公务用车购置费",
    "vehicles.operation": "公务用车运行维护费",
    "reception": "三、公务接待费",
}

# Which 三公 rows each row's amount includes: a set may leave a row unprinted only where a printed
# row includes it (合计 and 小计 are the same sum, so each includes the other).
THREE_PUBLIC_INCLUDES = {
    "total": frozenset(THREE_PUBLIC_ROWS) - {"total"},
    "subtotal": frozenset(THREE_PUBLIC_ROWS) - {"subtotal"},
    "abroad": frozenset({"abroad.research", "abroad.other"}),
    "vehicles": frozenset({"vehicles.purchase", "vehicles.operation"}),
}


# ---------------------------------------------------------------- columns

CODE_COLUMNS = [Column("科目编码", ("功能分类科目",), kind="code"), Column("科目名称", ("功能分类科目",))]
ECONOMIC_COLUMNS = [
    Column("科目编码", ("支出部门经济分类科目",), kind="code"),
    Column("科目名称", ("支出部门经济分类科目",)),
]
KIND_COLUMNS = ("基本支出", "项目支出", "经营支出", "上解上级支出", "对附属单位补助支出")


def _money_columns(labels: Sequence[str], group: tuple[str, ...] = ()) -> list[Column]:
    return [Column(label, group, numeric=True, kind="amount") for label in labels]


def _hierarchy_rows(hierarchy: Hierarchy) -> list[Row]:
    if not hierarchy:
        return []
    rows = [Row(("", "合计") + hierarchy.total, role="total")]
    rows += [
        Row((n.code, n.name) + n.values, role="class" if n.level == 0 else "item", level=n.level)
        for n in hierarchy.nodes
    ]
    return rows


# ---------------------------------------------------------------- the nine tables


def income_table(statement: Statement, wording: TableWording) -> Table:
    """T2 部门预算收入总表: 合计 | 本年收入 (小计 + 7 sources) | 上年结转."""
    columns = (
        CODE_COLUMNS
        + _money_columns(["合计"])
        + _money_columns(("小计",) + INCOME_SOURCES, ("本年收入",))
        + _money_columns(["上年结转"])
    )
    return Table("收入总表", wording.titles["收入总表"], columns, _hierarchy_rows(statement.income))


def expenditure_table(statement: Statement, wording: TableWording) -> Table:
    """T3 部门预算支出总表: 合计 | 基本 | 项目 | 经营 | 上解上级 | 对附属单位补助."""
    columns = CODE_COLUMNS + _money_columns(("合计",) + KIND_COLUMNS)
    return Table("支出总表", wording.titles["支出总表"], columns, _hierarchy_rows(statement.expense))


def fund_table(statement: Statement, wording: TableWording, key: str) -> Table:
    """T5 / T7 / T8: one fiscal fund, 合计 | 基本支出 | 项目支出."""
    rows = _hierarchy_rows(statement.fiscal[FUND_TABLES[key]])
    note = None if rows else wording.empty_notes.get(key)
    return Table(key, wording.titles[key], CODE_COLUMNS + _money_columns(("合计", "基本支出", "项目支出")), rows, note)


def basic_economic_table(statement: Statement, wording: TableWording) -> Table:
    """T6: 一般公共预算基本支出 by economic 类/款, 合计 | 人员经费 | 公用经费."""
    key = "一般公共预算财政拨款基本支出表"
    columns = ECONOMIC_COLUMNS + _money_columns(("合计", "人员经费", "公用经费"), ("一般公共预算基本支出",))
    return Table(key, wording.titles[key], columns, _hierarchy_rows(statement.economic))


def class_labels(wording: TableWording) -> list[str]:
    return [
        f"{chinese_numeral(cls.number)}、{wording.class_31_label if cls.code is None else cls.name}"
        for cls in catalog.expenditure_classes()
    ]


def summary_table(statement: Statement, wording: TableWording) -> Table:
    """T1 部门预算收支总表: fixed rows, income by the set's fund groups, expenditure by the 31 classes."""
    labels = wording.summary_labels
    income_rows = [(label, statement.income_of(funds)) for label, funds in wording.summary_income_rows]
    rows = []
    for index, expense_label in enumerate(class_labels(wording)):
        income_label, income_value = income_rows[index] if index < len(income_rows) else ("", None)
        rows.append(Row((income_label, income_value, expense_label, statement.expense_by_class.get(index + 1, ZERO))))
    rows.append(
        Row(
            (
                labels["本年收入合计"],
                statement["income.this_year"],
                labels["本年支出合计"],
                statement["expense.this_year"],
            ),
            role="total",
        )
    )
    rows.append(
        Row(
            (
                labels["上年结转结余"],
                statement["income.carried_in"],
                labels["年终结转结余"],
                statement["expense.carried_out"],
            )
        )
    )
    rows.append(
        Row(
            (labels["收入总计"], statement["income.total"], labels["支出总计"], statement["expense.total"]),
            role="total",
        )
    )
    columns = [
        Column("项目", ("收入",)),
        Column("预算数", ("收入",), True, "amount"),
        Column("项目", ("支出",)),
        Column("预算数", ("支出",), True, "amount"),
    ]
    return Table("收支总表", wording.titles["收支总表"], columns, rows)


def fiscal_summary_table(statement: Statement, wording: TableWording) -> Table:
    """T4 部门预算财政拨款收支总表: 37 fixed rows over the three fiscal funds."""
    labels = wording.fiscal_labels
    income = [(label, statement.income_of([fund])) for label, fund in wording.fiscal_income_rows]
    rows = []
    for number, label in enumerate(class_labels(wording), start=1):
        by_fund = [statement.fiscal_by_class[f].get(number, ZERO) for f in FISCAL_FUNDS]
        left = income[number - 1] if number <= len(income) else ("", None)
        rows.append(Row((left[0], left[1], label, statement.expense_by_class_fiscal(number), *by_fund)))
    spent = [statement[f"fiscal.{f}.spent"] for f in FISCAL_FUNDS]
    carried_out = [statement[f"fiscal.{f}.carried_out"] for f in FISCAL_FUNDS]
    rows.append(
        Row(
            (
                labels["本年收入合计"],
                statement["fiscal.income"],
                labels["本年支出合计"],
                statement["fiscal.spent"],
                *spent,
            ),
            role="total",
        )
    )
    rows.append(
        Row(
            (
                labels["年初结转"],
                statement["fiscal.carried_in"],
                labels["年末结转"],
                statement["fiscal.carried_out"],
                *carried_out,
            )
        )
    )
    for label, fund in wording.fiscal_income_rows:
        rows.append(Row((label, statement[f"fiscal.{fund}.carried_in"], "", None, None, None, None)))
    out_total = [statement.fiscal_expense_total(f) for f in FISCAL_FUNDS]
    rows.append(
        Row(
            (
                labels["收入总计"],
                statement["fiscal.income_total"],
                labels["支出总计"],
                statement["fiscal.expense_total"],
                *out_total,
            ),
            role="total",
        )
    )
    columns = [
        Column("项目", ("收入",)),
        Column("金额", ("收入",), True, "amount"),
        Column("项目", ("支出",)),
        *_money_columns(
            ("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"), ("支出",)
        ),
    ]
    return Table("财政拨款收支总表", wording.titles["财政拨款收支总表"], columns, rows)


THREE_PUBLIC_ROLES = {
    "total": "total",
    "subtotal": "total",
    "abroad": "section",
    "vehicles": "section",
    "reception": "section",
}
THREE_PUBLIC_SAME_AS = {"subtotal": "total"}  # printed rows that show another row's figure


def three_public_table(statement: Statement, wording: TableWording) -> Table:
    """T9: the rows the set prints, in its order; leaves typed, parents computed."""
    rows = [
        Row(
            (printed.label, *_three_public_amounts(statement, THREE_PUBLIC_SAME_AS.get(printed.row, printed.row))),
            role=THREE_PUBLIC_ROLES.get(printed.row, "item"),
            indent=printed.indent,
        )
        for printed in wording.three_public_rows
    ]
    columns = [
        Column("项目"),
        *_money_columns(
            ("合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"), ("资金性质",)
        ),
    ]
    return Table("三公经费支出表", wording.titles["三公经费支出表"], columns, rows)


def _three_public_amounts(statement: Statement, row: str) -> tuple[Decimal, ...]:
    return (statement.three_public(row), *(statement.three_public(row, f) for f in FISCAL_FUNDS))


def standard_tables(statement: Statement, wording: TableWording) -> StandardTables:
    built = [
        summary_table(statement, wording),
        income_table(statement, wording),
        expenditure_table(statement, wording),
        fiscal_summary_table(statement, wording),
        fund_table(statement, wording, "一般公共预算财政拨款支出表"),
        basic_economic_table(statement, wording),
        fund_table(statement, wording, "政府性基金预算财政拨款支出表"),
        fund_table(statement, wording, "国有资本经营预算财政拨款支出表"),
        three_public_table(statement, wording),
    ]
    return StandardTables({t.key: t for t in built})
