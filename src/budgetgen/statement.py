"""The statement: every figure of the disclosure, computed once from the ledger and rounded once.

Tables, sentences, checks and every output format read figures from here by their stable names
(`statement["expense.basic"]`, `statement.economic.value("30201")`, `statement.projects["…"]`);
no other module adds or rounds money. Rounding follows the input unit: with 万元 leaves a figure
is the sum of the typed leaves, exact at 0.01 万元; with 元 leaves it is the exact sum rounded
half-up to 0.01 万元. Where a template set prints several funds in one row, it asks for the
group with `income_of(funds)`, which rounds the group's exact sum — once, here. The statement
never sees the template set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from . import catalog
from .ledger import EconomicAmount, Ledger, Line
from .model import (
    FISCAL_FUNDS,
    FUNDS,
    KINDS,
    Budget,
    Project,
    PurchaseItem,
    VehicleCounts,
)
from .money import YUAN_PER_WAN, ZERO, Unit, round_half_up, to_wan, total
from .taxonomy import FUND_TO_INCOME_SOURCE, INCOME_SOURCES, THREE_PUBLIC_TREE

Vector = tuple[Decimal, ...]

INCOME_COLUMNS = ("合计", "小计", *INCOME_SOURCES, "上年结转")
EXPENSE_COLUMNS = ("合计", *KINDS)
FUND_COLUMNS = ("合计", "基本", "项目")
ECONOMIC_COLUMNS = ("合计", "人员经费", "公用经费")

# 三公 (taxonomy's tree, X9): each row's typed leaves, and last year's items it compares with.
THREE_PUBLIC_ROWS = {row.key: row.leaves for row in THREE_PUBLIC_TREE if row.key != "subtotal"}
PRIOR_THREE_PUBLIC_ROWS: dict[str, tuple[str, ...]] = {row.key: row.prior for row in THREE_PUBLIC_TREE if row.prior}
SPENDING_PLAN_SHARES = (Decimal("0.25"), Decimal("0.50"), Decimal("0.75"), Decimal("1"))


# ---------------------------------------------------------------- hierarchies


@dataclass(frozen=True)
class Node:
    """One 类/款/项 row: its code, catalog name, depth and printed amounts in column order."""

    code: str
    name: str
    level: int
    values: Vector  # printed 万元
    exact: Vector = ()  # the same columns, exact in the input unit (for tables printed in another unit)


@dataclass(frozen=True)
class Hierarchy:
    """合计 and every node with money, depth-first in code order (类 → 款 → 项)."""

    columns: tuple[str, ...]
    total: Vector
    nodes: tuple[Node, ...]
    total_exact: Vector = ()

    def __bool__(self) -> bool:
        return bool(self.nodes)

    def node(self, code: str) -> Node | None:
        return next((n for n in self.nodes if n.code == code), None)

    def value(self, code: str = "", column: str = "合计") -> Decimal:
        index = self.columns.index(column)
        if not code:
            return self.total[index]
        node = self.node(code)
        return node.values[index] if node else ZERO


def function_parents(code: str) -> list[str]:
    return [code[:3], code[:5]][: {3: 0, 5: 1, 7: 2}[len(code)]]


def economic_parents(code: str) -> list[str]:
    return [code[:3]] if len(code) == 5 else []


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _hierarchy(
    leaves: Iterable[tuple[str, Vector]],
    columns: tuple[str, ...],
    parents: Callable[[str], list[str]],
    name_of: Callable[[str], str | None],
    printed: Callable[[Decimal], Decimal],
) -> Hierarchy:
    zero: Vector = (ZERO,) * len(columns)
    sums: dict[str, Vector] = {}
    grand = zero
    for code, vector in leaves:
        if all(v == ZERO for v in vector):
            continue
        grand = _add(grand, vector)
        for node in parents(code) + [code]:
            sums[node] = _add(sums.get(node, zero), vector)
    nodes = tuple(
        Node(code, name_of(code) or "", len(parents(code)), tuple(map(printed, sums[code])), sums[code])
        for code in sorted(sums)  # plain text order of codes is depth-first: 208 < 20805 < 2080501 < 20806
    )
    return Hierarchy(columns, tuple(map(printed, grand)), nodes, grand)


def _unit_vector(width: int, index: int, amount: Decimal) -> Vector:
    return tuple(amount if i == index else ZERO for i in range(width))


def _income_vector(line: Line) -> Vector:
    width = len(INCOME_COLUMNS)
    if line.carried_over:
        part = _unit_vector(width, width - 1, line.amount)
    else:
        part = _add(
            _unit_vector(width, 2 + INCOME_SOURCES.index(FUND_TO_INCOME_SOURCE[line.fund]), line.amount),
            _unit_vector(width, 1, line.amount),
        )
    return _add(part, _unit_vector(width, 0, line.amount))


def _expense_vector(line: Line) -> Vector:
    width = len(EXPENSE_COLUMNS)
    return _add(_unit_vector(width, 0, line.amount), _unit_vector(width, 1 + KINDS.index(line.kind), line.amount))


def _fund_vector(line: Line) -> Vector:
    index = {"基本": 1, "项目": 2}.get(line.kind)
    base = (line.amount, ZERO, ZERO)
    return base if index is None else _add(base, _unit_vector(3, index, line.amount))


def _economic_vector(item: EconomicAmount) -> Vector:
    return _add((item.amount, ZERO, ZERO), _unit_vector(3, 1 if item.category == "人员经费" else 2, item.amount))


# ---------------------------------------------------------------- figures of the explanatory part


@dataclass(frozen=True)
class Change:
    """A change against the prior year: direction word and absolute amount."""

    current: Decimal
    previous: Decimal

    @property
    def delta(self) -> Decimal:
        return self.current - self.previous

    @property
    def word(self) -> str:
        printed = round_half_up(self.delta)  # the word says what the printed amount shows
        return "增加" if printed > 0 else "减少" if printed < 0 else "持平"

    @property
    def amount(self) -> Decimal:
        return abs(self.delta)

    @property
    def rate(self) -> Decimal | None:
        """The change as a share of the prior year (absolute value), None when the prior year is 0."""
        return abs(self.delta) / self.previous if self.previous else None


@dataclass(frozen=True)
class ProjectFigures:
    name: str
    project: Project
    amount: Decimal | None  # None: shares a line with other projects, its own amount is unknown
    fiscal: Decimal | None
    other: Decimal | None
    plan: tuple[Decimal, ...] | None
    exact: tuple[Decimal, Decimal, Decimal] | None = None  # amount, fiscal, other — exact in the input unit
    codes: tuple[str, ...] = ()  # the 项 its money is on


@dataclass(frozen=True)
class PurchaseRow:
    unit: str
    source: str
    source_budget: Decimal
    item: PurchaseItem
    amount: Decimal  # 数量 × 单价, rounded half-up to 0.01 万元: the leaf of the procurement table (X13)

    @property
    def sme_amount(self) -> Decimal:
        share = self.item.sme_share
        if share is True:
            return self.amount
        if share is False:
            return ZERO
        return share


@dataclass(frozen=True)
class Procurement:
    rows: tuple[PurchaseRow, ...]

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(r.unit for r in self.rows))

    def _rows(self, unit: str | None) -> list[PurchaseRow]:
        return [r for r in self.rows if unit is None or r.unit == unit]

    def amount(self, unit: str | None = None, funds: Iterable[str] | None = None) -> Decimal:
        funds = None if funds is None else set(funds)
        return total(r.amount for r in self._rows(unit) if funds is None or r.item.fund in funds)

    def share(self, unit: str | None = None) -> Decimal:
        return total(r.sme_amount for r in self._rows(unit))

    @property
    def fixed_assets(self) -> Decimal:
        return total(r.amount for r in self.rows if r.item.fixed_asset)

    def by_source(self) -> list[SourceProcurement]:
        """Each purchase source (a project, or a named source) of each unit: its 货物, 工程 and 服务
        amounts, their total and the share reserved for SMEs (万元, from the item leaves)."""
        found = []
        for unit in self.units:
            for source in dict.fromkeys(r.source for r in self._rows(unit)):
                rows = [r for r in self._rows(unit) if r.source == source]
                kinds = tuple(total(r.amount for r in rows if r.item.procurement_kind == k) for k in PROCUREMENT_KINDS)
                found.append(
                    SourceProcurement(
                        unit, source, kinds, total(r.amount for r in rows), total(r.sme_amount for r in rows)
                    )
                )
        return found

    def totals(self) -> SourceProcurement:
        rows = self.rows
        kinds = tuple(total(r.amount for r in rows if r.item.procurement_kind == k) for k in PROCUREMENT_KINDS)
        return SourceProcurement("", "合计", kinds, self.amount(), self.share())

    def purchased_services(self) -> list[PurchaseRow]:
        return [r for r in self.rows if r.item.purchased_service]

    def purchased_services_total(self) -> Decimal:
        return total(r.amount for r in self.purchased_services())


PROCUREMENT_KINDS = ("货物", "工程", "服务")


@dataclass(frozen=True)
class SourceProcurement:
    unit: str
    source: str
    by_kind: tuple[Decimal, ...]  # 货物, 工程, 服务
    amount: Decimal
    sme: Decimal


# ---------------------------------------------------------------- the statement


@dataclass
class Statement:
    unit: Unit
    year: int
    income: Hierarchy  # 收入总表
    expense: Hierarchy  # 支出总表
    fiscal: dict[str, Hierarchy]  # 一般公共预算 / 政府性基金 / 国有资本经营 财政拨款支出表
    economic: Hierarchy  # 一般公共预算财政拨款基本支出表
    expense_by_class: dict[int, Decimal]
    fiscal_by_class: dict[str, dict[int, Decimal]]
    fiscal_class_total: dict[int, Decimal]  # Σ of the three fiscal funds per class, rounded once
    class_exact: dict[str, dict[int, Decimal]]  # "expense" / "fiscal" / a fiscal fund -> class -> exact
    figures: dict[str, Decimal]  # every named total, printed (万元, 0.01)
    exact: dict[str, Decimal]  # the same names, exact in the input unit (for checks)
    exact_codes: dict[str, Decimal]  # every 类/款/项 (支出总表 合计) and economic 类/款 (基本支出表 合计), exact
    three_public_by_fund: dict[str, dict[str, Decimal]]  # row name -> fiscal fund -> printed
    projects: dict[str, ProjectFigures]
    project_by_class: tuple[tuple[str, Decimal], ...]
    operating_items: tuple[tuple[str, str, Decimal], ...]  # (code, name, amount) of the 302/310 款
    procurement: Procurement
    changes: dict[str, Change]
    _ledger: Ledger = field(repr=False)

    def __getitem__(self, name: str) -> Decimal:
        return self.figures[name]

    def printed(self, exact: Decimal) -> Decimal:
        return to_wan(exact, self.unit)

    def income_of(self, funds: Iterable[str]) -> Decimal:
        """This year's income of a group of funds the set prints in one row: its exact sum, rounded once."""
        return self.printed(_income_this_year(self._ledger, funds))

    def income_of_exact(self, funds: Iterable[str]) -> Decimal:
        return _income_this_year(self._ledger, funds)

    def three_public_exact(self, row: str, fund: str | None = None) -> Decimal:
        items = THREE_PUBLIC_ROWS[row]
        keep = (fund,) if fund is not None else FISCAL_FUNDS
        return total(self._ledger.three_public[item].get(f, ZERO) for item in items for f in keep)

    def vehicle_count(self, counts: VehicleCounts) -> int:
        """All vehicles of the eight uses (counts, not money, but a total all the same)."""
        return sum(counts.by_use().values())

    def project_totals(self) -> tuple[Decimal, Decimal, Decimal]:
        """合计, 财政拨款, 其他 of the projects whose own amount is known, exact."""
        known = [p.exact for p in self.projects.values() if p.exact is not None]
        return (total(k[0] for k in known), total(k[1] for k in known), total(k[2] for k in known))

    def expense_by_class_fiscal(self, number: int) -> Decimal:
        return self.fiscal_class_total.get(number, ZERO)

    def fiscal_expense_total(self, fund: str) -> Decimal:
        return self.figures[f"fiscal.{fund}.expense_total"]

    def three_public(self, row: str, fund: str | None = None) -> Decimal:
        by_fund = self.three_public_by_fund[row]
        return by_fund[fund] if fund is not None else self.figures[f"three_public.{row}"]


