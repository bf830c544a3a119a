"""SPEC §3 identities asserted on computed tables (printed values, 万元 mode: exact)."""

from dataclasses import replace
from decimal import Decimal

from budgetgen.tables import PrintedTables as StandardTables

ZERO = Decimal(0)


def printed_tables(tables: StandardTables) -> StandardTables:
    """The tables with every amount cell as printed (a table holds exact amounts in the input
    unit and prints each once, in its own unit)."""
    copies = {}
    for key, table in tables.tables.items():
        rows = [
            replace(row, cells=tuple(table.printed_value(c) if isinstance(c, Decimal) else c for c in row.cells))
            for row in table.rows
        ]
        copies[key] = replace(table, rows=rows, options=None)
    return StandardTables(copies)


def value(cell) -> Decimal:
    return cell if isinstance(cell, Decimal) else ZERO


def rows_by_code(table):
    return {row.cells[0]: row.cells for row in table.rows}


def assert_hierarchy(table, first_value: int, width: int) -> None:
    """H1/H2: 合计 = Σ 类; 类 = Σ 款; 款 = Σ 项 (T6: 类 = Σ 款), per column."""
    rows = rows_by_code(table)
    codes = [c for c in rows if c]
    for column in range(first_value, first_value + width):
        top = [c for c in codes if len(c) == 3]
        assert value(rows[""][column]) == sum((value(rows[c][column]) for c in top), ZERO), (table.key, "合计", column)
        for parent in codes:
            children = [c for c in codes if c != parent and c.startswith(parent) and len(c) == len(parent) + 2]
            if children:
                assert value(rows[parent][column]) == sum((value(rows[c][column]) for c in children), ZERO), (
                    table.key,
                    parent,
                    column,
                )


def assert_identities(tables: StandardTables) -> None:
    t1, t2, t3, t4 = (tables[k] for k in ("收支总表", "收入总表", "支出总表", "财政拨款收支总表"))
    t5, t6, t7, t8, t9 = (
        tables[k]
        for k in (
            "一般公共预算财政拨款支出表",
            "一般公共预算财政拨款基本支出表",
            "政府性基金预算财政拨款支出表",
            "国有资本经营预算财政拨款支出表",
            "三公经费支出表",
        )
    )
    assert_hierarchy(t2, 2, 10)
    assert_hierarchy(t3, 2, 6)
    for t in (t5, t7, t8):
        if t.rows:
            assert_hierarchy(t, 2, 3)
    if t6.rows:
        assert_hierarchy(t6, 2, 3)
    # H3, H4, H5 row sums
    for row in t2.rows:
        v = [value(c) for c in row.cells[2:]]
        assert v[0] == v[1] + v[9] and v[1] == sum(v[2:9], ZERO), row
    for row in t3.rows:
        v = [value(c) for c in row.cells[2:]]
        assert v[0] == sum(v[1:], ZERO), row
    for t in (t5, t6, t7, t8):
        for row in t.rows:
            v = [value(c) for c in row.cells[2:]]
            assert v[0] == v[1] + v[2], row
    # X1 same row set, same 合计
    assert [r.cells[0] for r in t2.rows] == [r.cells[0] for r in t3.rows]
    for a, b in zip(t2.rows, t3.rows, strict=True):
        assert value(a.cells[2]) == value(b.cells[2])
    # X2 (fiscal funds only here): T3 = T5 + T7 + T8 when no non-fiscal money
    # X3
    total5 = value(t5.rows[0].cells[3]) if t5.rows else ZERO
    total6 = value(t6.rows[0].cells[2]) if t6.rows else ZERO
    assert total5 == total6
    # X5 收支总表
    rows = [r.cells for r in t1.rows]
    income = sum((value(r[1]) for r in rows[:31]), ZERO)
    expense = sum((value(r[3]) for r in rows[:31]), ZERO)
    assert value(rows[31][1]) == income and value(rows[31][3]) == expense
    assert value(rows[33][1]) == value(rows[31][1]) + value(rows[32][1])
    assert value(rows[33][3]) == value(rows[31][3]) + value(rows[32][3])
    assert value(rows[33][1]) == value(rows[33][3])
    # X4 class rows = T3 类 rows
    t3_classes = {r.cells[0]: value(r.cells[2]) for r in t3.rows if len(r.cells[0]) == 3}
    assert sum(t3_classes.values(), ZERO) == expense
    # X6
    if t2.rows:
        assert value(rows[32][1]) == value(t2.rows[0].cells[11])
        assert value(rows[33][1]) == value(t2.rows[0].cells[2])
    # X7/X8 财政拨款收支总表
    r4 = [r.cells for r in t4.rows]
    assert value(r4[31][1]) == sum((value(r[1]) for r in r4[:3]), ZERO)
    assert value(r4[32][1]) == sum((value(r[1]) for r in r4[33:36]), ZERO)
    assert value(r4[36][1]) == value(r4[31][1]) + value(r4[32][1])
    for r in r4[:31]:
        assert value(r[3]) == value(r[4]) + value(r[5]) + value(r[6])
    for column, table in zip((4, 5, 6), (t5, t7, t8), strict=True):
        assert value(r4[31][column]) == (value(table.rows[0].cells[2]) if table.rows else ZERO)
        assert value(r4[36][column]) == value(r4[31][column]) + value(r4[32][column])
    assert value(r4[36][1]) == value(r4[36][3])
    # X9 三公
    r9 = [[value(c) for c in r.cells[1:]] for r in t9.rows]
    for v in r9:
        assert v[0] == v[1] + v[2] + v[3]
    assert r9[0] == r9[1]
    assert [a + b + c for a, b, c in zip(r9[2], r9[5], r9[8], strict=True)] == r9[1]
    assert [a + b for a, b in zip(r9[3], r9[4], strict=True)] == r9[2]
    assert [a + b for a, b in zip(r9[6], r9[7], strict=True)] == r9[5]


# The nine tables of the Hebei references (000/001/004), by their keys in the shipped Hebei sets.
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
