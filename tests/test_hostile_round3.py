"""Hostile and clumsy input, third round — workbooks: each case once found reading wrong, hanging or
failing with a traceback, now tried through the command line a finance officer uses."""

import json
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import REFERENCE_EXAMPLES, invoke

ROOT = Path(__file__).resolve().parents[1]
BUDGETGEN = Path(sys.executable).parent / "budgetgen"


@pytest.fixture(scope="module")
def export_001(tmp_path_factory) -> Path:
    """The budget system's export of reference 001's department (budgetgen's own XLSX of it)."""
    folder = tmp_path_factory.mktemp("export")
    assert invoke("build", REFERENCE_EXAMPLES["001"], "-o", folder, "--format", "xlsx").exit_code == 0
    return folder / f"{REFERENCE_EXAMPLES['001'].stem}.xlsx"


def statement_total(path: Path) -> Decimal:
    result = invoke("tables", path, "--json", "--neutral")
    assert result.exit_code == 0, result.output
    tables = {t["title"]: t for t in json.loads(result.output)["tables"]}
    summary = next(t for title, t in tables.items() if "收支总表" in title and "财政" not in title)
    return Decimal(str(summary["rows"][-1][-1]).replace(",", ""))


def imported(workbook: Path, tmp_path: Path):
    target = tmp_path / f"{workbook.stem}.yaml"
    return invoke("import", workbook, "-o", target), target


def rewrite_units(source: Path, target: Path, unit: str) -> None:
    book = openpyxl.load_workbook(source)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "单位" in cell.value and "万元" in cell.value:
                    cell.value = cell.value.replace("万元", unit)
    book.save(target)


