"""Excel in: the budget system's export of the 公开表 becomes a checked department file, in every
common layout; bad workbooks are refused with sheet!cell messages. The workbooks are made here from
the examples' own XLSX output, then reshaped as other budget systems lay them out."""

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import REFERENCE_EXAMPLES, invoke


def tables_json(path: Path) -> list:
    result = invoke("tables", path, "--json", "--neutral")
    assert result.exit_code == 0, result.output
    return [table["rows"] for table in json.loads(result.output)["tables"]]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workbooks")
    for example in REFERENCE_EXAMPLES.values():
        assert invoke("build", example, "-o", folder, "--format", "xlsx").exit_code == 0
    return {ref: folder / f"{example.stem}.xlsx" for ref, example in REFERENCE_EXAMPLES.items()}


@pytest.fixture(scope="module")
def xls_000(workbooks, tmp_path_factory):
    """000's workbook saved as .xls (Excel 97–2003) by LibreOffice, once."""
    return as_xls(workbooks["000"], tmp_path_factory.mktemp("xls"))


def import_to(workbook: Path, target: Path):
    return invoke("import", workbook, "-o", target)


@pytest.mark.parametrize("ref", sorted(REFERENCE_EXAMPLES))
def test_round_trip_gives_the_examples_numbers(workbooks, tmp_path, ref):
    target = tmp_path / "imported.yaml"
    result = import_to(workbooks[ref], target)
    assert result.exit_code == 0, result.output
    assert tables_json(target) == tables_json(REFERENCE_EXAMPLES[ref])
    checked = invoke("check", target)
    assert "[申报]" not in checked.output, "no declared total differs from what is computed"


def one_sheet(source: Path, target: Path) -> None:
    """All nine tables one below the other on a single sheet."""
    book = openpyxl.load_workbook(source)
    out = openpyxl.Workbook()
    sheet = out.active
    sheet.title = "公开表"
    offset = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                sheet.cell(row=cell.row + offset, column=cell.column, value=cell.value)
        for merged in ws.merged_cells.ranges:
            sheet.merge_cells(
                start_row=merged.min_row + offset,
                start_column=merged.min_col,
                end_row=merged.max_row + offset,
                end_column=merged.max_col,
            )
        offset += ws.max_row + 2
    out.save(target)


def split_codes(source: Path, target: Path) -> None:
    """科目编码 as 类/款/项 columns (or "208 05 01" in one column for the economic table)."""
    book = openpyxl.load_workbook(source)
    for ws in book.worksheets:
        code_column = next((c.column for row in ws.iter_rows(max_row=6) for c in row if c.value == "科目编码"), None)
        if code_column is None:
            continue
        header_row = next(c.row for row in ws.iter_rows(max_row=6) for c in row if c.value == "科目编码")
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        ws.insert_cols(code_column + 1, 2)
        for row in range(header_row, ws.max_row + 1):
            value = ws.cell(row=row, column=code_column).value
            if row == header_row:
                for i, label in enumerate(("类", "款", "项")):
                    ws.cell(row=row, column=code_column + i, value=label)
            elif isinstance(value, str) and value.isdigit():
                parts = [value[:3], value[3:5], value[5:7]]
                for i, part in enumerate(parts):
                    ws.cell(row=row, column=code_column + i, value=part or None)
    book.save(target)


def in_yuan(source: Path, target: Path) -> None:
    """The same workbook with every amount in 元 and 单位：元."""
    book = openpyxl.load_workbook(source)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)) and cell.number_format == "0.00":
                    cell.value = float(Decimal(str(cell.value)) * 10000)
                elif isinstance(cell.value, str) and cell.value == "单位：万元":
                    cell.value = "单位：元"
    book.save(target)


