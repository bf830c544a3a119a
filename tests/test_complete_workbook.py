"""One complete workbook (issue 24): every part of a department in Excel, laid out from the input
model; YAML → workbook → YAML and workbook → YAML → workbook round trips are lossless; messages
name the sheet and the cell."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES, invoke

from budgetgen.analysis import analyse, load_input
from budgetgen.validation import parse_budget

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
PARTS = (
    "部门",
    "支出明细",
    "基本支出经济分类",
    "三公经费",
    "项目",
    "项目·绩效指标",
    "职责与机构",
    "职责与机构·机构",
    "上年",
    "增减原因",
    "绩效",
    "绩效·分项绩效目标",
    "政府采购·来源·物品",
    "国有资产",
    "说明",
    "科目说明",
    "资产占有",
    "科目目录",
)


@pytest.mark.parametrize("source", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_a_department_round_trips_through_the_workbook_both_ways(source, tmp_path):
    workbook, back, again = tmp_path / "d.xlsx", tmp_path / "d.yaml", tmp_path / "d2.xlsx"
    assert invoke("workbook", source, "-o", workbook).exit_code == 0
    result = invoke("import", workbook, "-o", back)
    assert result.exit_code == 0, result.output
    assert parse_budget(load_input(back)) == parse_budget(load_input(source)), "YAML → workbook → YAML"
    assert parse_budget(load_input(workbook)) == parse_budget(load_input(source)), "check and build read it directly"
    assert invoke("workbook", back, "-o", again).exit_code == 0
    assert again.read_bytes() == workbook.read_bytes(), "workbook → YAML → workbook, byte for byte"


def test_the_workbooks_tables_are_the_yamls(tmp_path):
    source = EXAMPLES / "xingtai-gxj-2022.yaml"
    workbook = tmp_path / "d.xlsx"
    invoke("workbook", source, "-o", workbook)
    ours = analyse(workbook)
    theirs = analyse(source)
    assert ours.statement.figures == theirs.statement.figures
    assert sorted(p.check for p in ours.problems) == sorted(p.check for p in theirs.problems)


def test_new_writes_every_part_with_drop_downs_and_no_yaml_in_its_guide(tmp_path):
    target = tmp_path / "新.xlsx"
    assert invoke("new", "某某市档案局", "--xlsx", "-o", target).exit_code == 0
    book = openpyxl.load_workbook(target)
    assert set(PARTS) <= set(book.sheetnames), set(PARTS) - set(book.sheetnames)
    guide = " ".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    assert "YAML" not in guide and "每个数只填一次" in guide
    indicators = book["项目·绩效指标"]
    assert [c.value for c in indicators[1]][:3] == ["项目", "一级指标", "二级指标"]
    rules = {str(v.sqref).split(":")[0]: v.formula1 for v in indicators.data_validations.dataValidation}
    assert rules["B2"] == '"产出指标,效益指标,满意度指标"'
    assert rules["A2"].startswith("'项目'!$A$2"), "the project column offers the projects' names"
    assert indicators["B2"].protection.locked is False and indicators["B1"].protection.locked is True
    duties = book["职责与机构"]
    assert duties["A2"].value == "职责" and "每条一行" in duties["C2"].value


def test_a_new_workbook_filled_in_with_one_indicator_builds(tmp_path):
    target = tmp_path / "d.xlsx"
    invoke("new", "某某局", "--xlsx", "-o", target)
    book = openpyxl.load_workbook(target)
    lines = book["支出明细"]
    for column, value in enumerate((2150501, None, "一般公共预算", "基本", 10), start=1):
        lines.cell(row=2, column=column, value=value)
    for column, value in enumerate((2150599, None, "一般公共预算", "项目", 5, None, "数字化项目"), start=1):
        lines.cell(row=3, column=column, value=value)
    book["基本支出经济分类"].cell(row=2, column=1, value=30101)
    book["基本支出经济分类"].cell(row=2, column=3, value=10)
    book["项目"]["A2"] = "数字化项目"
    book["项目"]["G2"] = "完成系统建设\n提高办事效率"
    row = ("数字化项目", "产出指标", "数量指标", "上线系统数", "上线的系统", "1个", "工作计划")
    for column, value in enumerate(row, start=1):
        book["项目·绩效指标"].cell(row=2, column=column, value=value)
    book.save(target)
    budget = analyse(target).budget
    project = budget.projects[0]
    assert project.goals == ["完成系统建设", "提高办事效率"]
    assert [(i.level1, i.level2, i.value) for i in project.indicators] == [("产出指标", "数量指标", "1个")]
    assert invoke("build", target, "-o", tmp_path, "--format", "html").exit_code == 0


def test_workbook_messages_name_the_sheet_and_cell(tmp_path):
    target = tmp_path / "d.xlsx"
    invoke("workbook", EXAMPLES / "xingtai-gxj-2022.yaml", "-o", target)
    book = openpyxl.load_workbook(target)
    indicators = book["项目·绩效指标"]
    indicators["C3"] = "数量"  # not a 二级指标 of 产出指标
    indicators["A4"] = "不存在的项目"
    book.save(target)
    result = invoke("check", target)
    assert result.exit_code == 1
    assert "项目·绩效指标!A4" in result.output and "「不存在的项目」不在工作表「项目」中" in result.output
    book = openpyxl.load_workbook(target)
    book["项目·绩效指标"]["A4"] = book["项目·绩效指标"]["A3"].value
    book.save(target)
    result = invoke("check", target)
    assert "项目·绩效指标!A3" in result.output and "二级指标「数量」不属于一级指标「产出指标」" in result.output


def test_reordered_columns_and_a_renamed_form_field(tmp_path):
    target = tmp_path / "d.xlsx"
    invoke("workbook", EXAMPLES / "qinhuangdao-gxj-2023.yaml", "-o", target)
    book = openpyxl.load_workbook(target)
    lines = book["支出明细"]
    lines.move_range("A1:A200", cols=20)  # 科目 moved to the far right
    book["职责与机构"]["A2"] = "职责（新）"
    book.save(target)
    result = invoke("check", target)
    assert "职责与机构!A2" in result.output and "「职责（新）」不是这张表的字段" in result.output
    book = openpyxl.load_workbook(target)
    book["职责与机构"]["A2"] = "职责"
    book.save(target)
    moved = analyse(target)
    assert (
        moved.statement["expense.total"] == analyse(EXAMPLES / "qinhuangdao-gxj-2023.yaml").statement["expense.total"]
    )


def test_libreoffice_opens_the_workbook(tmp_path):
    target = tmp_path / "d.xlsx"
    invoke("workbook", EXAMPLES / "qinhuangdao-gxj-2023.yaml", "-o", target)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    converted = tmp_path / "d.ods"
    assert converted.exists() and converted.stat().st_size > 10_000
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            str(converted),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    saved_by_libreoffice = tmp_path / "lo" / "d.xlsx"
    assert parse_budget(load_input(saved_by_libreoffice)) == parse_budget(
        load_input(EXAMPLES / "qinhuangdao-gxj-2023.yaml")
    )


def test_a_yaml_with_errors_is_not_written_as_a_workbook(tmp_path):
    source = tmp_path / "d.yaml"
    source.write_text(
        (EXAMPLES / "qinhuangdao-gxj-2023.yaml").read_text(encoding="utf-8").replace("级次: 市", "级次: 省"),
        encoding="utf-8",
    )
    result = invoke("workbook", source)
    assert result.exit_code == 1 and "级次" in result.output
    assert not Path(tmp_path / "d.xlsx").exists()


def test_a_deleted_sheet_is_named_not_silently_empty(tmp_path):
    target = tmp_path / "d.xlsx"
    invoke("workbook", EXAMPLES / "qinhuangdao-gxj-2023.yaml", "-o", target)
    book = openpyxl.load_workbook(target)
    del book["职责与机构"]
    book.save(target)
    result = invoke("check", target)
    assert "工作簿中没有工作表「职责与机构」" in result.output