def patch_zip(source: Path, target: Path, edit) -> None:
    """Copy an .xlsx, passing every member's bytes through edit(name, data)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, edit(info.filename, old.read(info.filename)))


OOXML = "http://schemas.openxmlformats.org"
PACKAGE_RELS = f"{OOXML}/package/2006/relationships"
DOCUMENT_RELS = f"{OOXML}/officeDocument/2006/relationships"
SPREADSHEET = f"{OOXML}/spreadsheetml/2006/main"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def minimal_xlsx(target: Path, sheet_xml: bytes, shared_strings: bytes | None = None) -> None:
    """The smallest workbook Excel opens: one sheet, optionally shared strings."""
    strings_rel = (
        f'<Relationship Id="rId2" Type="{DOCUMENT_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared_strings
        else ""
    )
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0"?><Types xmlns="{OOXML}/package/2006/content-types"><Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml"'
            ' ContentType="application/xml"/><Override PartName="/xl/workbook.xml"'
            f' ContentType="{SHEET_TYPE}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml"'
            f' ContentType="{SHEET_TYPE}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1"'
            f' Type="{DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{SPREADSHEET}" xmlns:r="{DOCUMENT_RELS}"><sheets><sheet'
            ' name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{DOCUMENT_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f"{strings_rel}</Relationships>"
        ),
    }
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings:
            archive.writestr("xl/sharedStrings.xml", shared_strings)


SHEET_OPEN = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_CLOSE = b"</sheetData></worksheet>"


def measured_import(workbook: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, float, int]:
    """`budgetgen import` as its own process: (result, seconds, peak memory in MiB of that process)."""
    probe = (
        f"import resource, subprocess, sys, time;started = time.monotonic();r = subprocess.run([{str(BUDGETGEN)!r},"
        f" 'import', {str(workbook)!r}, '-o', {str(tmp_path / 'out.yaml')!r}], capture_output=True, text=True,"
        " timeout=120);print(r.returncode, time.monotonic() - started,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024);sys.stdout.write(r.stdout + r.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=180)
    first, _, output = done.stdout.partition("\n")
    code, seconds, mib = first.split()
    return subprocess.CompletedProcess([], int(code), output, ""), float(seconds), int(mib)


# ---------------------------------------------------------------- units


@pytest.mark.parametrize("unit, wan_per_unit", [("千元", Decimal("0.1")), ("亿元", Decimal(10000))])
def test_each_tables_unit_is_read_and_converted_exactly(export_001, tmp_path, unit, wan_per_unit):
    """The same digits under 单位：千元 or 单位：亿元 are not 万元: every amount is converted exactly."""
    workbook = tmp_path / f"in-{unit}.xlsx"
    rewrite_units(export_001, workbook, unit)
    result, target = imported(workbook, tmp_path)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert ("金额单位: 元" in text) == (unit == "千元")
    in_wan = statement_total(target)
    assert in_wan == statement_total(REFERENCE_EXAMPLES["001"]) * wan_per_unit
    amounts = [Decimal(a) for a in re.findall(r"金额: ([\d.]+)", text)]
    assert amounts and all(a == a.quantize(Decimal("0.01")) for a in amounts), (
        "converted by powers of ten, never rounded"
    )


def test_a_three_public_sheet_in_wan_beside_yuan_sheets_is_converted(export_001, tmp_path):
    book = openpyxl.load_workbook(export_001)
    for sheet in book.worksheets:
        is_three_public = "三公" in sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if (
                    isinstance(cell.value, str)
                    and "单位" in cell.value
                    and "万元" in cell.value
                    and not is_three_public
                ):
                    cell.value = cell.value.replace("万元", "元")
                elif (
                    isinstance(cell.value, (int, float))
                    and not isinstance(cell.value, bool)
                    and not is_three_public
                    and cell.row > 4
                ):
                    cell.value = float(Decimal(repr(cell.value)) * 10000)
    workbook = tmp_path / "mixed.xlsx"
    book.save(workbook)
    result, target = imported(workbook, tmp_path)
    assert result.exit_code == 0, result.output
    assert "各表的金额单位不同" in result.output and "精确换算为元" in result.output
    assert statement_total(target) == statement_total(REFERENCE_EXAMPLES["001"])
    assert "[申报]" not in invoke("check", target).output


def test_an_unknown_unit_is_refused_at_its_table(export_001, tmp_path):
    workbook = tmp_path / "dollars.xlsx"
    rewrite_units(export_001, workbook, "美元")
    result, target = imported(workbook, tmp_path)
    assert result.exit_code == 1 and "金额单位「美元」无法识别" in result.output and not target.exists()


def awkward_cells(export: Path, target: Path) -> dict[str, str]:
    """Three amounts replaced: an accountant's negative, a date, and a broken reference."""
    book = openpyxl.load_workbook(export)
    sheet = book["部门预算支出总表"]
    rows = [
        r
        for r in range(1, sheet.max_row + 1)
        if str(sheet.cell(row=r, column=2).value or "").isdigit() and len(str(sheet.cell(row=r, column=2).value)) == 7
    ]
    sheet.cell(row=rows[0], column=5).value = "(166.87)"
    date_cell = sheet.cell(row=rows[1], column=5)
    date_cell.value = 45000
    date_cell.number_format = "yyyy-mm-dd"
    book.save(target)
    cells = {
        "negative": f"部门预算支出总表!E{rows[0]}",
        "date": f"部门预算支出总表!E{rows[1]}",
        "ref": f"部门预算支出总表!E{rows[2]}",
    }
    # an error value as Excel saves it: <c t="e"><f>#REF!+1</f><v>#REF!</v></c>
    with zipfile.ZipFile(target) as archive:
        names = {n: archive.read(n) for n in archive.namelist()}
    workbook_xml = names["xl/workbook.xml"].decode()
    index = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook_xml).index("部门预算支出总表") + 1
    sheet_name = f"xl/worksheets/sheet{index}.xml"
    xml = names[sheet_name].decode()
    xml = re.sub(
        rf'<c r="E{rows[2]}"([^>]*?)(/>|>.*?</c>)',
        rf'<c r="E{rows[2]}" t="e"><f>#REF!+1</f><v>#REF!</v></c>',
        xml,
        count=1,
    )
    names[sheet_name] = xml.encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, data in names.items():
            archive.writestr(n, data)
    return cells


