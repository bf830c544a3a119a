"""The ledger: every typed amount as one flat list of line items, the single source of all tables.

A line item is (7-digit function code, fund, kind, exact amount, carried-over flag). Project money
written on a project becomes a line item here, so a number typed once is counted once. Amounts stay
in the input unit; the statement (statement.py) sums and rounds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import catalog
from .model import THREE_PUBLIC_ITEMS, Budget
from .money import YUAN_PER_WAN, Unit
from .problems import Path_


@dataclass(frozen=True)
class Line:
    code: str
    fund: str
    kind: str
    amount: Decimal
    carried_over: bool
    projects: tuple[str, ...]
    path: Path_  # where the amount was typed


@dataclass(frozen=True)
class EconomicAmount:
    code: str
    category: str  # 人员经费 | 公用经费
    amount: Decimal
    path: Path_
    function_code: str | None = None  # the 项 it is spent under, where the department says so


@dataclass
class Ledger:
    year: int
    unit: Unit
    lines: list[Line]
    economic: list[EconomicAmount]
    three_public: dict[str, dict[str, Decimal]]  # item -> fund -> exact amount
    year_end_balance: dict[str, Decimal]
    custom_names: dict[str, str] = field(default_factory=dict)  # typed in the file (first) or in a city catalog
    city_names: dict[str, str] = field(default_factory=dict)  # from the city catalogs alone, for checks

    def function_name(self, code: str) -> str | None:
        return self.custom_names.get(code) or catalog.function_codes().name(code, self.year)

    def economic_name(self, code: str) -> str | None:
        return self.custom_names.get(code) or catalog.economic_codes().name(code, self.year)

    def economic_national_name(self, code: str) -> str | None:
        return catalog.economic_codes().name(code, self.year)


def build_ledger(budget: Budget, city_names: dict[str, str] | None = None) -> Ledger:
    lines = [
        Line(
            item.code,
            item.fund,
            item.kind,
            item.amount,
            item.carried_over,
            tuple(item.project_names),
            ("支出", i, "金额"),
        )
        for i, item in enumerate(budget.expenditures)
    ]
    lines += [
        Line(p.code, p.fund, "项目", p.amount, p.carried_over, (p.name,), ("项目", i, "金额"))
        for i, p in enumerate(budget.projects)
        if p.code is not None and p.amount is not None
    ]
    economic = [
        EconomicAmount(e.code, e.resolved_category, e.amount, ("基本支出经济分类", i, "金额"), e.function_code)
        for i, e in enumerate(budget.economic_lines)
    ]
    names = dict(city_names or {})
    names.update(budget.code_names)
    names.update({item.code: item.name for item in budget.expenditures if item.name})
    names.update({e.code: e.name for e in budget.economic_lines if e.name})
    three_public = {
        item: {
            fund: _in_unit(amount, budget.three_public.unit or budget.unit, budget.unit)
            for fund, amount in amounts.items()
        }
        for item, amounts in budget.three_public.by_item().items()
    }
    assert tuple(three_public) == THREE_PUBLIC_ITEMS
    return Ledger(
        year=budget.year,
        unit=budget.unit,
        lines=lines,
        economic=economic,
        three_public=three_public,
        year_end_balance=dict(budget.year_end_balance),
        custom_names=names,
        city_names=dict(city_names or {}),
    )


def _in_unit(amount: Decimal, typed: Unit, unit: Unit) -> Decimal:
    """A block typed in its own unit, held in the file's unit: 万元 → 元 is exact; 元 → 万元 keeps
    every digit (no rounding here, the statement rounds once)."""
    if typed == unit:
        return amount
    return amount * YUAN_PER_WAN if unit == "元" else amount / YUAN_PER_WAN
