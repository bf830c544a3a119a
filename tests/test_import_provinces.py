"""Other provinces' exports import, or say exactly why not (issue 22): workbooks in the Shanghai
Putuo export layout built from reference 005 (tests/export_layouts.py) and its variants, the
official Putuo template workbook, and the bad inputs of the issue."""

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from conftest import invoke
from export_layouts import Layout, putuo_export

from budgetgen.analysis import analyse
from budgetgen.build import document_for
from budgetgen.document import TableBlock
from budgetgen.excel.importer import _amount_cells, import_workbook
from budgetgen.excel.tables import find_tables
from budgetgen.excel.workbook import cell_name, read_workbook

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "tests" / "fixtures" / "shanghai" / "putuo-2026-disclosure-template-unit.xls"
FILE_NAME = "201-上海市普陀区司法局-人代会报表制作.xlsx"
LAYOUTS = {
    "sheets, split codes": Layout(),
    "one sheet": Layout(one_sheet=True),
    "codes in one column": Layout(split_codes=False),
    "Liaoning titles": Layout(titles="liaoning"),
    "with 收入总表（含转移支付）": Layout(duplicate_income=True),
}


def expected_amounts() -> Counter:
    from test_shanghai_reference import expected_amounts as amounts

    return Counter(amounts())


def printed_amounts(path: Path) -> Counter:
    analysis = analyse(path)
    assert analysis.tables_ok, [p.message for p in analysis.table_problems if p.severity.name == "ERROR"]
    document = document_for(analysis, narrative=False)
    return Counter(
        c.text.replace(",", "")
        for b in document.blocks
        if isinstance(b, TableBlock) and b.part_table
        for r in b.rows
        for c in r.cells
        if c.kind == "amount" and c.text
    )


@pytest.mark.parametrize("name", LAYOUTS)
def test_a_putuo_export_imports_to_tables_that_reproduce_all_366_amounts(tmp_path, name):
    workbook = putuo_export(tmp_path / FILE_NAME, LAYOUTS[name])
    target = tmp_path / "dept.yaml"
    result = invoke("import", workbook, "-o", target, "--set", "shanghai-putuo-2026")
    assert result.exit_code == 0, result.output
    assert "找到的表：" in result.output and "→ 三公经费支出表" in result.output
    assert "没有读入" not in result.output, "every amount is read or named as not read"
    text = target.read_text(encoding="utf-8")
    assert '编码: "201"' in text and "预算年度: 2026" in text and "金额单位: 元" in text
    assert "公务接待费: 8300" in text and "公务用车运行维护费: 99800" in text, "三公 in 万元, converted exactly"
    assert printed_amounts(target) == expected_amounts()


def test_the_set_is_inferred_from_the_titles(tmp_path):
    workbook = putuo_export(tmp_path / FILE_NAME)
    result = invoke("import", workbook, "-o", tmp_path / "dept.yaml")
    assert "模板集：shanghai-putuo-2026（按表名推断" in result.output
    assert "模板: shanghai-putuo-2026" in (tmp_path / "dept.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", LAYOUTS)
def test_no_amount_cell_of_a_recognised_table_goes_unaccounted(tmp_path, name):
    """Walk every cell of the workbook: each number is read, named as not read with its reason, or
    stands in a code column as a code."""
    from budgetgen.theme import load_theme
    from budgetgen.wording import import_titles

    words = import_titles(load_theme("shanghai-putuo-2026"))
    workbook = putuo_export(tmp_path / FILE_NAME, LAYOUTS[name])
    imported = import_workbook(workbook, {"shanghai-putuo-2026": words})
    sheets = read_workbook(workbook)
    tables = find_tables(sheets, words)
    codes = {cell_name(t.sheet, row, column) for t in tables for row in t.body for column in t.code_columns}
    walked = 0
    for sheet in sheets:
        for row, cells in sheet.rows.items():
            for column, value in cells.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    walked += 1
                    where = cell_name(sheet, row, column)
                    assert where in imported.used or where in imported.ignored or where in codes, where
    amounts = sum(len(_amount_cells(t)) for t in tables)
    assert walked >= amounts >= 366 - 13  # 005's zeros print as 0.00 cells in the export too