def test_negatives_dates_and_error_values_are_named_by_cell(export_001, tmp_path):
    workbook = tmp_path / "awkward.xlsx"
    cells = awkward_cells(export_001, workbook)
    result, target = imported(workbook, tmp_path)
    assert f"{cells['negative']} 的金额「(166.87)」是文字格式，已按数字 -166.87 读取（括号表示负数）" in result.output
    assert f"{cells['date']} 设成了日期或时间格式" in result.output and "改为“数值”" in result.output
    assert f"{cells['ref']} 是 Excel 的错误值 #REF!（公式引用的单元格已被删除）" in result.output
    assert result.exit_code == 1 and not target.exists()


def test_a_table_printed_twice_is_compared_not_picked_silently(export_001, tmp_path):
    book = openpyxl.load_workbook(export_001)
    copy = book.copy_worksheet(book["部门预算支出总表"])
    copy.title = "支出总表（副本）"
    same = tmp_path / "same.xlsx"
    book.save(same)
    result, target = imported(same, tmp_path)
    assert (
        result.exit_code == 0
        and "“支出总表”在工作簿中出现 2 次" in result.output
        and "内容相同，按第一张读取" in result.output
    )
    for row in copy.iter_rows():
        for cell in row:
            if isinstance(cell.value, float) and cell.value > 0:
                cell.value += 1
                break
    different = tmp_path / "different.xlsx"
    book.save(different)
    result, target = imported(different, tmp_path)
    assert (
        result.exit_code == 1
        and "内容不同，无法判断该用哪一张" in result.output
        and "支出总表（副本）!A1" in result.output
    )


@pytest.mark.slow
def test_hidden_sheets_of_an_xls_are_skipped_as_in_an_xlsx(export_001, tmp_path):
    book = openpyxl.load_workbook(export_001)
    extra = book.copy_worksheet(book["部门预算支出总表"])
    extra.title = "草稿"
    for row in extra.iter_rows():
        for cell in row:
            if isinstance(cell.value, float):
                cell.value += 1  # a draft with other numbers
    extra.sheet_state = "hidden"
    book.move_sheet(extra, offset=-len(book.sheetnames) + 1)  # first: read, it would be the one used
    book.active = 1
    source = tmp_path / "hidden.xlsx"
    book.save(source)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result, target = imported(tmp_path / "hidden.xls", tmp_path)
    assert result.exit_code == 0, result.output
    assert "出现 2 次" not in result.output
    assert statement_total(target) == statement_total(REFERENCE_EXAMPLES["001"])


# ---------------------------------------------------------------- what the file really is


@pytest.mark.parametrize(
    "content, said",
    [
        (
            "<html><head><meta charset='utf-8'></head><body><table><tr><td>部门预算支出总表</td></tr></table></body>"
            "</html>".encode(),
            "是网页（HTML）格式的表格",
        ),
        (
            b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook'
            b' xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "是 Excel 2003 XML 表格",
        ),
        ("科目编码,科目名称,合计\n201,一般公共服务支出,12.5\n".encode("gb18030"), "是 CSV 或文本文件"),
    ],
)
@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_a_file_that_is_not_a_workbook_is_named_for_what_it_is(tmp_path, content, said, suffix):
    workbook = tmp_path / f"导出{suffix}"
    workbook.write_bytes(content)
    result, target = imported(workbook, tmp_path)
    assert result.exit_code == 2 and said in result.output and "另存为" in result.output and ".xlsx" in result.output
    assert not target.exists()


def test_a_word_document_given_as_a_workbook(tmp_path):
    document = tmp_path / "说明.xlsx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    result, _ = imported(document, tmp_path)
    assert result.exit_code == 2 and "是 Word 文档" in result.output


