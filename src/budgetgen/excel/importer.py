"""A budget system's export of the 部门预算公开表 → the numbers of a department file, each once.

Line items at 项 level by fund and kind come from the 支出总表, the 收入总表 and the three fund
tables; 基本支出经济分类 at 款 level from the 基本支出表; 三公 items from the 三公 table. Every total
and subtotal the workbook prints becomes a declared figure, so `check` compares each with what it
computes. Where the tables do not determine a split, the line is written with a request to confirm.
Amounts stay in the workbook's unit (元 stays 元); nothing is rounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import catalog
from ..problems import InputRejected, Problem, error, note, warning
from ..taxonomy import FISCAL_FUNDS, FUND_TABLES, FUND_TO_INCOME_SOURCE, KIND_LABELS, THREE_PUBLIC_TREE
from .tables import (
    AMOUNT_TEXT,
    MERGED_HINT,
    SPLIT_CODE,
    YUAN_PER_UNIT,
    FoundTable,
    amount_at,
    column_for,
    find_tables,
    row_code,
)
from .workbook import cell_name, read_workbook

ZERO = Decimal(0)
KIND_COLUMNS = tuple((kind, (label,)) for kind, label in KIND_LABELS.items())
# 收入总表 column → the fund of a non-fiscal line (单位资金 is read as 其他)
SOURCE_FUNDS = tuple(
    (source, fund) for fund, source in FUND_TO_INCOME_SOURCE.items() if fund not in FISCAL_FUNDS and fund != "单位资金"
)
FILE_NAME = re.compile(r"^(\d{1,12})\s*[-_－—]\s*([^-_－—]+)")
INCOME_ALIASES = {"经营收入": ("经营收入", "事业单位经营收入")}  # Hebei prints the short form, Shanghai the long
THREE_PUBLIC_LABELS = tuple((row.leaves[0], row.export_words) for row in THREE_PUBLIC_TREE if row.export_words)
SUMMARY_TOTALS = (
    ("本年收入合计", "本年收入合计", 1),
    ("上年结转结余", "上年结转结余", 1),
    ("收入总计", "收入总计", 1),
    ("本年支出合计", "本年支出合计", 3),
    ("支出总计", "支出总计", 3),
)


@dataclass
class Line:
    code: str
    fund: str
    kind: str
    amount: Decimal
    carried_over: bool = False
    confirm: str = ""  # why the user must confirm this line


@dataclass
class Imported:
    source: Path
    code: str = ""
    name: str = ""
    year: int | None = None
    unit: str = "万元"
    lines: list[Line] = field(default_factory=list)
    economic: list[tuple[str, Decimal, str | None]] = field(
        default_factory=list
    )  # code, amount, 经费类别 when not the default
    three_public: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    code_names: dict[str, str] = field(default_factory=dict)
    declared: dict[str, Decimal] = field(default_factory=dict)
    declared_codes: dict[str, Decimal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # 机关运行经费 as the workbook prints it, its cell and the precision it is printed to (vs 公用经费)
    operating_costs: tuple[Decimal, str, Decimal] | None = None
    used: set[str] = field(default_factory=set)  # sheet!cell of every amount cell read
    ignored: dict[str, str] = field(default_factory=dict)  # sheet!cell → why it is not read
    suggested_set: str | None = None  # the shipped set whose titles the workbook's tables carry
    tables: list[str] = field(default_factory=list)  # what was found where, for the report


@dataclass
class Rows:
    """A hierarchical table's rows: 合计, and each code with its amounts by column label."""

    total: dict[str, Decimal] = field(default_factory=dict)
    codes: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)  # (code or "合计", column) → cell


