"""Tables inside the explanatory sections (units, project goals and indicators, procurement,
assets): no 栏次 row, a level-3 title, not listed in the contents."""

from __future__ import annotations

from decimal import Decimal

from ..document import BodyRow, Cell, HeaderCell, Merge, TableBlock, TopLine
from ..model import INDICATOR_LEVELS, Indicator
from ..money import format_amount
from ..narrative import Narrator
from ..wording import fill, wording_values


def _header_cells(labels):
    return [HeaderCell(label, 0, i) for i, label in enumerate(labels)]


def embedded_table(
    anchor: str, title: str, rows, widths, align, header=(), header_rows: int | None = None, **options
) -> TableBlock:
    """A table inside the explanatory part: a level-3 title, no 栏次 row, not listed in the contents."""
    settings = dict(top_line=None, new_page=False, title_level=3, in_contents=False)
    settings.update(options)
    return TableBlock(
        anchor=anchor,
        title=title,
        header=tuple(header),
        header_rows=(1 if header else 0) if header_rows is None else header_rows,
        column_count=len(widths),
        column_numbers=None,
        rows=tuple(rows),
        align=tuple(align),
        widths=tuple(widths),
        **settings,
    )


def fill_page_top(n: Narrator, side: str) -> str:
    values = {**wording_values(n.analysis.budget), "unit_line": "单位：万元"}  # these tables print 万元
    return fill(getattr(n.theme.config.page_top, side), values)


INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")


INDICATOR_WIDTHS = (1.2, 1.4, 2.2, 2.6, 1.4, 2.2)


def indicator_block(indicators: list[Indicator], anchor: str, canonical: bool = False) -> TableBlock:
    """Rows in the order typed (the approved order, SPEC §5), or sorted when the set asks for it.
    Consecutive rows of one 一级指标 share a merged cell (layout.fit_columns splits one too tall
    to keep on a page)."""
    ordered = sorted(indicators, key=_canonical_order) if canonical else list(indicators)
    rows = tuple(BodyRow((i.level1, i.level2, i.level3, i.description, i.value, i.basis)) for i in ordered)
    merges = []
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or ordered[index].level1 != ordered[start].level1:
            if index - start > 1:
                merges.append(Merge(start, 0, index - start, 1))
            start = index
    align = ("center", "center", "left", "left", "center", "left")
    return embedded_table(
        anchor, "", rows, INDICATOR_WIDTHS, align, _header_cells(INDICATOR_HEADER), merges=tuple(merges), continues=True
    )


def _canonical_order(indicator: Indicator) -> tuple[int, int]:
    """产出 → 效益 → 满意度; within each, the SPEC's 二级 order. Equal keys keep input order."""
    levels = list(INDICATOR_LEVELS)
    return levels.index(indicator.level1), INDICATOR_LEVELS[indicator.level1].index(indicator.level2)


def project_goal_block(project, title: str, anchor: str) -> TableBlock:
    goals = "\n".join(f"{i}.{g}" for i, g in enumerate(project.project.goals, start=1))
    rows = (BodyRow(("绩效目标", goals, "", "", "", "")),)
    return embedded_table(
        anchor,
        title,
        rows,
        INDICATOR_WIDTHS,
        ("center", "left", "left", "left", "left", "left"),
        merges=(Merge(0, 1, 1, 5),),
    )


def project_budget_block(n: Narrator, project, title: str, anchor: str) -> TableBlock:
    """2025 header block: 项目编码, 预算规模及资金用途, 资金支出计划, 绩效目标 (SPEC §5)."""
    p = project.project
    plan = project.plan or ()
    periods = n.setting("performance.spending_plan_periods")
    goals = "\n".join(f"{i}.{g}" for i, g in enumerate(p.goals, start=1))
    amount = lambda v: Cell(format_amount(v) if v is not None else "", "amount", v)  # noqa: E731
    rows = (
        BodyRow(("项目编码", Cell(p.project_code or "", "code"), "", "项目名称", p.name, "", "")),
        BodyRow(
            (
                "预算规模及资金用途",
                "预算数",
                amount(project.amount),
                "其中：财政资金",
                amount(project.fiscal),
                "其他资金",
                amount(project.other),
            )
        ),
        BodyRow(("", p.purpose or "", "", "", "", "", "")),
        BodyRow((n.say("performance.spending_plan_header"), periods[0], "", periods[1], "", periods[2], periods[3])),
        BodyRow(("", *(_plan_cells(plan)))),
        BodyRow(("绩效目标", goals, "", "", "", "", "")),
    )
    merges = (
        Merge(0, 1, 1, 2),
        Merge(0, 4, 1, 3),
        Merge(1, 0, 2, 1),
        Merge(2, 1, 1, 6, align="left"),
        Merge(3, 0, 2, 1),
        Merge(3, 1, 1, 2),
        Merge(3, 3, 1, 2),
        Merge(4, 1, 1, 2),
        Merge(4, 3, 1, 2),
        Merge(5, 1, 1, 6, align="left"),
    )
    widths = (1.6, 1.0, 1.0, 1.4, 1.6, 1.0, 1.4)
    return embedded_table(
        anchor, title, rows, widths, ("center",) * 7, merges=merges, top_line=TopLine("", "", "单位：万元")
    )


def _plan_cells(plan: tuple[Decimal, ...]) -> tuple[Cell, ...]:
    values = [Cell(format_amount(v), "amount", v) if v else Cell("") for v in plan] + [Cell("")] * (4 - len(plan))
    return (values[0], "", values[1], "", values[2], values[3])


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")
