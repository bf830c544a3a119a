"""The complete workbook: every part of a department in Excel/WPS, laid out from the input model.

Each top-level part of the model becomes a sheet: a *form* (字段 | 值 | 说明; a list of texts takes
one row per item, its label on the first) for a record such as 职责与机构 or 上年; a *grid* (one row
per item, a column per field) for a list such as 支出 or 项目; a list inside a list item (a
project's 绩效指标, a unit's 政府采购 来源) gets a grid of its own whose first columns name the item it
belongs to; a record of amounts by the same keys (三公经费 by 资金来源) is a *matrix*. The layout is
derived, never listed: a field added to the model appears in the workbook, and reading is the same
walk backwards, so a YAML department → workbook → YAML round trip is lossless.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..loading import Loaded, SourceMap
from ..model import Budget, Department
from ..problems import InputRejected, Position, Problem, error, warning
from .shape import Field_, Lines, Mapping, Node, Record, Scalar, Table, fields_of, key_fields
from .workbook import Sheet, cell_name, read_workbook

GUIDE_SHEET = "填写说明"
CATALOG_SHEET = "科目目录"
GUIDE_TITLE = "部门预算源数据（完整填写用工作簿）"
# Names and column orders the earlier fill-in workbook used: its files keep reading the same way.
SHEET_NAMES = {("支出",): "支出明细"}
COLUMN_ORDER = {
    ("支出",): ("科目", "名称", "资金", "类型", "金额", "上年结转", "项目"),
    ("基本支出经济分类",): ("科目", "名称", "金额", "经费类别"),
    ("项目",): ("名称", "科目", "金额", "资金", "项目编码", "资金用途", "绩效目标"),
}
ROOT_SHEET = "部门"
ROOT_ORDER = ("编码", "名称", "级次", "预算年度", "金额单位", "模板", "简称", "地区")
MATRIX_LABEL = "项目"
CODE_KEY = "科目"  # every open-keyed mapping of the model is keyed by a classification code
INPUT_ROWS = 200  # shaded, unlocked rows below a grid's header


# ---------------------------------------------------------------- layout


@dataclass(frozen=True)
class Column:
    header: str
    path: tuple[str, ...]  # within the row's record
    node: Scalar | Lines
    note: str = ""


@dataclass(frozen=True)
class FormRow:
    label: str
    path: tuple[str, ...]  # from the data root
    node: Scalar | Lines
    note: str = ""


@dataclass
class Form:
    name: str
    rows: list[FormRow]


@dataclass
class Grid:
    name: str
    path: tuple[str, ...]  # from the data root to the list (or, under a parent grid, from the parent record)
    model: type[BaseModel] | None  # None: a mapping of scalars (科目 → 名称)
    columns: list[Column]
    parent: Grid | None = None
    ancestors: tuple[str, ...] = ()  # headers of the columns naming the item each row belongs to
    mapping_key: str | None = None  # a mapping: the header of its key column
    value_node: Scalar | None = None  # a mapping of scalars: its values


@dataclass
class Matrix:
    name: str
    path: tuple[str, ...]
    rows: list[str]  # the record's mapping fields
    keys: tuple[str, ...]
    scalars: list[FormRow] = field(default_factory=list)


Sheet_ = Form | Grid | Matrix


def layout() -> list[Sheet_]:
    sheets: list[Sheet_] = []
    root = Form(ROOT_SHEET, [])
    sheets.append(root)
    for f in fields_of(Budget):
        if f.alias == "部门":
            root.rows += _form_rows(Department, ("部门",), "", sheets, ROOT_SHEET)
        elif isinstance(f.node, Scalar | Lines):
            root.rows.append(FormRow(f.alias, (f.alias,), f.node, f.description))
        else:
            _top_level(f, sheets)
    order = {label: i for i, label in enumerate(ROOT_ORDER)}
    root.rows.sort(key=lambda r: order.get(r.label, len(order)))
    return sheets


def _top_level(f: Field_, sheets: list[Sheet_]) -> None:
    node, path = f.node, (f.alias,)
    if isinstance(node, Record) and _is_matrix(node.model):
        sheets.append(_matrix(f.alias, path, node.model))
    elif isinstance(node, Record):
        form = Form(f.alias, [])
        sheets.append(form)
        form.rows += _form_rows(node.model, path, "", sheets, f.alias)
    elif isinstance(node, Mapping) and node.closed and isinstance(node.value, Scalar):
        form = Form(f.alias, [FormRow(k, path + (k,), node.value) for k in node.key.choices])
        sheets.append(form)
    else:
        _grid(f.alias, path, node, sheets)


def _form_rows(model: type[BaseModel], path: tuple, prefix: str, sheets: list, sheet: str) -> list[FormRow]:
    rows: list[FormRow] = []
    for f in fields_of(model):
        label, here = f"{prefix}{f.alias}", path + (f.alias,)
        if isinstance(f.node, Scalar | Lines):
            rows.append(FormRow(label, here, f.node, f.description))
        elif isinstance(f.node, Record):
            rows += _form_rows(f.node.model, here, f"{label} → ", sheets, sheet)
        elif isinstance(f.node, Mapping) and f.node.closed and isinstance(f.node.value, Scalar):
            rows += [FormRow(f"{label} → {k}", here + (k,), f.node.value) for k in f.node.key.choices]
        else:
            _grid(f"{sheet}·{label}", here, f.node, sheets)
    return rows


def _grid(name: str, path: tuple, node: Node, sheets: list, parent: Grid | None = None, ancestors=()) -> None:
    name = SHEET_NAMES.get(path, name)
    if isinstance(node, Table):
        grid = Grid(name, path, node.model, [], parent, ancestors)
        sheets.append(grid)
        grid.columns = _ordered(path, _columns(node.model, (), "", grid, sheets))
    elif isinstance(node, Mapping) and isinstance(node.value, Record):
        grid = Grid(name, path, node.value.model, [], parent, ancestors, mapping_key=CODE_KEY)
        sheets.append(grid)
        grid.columns = _columns(node.value.model, (), "", grid, sheets)
    elif isinstance(node, Mapping) and isinstance(node.value, Scalar):
        key = CODE_KEY if not node.closed else "键"
        value = Column(path[-1], (), node.value)
        sheets.append(Grid(name, path, None, [value], parent, ancestors, mapping_key=key, value_node=node.value))


def _columns(model: type[BaseModel], path: tuple, prefix: str, grid: Grid, sheets: list) -> list[Column]:
    columns: list[Column] = []
    for f in fields_of(model):
        header, here = f"{prefix}{f.alias}", path + (f.alias,)
        if isinstance(f.node, Scalar | Lines):
            columns.append(Column(header, here, f.node, f.description))
        elif isinstance(f.node, Record):
            columns += _columns(f.node.model, here, f"{header}·", grid, sheets)
        elif isinstance(f.node, Mapping) and f.node.closed and isinstance(f.node.value, Scalar):
            columns += [Column(f"{header}·{k}", here + (k,), f.node.value) for k in f.node.key.choices]
        else:
            own = _ancestor_header(grid, model)
            _grid(f"{grid.name}·{header}", here, f.node, sheets, grid, grid.ancestors + (own,))
    return columns


def _ancestor_header(grid: Grid, model: type[BaseModel]) -> str:
    """How a child sheet's column naming its parent item is headed: the parent's key field (单位),
    or the parent list's name where the key is the generic 名称 (项目, 来源)."""
    keys = key_fields(model)
    if keys and keys[0] not in ("名称", "单位名称"):
        return keys[0]
    return grid.path[-1]