def import_workbook(path: Path, titles: dict[str, dict[str, tuple[str, ...]]] | None = None) -> Imported:
    """Raises InputRejected when the workbook cannot be read or holds no recognisable table.
    `titles`: per template set, the words its tables' titles carry (beyond the national ones)."""
    sheets = read_workbook(path)
    duplicates: list[Problem] = []
    words: dict[str, tuple[str, ...]] = {}
    for by_key in (titles or {}).values():
        for key, found_words in by_key.items():
            words[key] = (*words.get(key, ()), *found_words)
    all_tables = find_tables(sheets, words)
    found = _one_of_each(all_tables, duplicates)
    if "支出总表" not in found:
        names = "、".join(s.name for s in sheets) or "（无）"
        raise InputRejected(
            [
                error(
                    "工作簿",
                    f"{path} 中没有找到部门预算公开表（至少需要“部门预算支出总表”）；工作表：{names}",
                    "请导出部门预算公开表：每张表以表名（如“部门预算支出总表”）开头，表头含“科目编码”等列名。",
                )
            ],
            unreadable=True,
        )
    if not any(_amount_cells(table) for table in all_tables):
        raise InputRejected(
            [
                error(
                    "工作簿",
                    f"{path} 中的表（{'、'.join(found)}）都没有金额：这是空白的公开模板，不是预算系统导出的数据",
                    "请从预算管理一体化系统导出本部门的公开表（填有金额的工作簿）后再导入；"
                    "空白模板只说明各表的格式，导入它得不到任何数字。",
                )
            ],
            unreadable=True,
        )
    result = Imported(path, problems=duplicates)
    _identify(result, list(found.values()))
    _report_found(result, sheets, all_tables, found, titles or {})
    expense = _hierarchy(result, found["支出总表"], [("合计", ("合计",))] + list(KIND_COLUMNS))
    income = (
        _hierarchy(
            result,
            found["收入总表"],
            [("合计", ("合计",)), ("财政拨款收入", ("财政拨款收入",)), ("上年结转", ("上年结转",))]
            + [(c, INCOME_ALIASES.get(c, (c,))) for c, _ in SOURCE_FUNDS],
        )
        if "收入总表" in found
        else None
    )
    fiscal = {
        fund: _hierarchy(result, found[key], [("合计", ("合计",)), ("基本", ("基本支出",)), ("项目", ("项目支出",))])
        for key, fund in FUND_TABLES.items()
        if key in found
    }
    _lines(result, expense, income, fiscal)
    if income is not None:
        _compare_totals(result, ("收入总表", income), ("支出总表", expense))
    economic = None
    if "一般公共预算财政拨款基本支出表" in found:
        economic = _hierarchy(
            result,
            found["一般公共预算财政拨款基本支出表"],
            [("合计", ("合计",)), ("人员经费", ("人员经费",)), ("公用经费", ("公用经费",))],
        )
        _economic(result, economic)
    if "三公经费支出表" in found:
        _three_public(result, found["三公经费支出表"])
    if "收支总表" in found:
        _summary_totals(result, found["收支总表"])
    if "财政拨款收支总表" in found:
        _fiscal_totals(result, found["财政拨款收支总表"])
    _compare_operating_costs(result)
    _declare_codes(result, expense)
    _names(result, [expense, income, *fiscal.values(), economic])
    _account(result, all_tables, found)
    return result


def _one_of_each(tables: list[FoundTable], problems: list[Problem]) -> dict[str, FoundTable]:
    """One table per kind. A kind printed twice is read from its first copy when both hold the same
    rows (said in a note); two copies that differ are an error naming both, never a silent choice."""
    by_key: dict[str, list[FoundTable]] = {}
    for table in tables:
        by_key.setdefault(table.key, []).append(table)
    for key, copies in by_key.items():
        if len(copies) < 2:
            continue
        places = "、".join(cell_name(t.sheet, t.title_row, 1) for t in copies)
        if len({_content(t) for t in copies}) == 1:
            problems.append(
                note(
                    "工作簿",
                    f"“{key}”在工作簿中出现 {len(copies)} 次（{places}），内容相同，按第一张读取",
                    "可删除重复的表。",
                )
            )
        else:
            problems.append(
                error(
                    "工作簿",
                    f"“{key}”在工作簿中出现 {len(copies)} 次（{places}），内容不同，无法判断该用哪一张",
                    "删除或隐藏（右键工作表标签 → 隐藏）不属于本部门公开的那张，保存后重新导入。",
                )
            )
    return {key: copies[0] for key, copies in by_key.items()}


def _content(table: FoundTable) -> tuple:
    return tuple(tuple(table.sheet.row_texts(row)) for row in table.body)


