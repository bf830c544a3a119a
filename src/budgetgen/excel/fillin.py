"""The fill-in workbook: a department typed in Excel/WPS instead of YAML.

`budgetgen new 名称 --xlsx` writes the complete workbook (every part, laid out from the input model
by excel/complete.py); `check` and `build` read it directly, every value located as 工作表!单元格;
`budgetgen import 填写表.xlsx -o 部门.yaml` turns it into YAML and `budgetgen workbook 部门.yaml`
turns a YAML department back into the workbook. Workbooks of the earlier, numbers-only layout
(支出明细, 基本支出经济分类, 三公经费, 项目, 上年) read the same way: their sheets are a subset.
"""

from __future__ import annotations

from pathlib import Path

from ..loading import Loaded
from ..model import Budget
from .complete import department_workbook, is_complete, load_complete
from .workbook import Sheet

MARKER_SHEET = "支出明细"


def is_fillin(sheets: list[Sheet]) -> bool:
    return is_complete(sheets) or any(sheet.name == MARKER_SHEET for sheet in sheets)


def load_fillin(path: Path, read: list[Sheet] | None = None) -> Loaded:
    return load_complete(path, read)


def budget_workbook(budget: Budget) -> bytes:
    """The complete workbook of a department, every part filled in as the department has it."""
    return department_workbook(budget.model_dump(by_alias=True, exclude_none=True), budget.year)


def fillin_yaml(path: Path, read: list[Sheet] | None = None) -> str:
    """The department of a filled-in workbook as YAML: what the workbook holds, nothing added."""
    from ..yamledit import plain_yaml

    loaded = load_fillin(path, read)
    header = (
        f"由工作簿 {path.name} 转换（budgetgen import）。\nyaml-language-server: $schema=../schemas/budget.schema.json"
    )
    return plain_yaml(loaded.data, header)
