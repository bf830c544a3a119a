"""Wording from the template set, as plain data for the composer and the table views.

The statement and the checks never see a set; here its settings become the labels, titles and
groupings that are applied when a document is composed.
"""

from __future__ import annotations

import re
from typing import Mapping

from .model import Budget
from .tables import TABLE_KEYS, TableWording
from .theme import Theme

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# theme.yaml's keys for the 三公 rows → the statement's row names
_THREE_PUBLIC_KEYS = {
    "合计": "total",
    "小计": "subtotal",
    "因公出国": "abroad",
    "教学科研人员因公出国（境）费": "abroad.research",
    "其他因公出国（境）费": "abroad.other",
    "公务用车": "vehicles",
    "公务用车购置费": "vehicles.purchase",
    "公务用车运行维护费": "vehicles.operation",
    "公务接待费": "reception",
}


def fill(template: str, values: Mapping[str, object]) -> str:
    """Substitute `{name}` placeholders of theme wording; unknown names stay as written.

    Deliberately not str.format: a theme must not reach attributes such as {x.__class__}.
    """
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), str(template))


def wording_values(budget: Budget) -> dict[str, object]:
    department = budget.department
    return {
        "code": department.code,
        "name": department.name,
        "year": budget.year,
        "previous_year": budget.year - 1,
        "level": department.level,
        "unit": "万元",
    }


def table_wording(theme: Theme) -> TableWording:
    summary = theme.require("tables.收支总表")
    fiscal = theme.require("tables.财政拨款收支总表")
    three_public = theme.require("tables.三公经费支出表.labels")
    return TableWording(
        titles={key: str(theme.require(f"tables.{key}.title")) for key in TABLE_KEYS},
        empty_notes={key: str(theme.get(f"tables.{key}.empty_note")) for key in TABLE_KEYS if theme.get(f"tables.{key}.empty_note")},
        summary_income_rows=tuple((str(row["label"]), tuple(row["funds"])) for row in summary["income_rows"]),
        summary_labels={k: str(v) for k, v in summary["labels"].items()},
        fiscal_income_rows=tuple((str(row["label"]), str(row["fund"])) for row in fiscal["income_rows"]),
        fiscal_labels={k: str(v) for k, v in fiscal["labels"].items()},
        class_31_label=str(theme.require("tables.class_31_label")),
        three_public_labels={_THREE_PUBLIC_KEYS[k]: str(v) for k, v in three_public.items() if k in _THREE_PUBLIC_KEYS},
    )
