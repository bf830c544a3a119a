"""The nine standard tables as data: pivots of the ledger along the 类/款/项 hierarchy (SPEC §2).

Every cell is computed from exact ledger sums and rounded once, half-up, to 0.01 万元. A zero cell
prints blank. Rows and fixed labels follow the template set's settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, Sequence

from . import catalog
from .ledger import EconomicAmount, Ledger, Line
from .model import FISCAL_FUNDS, FUNDS, KINDS, THREE_PUBLIC_ITEMS
from .money import ZERO, format_amount
from .numbering import chinese_numeral
from .theme import Theme

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


@dataclass(frozen=True)
class Column:
    label: str
    group: tuple[str, ...] = ()  # header cells above the label, outermost first
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    role: str = "item"  # total | class | section | item
    level: int = 0  # depth in the 类/款/项 hierarchy (0 for 合计 and fixed rows)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    note: str | None = None

    def as_printed(self) -> list[list[str]]:
        return [[printed_cell(c) for c in row.cells] for row in self.rows]

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "columns": [c.label for c in self.columns],
            "rows": self.as_printed(),
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

    def __iter__(self):
        return iter(self.tables.values())

    def to_json(self) -> dict:
        return {"tables": [t.to_json() for t in self]}


# ---------------------------------------------------------------- hierarchy

Vector = tuple[Decimal, ...]


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(x + y for x, y in zip(a, b))


def _hierarchy_rows(
    leaves: dict[str, Vector],
    width: int,
    parents: Callable[[str], list[str]],
    name_of: Callable[[str], str | None],
    printed: Callable[[Decimal], Decimal],
) -> list[Row]:
    """合计 first, then every node with money depth-first in code order (类 → 款 → 项)."""
    zero: Vector = (ZERO,) * width
    sums: dict[str, Vector] = {}
    grand = zero
    for code, vector in leaves.items():
        if all(v == ZERO for v in vector):
            continue
        grand = _add(grand, vector)
        for node in parents(code) + [code]:
            sums[node] = _add(sums.get(node, zero), vector)
    rows = [Row(("", "合计") + tuple(printed(v) for v in grand), role="total")]
    for code in sorted(sums):  # plain text order of codes is depth-first: 208 < 20805 < 2080501 < 20806
        level = len(parents(code))
        role = "class" if level == 0 else "item"
        rows.append(Row((code, name_of(code) or "") + tuple(printed(v) for v in sums[code]), role=role, level=level))
    return rows if sums else []


def function_parents(code: str) -> list[str]:
    return [code[:3], code[:5]][: {3: 0, 5: 1, 7: 2}[len(code)]]


def economic_parents(code: str) -> list[str]:
    return [code[:3]] if len(code) == 5 else []


def _function_table_rows(ledger: Ledger, lines: Iterable[Line], vector_of: Callable[[Line], Vector], width: int) -> list[Row]:
    leaves: dict[str, Vector] = {}
    for line in lines:
        leaves[line.code] = _add(leaves.get(line.code, (ZERO,) * width), vector_of(line))
    return _hierarchy_rows(leaves, width, function_parents, ledger.function_name, ledger.printed)


def _unit(width: int, index: int, amount: Decimal) -> Vector:
    return tuple(amount if i == index else ZERO for i in range(width))


# ---------------------------------------------------------------- columns

CODE_COLUMNS = [Column("科目编码", ("功能分类科目",)), Column("科目名称", ("功能分类科目",))]
ECONOMIC_COLUMNS = [Column("科目编码", ("支出部门经济分类科目",)), Column("科目名称", ("支出部门经济分类科目",))]
INCOME_SOURCES = ("财政拨款收入", "财政专户收入", "事业收入", "经营收入", "上级补助收入", "附属单位上缴收入", "其他收入")
FUND_TO_INCOME_SOURCE = {
    "一般公共预算": "财政拨款收入",
    "政府性基金": "财政拨款收入",
    "国有资本经营": "财政拨款收入",
    "财政专户": "财政专户收入",
    "事业收入": "事业收入",
    "事业单位经营收入": "经营收入",
    "上级补助": "上级补助收入",
    "附属单位上缴": "附属单位上缴收入",
    "其他": "其他收入",
    "单位资金": "其他收入",  # undivided 单位资金 has no column of its own in the 收入总表
}
KIND_COLUMNS = ("基本支出", "项目支出", "经营支出", "上解上级支出", "对附属单位补助支出")


def _money_columns(labels: Sequence[str], group: tuple[str, ...] = ()) -> list[Column]:
    return [Column(label, group, numeric=True) for label in labels]


# ---------------------------------------------------------------- the nine tables


def income_table(ledger: Ledger, theme: Theme) -> Table:
    """T2 部门预算收入总表: 合计 | 本年收入 (小计 + 7 sources) | 上年结转."""
    width = 10

    def vector(line: Line) -> Vector:
        if line.carried_over:
            part = _unit(width, 9, line.amount)
        else:
            part = _unit(width, 2 + INCOME_SOURCES.index(FUND_TO_INCOME_SOURCE[line.fund]), line.amount)
            part = _add(part, _unit(width, 1, line.amount))
        return _add(part, _unit(width, 0, line.amount))

    columns = CODE_COLUMNS + _money_columns(["合计"]) + _money_columns(("小计",) + INCOME_SOURCES, ("本年收入",)) + _money_columns(["上年结转"])
    rows = _function_table_rows(ledger, ledger.lines, vector, width)
    return Table("收入总表", theme.require("tables.收入总表.title"), columns, rows)


def expenditure_table(ledger: Ledger, theme: Theme) -> Table:
    """T3 部门预算支出总表: 合计 | 基本 | 项目 | 经营 | 上解上级 | 对附属单位补助."""
    width = 1 + len(KINDS)

    def vector(line: Line) -> Vector:
        return _add(_unit(width, 0, line.amount), _unit(width, 1 + KINDS.index(line.kind), line.amount))

    columns = CODE_COLUMNS + _money_columns(("合计",) + KIND_COLUMNS)
    rows = _function_table_rows(ledger, ledger.lines, vector, width)
    return Table("支出总表", theme.require("tables.支出总表.title"), columns, rows)


def fund_table(ledger: Ledger, theme: Theme, key: str, fund: str) -> Table:
    """T5 / T7 / T8: one fiscal fund, 合计 | 基本支出 | 项目支出."""

    def vector(line: Line) -> Vector:
        index = {"基本": 1, "项目": 2}.get(line.kind)
        base = (line.amount, ZERO, ZERO)
        return base if index is None else _add(base, _unit(3, index, line.amount))

    lines = [line for line in ledger.lines if line.fund == fund]
    columns = CODE_COLUMNS + _money_columns(("合计", "基本支出", "项目支出"))
    rows = _function_table_rows(ledger, lines, vector, 3)
    note = None if rows else theme.get(f"tables.{key}.empty_note")
    return Table(key, theme.require(f"tables.{key}.title"), columns, rows, note)


def basic_economic_table(ledger: Ledger, theme: Theme) -> Table:
    """T6: 一般公共预算基本支出 by economic 类/款, 合计 | 人员经费 | 公用经费."""

    def vector(item: EconomicAmount) -> Vector:
        return _add((item.amount, ZERO, ZERO), _unit(3, 1 if item.category == "人员经费" else 2, item.amount))

    leaves: dict[str, Vector] = {}
    for item in ledger.economic:
        leaves[item.code] = _add(leaves.get(item.code, (ZERO,) * 3), vector(item))
    rows = _hierarchy_rows(leaves, 3, economic_parents, ledger.economic_name, ledger.printed)
    columns = ECONOMIC_COLUMNS + _money_columns(("合计", "人员经费", "公用经费"), ("一般公共预算基本支出",))
    key = "一般公共预算财政拨款基本支出表"
    return Table(key, theme.require(f"tables.{key}.title"), columns, rows)


def class_amounts(ledger: Ledger, keep: Callable[[Line], bool] = lambda line: True) -> dict[int, Decimal]:
    amounts: dict[int, Decimal] = {}
    for line in ledger.lines:
        number = catalog.class_number(line.code)
        if number is not None and keep(line):
            amounts[number] = amounts.get(number, ZERO) + line.amount
    return amounts


def class_labels(theme: Theme) -> list[str]:
    labels = []
    for cls in catalog.expenditure_classes():
        name = theme.require("tables.class_31_label") if cls.code is None else cls.name
        labels.append(f"{chinese_numeral(cls.number)}、{name}")
    return labels


def summary_table(ledger: Ledger, theme: Theme) -> Table:
    """T1 部门预算收支总表: fixed rows, income by fund group, expenditure by the 31 classes."""
    settings = theme.require("tables.收支总表")
    labels = settings["labels"]
    printed = ledger.printed
    income_rows = [(row["label"], ledger.income_this_year(row["funds"])) for row in settings["income_rows"]]
    by_class = class_amounts(ledger)
    expense_rows = [(label, by_class.get(number, ZERO)) for number, label in enumerate(class_labels(theme), start=1)]
    income_this_year = ledger.income_this_year(FUNDS)
    expense_this_year = ledger.sum_lines()
    carried_in = ledger.carried_over()
    carried_out = ledger.year_end()
    rows = []
    for index, (expense_label, expense_value) in enumerate(expense_rows):
        income_label, income_value = income_rows[index] if index < len(income_rows) else ("", None)
        rows.append(Row((income_label, _maybe(printed, income_value), expense_label, printed(expense_value))))
    rows.append(Row((labels["本年收入合计"], printed(income_this_year), labels["本年支出合计"], printed(expense_this_year)), role="total"))
    rows.append(Row((labels["上年结转结余"], printed(carried_in), labels["年终结转结余"], printed(carried_out))))
    rows.append(
        Row((labels["收入总计"], printed(income_this_year + carried_in), labels["支出总计"], printed(expense_this_year + carried_out)), role="total")
    )
    columns = [Column("项目", ("收入",)), Column("预算数", ("收入",), True), Column("项目", ("支出",)), Column("预算数", ("支出",), True)]
    return Table("收支总表", settings["title"], columns, rows)


def fiscal_summary_table(ledger: Ledger, theme: Theme) -> Table:
    """T4 部门预算财政拨款收支总表: 37 fixed rows over the three fiscal funds."""
    settings = theme.require("tables.财政拨款收支总表")
    labels = settings["labels"]
    printed = ledger.printed
    funds = FISCAL_FUNDS
    income = [(row["label"], ledger.income_this_year([row["fund"]])) for row in settings["income_rows"]]
    per_fund_class = {fund: class_amounts(ledger, lambda l, f=fund: l.fund == f) for fund in funds}
    rows = []
    for number, label in enumerate(class_labels(theme), start=1):
        parts = [per_fund_class[f].get(number, ZERO) for f in funds]
        left = income[number - 1] if number <= len(income) else ("", None)
        rows.append(Row((left[0], _maybe(printed, left[1]), label, printed(sum(parts, ZERO)), *[printed(p) for p in parts])))
    spent = [ledger.sum_lines(lambda l, f=f: l.fund == f) for f in funds]
    income_total = ledger.income_this_year(funds)
    carried_in = [ledger.carried_over([f]) for f in funds]
    carried_out = [ledger.year_end([f]) for f in funds]
    rows.append(Row((labels["本年收入合计"], printed(income_total), labels["本年支出合计"], printed(sum(spent, ZERO)), *map(printed, spent)), role="total"))
    rows.append(Row((labels["年初结转"], printed(sum(carried_in, ZERO)), labels["年末结转"], printed(sum(carried_out, ZERO)), *map(printed, carried_out))))
    for (label, _), amount in zip(income, carried_in):
        rows.append(Row((label, printed(amount), "", None, None, None, None)))
    out_total = [s + c for s, c in zip(spent, carried_out)]
    rows.append(
        Row((labels["收入总计"], printed(income_total + sum(carried_in, ZERO)), labels["支出总计"], printed(sum(out_total, ZERO)), *map(printed, out_total)), role="total")
    )
    columns = [
        Column("项目", ("收入",)),
        Column("金额", ("收入",), True),
        Column("项目", ("支出",)),
        *_money_columns(("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"), ("支出",)),
    ]
    return Table("财政拨款收支总表", settings["title"], columns, rows)


def three_public_table(ledger: Ledger, theme: Theme) -> Table:
    """T9: the 9 fixed rows; leaves typed, parents and 合计 column computed."""
    settings = theme.require("tables.三公经费支出表")
    labels = settings["labels"]
    printed = ledger.printed
    leaf = {item: tuple(ledger.three_public[item].get(f, ZERO) for f in FISCAL_FUNDS) for item in THREE_PUBLIC_ITEMS}
    research, other, purchase, operation, reception = (leaf[i] for i in THREE_PUBLIC_ITEMS)
    abroad = _add(research, other)
    vehicles = _add(purchase, operation)
    subtotal = _add(_add(abroad, vehicles), reception)
    ordered = [
        ("合计", subtotal, "total"),
        ("小计", subtotal, "total"),
        ("因公出国", abroad, "section"),
        (THREE_PUBLIC_ITEMS[0], research, "item"),
        (THREE_PUBLIC_ITEMS[1], other, "item"),
        ("公务用车", vehicles, "section"),
        (THREE_PUBLIC_ITEMS[2], purchase, "item"),
        (THREE_PUBLIC_ITEMS[3], operation, "item"),
        ("公务接待费", reception, "section"),
    ]
    rows = [Row((labels[key], printed(sum(v, ZERO)), *map(printed, v)), role=role) for key, v, role in ordered]
    columns = [Column("项目"), *_money_columns(("合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"), ("资金性质",))]
    return Table("三公经费支出表", settings["title"], columns, rows)


def standard_tables(ledger: Ledger, theme: Theme) -> StandardTables:
    built = [
        summary_table(ledger, theme),
        income_table(ledger, theme),
        expenditure_table(ledger, theme),
        fiscal_summary_table(ledger, theme),
        fund_table(ledger, theme, "一般公共预算财政拨款支出表", "一般公共预算"),
        basic_economic_table(ledger, theme),
        fund_table(ledger, theme, "政府性基金预算财政拨款支出表", "政府性基金"),
        fund_table(ledger, theme, "国有资本经营预算财政拨款支出表", "国有资本经营"),
        three_public_table(ledger, theme),
    ]
    return StandardTables({t.key: t for t in built})


def _maybe(printed: Callable[[Decimal], Decimal], value: Decimal | None) -> Decimal | None:
    return None if value is None else printed(value)
