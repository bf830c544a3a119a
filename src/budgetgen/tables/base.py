"""What every table kind shares: the printed table (columns, rows, cells of exact amounts), the
options every kind takes (title, printed unit, code layout, where 合计 goes, 序号/栏次, empty
table), and the helpers that place a 类/款/项 hierarchy into rows. Nothing here adds or rounds
money: a cell holds a statement figure exact in the input unit, printed once in the table's unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from ..money import PrintUnit, Unit, format_number, in_print_unit

if TYPE_CHECKING:
    from ..model import Budget, Performance
    from ..statement import Hierarchy, Statement

Cell = str | Decimal | None  # a Decimal is an exact amount in the input unit


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberStyle(Options):
    """How a table prints its amounts: 万元 or 元, two decimals or none, thousands separators, and
    the text of a zero (blank in Hebei, 0.00 or 0 in Shanghai)."""

    unit: PrintUnit = "万元"
    decimals: Literal[0, 2] = 2
    thousands: bool = False
    zero: str = ""


class CodeHeader(Options):
    """The header over the code and name columns."""

    group: str = "功能分类科目"
    code: str = "科目编码"
    name: str = "科目名称"
    parts: tuple[str, ...] = ("类", "款", "项")  # the sub-headers when codes print in split columns


class TableOptions(Options):
    """Options every table kind takes; a kind adds its own."""

    kind: str
    title: str
    orientation: Literal["portrait", "landscape"] = "portrait"
    numbers: NumberStyle = NumberStyle()
    unit_line: str = "单位：{unit}"  # the printed unit line; {unit} comes from numbers.unit
    codes: Literal["one", "split"] = "one"  # 科目编码 in one column, or in 类 | 款 | 项 columns
    total: Literal["first", "last"] = "first"  # where the 合计 row goes
    serial: bool = True  # the 序号 column
    column_numbers: bool = True  # the 栏次 row
    empty_note: str = ""  # printed under a table without rows; {year} is the budget year
    empty_placeholder: str = ""  # printed in the first cell of an empty table's one body row, e.g. 无
    empty_columns: Literal["show", "blank"] = "show"  # a money column that is zero throughout prints blank
    import_titles: tuple[str, ...] = ()  # words an export's title of this table carries (budgetgen import)


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
    options: TableOptions | None = None
    unit: Unit = "万元"  # the unit the amounts are held in (the input's)

    @property
    def numbers(self) -> NumberStyle:
        return self.options.numbers if self.options else NumberStyle()

    def printed_value(self, exact: Decimal) -> Decimal:
        return in_print_unit(exact, self.unit, self.numbers.unit, self.numbers.decimals)

    def printed(self, cell: Cell, column: int) -> str:
        if isinstance(cell, Decimal):
            style = self.numbers
            zero = "" if column in self.blank_columns else style.zero
            return format_number(self.printed_value(cell), style.decimals, style.thousands, zero)
        return "" if cell is None else str(cell)

    @property
    def blank_columns(self) -> frozenset[int]:
        if not self.options or self.options.empty_columns != "blank":
            return frozenset()
        return frozenset(
            i
            for i, column in enumerate(self.columns)
            if column.kind == "amount" and all(self._printed_zero(r.cells[i]) for r in self.rows)
        )

    def _printed_zero(self, cell: Cell) -> bool:
        return not isinstance(cell, Decimal) or self.printed_value(cell) == 0

    def as_printed(self) -> list[list[str]]:
        return [[self.printed(c, i) for i, c in enumerate(row.cells)] for row in self.rows]

    def unit_line(self) -> str:
        pattern = self.options.unit_line if self.options else "单位：{unit}"
        return pattern.replace("{unit}", self.numbers.unit)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.numbers.unit,
            "columns": [c.label for c in self.columns],
            "rows": self.as_printed(),
            "indents": [row.indent for row in self.rows],
            "note": self.note,
        }


@dataclass
class PrintedTables:
    """The tables a set prints, in its order, keyed by the set's table keys."""

    tables: dict[str, Table] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Table:
        return self.tables[key]

    def __contains__(self, key: str) -> bool:
        return key in self.tables

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables.values())

    def to_json(self) -> dict[str, Any]:
        return {"tables": [t.to_json() for t in self]}


@dataclass(frozen=True)
class Context:
    """What a kind reads besides its options: the statement, the budget year, and the input's
    texts that a table prints (goals)."""

    statement: Statement
    year: int
    budget: Budget | None = None

    @property
    def performance(self) -> Performance:
        from ..model import Performance

        return self.budget.performance if self.budget is not None else Performance()


Build = Callable[[str, Any, Context], Table]


@dataclass(frozen=True)
class TableKind:
    """A registered table kind: its key, its options model, and how it builds from the statement."""

    key: str
    description: str
    options: type[TableOptions]
    build: Build