def _economic_by_class(ledger: Ledger) -> dict[str, dict[int, Decimal]]:
    """人员经费 and 公用经费 by 类, where every economic line names the 项 it is spent under;
    nothing where any line does not (the split cannot then be known)."""
    if not ledger.economic or any(item.function_code is None for item in ledger.economic):
        return {}
    numbers = {cls.code: cls.number for cls in catalog.expenditure_classes() if cls.code}
    found: dict[str, dict[int, Decimal]] = {"人员经费": {}, "公用经费": {}}
    for item in ledger.economic:
        number = numbers.get((item.function_code or "")[:3])
        if number is not None:
            by_class = found[item.category]
            by_class[number] = by_class.get(number, ZERO) + item.amount
    return found


def _sum_lines(ledger: Ledger, keep: Callable[[Line], bool] = lambda line: True) -> Decimal:
    return total(line.amount for line in ledger.lines if keep(line))


def _carried_in(ledger: Ledger, funds: Iterable[str] | None = None) -> Decimal:
    funds = set(funds) if funds is not None else None
    return _sum_lines(ledger, lambda entry: entry.carried_over and (funds is None or entry.fund in funds))


def _income_this_year(ledger: Ledger, funds: Iterable[str]) -> Decimal:
    """Current-year income of these funds: what they pay for this year plus what they leave for next year."""
    funds = set(funds)
    spent = _sum_lines(ledger, lambda entry: not entry.carried_over and entry.fund in funds)
    return spent + total(v for f, v in ledger.year_end_balance.items() if f in funds)