def test_the_official_putuo_template_is_recognised_and_refused_as_holding_no_numbers(tmp_path):
    """Decision: an empty template imports to nothing useful, and is most often picked by mistake
    instead of the export, so it is refused — naming the tables it found and why."""
    result = invoke("import", TEMPLATE, "-o", tmp_path / "t.yaml")
    assert result.exit_code == 2  # the workbook cannot give a department
    assert "都没有金额：这是空白的公开模板" in result.output and "收支总表" in result.output
    assert not (tmp_path / "t.yaml").exists()


def test_a_hidden_row_with_amounts_and_a_hidden_sheet_are_reported(tmp_path):
    workbook = putuo_export(tmp_path / FILE_NAME)
    book = openpyxl.load_workbook(workbook)
    book["3.16部门收入总表"].row_dimensions[8].hidden = True
    book["3.13名词解释（部门）"].sheet_state = "hidden"
    book.save(workbook)
    result = invoke("import", workbook, "-o", tmp_path / "d.yaml")
    assert "有隐藏的行（第 8 行）含有金额，未读入" in result.output
    assert "工作表「3.13名词解释（部门）」是隐藏的，未读入" in result.output


def test_two_departments_in_one_workbook_are_refused_naming_both(tmp_path):
    workbook = putuo_export(tmp_path / FILE_NAME)
    book = openpyxl.load_workbook(workbook)
    book["3.17部门支出总表"]["A2"] = "编制部门：上海市普陀区财政局"
    book.save(workbook)
    result = invoke("import", workbook, "-o", tmp_path / "d.yaml")
    assert result.exit_code == 2
    assert "有不止一个部门的表" in result.output and "上海市普陀区财政局" in result.output
    assert "上海市普陀区司法局" in result.output


def test_contradicting_tables_are_named_with_both_cells(tmp_path):
    workbook = putuo_export(tmp_path / FILE_NAME)
    book = openpyxl.load_workbook(workbook)
    sheet = book["3.16部门收入总表"]
    row = next(
        r
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == 210 and not sheet.cell(row=r, column=2).value
    )
    sheet.cell(row=row, column=5).value = 1149679.0
    book.save(workbook)
    result = invoke("import", workbook, "-o", tmp_path / "d.yaml")
    assert "收入总表 3.16部门收入总表!E" in result.output and "支出总表 3.17部门支出总表!E" in result.output


def test_a_duplicate_table_that_differs_is_an_error_naming_both(tmp_path):
    workbook = putuo_export(tmp_path / FILE_NAME, Layout(duplicate_income=True))
    book = openpyxl.load_workbook(workbook)
    book["3.27部门收入总表（含转移支付）"]["E6"] = 1.0
    book.save(workbook)
    result = invoke("import", workbook, "-o", tmp_path / "d.yaml")
    assert result.exit_code == 1
    assert "“收入总表”在工作簿中出现 2 次" in result.output and "内容不同" in result.output


def test_a_local_economic_sub_code_keeps_its_name_and_x10_skips_it(tmp_path):
    """The export numbers 302 款 locally: its 30217 may be another item. The name travels with the
    code (a warning at the cell), and X10, which rests on the national meaning, skips it saying why."""
    workbook = putuo_export(tmp_path / FILE_NAME)
    book = openpyxl.load_workbook(workbook)
    sheet = book["3.24部门一般公共预算拨款基本支出明细表"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "17")
    sheet.cell(row=row, column=3).value = "机关事业单位退休人员活动费"
    book.save(workbook)
    target = tmp_path / "d.yaml"
    result = invoke("import", workbook, "-o", target, "--set", "base")
    assert result.exit_code == 0, result.output
    assert "科目 30217 在工作簿中名为「机关事业单位退休人员活动费」" in result.output and "公务接待费" in result.output
    checked = invoke("check", target)
    assert (
        "科目 30217 在本文件中名为「机关事业单位退休人员活动费」" in checked.output
        and "未与“三公”经费中公务接待费核对" in checked.output
    )