@pytest.mark.parametrize(
    "sheet_xml, strings",
    [
        (b"<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></c></row>", None),  # damaged: cut short
        (
            SHEET_OPEN + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_CLOSE,
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>',
        ),
        (
            SHEET_OPEN + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_CLOSE,
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e'
            b' "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;'
            b'&f;&f;&f;&f;&f;&f;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
            b"&g;</t></si></sst>",
        ),
    ],
    ids=["cut-short", "xxe", "billion-laughs"],
)
def test_damaged_xml_inside_a_workbook_is_refused_in_chinese(tmp_path, sheet_xml, strings):
    workbook = tmp_path / "坏.xlsx"
    minimal_xlsx(workbook, sheet_xml, strings)
    result, target = imported(workbook, tmp_path)
    assert (
        result.exit_code == 2
        and "损坏的工作簿" in result.output
        and "root:" not in result.output
        and not target.exists()
    )


# ---------------------------------------------------------------- bounded reading


def million_cells(target: Path) -> None:
    rows = b"".join(
        b'<row r="%d">' % r
        + b"".join(
            b'<c r="%s%d"><v>1</v></c>' % (c, r) for c in (b"A", b"B", b"C", b"D", b"E", b"F", b"G", b"H", b"I", b"J")
        )
        + b"</row>"
        for r in range(1, 100_001)
    )
    minimal_xlsx(target, SHEET_OPEN + rows + SHEET_CLOSE)


def stray_far_cell(export: Path, target: Path) -> None:
    def edit(name, data):
        if name.startswith("xl/worksheets/sheet") and b"</sheetData>" in data:
            return data.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                1,
            )
        return data

    patch_zip(export, target, edit)


def merge_to_the_end(export: Path, target: Path) -> None:
    def edit(name, data):
        if name.startswith("xl/worksheets/sheet") and b"</sheetData>" in data:
            data = re.sub(
                rb"<mergeCells[^>]*>", lambda m: m.group(0) + b'<mergeCell ref="K1:XFD1048576"/>', data, count=1
            )
            if b"K1:XFD1048576" not in data:
                data = data.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="K1:XFD1048576"/></mergeCells>',
                    1,
                )
            data = (
                data.replace(
                    b"</sheetData>", b'<row r="2"><c r="K2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>', 1
                )
                if b'r="K1"' not in data
                else data
            )
        return data

    patch_zip(export, target, edit)


@pytest.mark.slow
@pytest.mark.parametrize(
    "make", [million_cells, stray_far_cell, merge_to_the_end], ids=["1M cells", "XFD1048576", "merge K1:XFD1048576"]
)
def test_huge_declared_sheets_are_read_or_refused_fast_and_small(export_001, tmp_path, make):
    workbook = tmp_path / "huge.xlsx"
    make(workbook) if make is million_cells else make(export_001, workbook)
    result, seconds, mib = measured_import(workbook, tmp_path)
    assert seconds < 30 and mib < 500, (seconds, mib)
    assert "Traceback" not in result.stdout
    if make is million_cells:
        assert result.returncode == 2 and "不像一个部门的预算公开表" in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert statement_total(tmp_path / "out.yaml") == statement_total(REFERENCE_EXAMPLES["001"])


# ---------------------------------------------------------------- the fill-in workbook


def filled_workbook(tmp_path: Path) -> Path:
    workbook = tmp_path / "填写.xlsx"
    assert invoke("new", "测试局", "--xlsx", "-o", workbook).exit_code == 0
    book = openpyxl.load_workbook(workbook)
    for row, values in enumerate(
        (
            ["2060101", "行政运行", "一般公共预算", "基本", 120.5],
            ["2060102", "一般行政管理事务", "一般公共预算", "项目", 30],
        ),
        start=2,
    ):
        for column, value in enumerate(values, start=1):
            book["支出明细"].cell(row=row, column=column, value=value)
    for row, values in enumerate(
        (["30101", "基本工资", 100.5, "人员经费"], ["30201", "办公费", 20, "公用经费"]), start=2
    ):
        for column, value in enumerate(values, start=1):
            book["基本支出经济分类"].cell(row=row, column=column, value=value)
    book.save(workbook)
    return workbook