def _year_end(ledger: Ledger, funds: Iterable[str] | None = None) -> Decimal:
    funds = set(funds) if funds is not None else None
    return total(v for f, v in ledger.year_end_balance.items() if funds is None or f in funds)


def _in_fund(fund: str) -> Callable[[Line], bool]:
    return lambda line: line.fund == fund


def _class_amounts(ledger: Ledger, keep: Callable[[Line], bool] = lambda line: True) -> dict[int, Decimal]:
    amounts: dict[int, Decimal] = {}
    for line in ledger.lines:
        number = catalog.class_number(line.code)
        if number is not None and keep(line):
            amounts[number] = amounts.get(number, ZERO) + line.amount
    return amounts


def _leaves(lines: Iterable[Line], vector_of: Callable[[Line], Vector]) -> list[tuple[str, Vector]]:
    return [(line.code, vector_of(line)) for line in lines]


def project_amounts(ledger: Ledger) -> dict[str, Decimal | None]:
    """Each project's exact amount; None when its money shares a line with other projects."""
    amounts: dict[str, Decimal | None] = {}
    for line in ledger.lines:
        if len(line.projects) == 1:
            name = line.projects[0]
            current = amounts.get(name, ZERO)
            amounts[name] = None if current is None else current + line.amount
        for name in line.projects if len(line.projects) > 1 else ():
            amounts[name] = None
    return amounts


