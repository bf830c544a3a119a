"""政府采购预算明细表: each purchase source (a project, or a named source) of each unit, with its
货物, 工程 and 服务 amounts, their total and the amount reserved for 中小企业 (as Beijing prints it,
by project rather than by item). Procurement is typed in 万元 (单价 × 数量), so this table's cells
are held in 万元 whatever the department file's unit."""

from __future__ import annotations

from ..statement import PROCUREMENT_KINDS
from .base import Column, Context, Row, Table, TableKind, TableOptions, fill_year


class ProcurementOptions(TableOptions):
    labels: tuple[str, str] = ("单位名称", "项目名称")
    kind_labels: tuple[str, str, str] = PROCUREMENT_KINDS
    group: str = "采购预算"
    total_label: str = "合计"
    sme_label: str = "预留中小企业份额"


def build(key: str, options: ProcurementOptions, context: Context) -> Table:
    procurement = context.statement.procurement
    columns = [Column(options.labels[0]), Column(options.labels[1])]
    columns += [Column(label, (options.group,), True, "amount") for label in options.kind_labels]
    columns += [
        Column(options.total_label, (options.group,), True, "amount"),
        Column(options.sme_label, (), True, "amount"),
    ]
    title = fill_year(options.title, context.year)
    sources = procurement.by_source()
    if not sources:
        note = fill_year(options.empty_note, context.year) if options.empty_note else None
        return Table(key, title, columns, [], note, options, "万元")
    rows = [Row((s.unit, s.source, *s.by_kind, s.amount, s.sme)) for s in sources]
    totals = procurement.totals()
    total_row = Row(("合计", "", *totals.by_kind, totals.amount, totals.sme), role="total")
    rows = rows + [total_row] if options.total == "last" else [total_row] + rows
    return Table(key, title, columns, rows, None, options, "万元")


KIND = TableKind("政府采购预算表", "政府采购预算按单位、项目及货物/工程/服务（万元）", ProcurementOptions, build)
