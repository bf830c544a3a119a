"""The department as forms on the web page, laid out from the input model — the same layout as the
complete workbook (excel/complete.py): a form per record, a grid per list, a matrix for 三公.

A posted form is read back as a workbook would be: its fields become the cells of virtual sheets,
which the workbook reader turns into the department (so the model validates a form exactly as it
validates a workbook or a YAML), and every problem, located at a cell, is shown next to its field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..excel.complete import (
    CODE_KEY,
    Form,
    Grid,
    Matrix,
    _cell_value,
    _choices,
    _get,
    _grid_rows,
    _note,
    layout,
    load_complete,
)
from ..excel.shape import Lines, Scalar
from ..excel.workbook import Sheet, cell_name

SEPARATOR = "\t"


@dataclass
class Input:
    name: str  # the posted field's name (also its id)
    kind: str  # text, lines, choice
    value: str
    choices: tuple[str, ...] = ()
    datalist: str = ""  # suggestions: the catalog's codes, the parent list's names
    label: str = ""
    note: str = ""


@dataclass
class Part:
    kind: str  # form, grid, matrix
    name: str
    inputs: list[Input] = field(default_factory=list)  # a form's fields, a matrix's scalars
    headers: list[str] = field(default_factory=list)
    template: list[Input] = field(default_factory=list)  # a grid's empty row (its names carry ROW)
    rows: list[list[Input]] = field(default_factory=list)
    matrix: list[tuple[str, list[Input]]] = field(default_factory=list)


ROW = "__ROW__"


def parts_of(data: dict) -> list[Part]:
    """Every part of the department as the page shows it, filled in from `data`."""
    return [_part(spec, data) for spec in layout()]


def _part(spec, data: dict) -> Part:
    if isinstance(spec, Form):
        return Part("form", spec.name, inputs=[_form_input(spec.name, row, _get(data, row.path)) for row in spec.rows])
    if isinstance(spec, Matrix):
        matrix = [
            (
                label,
                [
                    Input(_name("M", spec.name, label, key), "text", _shown(_get(data, spec.path + (label, key))))
                    for key in spec.keys
                ],
            )
            for label in spec.rows
        ]
        scalars = [_form_input(spec.name, row, _get(data, row.path)) for row in spec.scalars]
        return Part("matrix", spec.name, inputs=scalars, headers=["项目", *spec.keys], matrix=matrix)
    return _grid_part(spec, data)


def _form_input(sheet: str, row, value: Any) -> Input:
    node = row.node
    name = _name("F", sheet, row.label)
    if isinstance(node, Lines) and not node.single_or_list:
        text = "\n".join(_shown(v) for v in value) if isinstance(value, list) else _shown(value)
        return Input(name, "lines", text, label=row.label, note=_note(row))
    return Input(
        name,
        "choice" if _choices(node) else "text",
        _shown(_cell_value(value, node)),
        _choices(node),
        "",
        row.label,
        _note(row),
    )


def _grid_part(spec: Grid, data: dict) -> Part:
    headers = [*spec.ancestors, *([spec.mapping_key] if spec.mapping_key else []), *(c.header for c in spec.columns)]
    kinds = [("ancestor", None)] * len(spec.ancestors) + ([("key", None)] if spec.mapping_key else [])
    kinds += [("column", c) for c in spec.columns]

    def inputs(row_key: str, values: list[Any]) -> list[Input]:
        found = []
        for index, ((kind, column), value) in enumerate(zip(kinds, values, strict=True)):
            name = _name("G", spec.name, row_key, str(index))
            node = column.node if column is not None else Scalar("text")
            datalist = _datalist(spec, headers[index], kind)
            input_kind = (
                "lines"
                if isinstance(node, Lines) and not node.single_or_list
                else "choice"
                if _choices(node)
                else "text"
            )
            found.append(Input(name, input_kind, _shown(value), _choices(node), datalist, headers[index]))
        return found

    rows = []
    for number, (keys, record) in enumerate(_grid_rows(spec, data)):
        values = [*keys] + [
            _cell_value(record if spec.model is None else _get(record, c.path), c.node) for c in spec.columns
        ]
        if len(values) < len(kinds):
            values = [*values, *[None] * (len(kinds) - len(values))]
        rows.append(inputs(f"r{number}", values))
    return Part("grid", spec.name, headers=headers, template=inputs(ROW, [None] * len(kinds)), rows=rows)


def _datalist(spec: Grid, header: str, kind: str) -> str:
    if kind == "column" and header in ("科目", "功能科目"):
        return "codes-economic" if spec.path[-1] == "基本支出经济分类" and header == "科目" else "codes-function"
    if kind == "key" and header == CODE_KEY:
        return "codes-function"
    if kind == "ancestor" and spec.parent is not None:
        return f"names-{spec.parent.name}"
    return SUGGESTIONS.get(header, "")


# Fields whose values come from a list the model checks against without fixing it in the type
# (a 二级指标 belongs to its 一级指标): the page suggests the list.
SUGGESTIONS = {"二级指标": "indicator-level2"}


def _name(*parts: str) -> str:
    return SEPARATOR.join(parts)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    return str(value)


# ---------------------------------------------------------------- posted → sheets → department


@dataclass
class Posted:
    sheets: list[Sheet]
    cells: dict[str, str]  # cell name (部门!B4) → the field's name


def posted_sheets(fields: list[tuple[str, str]]) -> Posted:
    """The posted fields as the cells of virtual sheets, laid out as the workbook lays them out."""
    values: dict[str, str] = {}
    grid_rows: dict[str, list[str]] = {}
    for name, value in fields:
        values[name] = value
        kind, _, rest = name.partition(SEPARATOR)
        if kind == "G":
            sheet, row_key, _ = rest.split(SEPARATOR, 2)
            keys = grid_rows.setdefault(sheet, [])
            if row_key != ROW and row_key not in keys:
                keys.append(row_key)
    sheets, cells = [], {}
    for spec in layout():
        sheet = Sheet(spec.name)
        sheets.append(sheet)
        if isinstance(spec, Form):
            _form_cells(sheet, spec.rows, values, cells, 1)
        elif isinstance(spec, Matrix):
            for column, header in enumerate(["项目", *spec.keys], start=1):
                sheet.put(1, column, header)
            for row, label in enumerate(spec.rows, start=2):
                sheet.put(row, 1, label)
                for column, key in enumerate(spec.keys, start=2):
                    name = _name("M", spec.name, label, key)
                    _cell(sheet, row, column, values.get(name, ""), name, cells)
            _form_cells(sheet, spec.scalars, values, cells, len(spec.rows) + 2)
        else:
            headers = [
                *spec.ancestors,
                *([spec.mapping_key] if spec.mapping_key else []),
                *(c.header for c in spec.columns),
            ]
            for column, header in enumerate(headers, start=1):
                sheet.put(1, column, header)
            for row, row_key in enumerate(grid_rows.get(spec.name, []), start=2):
                for column in range(1, len(headers) + 1):
                    name = _name("G", spec.name, row_key, str(column - 1))
                    _cell(sheet, row, column, values.get(name, ""), name, cells)
    return Posted(sheets, cells)


def _form_cells(sheet: Sheet, rows, values: dict, cells: dict, first: int) -> int:
    row = first
    for form_row in rows:
        name = _name("F", sheet.name, form_row.label)
        value = values.get(name, "")
        if isinstance(form_row.node, Lines) and not form_row.node.single_or_list:
            lines = [line for line in str(value).splitlines() if line.strip()] or [""]
            for index, line in enumerate(lines):
                if index == 0:
                    sheet.put(row, 1, form_row.label)
                _cell(sheet, row, 2, line, name, cells)
                row += 1
        else:
            sheet.put(row, 1, form_row.label)
            _cell(sheet, row, 2, value, name, cells)
            row += 1
    return row


def _cell(sheet: Sheet, row: int, column: int, value: str, name: str, cells: dict) -> None:
    text = str(value).strip()
    cells[cell_name(sheet, row, column)] = name
    if text:
        sheet.put(row, column, text)


def read_posted(path: Path, fields: list[tuple[str, str]]):
    """(the department as the model reads it, where each cell's field is) from posted fields."""
    posted = posted_sheets(fields)
    return load_complete(path, posted.sheets), posted


def as_dicts(parts: list[Part]) -> list[dict]:
    return [asdict(part) for part in parts]


def posted_fields(parts: list[Part]) -> list[tuple[str, str]]:
    """The fields a page of these parts posts, in page order."""
    fields = []
    for part in parts:
        fields += [(i.name, i.value) for i in part.inputs]
        for _, inputs in part.matrix:
            fields += [(i.name, i.value) for i in inputs]
        for row in part.rows:
            fields += [(i.name, i.value) for i in row]
    return fields


def parts_from_posted(fields: list[tuple[str, str]]) -> list[Part]:
    """The parts as they were posted (the page shown again with what the user typed)."""
    values = dict(fields)
    parts = parts_of({})
    for part in parts:
        for item in part.inputs + [i for _, inputs in part.matrix for i in inputs]:
            item.value = values.get(item.name, "")
        if part.kind == "grid":
            keys = list(
                dict.fromkeys(
                    name.split(SEPARATOR)[2]
                    for name, _ in fields
                    if name.startswith(f"G{SEPARATOR}{part.name}{SEPARATOR}")
                )
            )
            for key in [k for k in keys if k != ROW]:
                row = [Input(**{**asdict(t), "name": t.name.replace(ROW, key, 1)}) for t in part.template]
                for item in row:
                    item.value = values.get(item.name, "")
                part.rows.append(row)
    return parts
