"""政府购买服务预算财政拨款明细表: the procurement items the department marks as 政府购买服务, with
their unit, source, catalogue code and amount (万元, as typed in the procurement items)."""

from __future__ import annotations

from .base import Column, Context, Row, Table, TableKind, TableOptions, fill_year


class PurchasedServicesOptions(TableOptions):
    labels: tuple[str, str, str, str, str] = ("单位名称", "项目名称", "服务内容", "目录序号", "金额")


def build(key: str, options: PurchasedServicesOptions, context: Context) -> Table:
    procurement = context.statement.procurement
    labels = options.labels
    columns = [Column(labels[0]), Column(labels[1]), Column(labels[2]), Column(labels[3], kind="code")]
    columns.append(Column(labels[4], (), True, "amount"))
    title = fill_year(options.title, context.year)
    services = procurement.purchased_services()
    if not services:
        note = fill_year(options.empty_note, context.year) if options.empty_note else None
        return Table(key, title, columns, [], note, options, "万元")
    rows = [Row((r.unit, r.source, r.item.name, r.item.catalogue, r.amount)) for r in services]
    total_row = Row(("合计", "", "", "", procurement.purchased_services_total()), role="total")
    rows = rows + [total_row] if options.total == "last" else [total_row] + rows
    return Table(key, title, columns, rows, None, options, "万元")


KIND = TableKind("政府购买服务预算表", "标为政府购买服务的采购事项（万元）", PurchasedServicesOptions, build)