def test_a_title_row_above_the_fill_in_headers_is_read_not_taken_for_an_empty_budget(tmp_path):
    workbook = filled_workbook(tmp_path)
    plain = statement_total(workbook)
    assert plain == Decimal("150.50")
    book = openpyxl.load_workbook(workbook)
    for name in ("支出明细", "基本支出经济分类"):
        book[name].insert_rows(1)
        book[name]["A1"] = f"{name}（单位：万元）"
    titled = tmp_path / "加标题.xlsx"
    book.save(titled)
    assert statement_total(titled) == plain
    assert invoke("check", titled).exit_code == invoke("check", workbook).exit_code


def test_fill_in_sheet_without_its_header_row_is_refused_not_read_as_empty(tmp_path):
    workbook = filled_workbook(tmp_path)
    book = openpyxl.load_workbook(workbook)
    book["支出明细"].delete_rows(1)
    broken = tmp_path / "无表头.xlsx"
    book.save(broken)
    result = invoke("check", broken)
    assert result.exit_code == 2 and "工作表「支出明细」中找不到表头行" in result.output


# ---------------------------------------------------------------- import --into


def problem_ids(result) -> list[str]:
    return sorted(re.findall(r"(错误|警告)\[([^\]]+)\]", result.output))


@pytest.mark.parametrize("ref", sorted(REFERENCE_EXAMPLES))
def test_into_with_the_departments_own_export_keeps_its_project_links(tmp_path, ref):
    example = REFERENCE_EXAMPLES[ref]
    assert invoke("build", example, "-o", tmp_path, "--format", "xlsx").exit_code == 0
    target = tmp_path / "dept.yaml"
    target.write_bytes(example.read_bytes())
    result = invoke("import", tmp_path / f"{example.stem}.xlsx", "--into", target)
    assert result.exit_code == 0, result.output
    assert "导入的支出中没有金额相同的一行" not in result.output
    assert problem_ids(invoke("check", target)) == problem_ids(invoke("check", example)), "no new problem"
    assert target.read_text(encoding="utf-8").count("项目:") >= example.read_text(encoding="utf-8").count("    项目:")


@pytest.mark.parametrize(
    "content, said",
    [
        ("部门:\n  编码: '001'\n  名称: 某某局\n".encode("gb18030"), "UTF-8"),
        ("部门: {编码: '001'}\n预算年度: 2025\n预算年度: 2026\n".encode(), "重复"),
        (b"", "空"),
        ("只是一句话\n".encode(), "不是部门文件"),
    ],
    ids=["gb18030", "duplicate-key", "empty", "plain-string"],
)
def test_into_a_file_that_is_not_a_readable_department_says_why_and_changes_nothing(
    export_001, tmp_path, content, said
):
    target = tmp_path / "dept.yaml"
    target.write_bytes(content)
    result = invoke("import", export_001, "--into", target)
    assert result.exit_code in (1, 2) and said in result.output and "未改动" in result.output
    assert target.read_bytes() == content


# ---------------------------------------------------------------- new


@pytest.mark.parametrize("name", ["../x局", "某/局", "..", "很长的部门名称" * 13])
def test_new_never_writes_outside_the_folder_or_fails_on_a_long_name(tmp_path, monkeypatch, name):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = invoke("new", name)
    assert result.exit_code == 2 and "无法用作文件名" in result.output and "-o" in result.output
    assert list(tmp_path.rglob("*")) == [work]


def test_new_with_a_file_name_too_long_for_the_disk_says_so(tmp_path):
    result = invoke("new", "某局", "-o", tmp_path / ("长" * 90 + ".yaml"))
    assert result.exit_code == 1 and "文件名太长" in result.output and list(tmp_path.iterdir()) == []