def _identify(result: Imported, tables: list[FoundTable]) -> None:
    _choose_unit(result, tables)
    result.year = next((t.year for t in tables if t.year), None)
    _one_department(result, tables)
    department = next((t.department for t in tables if t.department), None)
    if department:
        result.code, result.name = department
    if not result.code and (named := FILE_NAME.match(result.source.stem)) is not None:
        # the Shanghai export names its file <编码>-<名称>-人代会报表制作; the sheets carry no code
        result.code = named.group(1)
        result.name = result.name or named.group(2)
        department = (result.code, result.name)
        result.problems.append(
            note("工作簿", f"部门编码 {result.code} 取自文件名「{result.source.name}」（表中没有编码）", "请核对编码。")
        )
    if result.year is None:
        result.problems.append(
            warning("工作簿", "工作簿中没有找到预算年度（如“预算年度：2025”）", "导入后在“预算年度”填写年度。")
        )
    if not department:
        result.problems.append(
            warning("工作簿", "工作簿中没有找到部门编码和名称（如“471 某某局”）", "导入后在“部门”下填写编码和名称。")
        )


def _one_department(result: Imported, tables: list[FoundTable]) -> None:
    """A workbook holds one department's tables: two names on the top lines are refused, naming both."""
    names: dict[str, FoundTable] = {}
    for table in tables:
        if table.department and table.department[1]:
            names.setdefault(re.sub(r"\s", "", table.department[1]), table)
    if len(names) > 1:
        places = "；".join(f"{cell_name(t.sheet, t.title_row, 1)} 起的表为「{n}」" for n, t in names.items())
        raise InputRejected(
            [
                error(
                    "工作簿",
                    f"{result.source} 中有不止一个部门的表：{places}",
                    "每个部门单独导出一个工作簿，分别导入。",
                )
            ],
            unreadable=True,
        )


def _choose_unit(result: Imported, tables: list[FoundTable]) -> None:
    """Each table is read in its own printed unit and converted exactly into the import's unit: 元
    when any table is in 元 or 千元 (万元 and 亿元 multiply into 元 exactly), else 万元."""
    for table in tables:
        if table.unit and table.unit not in YUAN_PER_UNIT:
            where = cell_name(table.sheet, table.unit_row or table.title_row, 1)
            result.problems.append(
                error(
                    "工作簿",
                    f"{where} 一带写的金额单位「{table.unit}」无法识别（{table.key}）",
                    f"金额单位应为 {'、'.join(YUAN_PER_UNIT)} 之一；请按系统原样导出。",
                )
            )
    known = [t for t in tables if t.unit in YUAN_PER_UNIT]
    printed = list(dict.fromkeys(t.unit for t in known))
    result.unit = "元" if any(YUAN_PER_UNIT[u] < YUAN_PER_UNIT["万元"] for u in printed) else "万元"
    assumed = printed[0] if len(printed) == 1 else result.unit
    for table in tables:
        if table.unit is None:
            table.unit = assumed
            if printed and len(printed) > 1:
                result.problems.append(
                    warning(
                        "工作簿",
                        f"{table.sheet.name} 的“{table.key}”没有写金额单位，按{assumed}读取",
                        "核对该表的金额单位；如不是"
                        + assumed
                        + "，在表头上方加一行“单位：万元”或“单位：元”后重新导入。",
                    )
                )
        if table.unit in YUAN_PER_UNIT:
            table.scale = YUAN_PER_UNIT[table.unit] / YUAN_PER_UNIT[result.unit]
    if any(u != result.unit for u in printed):
        described = "；".join(f"{t.sheet.name}（{t.unit}）" for t in known)
        result.problems.append(
            note(
                "工作簿",
                f"各表的金额单位不同：{described}；已全部精确换算为{result.unit}",
                "换算只乘以 10 的整数次幂，不四舍五入。",
            )
        )