def test_simple_formulas_saved_without_results_are_evaluated_exactly(tmp_path):
    """SUM of a range, + and − chains and references to another sheet, as exports and finance staff
    write them, are computed in Decimal; the import then reproduces every amount."""
    workbook = putuo_export(tmp_path / FILE_NAME)
    book = openpyxl.load_workbook(workbook)
    expense = book["3.17部门支出总表"]
    total_row = next(r for r in range(1, expense.max_row + 1) if expense.cell(row=r, column=1).value == "合计")
    first_class = next(r for r in range(1, expense.max_row + 1) if expense.cell(row=r, column=1).value == 204)
    classes = [r for r in range(first_class, total_row) if expense.cell(row=r, column=2).value is None]
    expense.cell(row=total_row, column=5).value = "=" + "+".join(f"E{r}" for r in classes)
    expense.cell(row=total_row, column=7).value = "=SUM(G8:G13)"  # 项目支出 of 204 06's 项: the only ones
    income = book["3.16部门收入总表"]
    income.cell(row=total_row, column=5).value = "='3.17部门支出总表'!E" + str(total_row)
    book.save(workbook)
    target = tmp_path / "dept.yaml"
    result = invoke("import", workbook, "-o", target, "--set", "shanghai-putuo-2026")
    assert result.exit_code == 0, result.output
    assert f"3.17部门支出总表!E{total_row} 的公式" in result.output and "已按数字精确算出 96282213.44" in result.output
    assert printed_amounts(target) == expected_amounts()


def test_a_table_without_a_title_is_recognised_by_its_header_and_the_guess_is_said(tmp_path):
    workbook = putuo_export(tmp_path / FILE_NAME)
    book = openpyxl.load_workbook(workbook)
    sheet = book["3.17部门支出总表"]
    for merged in list(sheet.merged_cells.ranges):
        if merged.min_row == 1:
            sheet.unmerge_cells(str(merged))
    sheet["A1"] = None
    book.save(workbook)
    target = tmp_path / "d.yaml"
    result = invoke("import", workbook, "-o", target, "--set", "shanghai-putuo-2026")
    assert result.exit_code == 0, result.output
    assert "3.17部门支出总表!A1 “（无表名，按表头猜测为支出总表）” → 支出总表" in result.output
    assert printed_amounts(target) == expected_amounts()


def test_a_provinces_title_words_come_from_its_template_set(tmp_path):
    """A title no built-in word knows is recognised once a set says it: its printed title, or its
    tables' `import_titles`."""
    workbook = putuo_export(tmp_path / FILE_NAME)
    book = openpyxl.load_workbook(workbook)
    book["3.21部门一般公共预算拨款表"]["A1"] = "2026年本级一般公共预算科目安排表"
    book.save(workbook)
    sets = tmp_path / "templates" / "city"
    sets.mkdir(parents=True)
    settings = "extends: shanghai-putuo-2026\ntables:\n  一般公共预算财政拨款支出表:\n"
    (sets / "theme.yaml").write_text(settings + "    import_titles: [一般公共预算科目安排表]\n", encoding="utf-8")
    without = invoke("import", workbook, "-o", tmp_path / "a.yaml", "--set", "shanghai-putuo-2026")
    assert "→ 一般公共预算财政拨款支出表" not in without.output
    with_set = invoke("import", workbook, "-o", tmp_path / "b.yaml", "--set", "city")
    assert "“2026年本级一般公共预算科目安排表” → 一般公共预算财政拨款支出表" in with_set.output, with_set.output