# ---------------------------------------------------------------- the named figures

Compute = Callable[[Ledger, dict[str, Decimal]], Decimal]


@dataclass(frozen=True)
class Figure:
    """A named total of the statement: its stable name, what it means in Chinese (for `templates
    vars`, the batch summary and messages) and how it is computed, exact, from the ledger (and the
    figures above it)."""

    name: str
    meaning: str
    compute: Compute


def _lines(keep: Callable[[Line], bool] = lambda line: True) -> Compute:
    return lambda ledger, _: _sum_lines(ledger, keep)


def _economic(keep: Callable[[EconomicAmount], bool]) -> Compute:
    return lambda ledger, _: total(e.amount for e in ledger.economic if keep(e))


def _income_of(fund: str) -> Compute:
    return lambda ledger, _: _income_this_year(ledger, [fund])


def _plus(*names: str) -> Compute:
    return lambda _, exact: total(exact[name] for name in names)


def _fund_figures(fund: str) -> tuple[Figure, ...]:
    return (
        Figure(f"fiscal.{fund}.spent", f"{fund}财政拨款本年支出", _lines(_in_fund(fund))),
        Figure(f"fiscal.{fund}.carried_in", f"{fund}财政拨款年初结转", lambda ledger, _: _carried_in(ledger, [fund])),
        Figure(f"fiscal.{fund}.carried_out", f"{fund}财政拨款年末结转", lambda ledger, _: _year_end(ledger, [fund])),
        Figure(
            f"fiscal.{fund}.expense_total",
            f"{fund}财政拨款支出总计",
            _plus(f"fiscal.{fund}.spent", f"fiscal.{fund}.carried_out"),
        ),
    )