def _ordered(path: tuple, columns: list[Column]) -> list[Column]:
    order = {header: i for i, header in enumerate(COLUMN_ORDER.get(path, ()))}
    return sorted(columns, key=lambda c: order.get(c.header, len(order)))


def _is_matrix(model: type[BaseModel]) -> bool:
    keys = [f.node.key.choices for f in fields_of(model) if isinstance(f.node, Mapping) and f.node.closed]
    return len(keys) >= 2 and len(set(keys)) == 1


def _matrix(name: str, path: tuple, model: type[BaseModel]) -> Matrix:
    fields = fields_of(model)
    mappings = [f for f in fields if isinstance(f.node, Mapping)]
    keys = mappings[0].node.key.choices  # type: ignore[union-attr]
    scalars = [FormRow(f.alias, path + (f.alias,), f.node, f.description) for f in fields if isinstance(f.node, Scalar)]
    return Matrix(name, path, [f.alias for f in mappings], keys, scalars)


# ---------------------------------------------------------------- values


def _cell_value(value: Any, node: Scalar | Lines) -> Any:
    if value is None:
        return None
    if isinstance(node, Lines):
        if isinstance(value, list | tuple):
            joiner = "、" if node.single_or_list else "\n"
            return joiner.join(_text_for_cell(v) for v in value) or None
        return _cell_value(value, node.item)
    if isinstance(value, bool):
        return "是" if value else None
    if isinstance(value, Decimal | int | float):
        return value
    return _text_for_cell(value)