def _hierarchy(result: Imported, table: FoundTable, wanted: list[tuple[str, tuple[str, ...]]]) -> Rows:
    rows = Rows()
    columns = {}
    for label, headers in wanted:
        column = column_for(table, *headers)
        if column is not None:
            columns[label] = column
    for label, headers in wanted[:1]:
        if label not in columns:
            result.problems.append(
                error(
                    "工作簿",
                    f"{table.sheet.name} 的表头中没有找到“{headers[0]}”列",
                    "表头应含“合计”等列名；请用系统原样导出的表。",
                )
            )
    if not table.code_columns:
        result.problems.append(
            error(
                "工作簿",
                f"{table.sheet.name} 的“{table.key}”没有“科目编码”列（或类/款/项列）",
                "请用系统原样导出的表。",
            )
        )
        return rows
    for row in table.body:
        code = row_code(table, row)
        name = table.sheet.text(row, table.name_column) if table.name_column else ""
        label_cells = " ".join(table.sheet.text(row, c) for c in range(1, 5))
        # 合计 first or last; its label in the code or the name column, merged over 类/款/项 or not
        is_total = (not code or not code.isdigit()) and ("合计" in label_cells or "总计" in label_cells)
        if not code and not is_total:
            continue
        if is_total:
            code = None
        elif code and not code.isdigit():
            result.problems.append(
                error(
                    "工作簿",
                    f"{table.where(row, table.code_columns[0])} 的科目编码「{code}」不是数字",
                    "科目编码只写数字，如 2080501 或 208 05 01。",
                )
            )
            continue
        amounts = {}
        for label, column in columns.items():
            value = _read(result, table, row, column)
            if value is not None:
                amounts[label] = value
                rows.where[(code or "合计", label)] = table.where(row, column)
        if is_total:
            rows.total = amounts
        else:
            rows.codes[code] = amounts
            if name:
                rows.names[code] = name
    _report_sums(result, rows, table)
    return rows


def _compare_totals(result: Imported, first: tuple[str, Rows], second: tuple[str, Rows]) -> None:
    """Two tables that print the same total (收入总表 and 支出总表 合计, code by code): a difference is
    named with both cells. The import keeps the 支出总表's leaves (the declared totals go with the
    YAML), so `check` then names the figure that does not add up."""
    (first_name, a), (second_name, b) = first, second
    for code in ["合计", *sorted(set(a.codes) & set(b.codes))]:
        left = a.total.get("合计") if code == "合计" else a.codes[code].get("合计")
        right = b.total.get("合计") if code == "合计" else b.codes[code].get("合计")
        if left is not None and right is not None and left != right:
            result.problems.append(
                warning(
                    "工作簿",
                    f"{first_name} {a.where.get((code, '合计'))} 的“{code}”合计 {left.normalize():f} 与"
                    f"{second_name} {b.where.get((code, '合计'))} 的 {right.normalize():f} 不同",
                    "两张表应印同一个数：核对工作簿；导入按支出总表的明细记账，check 会指出对不上的合计。",
                )
            )


def _report_sums(result: Imported, rows: Rows, table: FoundTable) -> None:
    """Every printed parent that is not the sum of its printed children, with both cells and amounts."""
    for parent in sorted(rows.codes):
        children = [c for c in rows.codes if len(c) == len(parent) + 2 and c.startswith(parent)]
        if not children:
            continue
        for label, value in rows.codes[parent].items():
            summed = sum((rows.codes[c].get(label, ZERO) for c in children), ZERO)
            if summed != value:
                result.problems.append(
                    warning(
                        "工作簿",
                        f"{table.key}：{rows.where.get((parent, label))} 的“{label}” {value} 与其下级之和 {summed}"
                        f" 不符（下级：{'、'.join(rows.where.get((c, label), c) for c in children)}）",
                        "导入时保留下级明细，表中印出的上级数记为申报数，check 会列出两者。",
                    )
                )