def _three_public(row: str, leaves: tuple[str, ...]) -> Figure:
    meaning = next(r.name for r in THREE_PUBLIC_TREE if r.key == row)
    return Figure(
        f"three_public.{row}",
        f"财政拨款“三公”经费：{meaning}",
        lambda ledger, _: total(ledger.three_public[item].get(f, ZERO) for item in leaves for f in FISCAL_FUNDS),
    )


FIGURES: tuple[Figure, ...] = (
    Figure("income.this_year", "本年收入合计", lambda ledger, _: _income_this_year(ledger, FUNDS)),
    Figure("income.carried_in", "上年结转结余", lambda ledger, _: _carried_in(ledger)),
    Figure("income.total", "收入总计", _plus("income.this_year", "income.carried_in")),
    Figure("expense.this_year", "本年支出合计", _lines()),
    Figure("expense.carried_out", "年终结转结余", lambda ledger, _: _year_end(ledger)),
    Figure("expense.total", "支出总计", _plus("expense.this_year", "expense.carried_out")),
    Figure("expense.basic", "基本支出", _lines(lambda entry: entry.kind == "基本")),
    Figure("expense.project", "项目支出", _lines(lambda entry: entry.kind == "项目")),
    Figure(
        "expense.project.unassigned",
        "没有对应项目的项目支出",
        _lines(lambda entry: entry.kind == "项目" and not entry.projects),
    ),
    Figure(
        "expense.basic.general_budget",
        "一般公共预算基本支出（按功能分类）",
        _lines(lambda entry: entry.fund == "一般公共预算" and entry.kind == "基本"),
    ),
    Figure("expense.personnel", "人员经费", _economic(lambda e: e.category == "人员经费")),
    Figure("expense.public", "公用经费（机关运行经费）", _economic(lambda e: e.category == "公用经费")),
    Figure("economic.total", "基本支出（按经济分类）", _plus("expense.personnel", "expense.public")),
    Figure("operating.goods", "商品和服务支出（302）", _economic(lambda e: e.code.startswith("302"))),
    Figure("operating.capital", "资本性支出（310）", _economic(lambda e: e.code.startswith("310"))),
    *(Figure(f"income.fund.{fund}", f"{fund}收入", _income_of(fund)) for fund in FUNDS),
    *(figure for fund in FISCAL_FUNDS for figure in _fund_figures(fund)),
    Figure("fiscal.income", "财政拨款收入", lambda ledger, _: _income_this_year(ledger, FISCAL_FUNDS)),
    Figure("fiscal.carried_in", "年初财政拨款结转和结余", lambda ledger, _: _carried_in(ledger, FISCAL_FUNDS)),
    Figure("fiscal.income_total", "财政拨款收入总计", _plus("fiscal.income", "fiscal.carried_in")),
    Figure("fiscal.spent", "财政拨款本年支出", _lines(lambda entry: entry.fund in FISCAL_FUNDS)),
    Figure("fiscal.carried_out", "年末财政拨款结转和结余", lambda ledger, _: _year_end(ledger, FISCAL_FUNDS)),
    Figure("fiscal.expense_total", "财政拨款支出总计", _plus("fiscal.spent", "fiscal.carried_out")),
    *(_three_public(row, leaves) for row, leaves in THREE_PUBLIC_ROWS.items()),
)
MEANINGS = {figure.name: figure.meaning for figure in FIGURES}


