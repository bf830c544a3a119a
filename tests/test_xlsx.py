"""The nine tables as an Excel workbook: numbers as numbers, as printed, readable by LibreOffice Calc."""

import csv
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from conftest import REFERENCE_EXAMPLES, load_expected
from expected_tables import corrected_expected_rows
from identities import TABLE_KEYS

pytestmark = pytest.mark.slow  # opens the workbooks in LibreOffice Calc


@pytest.fixture(params=sorted(REFERENCE_EXAMPLES))
def ref(request):
    return request.param


@pytest.fixture(scope="module")
def built_examples(tmp_path_factory):
    """Only the workbooks (building them takes a fraction of a second; no PDF is laid out)."""
    from budgetgen.build import build

    results = {}
    for ref_id, example in REFERENCE_EXAMPLES.items():
        folder = tmp_path_factory.mktemp(f"xlsx-{ref_id}")
        build(example, folder, ("xlsx",))
        results[ref_id] = {"xlsx": folder / f"{example.stem}.xlsx"}
    return results


def body_rows(sheet):
    """The rows under the 栏次 row, up to the first note line."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "栏次") + 1
    return [row for row in rows[start:] if not (isinstance(row[0], str) and row[0].startswith("注"))]


def as_printed(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f"{Decimal(str(value)):.2f}"
    return str(value)


def test_every_reference_cell_is_in_the_workbook_as_a_number(built_examples, ref):
    expected = load_expected(ref)
    workbook = openpyxl.load_workbook(built_examples[ref]["xlsx"])
    assert workbook.sheetnames == [title for title in expected["table_titles"]]
    for key, sheet in zip(TABLE_KEYS, workbook.worksheets, strict=True):
        rows = body_rows(sheet)
        want = corrected_expected_rows(ref, key, expected)
        assert [[as_printed(v) for v in row[1:]] for row in rows] == want, key
        assert [row[0] for row in rows] == list(range(1, len(want) + 1)), "序号 are numbers 1..n"
        for row_cells in sheet.iter_rows(min_row=sheet.max_row - len(rows) + 1):
            for cell in row_cells:
                if isinstance(cell.value, (int, float, Decimal)) and cell.column > 1:
                    assert cell.number_format == "0.00"
                assert not (
                    isinstance(cell.value, str) and cell.value.replace(".", "").isdigit() and "." in cell.value
                ), f"amount stored as text: {cell.coordinate}"


def test_workbook_layout_follows_the_pdf(built_examples):
    workbook = openpyxl.load_workbook(built_examples["000"]["xlsx"])
    income = workbook["部门预算收入总表"]
    merged = {str(r) for r in income.merged_cells.ranges}
    assert "A1:M1" in merged, "the title spans the table"
    assert "E3:L3" in merged, "本年收入 spans its eight columns"
    assert (
        income.page_setup.orientation == "landscape"
        and workbook["部门预算一般公共预算财政拨款基本支出表"].page_setup.orientation == "portrait"
    )
    assert income.print_title_rows == "$2:$5", "the page-top line, headers and 栏次 repeat on every printed page"
    assert income["A2"].value == "471 秦皇岛市工业和信息化局" and income["M2"].value == "单位：万元"
    assert income["C6"].font.b, "total rows bold"


@pytest.fixture(scope="module")
def calc_csv(built_examples, tmp_path_factory):
    """Every sheet of the three workbooks as LibreOffice Calc saves it to CSV (cells as shown), one soffice run."""
    folder = tmp_path_factory.mktemp("calc")
    sources = [str(built_examples[ref]["xlsx"]) for ref in sorted(REFERENCE_EXAMPLES)]
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
            "--outdir",
            str(folder),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder


def test_libreoffice_calc_reads_the_same_numbers(built_examples, calc_csv, ref):
    source = built_examples[ref]["xlsx"]
    tmp_path = calc_csv
    expected = load_expected(ref)
    for key, title in zip(TABLE_KEYS, expected["table_titles"], strict=True):
        with open(tmp_path / f"{source.stem}-{title}.csv", encoding="utf-8") as stream:
            rows = list(csv.reader(stream))
        start = next(i for i, row in enumerate(rows) if row and row[0] == "栏次") + 1
        body = [row[1:] for row in rows[start:] if row and not row[0].startswith("注")]
        assert body == corrected_expected_rows(ref, key, expected), key


def test_xlsx_builds_are_byte_identical(built_examples, tmp_path):
    from budgetgen.build import build

    again = build(REFERENCE_EXAMPLES["001"], tmp_path, ("xlsx",))
    assert again.written[0].read_bytes() == built_examples["001"]["xlsx"].read_bytes()
