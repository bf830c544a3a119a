"""Starting a department: `budgetgen new` writes a YAML or a fill-in workbook that check and build
accept as they stand; the workbook's problems are named by sheet and cell."""

import json
from decimal import Decimal

import openpyxl
import pytest
from conftest import REFERENCE_EXAMPLES, invoke

from budgetgen.analysis import analyse


@pytest.mark.slow
def test_new_yaml_checks_and_builds_as_it_stands(tmp_path):
    target = tmp_path / "某某局.yaml"
    assert invoke("new", "某某市某某局", "--code", "471", "-o", target).exit_code == 0
    text = target.read_text(encoding="utf-8")
    for section in (
        "支出:",
        "基本支出经济分类:",
        "三公经费:",
        "项目:",
        "上年:",
        "职责与机构:",
        "绩效:",
        "政府采购:",
        "国有资产:",
    ):
        assert section in text, section
    assert invoke("check", target).exit_code == 0
    built = invoke("build", target, "-o", tmp_path / "out")
    assert built.exit_code == 0 and (tmp_path / "out" / "某某局.pdf").exists()
    assert invoke("new", "某某市某某局", "-o", target).exit_code == 1, "an existing file is never overwritten"


@pytest.mark.slow
def test_new_workbook_checks_and_builds_as_it_stands(tmp_path):
    target = tmp_path / "某某局.xlsx"
    assert invoke("new", "某某市某某局", "--code", "471", "--xlsx", "-o", target).exit_code == 0
    book = openpyxl.load_workbook(target)
    assert {"部门", "支出明细", "基本支出经济分类", "三公经费", "项目", "上年"} <= set(book.sheetnames)
    lists = [v.formula1 for v in book["支出明细"].data_validations.dataValidation]
    assert any("一般公共预算" in f for f in lists) and any("对附属单位补助" in f for f in lists), (
        "drop-downs for 资金 and 类型"
    )
    assert invoke("check", target).exit_code == 0
    assert invoke("build", target, "-o", tmp_path / "out", "--format", "pdf,docx").exit_code == 0


def fill(target, lines, economic):
    book = openpyxl.load_workbook(target)
    for row, values in enumerate(lines, start=2):
        for column, value in enumerate(values, start=1):
            book["支出明细"].cell(row=row, column=column, value=value)
    for row, values in enumerate(economic, start=2):
        for column, value in enumerate(values, start=1):
            book["基本支出经济分类"].cell(row=row, column=column, value=value)
    book.save(target)


def test_workbook_problems_are_named_by_sheet_and_cell(tmp_path):
    target = tmp_path / "dept.xlsx"
    invoke("new", "某某局", "--xlsx", "-o", target)
    fill(
        target,
        [
            (2150501, None, "一般公共预算", "基本", 10),
            (2150501, None, "一般公共预算", "项目", -3),
            (2150577, None, "公共预算", "基本", 1),
        ],
        [(30101, None, 11)],
    )
    result = invoke("check", target)
    assert result.exit_code == 1
    assert f"{target}:支出明细!E3: 错误[输入] 金额为负数" in result.output
    assert f"{target}:支出明细!C4: 错误[输入] 「资金」的值「公共预算」不是可选值" in result.output


def test_an_examples_figures_typed_into_the_workbook_give_its_tables(tmp_path):
    analysis = analyse(REFERENCE_EXAMPLES["001"])
    target = tmp_path / "dept.xlsx"
    invoke("new", "某某局", "--xlsx", "-o", target)
    book = openpyxl.load_workbook(target)
    book["部门"]["B4"] = analysis.budget.year
    book.save(target)
    lines = [
        (int(entry.code), None, entry.fund, entry.kind, float(entry.amount), "是" if entry.carried_over else None)
        for entry in analysis.ledger.lines
    ]
    economic = [(int(e.code), None, float(e.amount)) for e in analysis.ledger.economic]
    fill(target, lines, economic)
    book = openpyxl.load_workbook(target)
    for row in range(2, 7):
        item = book["三公经费"].cell(row=row, column=1).value
        amount = analysis.ledger.three_public[item].get("一般公共预算")
        if amount:
            book["三公经费"].cell(row=row, column=2, value=float(amount))
    book.save(target)
    ours = json.loads(invoke("tables", target, "--json", "--neutral").output)["tables"]
    theirs = json.loads(invoke("tables", REFERENCE_EXAMPLES["001"], "--json", "--neutral").output)["tables"]
    assert [t["rows"] for t in ours] == [t["rows"] for t in theirs]
    assert analyse(target).statement["expense.total"] == Decimal("724.00")


def test_an_exported_public_table_is_not_taken_for_input(tmp_path):
    invoke("build", REFERENCE_EXAMPLES["001"], "-o", tmp_path, "--format", "xlsx")
    result = invoke("check", tmp_path / "haigang-kgxj-2025.xlsx")
    assert result.exit_code == 2 and "先导入：budgetgen import" in result.output
