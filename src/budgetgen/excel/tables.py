"""Find the published tables in a workbook: by title, wherever they stand (one sheet each, or one
below the other), and their columns by header text, never by position.

A table is its title row, an optional department/year/unit line, one to three header rows (merged
or not), an optional 栏次 row, and body rows up to the next title. Codes may stand in one column
(`2080501`, `208 05 01`) or in 类/款/项 columns.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .workbook import CellError, Sheet, cell_name

# Table key → the words its title carries (after removing spaces and quotes), in the order tried: the
# more specific kinds first, since 一般公共预算基本支出… also reads as a 一般公共预算 table. Hebei prints
# 部门预算收入总表; Shanghai 2026年部门收入预算总表 and …一般公共预算支出功能分类预算表; Liaoning
# 收支预算总表 and 一般公共预算支出表.
# The national words are built in; a template set adds its province's (`import_titles` of its tables).
TITLES = {
    "财政拨款收支总表": ("财政拨款收支总表", "财政拨款收支预算总表"),
    "三公经费支出表": ("三公经费支出表", "三公经费预算表", "三公经费和机关运行经费预算表"),
    "一般公共预算财政拨款基本支出表": ("一般公共预算财政拨款基本支出表", "一般公共预算基本支出"),
    "政府性基金预算财政拨款支出表": (
        "政府性基金预算财政拨款支出表",
        "政府基金预算财政拨款支出表",
        "政府性基金预算支出",
    ),
    "国有资本经营预算财政拨款支出表": ("国有资本经营预算财政拨款支出表", "国有资本经营预算支出"),
    "一般公共预算财政拨款支出表": ("一般公共预算财政拨款支出表", "一般公共预算支出表"),
    "收支总表": ("收支总表", "收支预算总表"),
    "收入总表": ("收入总表", "收入预算总表", "收入预算表"),
    "支出总表": ("支出总表", "支出预算总表", "支出预算表"),
}
TitleWords = dict[str, tuple[str, ...]]
TOP_LINE = re.compile(r"编制(?:单位|部门)\s*[:：]\s*(\S.*?)\s*$")
# 单位：万元 / 金额单位:元 — but not 编制单位：… or 预算单位：…
UNIT_LINE = re.compile(r"(?<![\u4e00-\u9fff])(?:金额)?单位\s*[:：]\s*([^\s，,；;）)]+)")
YUAN_PER_UNIT = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100_000_000)}
YEAR = re.compile(r"预算年度[:：]?\s*(\d{4})|(\d{4})\s*年")
DEPARTMENT = re.compile(r"^\s*(\d{1,12})(?!\d|\s*年)\s*([^\d\s].*?)\s*$")  # 471 某局, not 2026年…
SPLIT_CODE = re.compile(r"^\s*(\d{3})(?:\s+(\d{2}))?(?:\s+(\d{2}))?\s*$")
AMOUNT_TEXT = re.compile(
    r"^\s*(?P<open>[(（])?\s*(?P<digits>[-+]?[\d,，]*\.?\d+)\s*(?P<unit>千元|万元|亿元|元)?\s*(?P<close>[)）])?\s*$"
)


def _plain(text: str) -> str:
    return re.sub(r"[\s“”\"'‘’]", "", text)


@dataclass
class Amount:
    value: Decimal
    where: str  # sheet!cell


@dataclass
class FoundTable:
    key: str
    sheet: Sheet
    title_row: int
    columns: dict[str, int] = field(default_factory=dict)  # header label → column
    code_columns: tuple[int, ...] = ()  # one column, or 类/款/项
    name_column: int | None = None
    label_column: int | None = None  # the 项目 column of fixed-row tables
    body: list[int] = field(default_factory=list)  # body row numbers
    unit: str | None = None  # as printed on the table's unit line
    unit_row: int | None = None
    scale: Decimal = Decimal(1)  # printed unit → the import's unit, set once the import's unit is chosen
    year: int | None = None
    department: tuple[str, str] | None = None
    headers: dict[int, str] = field(default_factory=dict)  # column → joined header text
    title: str = ""
    end: int = 0  # the row after the table's last (the next title, or past the sheet)

    def where(self, row: int, column: int) -> str:
        return cell_name(self.sheet, row, column)


def title_key(text: str, extra: TitleWords | None = None) -> str | None:
    plain = _plain(text)
    if not plain or len(plain) > 40:
        return None
    for key, words in TITLES.items():
        if any(_plain(word) in plain for word in (*words, *(extra or {}).get(key, ()))):
            return key
    return None


def find_tables(sheets: list[Sheet], extra: TitleWords | None = None) -> list[FoundTable]:
    found: list[FoundTable] = []
    for sheet in sheets:
        starts = []
        for row in sheet.row_numbers():
            texts = [t for t in sheet.row_texts(row) if t]
            key = title_key(texts[0], extra) if len(set(texts)) == 1 else None
            if key:
                starts.append((row, key, texts[0]))
        if not starts and (guess := _guess_by_header(sheet)) is not None:
            starts = [guess]
        for index, (row, key, title) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else sheet.max_row + 1
            if not any(any(sheet.row_texts(r)) for r in sheet.row_numbers(row + 1, end)):
                continue  # a title with nothing under it before the next: a line of a contents page (目录)
            table = _read_table(sheet, key, row, end)
            if table.year is None and (year := re.search(r"(20\d\d)\s*年", title)):
                table.year = int(year.group(1))  # Shanghai's titles carry the year; there is no 预算年度 line
            table.title = title
            found.append(table)
    return found


# A table without a recognisable title is still recognised by its header: code columns and the
# amount columns only one kind has (the guess is reported).
HEADER_GUESSES = (
    (("人员经费", "公用经费"), "一般公共预算财政拨款基本支出表"),
    (("财政拨款收入", "事业收入"), "收入总表"),
    (("基本支出", "项目支出"), "支出总表"),
)


def _guess_by_header(sheet: Sheet) -> tuple[int, str, str] | None:
    for row in sheet.row_numbers():
        texts = {re.sub(r"\s", "", t) for t in sheet.row_texts(row) if t}
        if not any(t.endswith("编码") or t in ("类", "科目编码") for t in texts):
            continue
        window = set().union(*({re.sub(r"\s", "", t) for t in sheet.row_texts(r) if t} for r in range(row, row + 3)))
        for words, key in HEADER_GUESSES:
            if all(any(word in t for t in window) for word in words):
                first = next(r for r in sheet.row_numbers() if any(sheet.row_texts(r)))
                return first - 1, key, f"（无表名，按表头猜测为{key}）"  # read from the first line on
        return None
    return None


def _is_top_line(texts: list[str]) -> bool:
    """The line between a title and its header: department, 预算年度, unit."""
    joined = " ".join(texts)
    return bool(
        UNIT_LINE.search(joined)
        or TOP_LINE.search(joined)
        or "预算年度" in joined
        or any(DEPARTMENT.match(t) and "单位" not in t for t in texts)
    )


def _read_table(sheet: Sheet, key: str, title_row: int, end: int) -> FoundTable:
    table = FoundTable(key, sheet, title_row, end=end)
    rows = sheet.row_numbers(title_row + 1, end)
    header_start = None
    for row in rows:
        texts = [t for t in dict.fromkeys(sheet.row_texts(row)) if t]
        if not texts:
            continue
        if not _is_top_line(texts):
            header_start = row  # the first line that is not the department / year / unit line
            break
        _read_top_line(table, texts, row)
    if header_start is None:
        return table
    header_rows = []
    numbered = next(
        (r for r in range(header_start, min(end, header_start + 6)) if sheet.text(r, 1) in ("栏次", "档次")), None
    )
    row = header_start
    while row < end:
        if row == numbered or (numbered is None and (_is_body_row(sheet, row) or _is_total_or_note(sheet, row))):
            break
        header_rows.append(row)
        row += 1
    for column in sorted({c for r in header_rows for c in sheet.rows.get(r, {})}):
        labels = [re.sub(r"\s", "", sheet.text(r, column)) for r in header_rows]
        table.headers[column] = "/".join(dict.fromkeys(entry for entry in labels if entry))
    if sheet.text(row, 1) in ("栏次", "档次"):
        row += 1
    table.body = [
        r
        for r in sheet.row_numbers(row, end)
        if any(sheet.row_texts(r)) and r not in sheet.hidden_rows and not sheet.text(r, 1).startswith("注")
    ]
    _map_columns(table, header_rows)
    return table


def _read_top_line(table: FoundTable, texts: list[str], row: int) -> None:
    for text in texts:
        if unit := UNIT_LINE.search(text):
            table.unit = unit.group(1).strip()
            table.unit_row = row
        if (year := re.search(r"预算年度[:：]?\s*(\d{4})", text)) is not None:
            table.year = int(year.group(1))
        elif (named := TOP_LINE.search(text)) is not None:
            table.department = ("", named.group(1))  # 编制部门：… names the department, without its code
        elif (department := DEPARTMENT.match(text)) is not None and "单位" not in text:
            table.department = (department.group(1), department.group(2))


def _is_total_or_note(sheet: Sheet, row: int) -> bool:
    """A 合计 row (an empty table's only row, its label perhaps merged over the code columns) or the
    note under it: the header has ended."""
    texts = {re.sub(r"\s", "", t) for t in sheet.row_texts(row) if t.strip()}
    first = re.sub(r"\s", "", sheet.text(row, 1))
    return texts in ({"合计"}, {"总计"}) or first.startswith("注")


def _is_body_row(sheet: Sheet, row: int) -> bool:
    """Header rows hold only words; a body row holds a number, or a code in one of its first columns."""
    values = sheet.rows.get(row, {}).values()
    if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return True
    return any(SPLIT_CODE.match(sheet.text(row, c)) for c in range(1, 5))


def _map_columns(table: FoundTable, header_rows: list[int]) -> None:
    split = {}
    for column, header in table.headers.items():
        last = header.split("/")[-1] if header else ""
        if last.endswith("编码"):  # 科目编码, 功能分类科目编码, 经济分类科目编码
            table.code_columns = (column,)
        elif last in ("类", "款", "项") and (column, header) not in split:
            split[last] = column
        elif last.endswith("名称"):  # 科目名称, 功能分类科目名称, 部门经济分类科目名称
            table.name_column = column
        elif last == "项目" and table.label_column is None:
            table.label_column = column
        elif last and last not in ("序号",):
            table.columns.setdefault(header, column)
    if not table.code_columns and split:
        table.code_columns = tuple(split[k] for k in ("类", "款", "项") if k in split)


def column_for(table: FoundTable, *labels: str, under: str | None = None) -> int | None:
    """The column whose header ends with one of `labels` (and, if given, sits under `under`)."""
    for header, column in table.columns.items():
        parts = header.split("/")
        if parts[-1] in labels and (under is None or under in parts[:-1]):
            return column
    return None


def row_code(table: FoundTable, row: int) -> str | None:
    """The 科目编码 of a body row: one column (`2080501`, `208 05 01`, 2080501.0) or 类/款/项 columns."""
    parts = []
    for column in table.code_columns:
        value = table.sheet.value(row, column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else str(value).strip()
        if text:
            parts.append(text)
    if not parts:
        return None
    joined = " ".join(parts)
    match = SPLIT_CODE.match(joined)
    if match:
        return "".join(p for p in match.groups() if p)
    compact = joined.replace(" ", "")
    return compact if compact.isdigit() else compact


def amount_at(table: FoundTable, row: int, column: int | None) -> tuple[Decimal | None, str | None]:
    """The amount of a cell (blank = zero) in the import's unit: (value, problem). Numbers stored as
    text — with thousands separators, a unit suffix (converted exactly), or in parentheses as
    accountants write negatives — are read with a note; anything else is a problem naming the cell."""
    if column is None:
        return None, None
    where = table.where(row, column)
    if (row, column) in table.sheet.uncalculated:
        from .formulas import Refused, evaluate

        formula = table.sheet.uncalculated[(row, column)]
        try:
            value = evaluate(table.sheet, formula)
        except Refused as reason:
            return None, f"{where} 是公式，但文件中没有它的计算结果（不是用 Excel/WPS 保存的），且{reason}"
        return (
            value * table.scale,
            f"note:{where} 的公式「{formula[:40]}」没有保存结果，已按数字精确算出 {value.normalize():f}",
        )
    if (row, column) in table.sheet.spread:
        return None, f"{where} 是合并单元格的一部分，金额无法归属到这一格"
    value = table.sheet.value(row, column)
    if value is None or value == "" or (isinstance(value, str) and value.strip() in ("", "-", "—", "/")):
        return Decimal(0), None
    if isinstance(value, CellError):
        return None, f"{where} 是 Excel 的错误值 {value}（{ERROR_MEANINGS.get(str(value), '公式无法计算')}），不是金额"
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return None, f"{where} 设成了日期或时间格式（显示为 {value}），不是金额：请把单元格格式改为“数值”后重新输入金额"
    if isinstance(value, bool):
        return None, f"{where} 应为金额，这里是「{value}」"
    if isinstance(value, (int, float)):
        return (Decimal(repr(value)) if isinstance(value, float) else Decimal(value)) * table.scale, None
    return _amount_text(table, where, str(value).strip())


def _amount_text(table: FoundTable, where: str, text: str) -> tuple[Decimal | None, str | None]:
    match = AMOUNT_TEXT.match(text)
    if not match:
        return None, f"{where} 应为金额，这里写的是「{text[:30]}」"
    sign, digits, suffix = match.group("open"), re.sub(r"[,，\s]", "", match.group("digits")), match.group("unit")
    if bool(sign) != bool(match.group("close")):
        return None, f"{where} 应为金额，这里写的是「{text[:30]}」（括号不成对）"
    try:
        number = Decimal(digits)
    except InvalidOperation:
        return None, f"{where} 应为金额，这里写的是「{text[:30]}」"
    if sign:
        number = -number
    scale = table.scale
    if suffix:
        printed = table.unit if table.unit in YUAN_PER_UNIT else "万元"
        scale = YUAN_PER_UNIT[suffix] / YUAN_PER_UNIT[printed] * table.scale
    value = number * scale
    shown = f"{value.normalize():f}"
    if suffix and value.normalize().as_tuple().exponent < -2:
        return None, f"{where} 的「{text}」换算为本表单位后是 {shown}，超过两位小数，无法精确记入"
    said = (
        f"按数字 {shown} 读取"
        + ("（括号表示负数）" if sign else "")
        + (f"（单元格写的是{suffix}，已精确换算）" if suffix and scale != table.scale else "")
    )
    return value, f"note:{where} 的金额「{text}」是文字格式，已{said}"


ERROR_MEANINGS = {
    "#REF!": "公式引用的单元格已被删除",
    "#DIV/0!": "除数为零",
    "#VALUE!": "公式中有文字参与计算",
    "#NAME?": "公式中有无法识别的函数名",
    "#N/A": "查找不到对应的值",
    "#NUM!": "数值无效",
    "#NULL!": "引用的区域不相交",
}


MERGED_HINT = "取消表体中的合并单元格（开始 → 合并后居中 → 取消合并），每格写各自的金额。"