def _text_for_cell(value: Any) -> Any:
    text = str(value) if not isinstance(value, Decimal) else f"{value:f}"
    return int(text) if text.isascii() and text.isdigit() and not text.startswith("0") and len(text) <= 15 else text


def _read_value(value: Any, node: Scalar | Lines) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(node, Lines):
        if node.single_or_list:
            names = [p.strip() for p in str(_plain(value)).replace("，", "、").replace(",", "、").split("、")]
            names = [n for n in names if n]
            return names[0] if len(names) == 1 else names
        parts = [p.strip() for p in str(_plain(value)).splitlines() if p.strip()]
        return [_read_value(p, node.item) for p in parts]
    if node.kind == "flag" or (node.kind == "flag_or_money" and isinstance(value, str)):
        text = str(value).strip()
        return True if text in ("是", "true", "True", "TRUE") else False if text in ("否", "false", "False") else text
    if node.kind in ("money", "flag_or_money"):
        return _amount(value)
    if node.kind == "int":
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return str(_plain(value)).strip()


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _amount(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except ArithmeticError:
            return value  # the model names it, at its cell
    return value


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        if isinstance(data, list) and isinstance(key, int):
            data = data[key] if key < len(data) else None
        elif isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data


def _put(data: Any, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data[key] if isinstance(data, list) else data.setdefault(key, {})
    data[path[-1]] = value


# ---------------------------------------------------------------- writing


def department_workbook(data: dict, year: int) -> bytes:
    """The complete workbook holding `data` (a department as the model dumps it, by alias)."""
    from openpyxl import Workbook

    from ..builders.package import save_workbook

    book = Workbook()
    _guide(book.active)
    sheets = layout()
    written: dict[str, Any] = {}
    for spec in sheets:
        ws = book.create_sheet(spec.name[:31])
        written[spec.name] = ws
        if isinstance(spec, Form):
            _write_form(ws, spec, data)
        elif isinstance(spec, Matrix):
            _write_matrix(ws, spec, data)
        else:
            _write_grid(ws, spec, data, written)
    _catalog_sheet(book.create_sheet(CATALOG_SHEET), year)
    return save_workbook(book, year)


def _guide(ws) -> None:
    from openpyxl.styles import Font

    ws.title = GUIDE_SHEET
    lines = (
        GUIDE_TITLE,
        "每张工作表是公开文件的一部分：“部门”等表按“字段 | 值”填写，",
        "一条一行的文字（如职责）每条占一行，只在第一行写字段名；",
        "“支出明细”“项目”等表每行一项；“项目·绩效指标”等表第一列写所属项目（或单位）的名称，每行一条。",
        "黄色格子是填写处；合计、小计和情况说明中的数字都由程序计算，每个数只填一次。",
        "科目编码可在“科目目录”表中按名称查找；下拉列表中的值只能从列表中选择。",
        "填好后在网页上传本文件（或运行 budgetgen check 本文件），按提示修改所列的单元格，再生成 PDF 和 DOCX。",
    )
    for row, text in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=text).font = Font(bold=row == 1, size=14 if row == 1 else 11)
    ws.column_dimensions["A"].width = 120


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return {
        "header": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="D9E1F2"),
        "input": PatternFill("solid", fgColor="FFF9DB"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "open": Protection(locked=False),
    }


def _protect(ws) -> None:
    """Headers and labels locked; input cells open; rows may still be inserted, deleted and sorted."""
    ws.protection.sheet = True
    for name in ("insertRows", "deleteRows", "formatCells", "formatColumns", "formatRows", "sort", "autoFilter"):
        setattr(ws.protection, name, False)


def _write_form(ws, spec: Form, data: dict) -> None:
    style = _styles()
    for letter, width in zip("ABC", (28, 60, 60), strict=True):  # 字段 | 值 | 说明, no header row
        ws.column_dimensions[letter].width = width
    row = 1
    for form_row in spec.rows:
        value = _get(data, form_row.path)
        items = value if isinstance(form_row.node, Lines) and isinstance(value, list) and value else [None]
        items = items if isinstance(form_row.node, Lines) else [value]
        for index, item in enumerate(items):
            ws.cell(row=row, column=1, value=form_row.label if index == 0 else None).font = style["header"]
            cell = ws.cell(row=row, column=2, value=_cell_value(item, _item_node(form_row.node)))
            cell.fill, cell.alignment, cell.protection = style["input"], style["wrap"], style["open"]
            _validate(ws, cell.coordinate, form_row.node)
            if index == 0:
                ws.cell(row=row, column=3, value=_note(form_row))
            row += 1
    for extra in range(row, row + 20):  # room for more lines of a list (its label left empty)
        cell = ws.cell(row=extra, column=2)
        cell.fill, cell.protection = style["input"], style["open"]
        ws.cell(row=extra, column=1).protection = style["open"]
    for line in range(1, row):
        ws.cell(row=line, column=1).protection = style["open"]  # a list's next line needs its label cell
    _protect(ws)


def _item_node(node: Scalar | Lines) -> Scalar | Lines:
    return node.item if isinstance(node, Lines) and not node.single_or_list else node


def _note(row: FormRow) -> str:
    parts = [row.note] if row.note else []
    if isinstance(row.node, Lines) and not row.node.single_or_list:
        parts.append("每条一行，下一条写在下一行（字段名留空）")
    choices = _choices(row.node)
    if choices:
        parts.append("可选：" + "、".join(choices))
    return "；".join(parts)


def _choices(node: Scalar | Lines) -> tuple[str, ...]:
    scalar = node.item if isinstance(node, Lines) else node
    if scalar.kind in ("flag", "flag_or_money"):
        return ("是", "否") if scalar.kind == "flag" else ()
    return scalar.choices


def _validate(ws, cells: str, node: Scalar | Lines, source: str | None = None) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = _choices(node)
    if not choices and source is None:
        return
    formula = source or '"' + ",".join(choices) + '"'
    if source is None and len(formula) > 255:  # Excel's limit for a list typed in the rule
        return
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=source is None,
        errorTitle="只能选择列表中的值",
        error="请从下拉列表中选择。",
    )
    ws.add_data_validation(validation)
    validation.add(cells)