def as_xls(source: Path, folder: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / (source.stem + ".xls")


@pytest.mark.parametrize("layout", ["one_sheet", "split_codes", "in_yuan", "xls", "xls_renamed_xlsx"])
def test_other_layouts_import_to_the_same_numbers(workbooks, xls_000, tmp_path, layout):
    ref = "000"
    source = workbooks[ref]
    if layout == "xls":
        workbook = xls_000
    elif layout == "xls_renamed_xlsx":
        workbook = tmp_path / "renamed.xlsx"
        shutil.copy(xls_000, workbook)
    else:
        workbook = tmp_path / f"{layout}.xlsx"
        globals()[layout](source, workbook)
    target = tmp_path / "imported.yaml"
    result = import_to(workbook, target)
    assert result.exit_code == 0, result.output
    assert tables_json(target) == tables_json(REFERENCE_EXAMPLES[ref])
    if layout == "in_yuan":
        text = target.read_text(encoding="utf-8")
        assert "金额单位: 元" in text and "金额: 6708500" in text, "元 stays 元, no rounding"
    assert "[申报]" not in invoke("check", target).output


def test_a_class_total_off_by_a_cent_keeps_the_children_and_check_names_both(workbooks, tmp_path):
    book = openpyxl.load_workbook(workbooks["000"])
    sheet = book["部门预算支出总表"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "208")
    sheet.cell(row=row, column=4).value = 322.11
    workbook = tmp_path / "off.xlsx"
    book.save(workbook)
    target = tmp_path / "imported.yaml"
    result = import_to(workbook, target)
    assert result.exit_code == 0
    assert "部门预算支出总表!D" in result.output and "322.11" in result.output and "322.10" in result.output
    assert tables_json(target) == tables_json(REFERENCE_EXAMPLES["000"]), "the children are kept"
    checked = invoke("check", target)
    assert "科目 208 为322.11 万元" in checked.output and "322.10" in checked.output


# ---------------------------------------------------------------- bad workbooks


def test_workbook_without_tables(tmp_path):
    workbook = tmp_path / "empty.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "随便写点什么"
    book.save(workbook)
    result = import_to(workbook, tmp_path / "out.yaml")
    assert result.exit_code == 2 and "没有找到部门预算公开表" in result.output and not (tmp_path / "out.yaml").exists()


def test_text_in_number_cells_names_the_cell(workbooks, tmp_path):
    book = openpyxl.load_workbook(workbooks["001"])
    sheet = book["部门预算支出总表"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "2060101")
    sheet.cell(row=row, column=5).value = "见附件"
    sheet.cell(row=row, column=4).value = "1946900元"  # 元 written into a 万元 table: converted exactly
    workbook = tmp_path / "text.xlsx"
    book.save(workbook)
    result = import_to(workbook, tmp_path / "out.yaml")
    assert result.exit_code == 1 and f"部门预算支出总表!E{row} 应为金额，这里写的是「见附件」" in result.output
    assert (
        f"部门预算支出总表!D{row} 的金额「1946900元」是文字格式，已按数字 194.69 读取（单元格写的是元，已精确换算）"
        in result.output
    )
    assert not (tmp_path / "out.yaml").exists(), "nothing half-written"


def test_numbers_stored_as_text_with_separators_are_read_with_a_note(workbooks, tmp_path):
    book = openpyxl.load_workbook(workbooks["000"])
    sheet = book["部门预算收支总表"]
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, float) and cell.value > 1000:
                cell.value = f"{cell.value:,.2f}"
    workbook = tmp_path / "separators.xlsx"
    book.save(workbook)
    target = tmp_path / "out.yaml"
    result = import_to(workbook, target)
    assert result.exit_code == 0 and "是文字格式，已按数字 4212.66 读取" in result.output
    assert "[申报]" not in invoke("check", target).output


def test_hidden_sheets_and_rows_are_not_imported(workbooks, tmp_path):
    book = openpyxl.load_workbook(workbooks["001"])
    extra = book.copy_worksheet(book["部门预算支出总表"])
    extra.title = "草稿"
    extra.sheet_state = "hidden"
    extra["D6"] = 9999
    sheet = book["部门预算支出总表"]
    sheet.append([99, "2150599", "草稿行（隐藏）", 1000.0, 1000.0])
    sheet.row_dimensions[sheet.max_row].hidden = True
    workbook = tmp_path / "hidden.xlsx"
    book.save(workbook)
    target = tmp_path / "out.yaml"
    assert import_to(workbook, target).exit_code == 0
    assert tables_json(target) == tables_json(REFERENCE_EXAMPLES["001"])


@pytest.mark.parametrize(
    "content, message",
    [
        (b"PK\x03\x04broken zip", "已损坏或不是完整的 .xlsx 文件"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512,
            "设置了打开密码",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "已损坏或无法识别"),
        ("部门: 不是工作簿".encode(), "不是 Excel 工作簿"),
    ],
)
def test_broken_encrypted_and_foreign_files_are_refused(tmp_path, content, message):
    workbook = tmp_path / "bad.xlsx"
    workbook.write_bytes(content)
    result = import_to(workbook, tmp_path / "out.yaml")
    assert result.exit_code == 2 and message in result.output and not (tmp_path / "out.yaml").exists()


def test_a_100_mb_file_is_refused_without_reading_it(tmp_path):
    workbook = tmp_path / "huge.xlsx"
    with workbook.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)
    result = import_to(workbook, tmp_path / "out.yaml")
    assert result.exit_code == 2 and "文件太大" in result.output


def test_an_existing_yaml_is_never_overwritten(workbooks, tmp_path):
    target = tmp_path / "dept.yaml"
    target.write_text("# 手写的内容\n", encoding="utf-8")
    result = import_to(workbooks["001"], target)
    assert result.exit_code == 1 and "已存在，未改动" in result.output
    assert target.read_text(encoding="utf-8") == "# 手写的内容\n"