def _lines(result: Imported, expense: Rows, income: Rows | None, fiscal: dict[str, Rows]) -> None:
    for code in sorted(c for c in expense.codes if len(c) == 7):
        kinds = {kind: expense.codes[code].get(kind, ZERO) for kind, _ in KIND_COLUMNS}
        entries = [
            (fund, kind, rows.codes.get(code, {}).get(kind, ZERO))
            for fund, rows in fiscal.items()
            for kind in ("基本", "项目")
        ]
        entries = [(f, k, a) for f, k, a in entries if a]
        carried = income.codes.get(code, {}).get("上年结转", ZERO) if income else ZERO
        fiscal_current = income.codes.get(code, {}).get("财政拨款收入") if income else None
        fiscal_total = sum((a for _, _, a in entries), ZERO)
        carried_fiscal = carried if fiscal_current is not None and fiscal_total - fiscal_current == carried else ZERO
        for fund, kind, amount in entries:
            if carried_fiscal and amount >= carried_fiscal:
                result.lines.append(
                    Line(
                        code,
                        fund,
                        kind,
                        carried_fiscal,
                        carried_over=True,
                        confirm="" if len(entries) == 1 else "上年结转安排在哪一行，表中看不出；请确认",
                    )
                )
                amount -= carried_fiscal
                carried_fiscal = ZERO
            if amount:
                result.lines.append(Line(code, fund, kind, amount))
        remaining = {kind: kinds[kind] - sum((a for f, k, a in entries if k == kind), ZERO) for kind in kinds}
        sources = (
            [(fund, income.codes.get(code, {}).get(column, ZERO)) for column, fund in SOURCE_FUNDS] if income else []
        )
        sources = [(f, a) for f, a in sources if a]
        non_fiscal_carried = carried - (
            carried if fiscal_current is not None and fiscal_total - fiscal_current == carried else ZERO
        )
        _non_fiscal_lines(result, code, {k: v for k, v in remaining.items() if v}, sources, non_fiscal_carried)


def _non_fiscal_lines(
    result: Imported, code: str, kinds: dict[str, Decimal], sources: list[tuple[str, Decimal]], carried: Decimal
) -> None:
    """Split a code's non-fiscal money between its sources and kinds. One source or one kind
    determines the lines; otherwise they are filled in order and marked for confirmation."""
    if not kinds:
        return
    if not sources:
        sources = [("单位资金", sum(kinds.values(), ZERO))]
    confirm = "" if len(sources) == 1 or len(kinds) == 1 else "非财政资金在各来源和类型之间的分配表中看不出；请确认"
    if carried:
        confirm = confirm or "非财政资金的上年结转安排在哪一行，表中看不出；请确认"
    pending = list(sources)
    for kind, amount in kinds.items():
        while amount > 0 and pending:
            fund, available = pending[0]
            part = min(amount, available)
            result.lines.append(
                Line(code, fund, kind, part, carried_over=bool(carried) and part == carried, confirm=confirm)
            )
            amount -= part
            pending[0] = (fund, available - part)
            if pending[0][1] <= 0:
                pending.pop(0)
        if amount > 0:
            result.lines.append(
                Line(code, "单位资金", kind, amount, confirm="收入总表中没有对应的资金来源；请确认来源")
            )


def _read(result: Imported, table: FoundTable, row: int, column: int | None) -> Decimal | None:
    """A cell's amount, recording a note (number stored as text) or an error (not a number)."""
    if column is not None:
        result.used.add(table.where(row, column))
    value, problem = amount_at(table, row, column)
    if problem and problem.startswith("note:"):
        hint = (
            "在 Excel 或 WPS 中打开并保存一次，公式的结果就会存在文件里。"
            if "的公式" in problem
            else "导出时把金额设为数字格式更好；数值已读取。"
        )
        result.problems.append(note("工作簿", problem[5:], hint))
    elif problem:
        hint = (
            "在 Excel 或 WPS 中打开该文件并保存一次（公式随之算出结果），再导入。"
            if "是公式" in problem
            else MERGED_HINT
            if "合并单元格" in problem
            else "金额只写数字；空白表示 0。"
        )
        result.problems.append(error("工作簿", problem, hint))
    return value


def _economic(result: Imported, rows: Rows) -> None:
    for code in sorted(c for c in rows.codes if len(c) == 5):
        amounts = rows.codes[code]
        total = amounts.get("合计", ZERO)
        if not total:
            continue
        default = "人员经费" if code[:3] in ("301", "303") else "公用经费"
        printed = "人员经费" if amounts.get("人员经费") else "公用经费" if amounts.get("公用经费") else default
        result.economic.append((code, total, None if printed == default else printed))
    for code in (c for c in rows.codes if len(c) == 3):
        if rows.codes[code].get("合计"):
            result.declared_codes[code] = rows.codes[code]["合计"]
    for label, field_name in (("人员经费", "人员经费"), ("公用经费", "公用经费")):
        if label in rows.total:
            result.declared[field_name] = rows.total[label]