def _write_matrix(ws, spec: Matrix, data: dict) -> None:
    style = _styles()
    headers = (MATRIX_LABEL, *spec.keys)
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=column, value=header)
        cell.font, cell.fill = style["header"], style["header_fill"]
        ws.column_dimensions[cell.column_letter].width = 30 if column == 1 else 16
    row = 2
    for label in spec.rows:
        ws.cell(row=row, column=1, value=label).font = style["header"]
        for column, key in enumerate(spec.keys, start=2):
            cell = ws.cell(row=row, column=column, value=_get(data, spec.path + (label, key)))
            cell.number_format, cell.fill, cell.protection = "0.00", style["input"], style["open"]
        row += 1
    for scalar in spec.scalars:
        ws.cell(row=row, column=1, value=scalar.label).font = style["header"]
        cell = ws.cell(row=row, column=2, value=_cell_value(_get(data, scalar.path), scalar.node))
        cell.fill, cell.protection = style["input"], style["open"]
        _validate(ws, cell.coordinate, scalar.node)
        ws.cell(row=row, column=3, value=_note(scalar))
        row += 1
    ws.freeze_panes = "B2"
    _protect(ws)


def _write_grid(ws, spec: Grid, data: dict, written: dict) -> None:
    from openpyxl.comments import Comment

    style = _styles()
    headers = [*spec.ancestors, *([spec.mapping_key] if spec.mapping_key else []), *(c.header for c in spec.columns)]
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=column, value=header)
        cell.font, cell.fill, cell.alignment = style["header"], style["header_fill"], style["wrap"]
        note = next((c.note for c in spec.columns if c.header == header and c.note), "")
        if note:
            cell.comment = Comment(note, "budgetgen")
    rows = list(_grid_rows(spec, data))
    for row, (keys, record) in enumerate(rows, start=2):
        for column, value in enumerate(keys, start=1):
            ws.cell(row=row, column=column, value=_text_for_cell(value) if value is not None else None)
        for column, c in enumerate(spec.columns, start=len(keys) + 1):
            value = record if spec.model is None else _get(record, c.path)
            ws.cell(row=row, column=column, value=_cell_value(value, c.node))
    last = max(INPUT_ROWS, len(rows) + 100) + 1
    widths = [len(h) * 2 + 4 for h in headers]
    for column in range(1, len(headers) + 1):
        letter = ws.cell(row=1, column=column).column_letter
        for row in range(2, last + 1):
            cell = ws.cell(row=row, column=column)
            cell.fill, cell.protection, cell.alignment = style["input"], style["open"], style["wrap"]
            if cell.value is not None:
                widths[column - 1] = max(widths[column - 1], min(60, _width(cell.value)))
        ws.column_dimensions[letter].width = max(8, widths[column - 1])
    first = len(spec.ancestors) + (1 if spec.mapping_key else 0) + 1
    for offset, c in enumerate(spec.columns):
        letter = ws.cell(row=1, column=first + offset).column_letter
        _validate(ws, f"{letter}2:{letter}{last}", c.node)
        if isinstance(c.node, Scalar) and c.node.kind == "money":
            for row in range(2, last + 1):
                ws[f"{letter}{row}"].number_format = "0.00"
        if c.header in ("科目", "功能科目"):  # a drop-down of the catalog; other codes may still be typed
            _validate(ws, f"{letter}2:{letter}{last}", c.node, _catalog_range(c.header, spec))
    if spec.parent is not None and spec.parent.name in written:
        column = len(spec.ancestors)
        letter = ws.cell(row=1, column=column).column_letter
        parent_ws = written[spec.parent.name]
        parent_key = _key_column_letter(spec.parent, parent_ws)
        if parent_key:
            source = f"'{parent_ws.title}'!${parent_key}$2:${parent_key}${INPUT_ROWS + 100}"
            _validate(ws, f"{letter}2:{letter}{last}", Scalar("text"), source)
    ws.freeze_panes = ws.cell(row=2, column=1).coordinate
    _protect(ws)