def test_merged_cells_in_the_body_are_refused_by_cell(workbooks, tmp_path):
    book = openpyxl.load_workbook(workbooks["001"])
    sheet = book["部门预算支出总表"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "2060101")
    sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)
    workbook = tmp_path / "merged.xlsx"
    book.save(workbook)
    result = import_to(workbook, tmp_path / "out.yaml")
    assert result.exit_code == 1 and f"部门预算支出总表!E{row} 是合并单元格的一部分" in result.output


def test_into_replaces_the_numbers_and_keeps_the_narrative_and_comments(workbooks, tmp_path):
    target = tmp_path / "dept.yaml"
    original = REFERENCE_EXAMPLES["001"].read_text(encoding="utf-8")
    target.write_text(original.replace("职责与机构:", "# 本段由办公室审定\n职责与机构:", 1), encoding="utf-8")
    result = invoke("import", workbooks["001"], "--into", target)
    assert result.exit_code == 0, result.output
    updated = target.read_text(encoding="utf-8")
    assert "# 本段由办公室审定" in updated and "# yaml-language-server" in updated
    for narrative_text in ("职责与机构:", "总体绩效目标:", "增减原因:", "政府采购:"):
        assert narrative_text in updated
    assert "申报数:" in updated and "科目合计:" in updated
    assert "# 以下各部分工作簿中没有" not in updated, "no fill-in block in an existing file"
    assert tables_json(target) == tables_json(REFERENCE_EXAMPLES["001"])
    checked = invoke("check", target)
    assert checked.exit_code == 0 and "[申报]" not in checked.output and "[X16]" not in checked.output, checked.output


def test_a_city_catalog_learned_by_import_serves_every_department(workbooks, tmp_path):
    book = openpyxl.load_workbook(workbooks["001"])
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "2060102":
                    cell.value = "2060199"
                    sheet.cell(row=cell.row, column=cell.column + 1).value = "其他科学技术管理事务"
    workbook = tmp_path / "new-code.xlsx"
    book.save(workbook)
    city = tmp_path / "city"
    city.mkdir()
    target = city / "dept.yaml"
    result = invoke("import", workbook, "-o", target, "--catalog", city)
    assert result.exit_code == 0 and "存入" in result.output
    assert "2060199,其他科学技术管理事务,项" in (city / "科目目录.csv").read_text(encoding="utf-8")
    assert "科目名称" not in target.read_text(encoding="utf-8").split("支出:")[0], "the name lives in the city catalog"
    assert invoke("check", target).output.count("[科目]") == 0
    other = city / "other.yaml"
    other.write_text(
        '部门: {编码: "9", 名称: 另一个局, 级次: 区}\n预算年度: 2025\n'
        "上年: {基本支出: 0, 项目支出: 0, 三公经费合计: 0}\n"
        "支出:\n  - {科目: 2060199, 类型: 项目, 金额: 1.00}\n",
        encoding="utf-8",
    )
    assert "2060199 不在内置目录中" not in invoke("check", other).output
    elsewhere = tmp_path / "other.yaml"
    elsewhere.write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    assert "2060199 不在内置目录中" in invoke("check", elsewhere).output, "only departments beside the catalog use it"


def test_a_city_name_contradicting_the_built_in_one_is_a_warning_naming_both(tmp_path):
    (tmp_path / "科目目录.csv").write_text(
        "code,name,level,since,until,sources\n2150501,本市行政运行,项,,,本市\n", encoding="utf-8"
    )
    path = tmp_path / "dept.yaml"
    path.write_text(
        '部门: {编码: "9", 名称: 测试局, 级次: 区}\n预算年度: 2025\n'
        "上年: {基本支出: 0, 项目支出: 0, 三公经费合计: 0}\n"
        "支出:\n  - {科目: 2150501, 类型: 基本, 金额: 1.00}\n"
        "基本支出经济分类:\n  - {科目: 30101, 金额: 1.00}\n",
        encoding="utf-8",
    )
    result = invoke("check", path)
    assert "城市科目目录中科目 2150501 名为「本市行政运行」，内置目录为「行政运行」" in result.output


def test_a_formula_saved_without_its_result_is_named_not_read_as_blank(workbooks, tmp_path):
    book = openpyxl.load_workbook(workbooks["001"])
    sheet = book["部门预算支出总表"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "2060101")
    # openpyxl saves formulas without calculating them; budgetgen evaluates SUM and + − (issue 22),
    # and refuses the rest with the cell named
    sheet.cell(row=row, column=4).value = "=VLOOKUP(1,A1:B2,2)"
    workbook = tmp_path / "formula.xlsx"
    book.save(workbook)
    result = invoke("import", workbook, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 1 and f"部门预算支出总表!D{row} 是公式，但文件中没有它的计算结果" in result.output
    assert "不支持「VLOOKUP(」" in result.output
    assert not (tmp_path / "out.yaml").exists()