# The horizontal 三公 table (Shanghai): a column per item, one data row, in 万元 beside 元 tables.
ROW_ITEMS = (
    (("因公出国(境)费", "因公出国（境）费"), "其他因公出国（境）费"),
    (("公务接待费",), "公务接待费"),
    (("购置费", "公务用车购置费"), "公务用车购置费"),
    (("运行费", "运行维护费", "公务用车运行费", "公务用车运行维护费"), "公务用车运行维护费"),
)


def _three_public_row(result: Imported, table: FoundTable) -> bool:
    """The one-row 三公 and 机关运行经费 table, if this is one: each item read into 一般公共预算 (the row
    does not split funds, which is said), 合计 kept as the declared total, 小计 checked against
    购置费 + 运行费 by check X9 through the declared total, 机关运行经费 declared as 公用经费."""
    if table.label_column is not None or not any(column_for(table, *words) for words, _ in ROW_ITEMS):
        return False
    rows = [
        row for row in table.body if any(isinstance(v, (int, float)) for v in table.sheet.rows.get(row, {}).values())
    ]
    if len(rows) != 1:
        result.problems.append(
            error(
                "工作簿",
                f"{cell_name(table.sheet, table.title_row, 1)} 的“三公”经费表应只有一行数字，这里有 {len(rows)} 行",
                "请用系统原样导出的表。",
            )
        )
        return True
    row = rows[0]
    for words, item in ROW_ITEMS:
        value = _read(result, table, row, column_for(table, *words))
        if value:
            result.three_public[item] = {"一般公共预算": value}
    if (total := _read(result, table, row, column_for(table, "合计"))) is not None:
        result.declared["三公经费"] = total
    _read(result, table, row, column_for(table, "小计"))  # 公务用车 = 购置费 + 运行费: implied by the total
    operating = next((c for h, c in table.columns.items() if "机关运行经费" in h), None)
    if (value := _read(result, table, row, operating)) is not None:
        result.operating_costs = (value, table.where(row, operating), Decimal("0.01") * table.scale)
    result.problems.append(
        note(
            "工作簿",
            f"{cell_name(table.sheet, row, 1)} 起的“三公”经费一行没有分资金来源，已全部记为一般公共预算；"
            "因公出国（境）费记为“其他因公出国（境）费”",
            "如有政府性基金或国有资本经营预算安排的“三公”经费，或教学科研人员因公出国，导入后在“三公经费”中改写。",
        )
    )
    return True


def _three_public(result: Imported, table: FoundTable) -> None:
    if _three_public_row(result, table):
        return
    columns = {
        fund: column_for(table, f"{fund}财政拨款", f"{fund}拨款", f"{fund}预算财政拨款", f"{fund}预算拨款")
        for fund in FISCAL_FUNDS
    }
    columns["一般公共预算"] = columns["一般公共预算"] or column_for(table, "一般公共预算财政拨款", "一般公共预算")
    total_column = column_for(table, "合计")
    label_column = table.label_column or 2
    for row in table.body:
        label = table.sheet.text(row, label_column).replace(" ", "")
        item = next((name for name, words in THREE_PUBLIC_LABELS if words in label), None)
        if label in ("合计",) and total_column:
            value = _read(result, table, row, total_column)
            if value:
                result.declared["三公经费"] = value
        if item is None:
            continue
        by_fund = {}
        for fund, column in columns.items():
            value = _read(result, table, row, column)
            if value:
                by_fund[fund] = value
        if by_fund:
            result.three_public[item] = by_fund


def _summary_totals(result: Imported, table: FoundTable) -> None:
    for row in table.body:
        texts = table.sheet.row_texts(row)
        for index, text in enumerate(texts):
            label = text.replace(" ", "")
            for wanted, field_name, _ in SUMMARY_TOTALS:
                if label == wanted and index + 1 < len(texts):
                    value = _read(result, table, row, index + 2)
                    if value is not None:
                        result.declared[field_name] = value