def _width(value: Any) -> int:
    text = f"{value:.2f}" if isinstance(value, Decimal | float) else str(value)  # as the 0.00 format shows it
    longest = max((len(line) for line in text.splitlines()), default=0)
    return longest * 2 + 2 if any(ord(ch) > 127 for ch in text) else longest + 2


def _key_column_letter(grid: Grid, ws) -> str | None:
    keys = key_fields(grid.model) if grid.model is not None else ()
    headers = [ws.cell(row=1, column=c).value for c in range(1, ws.max_column + 1)]
    for key in keys:
        if key in headers:
            return ws.cell(row=1, column=headers.index(key) + 1).column_letter
    return None


def _catalog_range(header: str, spec: Grid) -> str:
    economic = spec.path[-1] == "基本支出经济分类" and header == "科目"
    column = "C" if economic else "A"
    return f"'{CATALOG_SHEET}'!${column}$2:${column}$2000"


def _catalog_sheet(ws, year: int) -> None:
    from openpyxl.styles import Font

    from ..catalog import economic_codes, function_codes

    for column, header in enumerate(("功能分类科目", "名称", "经济分类科目", "名称"), start=1):
        ws.cell(row=1, column=column, value=header).font = Font(bold=True)
    for column, codes in ((1, function_codes()), (3, economic_codes())):
        listed = [c for c in codes.codes() if len(c) in ((7,) if column == 1 else (5,))]
        for row, code in enumerate(listed, start=2):
            ws.cell(row=row, column=column, value=int(code))
            ws.cell(row=row, column=column + 1, value=codes.name(code, year))
    for letter, width in zip("ABCD", (14, 40, 14, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{ws.max_row}"


def _grid_rows(spec: Grid, data: dict) -> Iterator[tuple[list, Any]]:
    """(the values naming the row's parents and its key, the row's record) of every row."""
    for keys, container in _containers(spec, data):
        if spec.mapping_key is not None and isinstance(container, dict):
            for key, value in container.items():
                yield [*keys, key], value
        elif isinstance(container, list):
            for item in container:
                yield list(keys), item


def _containers(spec: Grid, data: dict) -> Iterator[tuple[list, Any]]:
    if spec.parent is None:
        yield [], _get(data, spec.path)
        return
    for keys, parent in _grid_rows(spec.parent, data):
        if isinstance(parent, dict):
            yield [*keys[: len(spec.parent.ancestors)], _key_of(spec.parent, parent)], _get(parent, spec.path)


def _key_of(grid: Grid, record: dict) -> str | None:
    for key in key_fields(grid.model) if grid.model is not None else ():
        if record.get(key) not in (None, ""):
            return str(record[key])
    return None


# ---------------------------------------------------------------- reading


def is_complete(sheets: list[Sheet]) -> bool:
    return any(sheet.name == GUIDE_SHEET and sheet.text(1, 1).endswith(GUIDE_TITLE) for sheet in sheets)


def load_complete(path: Path, read: list[Sheet] | None = None) -> Loaded:
    sheets = {sheet.name: sheet for sheet in (read if read is not None else read_workbook(path))}
    if ROOT_SHEET not in sheets:
        raise InputRejected(
            [
                error(
                    "工作簿",
                    f"{path} 缺少工作表「{ROOT_SHEET}」",
                    "用 budgetgen new 部门名称 --xlsx 生成的工作簿填写，不要删除或改名工作表。",
                )
            ],
            unreadable=True,
        )
    source = SourceMap(str(path))
    data: dict = {}
    problems: list[Problem] = []
    records: dict[str, list[tuple[list, dict]]] = {}  # grid name → (keys, record) in sheet order
    complete = is_complete(list(sheets.values()))
    missing: list[str] = []
    for spec in layout():
        sheet = sheets.get(spec.name[:31])
        if sheet is None:
            missing.append(spec.name)
            continue
        if isinstance(spec, Form):
            _read_form(sheet, spec, data, source, problems)
        elif isinstance(spec, Matrix):
            _read_matrix(sheet, spec, data, source)
        else:
            _read_grid(sheet, spec, data, source, problems, records)
    if problems:
        raise InputRejected(problems)
    noticed = [
        warning(
            "工作簿",
            f"工作簿中没有工作表「{'、'.join(missing)}」：这些部分按空白读取",
            "如果是误删，用 budgetgen workbook 部门文件 重新生成工作簿，把这些工作表复制回来。",
        )
    ]
    return Loaded(data, source, noticed if complete and missing else [])


def _at(source: SourceMap, sheet: Sheet, row: int, column: int, path: tuple) -> None:
    source.values[path] = Position(row, column, cell_name(sheet, row, column))


def _read_form(sheet: Sheet, spec: Form, data: dict, source: SourceMap, problems: list) -> None:
    by_label = {row.label: row for row in spec.rows}
    current: FormRow | None = None
    for row in sheet.row_numbers():
        label = sheet.text(row, 1)
        value = sheet.value(row, 2)
        if label:
            current = by_label.get(label)
            if current is None:
                if value not in (None, ""):
                    problems.append(
                        error(
                            "工作簿",
                            f"工作表「{sheet.name}」第 {row} 行的字段「{label}」不是这张表的字段",
                            f"改回原来的字段名（可用：{'、'.join(list(by_label)[:12])}…），或删去这一行。",
                        ).located(Position(row, 1, cell_name(sheet, row, 1)))
                    )
                continue
            _at(source, sheet, row, 2, current.path)
        if current is None or value in (None, ""):
            continue
        if isinstance(current.node, Lines) and not current.node.single_or_list:
            items = _get(data, current.path) or []
            _at(source, sheet, row, 2, current.path + (len(items),))
            _put(data, current.path, [*items, _read_value(value, current.node.item)])
        elif label:
            _put(data, current.path, _read_value(value, current.node))


def _read_matrix(sheet: Sheet, spec: Matrix, data: dict, source: SourceMap) -> None:
    header = {sheet.text(1, c): c for c in sheet.rows.get(1, {})}
    scalars = {row.label: row for row in spec.scalars}
    for row in sheet.row_numbers(2):
        label = sheet.text(row, 1)
        if label in spec.rows:
            for key in spec.keys:
                column = header.get(key)
                value = sheet.value(row, column) if column else None
                if value not in (None, "", 0):
                    _put(data, spec.path + (label, key), _amount(value))
                    _at(source, sheet, row, column, spec.path + (label, key))
            _at(source, sheet, row, 1, spec.path + (label,))
        elif label in scalars and sheet.value(row, 2) not in (None, ""):
            _put(data, scalars[label].path, _read_value(sheet.value(row, 2), scalars[label].node))
            _at(source, sheet, row, 2, scalars[label].path)


def _read_grid(sheet: Sheet, spec: Grid, data: dict, source: SourceMap, problems: list, records: dict) -> None:
    headers = [*spec.ancestors, *([spec.mapping_key] if spec.mapping_key else []), *(c.header for c in spec.columns)]
    header_row, found = _header(sheet, headers)
    if not found and sheet.count:
        raise InputRejected(
            [
                error(
                    "工作簿",
                    f"工作表「{sheet.name}」中找不到表头行（应有 {'、'.join(headers[:6])} 等列名）",
                    f"把表头行恢复为 {'、'.join(headers[:6])}（可在其上方加标题行），或用 budgetgen new 部门名称 --xlsx"
                    " 重新生成工作簿后填写。",
                )
            ],
            unreadable=True,
        )
    missing = [h for h in headers[: len(spec.ancestors)] if h not in found]
    if missing and sheet.count:
        problems.append(
            error(
                "工作簿",
                f"工作表「{sheet.name}」缺少列「{'、'.join(missing)}」（写明每行属于哪一项）",
                f"把表头改回 {'、'.join(headers[:4])}…，或用 budgetgen new 部门名称 --xlsx 重新生成工作簿后填写。",
            )
        )
        return
    previous_keys: list = []
    kept = records.setdefault(spec.name, [])
    for row in sheet.row_numbers(header_row + 1):
        cells = {h: sheet.value(row, found[h]) for h in headers if h in found}
        if all(v in (None, "") for v in cells.values()):
            continue
        keys = []
        for index, h in enumerate(headers[: len(spec.ancestors)]):
            value = cells.get(h)
            keys.append(
                str(_plain(value)).strip()
                if value not in (None, "")
                else (previous_keys[index] if previous_keys else None)
            )
        previous_keys = keys
        container_path = _container_path(spec, keys, records, sheet, row, problems)
        if container_path is None:
            continue
        if spec.mapping_key is not None:
            key = cells.get(spec.mapping_key)
            key_text = str(_plain(key)).strip() if key not in (None, "") else ""
            if not key_text:
                problems.append(
                    error("工作簿", f"这一行没有填写{spec.mapping_key}", f"在{spec.mapping_key}列填写编码。").located(
                        Position(row, found[spec.mapping_key], cell_name(sheet, row, found[spec.mapping_key]))
                    )
                )
                continue
            record_path = container_path + (key_text,)
            mapping = _get(data, container_path)
            if mapping is None:
                _put(data, container_path, {})
        else:
            items = _get(data, container_path)
            if items is None:
                _put(data, container_path, [])
                items = _get(data, container_path)
            record_path = container_path + (len(items),)
        _at(source, sheet, row, 1, record_path)
        if spec.model is None:
            column = spec.columns[0]
            value = _read_value(cells.get(column.header), column.node)
            _put(data, record_path, value)
            if column.header in found:
                _at(source, sheet, row, found[column.header], record_path)
            continue
        record: dict = {}
        for column in spec.columns:
            if column.header in found:
                _at(source, sheet, row, found[column.header], record_path + column.path)
            value = _read_value(cells.get(column.header), column.node)
            if value is not None and value != []:
                _put(record, column.path, value)
        if spec.mapping_key is not None:
            _put(data, record_path, record)
        else:
            _get(data, container_path).append(record)
        kept.append((keys, record))


def _container_path(spec: Grid, keys: list, records: dict, sheet: Sheet, row: int, problems: list) -> tuple | None:
    """Where this row's item goes: the list (or mapping) itself, or inside the parent item its key
    columns name."""
    if spec.parent is None:
        return spec.path
    parent_rows = records.get(spec.parent.name, [])
    for index, (parent_keys, parent) in enumerate(parent_rows):
        if parent_keys == keys[: len(parent_keys)] and _key_of(spec.parent, parent) == keys[-1]:
            parent_path = _parent_path(spec.parent, records, index)
            return parent_path + spec.path
    problems.append(
        error(
            "工作簿",
            f"「{keys[-1]}」不在工作表「{spec.parent.name}」中",
            f"在这一行的“{spec.ancestors[-1]}”列写“{spec.parent.name}”表中已有的名称（可从下拉列表选择）。",
        ).located(Position(row, len(spec.ancestors), cell_name(sheet, row, len(spec.ancestors))))
    )
    return None


def _parent_path(grid: Grid, records: dict, index: int) -> tuple:
    """The data path of the index-th record read from a grid (its position in its own list)."""
    rows = records[grid.name]
    keys, _ = rows[index]
    if grid.parent is None:
        return grid.path + (sum(1 for k, _ in rows[:index] if k == keys),)
    parent_rows = records[grid.parent.name]
    parent_index = next(
        i
        for i, (pk, parent) in enumerate(parent_rows)
        if pk == keys[: len(pk)] and _key_of(grid.parent, parent) == keys[-1]
    )
    position = sum(1 for k, _ in rows[:index] if k == keys)
    return _parent_path(grid.parent, records, parent_index) + grid.path + (position,)


def _header(sheet: Sheet, headers: list[str]) -> tuple[int, dict[str, int]]:
    """The header row (the first naming at least two of the sheet's columns, or its only one) and
    the columns by name."""
    need = min(2, len(headers))
    for row in sheet.row_numbers()[:30]:
        found = {sheet.text(row, c): c for c in sheet.rows[row]}
        if sum(h in found for h in headers) >= need:
            return row, found
    return 1, {}
