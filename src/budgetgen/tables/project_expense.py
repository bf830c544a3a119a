"""项目支出表: one row per project — its 项目编码, name, the 功能分类科目 its money is on, and the
amount with its 财政拨款 and other parts (as Beijing prints it)."""

from __future__ import annotations

from .base import Column, Context, Row, Table, TableKind, TableOptions, fill_year


class ProjectExpenseOptions(TableOptions):
    labels: tuple[str, str, str, str, str, str] = (
        "项目编码",
        "项目名称",
        "功能分类科目",
        "合计",
        "财政拨款",
        "其他资金",
    )


def build(key: str, options: ProjectExpenseOptions, context: Context) -> Table:
    labels = options.labels
    columns = [Column(labels[0], kind="code"), Column(labels[1]), Column(labels[2], kind="code")]
    columns += [Column(label, (), True, "amount") for label in labels[3:]]
    rows = []
    for project in context.statement.projects.values():
        if project.exact is None:
            continue
        code = project.project.project_code or ""
        rows.append(Row((code, project.name, "、".join(project.codes), *project.exact)))
    if not rows:
        note = fill_year(options.empty_note, context.year) if options.empty_note else None
        return Table(key, fill_year(options.title, context.year), columns, [], note, options, context.statement.unit)
    total_row = Row(("", "合计", "", *context.statement.project_totals()), role="total")
    rows = rows + [total_row] if options.total == "last" else [total_row] + rows
    return Table(key, fill_year(options.title, context.year), columns, rows, None, options, context.statement.unit)


KIND = TableKind("项目支出表", "逐个项目的支出（项目编码、功能科目、财政拨款与其他资金）", ProjectExpenseOptions, build)