def _declare_codes(result: Imported, expense: Rows) -> None:
    for code, amounts in expense.codes.items():
        if len(code) in (3, 5) and amounts.get("合计"):
            result.declared_codes[code] = amounts["合计"]
    for kind, field_name in (("基本", "基本支出"), ("项目", "项目支出")):
        if expense.total.get(kind):
            result.declared[field_name] = expense.total[kind]


def _names(result: Imported, hierarchies: list[Rows | None]) -> None:
    """Names travel with codes: a code the catalog lacks takes the workbook's name; a code whose
    workbook name means something else than the catalog's (a local sub-code) keeps the workbook's
    name too, with a warning at its cell — checks that rest on the national meaning skip it."""
    year = result.year or 2025
    function, economic = catalog.function_codes(), catalog.economic_codes()
    same = lambda text: re.sub(r"[\s（）()]", "", text)  # noqa: E731 - 维修(护)费 is 维修（护）费
    for rows in hierarchies:
        for code, name in rows.names.items() if rows else ():
            known = (function if code.startswith("2") else economic).name(code, year)
            if known is None and name:
                result.code_names.setdefault(code, name)
            elif known and name and same(known) != same(name):
                result.code_names.setdefault(code, name)
                result.problems.append(
                    warning(
                        "工作簿",
                        f"{rows.where.get((code, '合计'), code)} 的科目 {code} 在工作簿中名为「{name}」，"
                        f"全国科目（{year} 年）为「{known}」：按工作簿的名称印出，依赖全国含义的核对（如 X10）跳过它",
                        "如是导出时的本地编号，请向预算系统确认对应的全国科目编码；如工作簿写错了名称，删去“科目名称”中的这一项。",
                    )
                )


# ---------------------------------------------------------------- every amount accounted for


def _amount_cells(table: FoundTable) -> list[tuple[int, int]]:
    """The body cells of a table that hold an amount (a number, or a number written as text)."""
    skip = {*table.code_columns, table.name_column, table.label_column}
    cells = []
    for row in table.body:
        for column, value in table.sheet.rows.get(row, {}).items():
            if column in skip or (row, column) in table.sheet.spread:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append((row, column))
            elif isinstance(value, str) and AMOUNT_TEXT.match(value) and any(ch.isdigit() for ch in value):
                if not SPLIT_CODE.match(value):
                    cells.append((row, column))
    return cells


def _account(result: Imported, tables: list[FoundTable], found: dict[str, FoundTable]) -> None:
    """No silent loss: every amount cell of every recognised table is read, or named here as not
    read with the reason — tables computed from others, and second copies compared with the first."""
    for table in tables:
        cells = [table.where(r, c) for r, c in _amount_cells(table)]
        unread = [cell for cell in cells if cell not in result.used]
        if not unread:
            continue
        chosen = found.get(table.key) is table
        if not chosen:
            reason = "与同名的第一张表逐格比较过，按第一张读取"
        elif table.key in COMPUTED_TABLES:
            reason = COMPUTED_TABLES[table.key]
        else:
            reason = ""
        if reason:
            for cell in unread:
                result.ignored[cell] = reason
            result.problems.append(
                note(
                    "工作簿",
                    f"{table.sheet.name} 的“{table.key}”有 {len(unread)} 个金额未读入（{_cells(unread)}）：{reason}",
                    "",
                )
            )
        else:
            result.problems.append(
                warning(
                    "工作簿",
                    f"{table.sheet.name} 的“{table.key}”有 {len(unread)} 个金额没有读入（{_cells(unread)}）："
                    "它们不在可识别的列或行中",
                    "核对这些单元格：列名是否与系统导出的一致、是否写在表体之外；改正后重新导入。",
                )
            )


COMPUTED_TABLES = {
    "收支总表": "各类支出和收入各行由明细算出（生成时重算），只读入了总计",
    "财政拨款收支总表": "各类支出由明细算出（生成时重算），只读入了各资金的收入和总计",
}


def _cells(cells: list[str]) -> str:
    shown = "、".join(cells[:8])
    return shown + (f" 等 {len(cells)} 格" if len(cells) > 8 else "")