def build_statement(budget: Budget, ledger: Ledger) -> Statement:
    def printed(exact: Decimal) -> Decimal:
        return to_wan(exact, ledger.unit)  # the one rounding of every figure

    exact: dict[str, Decimal] = {}
    for figure in FIGURES:  # in order: a figure may add up figures declared above it
        exact[figure.name] = figure.compute(ledger, exact)
    three_public_exact = {
        row: {fund: total(ledger.three_public[item].get(fund, ZERO) for item in items) for fund in FISCAL_FUNDS}
        for row, items in THREE_PUBLIC_ROWS.items()
    }

    figures = {name: printed(value) for name, value in exact.items()}
    exact_codes: dict[str, Decimal] = {}
    for line in ledger.lines:
        for code in function_parents(line.code) + [line.code]:
            exact_codes[code] = exact_codes.get(code, ZERO) + line.amount
    for item in ledger.economic:
        for code in economic_parents(item.code) + [item.code]:
            exact_codes[code] = exact_codes.get(code, ZERO) + item.amount
    procurement = _procurement(budget, ledger, printed)
    figures["procurement.total"] = procurement.amount()
    figures["procurement.fixed_assets"] = procurement.fixed_assets
    if budget.procurement_summary is not None:
        typed = budget.procurement_summary
        figures["procurement.by_kind"] = typed.goods + typed.works + typed.services  # typed in 万元
    assets = _assets_total(budget)
    if assets is not None:
        figures["assets.total"] = assets

    economic = _hierarchy(
        ((e.code, _economic_vector(e)) for e in ledger.economic),
        ECONOMIC_COLUMNS,
        economic_parents,
        ledger.economic_name,
        printed,
    )
    names = {cls.number: cls.name for cls in catalog.expenditure_classes()}
    projects = _projects(budget, ledger, printed)
    statement = Statement(
        unit=ledger.unit,
        year=ledger.year,
        income=_hierarchy(
            _leaves(ledger.lines, _income_vector), INCOME_COLUMNS, function_parents, ledger.function_name, printed
        ),
        expense=_hierarchy(
            _leaves(ledger.lines, _expense_vector), EXPENSE_COLUMNS, function_parents, ledger.function_name, printed
        ),
        fiscal={
            fund: _hierarchy(
                _leaves((entry for entry in ledger.lines if entry.fund == fund), _fund_vector),
                FUND_COLUMNS,
                function_parents,
                ledger.function_name,
                printed,
            )
            for fund in FISCAL_FUNDS
        },
        economic=economic,
        expense_by_class={n: printed(v) for n, v in _class_amounts(ledger).items()},
        fiscal_by_class={
            fund: {n: printed(v) for n, v in _class_amounts(ledger, _in_fund(fund)).items()} for fund in FISCAL_FUNDS
        },
        fiscal_class_total={
            n: printed(v) for n, v in _class_amounts(ledger, lambda entry: entry.fund in FISCAL_FUNDS).items()
        },
        class_exact={
            "expense": _class_amounts(ledger),
            "basic": _class_amounts(ledger, lambda entry: entry.kind == "基本"),
            "project": _class_amounts(ledger, lambda entry: entry.kind == "项目"),
            **_economic_by_class(ledger),
            "fiscal": _class_amounts(ledger, lambda entry: entry.fund in FISCAL_FUNDS),
            **{fund: _class_amounts(ledger, _in_fund(fund)) for fund in FISCAL_FUNDS},
        },
        figures=figures,
        exact=exact,
        exact_codes=exact_codes,
        three_public_by_fund={
            row: {fund: printed(v) for fund, v in by_fund.items()} for row, by_fund in three_public_exact.items()
        },
        projects={p.name: p for p in projects},
        project_by_class=tuple(
            (names[number], printed(amount))
            for number, amount in sorted(_class_amounts(ledger, lambda entry: entry.kind == "项目").items())
            if amount
        ),
        operating_items=tuple(
            (n.code, n.name or n.code, n.values[0])
            for n in economic.nodes
            if n.level == 1 and n.code[:3] in ("302", "310")
        ),
        procurement=procurement,
        changes={},
        _ledger=ledger,
    )
    statement.changes = _changes(budget, statement)
    return statement


