"""Figures of the explanatory part, derived from the ledger and the computed tables.

Every amount the narrative quotes is computed here once, rounded like the table cell it comes
from; the sentence templates only place these figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import catalog
from .ledger import Ledger, project_amounts
from .model import FISCAL_FUNDS, FUNDS, Budget, Project, PurchaseItem
from .money import ZERO, round_half_up, total
from .tables import StandardTables, class_amounts

SPENDING_PLAN_SHARES = (Decimal("0.25"), Decimal("0.50"), Decimal("0.75"), Decimal("1"))


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
        return "增加" if self.delta > 0 else "减少" if self.delta < 0 else "持平"

    @property
    def amount(self) -> Decimal:
        return abs(self.delta)


@dataclass(frozen=True)
class ProjectFigures:
    name: str
    project: Project
    amount: Decimal | None  # None: shares a line with other projects, its own amount is unknown
    fiscal: Decimal | None
    other: Decimal | None
    plan: tuple[Decimal, ...] | None


@dataclass(frozen=True)
class PurchaseRow:
    unit: str
    source: str
    source_budget: Decimal
    item: PurchaseItem
    amount: Decimal  # 数量 × 单价, rounded half-up to 0.01

    @property
    def sme_amount(self) -> Decimal:
        share = self.item.sme_share
        if share is True:
            return self.amount
        if share is False:
            return ZERO
        return share


@dataclass
class Figures:
    income_total: Decimal
    expense_total: Decimal
    basic: Decimal
    project: Decimal
    personnel: Decimal
    public: Decimal
    carried_in: Decimal
    income_by_fund: dict[str, Decimal]
    project_by_class: list[tuple[str, Decimal]]
    projects: list[ProjectFigures]
    goods_and_services: Decimal
    capital: Decimal
    operating_items: list[tuple[str, str, Decimal]]  # (code, name, amount) of the 302/310 lines
    three_public: dict[str, Decimal]
    purchases: list[PurchaseRow] = field(default_factory=list)
    assets_total: Decimal | None = None

    @property
    def purchase_total(self) -> Decimal:
        return total(row.amount for row in self.purchases)

    @property
    def fixed_asset_purchases(self) -> Decimal:
        return total(row.amount for row in self.purchases if row.item.fixed_asset)

    def find_project(self, name: str) -> ProjectFigures | None:
        return next((p for p in self.projects if p.name == name), None)


def derive(budget: Budget, ledger: Ledger, tables: StandardTables) -> Figures:
    printed = ledger.printed
    t6_total = tables["一般公共预算财政拨款基本支出表"].rows
    personnel = t6_total[0].cells[3] if t6_total else ZERO
    public = t6_total[0].cells[4] if t6_total else ZERO
    by_class = class_amounts(ledger, lambda line: line.kind == "项目")
    names = {cls.number: cls.name for cls in catalog.expenditure_classes()}
    economic: dict[str, Decimal] = {}
    for item in ledger.economic:
        economic[item.code] = economic.get(item.code, ZERO) + item.amount
    operating = [(code, ledger.economic_name(code) or code, printed(amount)) for code, amount in sorted(economic.items()) if code[:3] in ("302", "310") and amount]
    three_public = {item: printed(total(v.values())) for item, v in ledger.three_public.items()}
    figures = Figures(
        income_total=printed(ledger.income_this_year(FUNDS) + ledger.carried_over()),
        expense_total=printed(ledger.sum_lines() + ledger.year_end()),
        basic=printed(ledger.sum_lines(lambda l: l.kind == "基本")),
        project=printed(ledger.sum_lines(lambda l: l.kind == "项目")),
        personnel=personnel or ZERO,
        public=public or ZERO,
        carried_in=printed(ledger.carried_over()),
        income_by_fund={fund: printed(ledger.income_this_year([fund])) for fund in FUNDS},
        project_by_class=[(names[number], printed(amount)) for number, amount in sorted(by_class.items()) if amount],
        projects=_projects(budget, ledger),
        goods_and_services=total(a for code, _, a in operating if code.startswith("302")),
        capital=total(a for code, _, a in operating if code.startswith("310")),
        operating_items=operating,
        three_public=three_public,
    )
    figures.purchases = _purchases(budget, figures)
    figures.assets_total = _assets_total(budget)
    return figures


def _projects(budget: Budget, ledger: Ledger) -> list[ProjectFigures]:
    amounts = project_amounts(ledger)
    result = []
    for project in budget.projects:
        exact = amounts.get(project.name)
        amount = ledger.printed(exact) if exact is not None else None
        fiscal = other = None
        if exact is not None:
            lines = [l for l in ledger.lines if l.projects == (project.name,)]
            fiscal = ledger.printed(total(l.amount for l in lines if l.fund in FISCAL_FUNDS))
            other = ledger.printed(total(l.amount for l in lines if l.fund not in FISCAL_FUNDS))
        plan = None
        if project.spending_plan is not None:
            plan = tuple(project.spending_plan)
        elif amount is not None:
            plan = tuple(round_half_up(amount * share) for share in SPENDING_PLAN_SHARES)
        result.append(ProjectFigures(project.name, project, amount, fiscal, other, plan))
    return result


def _purchases(budget: Budget, figures: Figures) -> list[PurchaseRow]:
    rows = []
    for unit in budget.procurement:
        for source in unit.sources:
            if source.project is not None:
                project = figures.find_project(source.project)
                budget_amount = project.amount if project and project.amount is not None else ZERO
                label = source.project
            else:
                budget_amount, label = source.budget, source.name
            for item in source.items:
                rows.append(PurchaseRow(unit.unit, label, budget_amount, item, round_half_up(item.quantity * item.price)))
    return rows


def _assets_total(budget: Budget) -> Decimal | None:
    assets = budget.assets
    parts = [assets.buildings, assets.vehicles, assets.large_equipment, assets.general_equipment, assets.other]
    values = [p.value for p in parts if p is not None and p.value is not None]
    return total(values) if values else None


def changes(budget: Budget, figures: Figures) -> dict[str, Change]:
    prior = budget.prior_year
    result: dict[str, Change] = {}
    if prior.basic is not None and prior.project is not None:
        result["total"] = Change(figures.expense_total, prior.basic + prior.project)
        result["basic"] = Change(figures.basic, prior.basic)
        result["project"] = Change(figures.project, prior.project)
    if prior.personnel is not None:
        result["personnel"] = Change(figures.personnel, prior.personnel)
    if prior.public is not None:
        result["public"] = Change(figures.public, prior.public)
    items = three_public_groups(figures.three_public)
    if prior.three_public is not None:
        # last year's 因公出国 is typed as one figure; it stands in the "other" sub-item
        before = three_public_groups(prior.three_public | {"其他因公出国（境）费": prior.three_public.get("因公出国（境）费", ZERO)})
        for key in ("合计", "因公出国（境）费", "公务用车购置及运维费", "公务接待费", "公务用车购置费", "公务用车运行维护费"):
            result[f"三公.{key}"] = Change(items[key], before[key])
    elif prior.three_public_total is not None:
        result["三公.合计"] = Change(items["合计"], prior.three_public_total)
    return result


def three_public_groups(items: dict[str, Decimal]) -> dict[str, Decimal]:
    get = lambda key: items.get(key, ZERO)  # noqa: E731
    abroad = get("教学科研人员因公出国（境）费") + get("其他因公出国（境）费")
    vehicles = get("公务用车购置费") + get("公务用车运行维护费")
    return {
        "合计": abroad + vehicles + get("公务接待费"),
        "因公出国（境）费": abroad,
        "公务用车购置及运维费": vehicles,
        "公务用车购置费": get("公务用车购置费"),
        "公务用车运行维护费": get("公务用车运行维护费"),
        "公务接待费": get("公务接待费"),
    }