def _fiscal_totals(result: Imported, table: FoundTable) -> None:
    """The 财政拨款收支总表's income by fund and its totals, as declared figures checked later."""
    label_column = table.label_column or 1
    for row in table.body:
        label = table.sheet.text(row, label_column).replace(" ", "")
        for words, field_name in FISCAL_INCOME:
            if any(word in label for word in words) and "合计" not in label:
                value = _read(result, table, row, label_column + 1)
                if value is not None:
                    result.declared.setdefault(field_name, value)
        if "收入总计" in label:
            _read(result, table, row, label_column + 1)  # 收入总计 = 支出总计, both computed; checked below
        texts = table.sheet.row_texts(row)
        if "支出总计" in "".join(texts):
            for column in range(label_column + 3, table.sheet.max_column + 1):
                _read(result, table, row, column)


FISCAL_INCOME = (
    (("一般公共预算",), "一般公共预算拨款收入"),
    (("政府性基金",), "政府性基金预算拨款收入"),
    (("国有资本经营",), "国有资本经营预算拨款收入"),
)


def _compare_operating_costs(result: Imported) -> None:
    """机关运行经费 printed beside the 三公 row: the 公用经费 of basic expenditure in this caliber."""
    if result.operating_costs is None:
        return
    printed, where, step = result.operating_costs
    public = result.declared.get("公用经费")
    if public is None:
        result.declared["公用经费"] = printed
    elif abs(public - printed) * 2 > step:  # beyond the rounding of the table it is printed in
        result.problems.append(
            warning(
                "工作簿",
                f"{where} 的机关运行经费 {printed.normalize():f} 与基本支出表的公用经费合计 {public.normalize():f} 不同"
                "（超出该表的舍入）",
                "核对两张表；机关运行经费即一般公共预算基本支出中的公用经费。",
            )
        )


def _closest_set(tables: list[FoundTable], set_titles: dict[str, dict[str, tuple[str, ...]]]) -> str | None:
    """The set whose own titles the most tables carry (its printed title, year aside); None on a tie."""
    plain = lambda text: re.sub(r"[\s“”\"'‘’]", "", text)  # noqa: E731
    scores = {
        name: sum(any(plain(w) in plain(t.title) for w in words.get(t.key, ())) for t in tables)
        for name, words in set_titles.items()
    }
    best = max(scores.values(), default=0)
    winners = [name for name, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


def _report_found(
    result: Imported,
    sheets,
    tables: list[FoundTable],
    found: dict[str, FoundTable],
    set_titles: dict[str, dict[str, tuple[str, ...]]],
) -> None:
    """Which sheet became which table, and which sheets were skipped (printed every time)."""
    used_sheets = {t.sheet.name for t in tables}
    for table in tables:
        chosen = "" if found.get(table.key) is table else "（重复，与第一张比较）"
        result.tables.append(
            f"{cell_name(table.sheet, table.title_row, 1)} “{table.title or table.key}” → {table.key}{chosen}"
        )
    for sheet in sheets:
        if sheet.name not in used_sheets:
            result.tables.append(f"{sheet.name}：跳过（没有可识别的表名，如文字说明页）")
    for name in getattr(sheets, "hidden", []):
        result.tables.append(f"{name}：跳过（隐藏的工作表）")
        result.problems.append(
            note("工作簿", f"工作表「{name}」是隐藏的，未读入", "隐藏的工作表不属于公开内容；如要导入，先取消隐藏。")
        )
    for table in tables:
        hidden = sorted(r for r in table.sheet.hidden_rows if table.title_row < r < table.end)
        rows_with_numbers = [
            r for r in hidden if any(isinstance(v, (int, float)) for v in table.sheet.rows.get(r, {}).values())
        ]
        if rows_with_numbers:
            result.problems.append(
                warning(
                    "工作簿",
                    f"{table.sheet.name} 的“{table.key}”有隐藏的行"
                    f"（第 {'、'.join(map(str, rows_with_numbers[:10]))} 行）含有金额，未读入",
                    "隐藏的行不属于公开内容；如这些金额应当公开，先取消隐藏再导入。",
                )
            )
    result.suggested_set = _closest_set(tables, set_titles)
