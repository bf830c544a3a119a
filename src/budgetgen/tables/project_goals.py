"""项目支出绩效目标表 as one table: for each project its amount and goals, then each indicator
(一级 | 二级 | 三级 | 指标值) on a row of its own."""

from __future__ import annotations

from .base import Column, Context, Row, Table, TableKind, TableOptions, fill_year


class ProjectGoalsOptions(TableOptions):
    labels: tuple[str, ...] = ("项目名称", "预算金额", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值")
    serial: bool = False
    column_numbers: bool = False


def build(key: str, options: ProjectGoalsOptions, context: Context) -> Table:
    labels = options.labels
    columns = [Column(labels[0]), Column(labels[1], (), True, "amount"), *(Column(label) for label in labels[2:])]
    rows = []
    for project in context.statement.projects.values():
        p = project.project
        amount = project.exact[0] if project.exact is not None else None
        goals = "；".join(p.goals)
        indicators = p.indicators or []
        first = indicators[0] if indicators else None
        rows.append(
            Row(
                (
                    p.name,
                    amount,
                    goals,
                    *((first.level1, first.level2, first.level3, first.value) if first else ("",) * 4),
                ),
                role="section",
            )
        )
        rows += [Row(("", None, "", i.level1, i.level2, i.level3, i.value)) for i in indicators[1:]]
    note = fill_year(options.empty_note, context.year) if not rows and options.empty_note else None
    return Table(key, fill_year(options.title, context.year), columns, rows, note, options, context.statement.unit)


KIND = TableKind("项目支出绩效目标表", "各项目的预算金额、绩效目标和绩效指标", ProjectGoalsOptions, build)