def _projects(budget: Budget, ledger: Ledger, printed: Callable[[Decimal], Decimal]) -> list[ProjectFigures]:
    amounts = project_amounts(ledger)
    result = []
    for project in budget.projects:
        exact = amounts.get(project.name)
        amount = printed(exact) if exact is not None else None
        fiscal = other = exact_parts = None
        lines = [entry for entry in ledger.lines if entry.projects == (project.name,)]
        if exact is not None:
            fiscal_exact = total(entry.amount for entry in lines if entry.fund in FISCAL_FUNDS)
            other_exact = total(entry.amount for entry in lines if entry.fund not in FISCAL_FUNDS)
            fiscal, other = printed(fiscal_exact), printed(other_exact)
            exact_parts = (exact, fiscal_exact, other_exact)
        plan = None
        if project.spending_plan is not None:
            plan = tuple(project.spending_plan)
        elif amount is not None:
            plan = tuple(round_half_up(amount * share) for share in SPENDING_PLAN_SHARES)  # X17
        codes = tuple(dict.fromkeys(entry.code for entry in lines))
        result.append(ProjectFigures(project.name, project, amount, fiscal, other, plan, exact_parts, codes))
    return result


def _procurement(budget: Budget, ledger: Ledger, printed: Callable[[Decimal], Decimal]) -> Procurement:
    amounts = project_amounts(ledger)
    rows = []
    for unit in budget.procurement:
        for source in unit.sources:
            if source.project is not None:
                exact = amounts.get(source.project)
                budget_amount, label = (printed(exact) if exact is not None else ZERO), source.project
            else:
                budget_amount, label = source.budget or ZERO, source.name or ""  # the model requires both here
            for item in source.items:
                rows.append(
                    PurchaseRow(unit.unit, label, budget_amount, item, round_half_up(item.quantity * item.price))
                )
    return Procurement(tuple(rows))


def _assets_total(budget: Budget) -> Decimal | None:
    """资产总额 = Σ rows 1–4 (the 其中 办公用房 row is part of 房屋, X15)."""
    assets = budget.assets
    parts = [assets.buildings, assets.vehicles, assets.large_equipment, assets.general_equipment, assets.other]
    values = [p.value for p in parts if p is not None and p.value is not None]
    return total(values) if values else None


def _changes(budget: Budget, statement: Statement) -> dict[str, Change]:
    prior = budget.prior_year
    figures = statement.figures
    result: dict[str, Change] = {}
    if prior.basic is not None and prior.project is not None:
        result["total"] = Change(figures["expense.total"], prior.basic + prior.project)
        result["basic"] = Change(figures["expense.basic"], prior.basic)
        result["project"] = Change(figures["expense.project"], prior.project)
    if prior.personnel is not None:
        result["personnel"] = Change(figures["expense.personnel"], prior.personnel)
    if prior.public is not None:
        result["public"] = Change(figures["expense.public"], prior.public)
    if prior.three_public is not None:
        for row, items in PRIOR_THREE_PUBLIC_ROWS.items():
            result[f"three_public.{row}"] = Change(
                figures[f"three_public.{row}"], total(prior.three_public.get(i, ZERO) for i in items)
            )
    elif prior.three_public_total is not None:
        result["three_public.total"] = Change(figures["three_public.total"], prior.three_public_total)
    if prior.fiscal is not None:
        result["fiscal"] = Change(figures["fiscal.spent"], total(prior.fiscal.values()))
        prior_by_fund: dict[str, Decimal] = {str(fund): value for fund, value in prior.fiscal.items()}
        for fund in FISCAL_FUNDS:
            result[f"fiscal.{fund}"] = Change(figures[f"fiscal.{fund}.spent"], prior_by_fund.get(fund, ZERO))
    for code, note in budget.item_notes.items():
        if note.prior_execution is not None:
            # against the exact amount, so the % is not skewed by the cent the amount is printed to
            exact = statement.exact_codes.get(code, ZERO)
            result[f"item.{code}"] = Change(
                exact / YUAN_PER_WAN if statement.unit == "元" else exact, note.prior_execution
            )
    return result


def city_totals(departments: Iterable[dict[str, Decimal]]) -> dict[str, Decimal]:
    """A city's totals row: each figure the sum of its departments' printed figures."""
    totals: dict[str, Decimal] = {}
    for figures in departments:
        for name, value in figures.items():
            totals[name] = totals.get(name, ZERO) + value
    return totals