def money_columns(labels: Sequence[str], group: Sequence[str] = ()) -> list[Column]:
    return [Column(label, tuple(group), numeric=True, kind="amount") for label in labels]


def code_columns(header: CodeHeader, split: bool, depth: int, group: Sequence[str] = ()) -> list[Column]:
    """The code and name columns: one 科目编码 column, or 类 | 款 (| 项) under it."""
    outer = tuple(group) + ((header.group,) if header.group else ())
    if split:
        codes = [Column(part, outer + (header.code,), kind="code") for part in header.parts[:depth]]
    else:
        codes = [Column(header.code, outer, kind="code")]
    return codes + [Column(header.name, outer)]


def code_cells(code: str, split: bool, depth: int) -> tuple[str, ...]:
    """A code as printed: whole, or cut into 类 (3 digits) and 款/项 (2 digits each)."""
    if not split:
        return (code,)
    parts = [code[:3], code[3:5], code[5:7]][:depth]
    return tuple(parts)


def hierarchy_rows(
    hierarchy: Hierarchy,
    options: TableOptions,
    depth: int,
    pick: Callable[[tuple[Decimal, ...]], tuple[Decimal, ...]],
    total_label: str = "合计",
) -> list[Row]:
    """合计 and the 类/款/项 rows of a hierarchy, exact amounts in the columns `pick` selects."""
    split = options.codes == "split"
    blank_codes = ("",) * (depth if split else 1)
    if not hierarchy:
        if not options.empty_placeholder:
            return []
        width = len(pick(tuple(Decimal(0) for _ in hierarchy.columns)))
        placeholder = (options.empty_placeholder,) + ("",) * (len(blank_codes) - 1) + ("",) + (None,) * width
        return [Row(placeholder), Row(blank_codes + (total_label,) + (None,) * width, role="total")]
    total = Row(blank_codes + (total_label,) + pick(hierarchy.total_exact), role="total")
    body = [
        Row(
            code_cells(n.code, split, depth) + (n.name,) + pick(n.exact),
            role="class" if n.level == 0 else "item",
            level=n.level,
        )
        for n in hierarchy.nodes
    ]
    return body + [total] if options.total == "last" else [total] + body


def columns_picker(
    available: Sequence[str], chosen: Sequence[str]
) -> Callable[[tuple[Decimal, ...]], tuple[Decimal, ...]]:
    indexes = [available.index(c) for c in chosen]
    return lambda vector: tuple(vector[i] for i in indexes)


def fill_year(text: str, year: int) -> str:
    return text.replace("{year}", str(year)).replace("{previous_year}", str(year - 1))


class MoneyColumn(Options):
    """One amount column a set prints: the kind's figure it shows, its printed label and the
    header cells above it."""

    figure: str
    label: str = ""
    group: tuple[str, ...] = ()

    @property
    def printed_label(self) -> str:
        return self.label or self.figure


class HierarchyOptions(TableOptions):
    """A 类/款/项 table: its code header and the amount columns, chosen from the kind's figures."""

    code_header: CodeHeader = CodeHeader()
    columns: tuple[MoneyColumn, ...] = ()


def hierarchy_table(
    key: str,
    options: HierarchyOptions,
    context: Context,
    hierarchy: Hierarchy,
    defaults: tuple[MoneyColumn, ...],
    parts: Sequence[str],
    depth: int,
) -> Table:
    """A 类/款/项 table over one hierarchy of the statement. `parts` are the figures that add up to
    合计: one with money that the set does not print would vanish from the rows, so it is refused."""
    from ..problems import InputRejected, error

    chosen = options.columns or defaults
    unknown = [c.figure for c in chosen if c.figure not in hierarchy.columns]
    missing = [
        part
        for part in parts
        if part not in {c.figure for c in chosen} and hierarchy.total_exact and hierarchy.value("", part)
    ]
    if unknown or missing:
        message = (
            f"表「{key}」的列「{'、'.join(unknown)}」不存在"
            if unknown
            else f"表「{key}」没有印「{'、'.join(missing)}」列，而本部门在这些列有金额，表中各列将与合计不符"
        )
        raise InputRejected([error("模板", message, f"可用的列：{'、'.join(hierarchy.columns)}。")])
    pick = columns_picker(hierarchy.columns, [c.figure for c in chosen])
    columns = code_columns(options.code_header, options.codes == "split", depth) + [
        Column(c.printed_label, c.group, numeric=True, kind="amount") for c in chosen
    ]
    rows = hierarchy_rows(hierarchy, options, depth, pick)
    note = fill_year(options.empty_note, context.year) if not hierarchy and options.empty_note else None
    return Table(key, fill_year(options.title, context.year), columns, rows, note, options, context.statement.unit)
