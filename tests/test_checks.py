"""Checks that a department's typing can break, one at a time."""

from pathlib import Path

from budgetgen import catalog
from budgetgen.analysis import analyse
from budgetgen.problems import Severity

HEAD = '部门: {编码: "999", 名称: 测试局, 级次: 市}\n预算年度: 2023\n'
PRIOR_YEAR = (
    "\n上年: {基本支出: 1.00, 项目支出: 1.00, 三公经费合计: 0}\n"  # the explanatory part compares with last year
)
BASIC = (
    "支出:\n  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n基本支出经济分类:\n  - {科目: 30231, 金额: 4.00}\n  -"
    " {科目: 30101, 金额: 6.00}\n"
)


def problems_of(tmp_path: Path, body: str):
    path = tmp_path / "dept.yaml"
    path.write_text(HEAD + body + PRIOR_YEAR, encoding="utf-8")
    return analyse(path).table_problems  # these tests concern the table checks only


def test_three_public_below_economic_line_is_a_warning(tmp_path):
    (problem,) = problems_of(tmp_path, BASIC + "三公经费:\n  公务用车运行维护费: 3.00\n")
    assert problem.severity is Severity.WARNING and problem.check == "X10"
    assert "3.00" in problem.message and "4.00" in problem.message and "30231" in problem.message
    assert problem.position.line == 9


def test_three_public_above_economic_line_is_only_a_note(tmp_path):
    (problem,) = problems_of(tmp_path, BASIC + "三公经费:\n  公务用车运行维护费: 5.00\n")
    assert problem.severity is Severity.NOTE


def test_three_public_by_fund(tmp_path):
    body = BASIC + "三公经费:\n  公务用车运行维护费: {一般公共预算: 4.00, 政府性基金: 1.00}\n"
    path = tmp_path / "dept.yaml"
    path.write_text(HEAD + body + PRIOR_YEAR, encoding="utf-8")
    rows = analyse(path).tables["三公经费支出表"].as_printed()
    assert rows[0] == ["合计", "5.00", "4.00", "1.00", ""]
    assert rows[7] == ["公务用车运行维护费", "5.00", "4.00", "1.00", ""]


def test_project_money_without_project_is_a_warning_when_projects_exist(tmp_path):
    body = (
        BASIC.replace("支出:\n", "支出:\n  - {科目: 2150502, 类型: 项目, 金额: 2.00}\n")
        + "三公经费:\n  公务用车运行维护费: 4.00\n项目:\n  - {名称: 甲项目, 科目: 2150502, 金额: 1.00}\n"
    )
    problems = [p for p in problems_of(tmp_path, body) if p.check == "X16"]
    assert len(problems) == 1
    assert problems[0].severity is Severity.WARNING and problems[0].position.line == 4


def test_project_line_must_be_project_kind(tmp_path):
    body = (
        BASIC.replace("类型: 基本, 金额: 10.00}", "类型: 基本, 金额: 10.00, 项目: 甲}")
        + "三公经费:\n  公务用车运行维护费: 4.00\n项目:\n  - {名称: 甲}\n"
    )
    problems = problems_of(tmp_path, body)
    assert any(p.check == "X16" and "类型应为“项目”" in p.message for p in problems)


def test_name_contradicting_catalog_is_a_warning(tmp_path):
    problems = problems_of(tmp_path, BASIC + "三公经费:\n  公务用车运行维护费: 4.00\n科目名称:\n  2150501: 机关运行\n")
    (problem,) = problems
    assert problem.severity is Severity.WARNING and "行政运行" in problem.message


def test_catalog_names_follow_the_budget_year():
    codes = catalog.function_codes()
    assert codes.name("21505", 2022) == "工业和信息产业监管"
    assert codes.name("21505", 2023) == "工业和信息产业监管"
    assert codes.name("21505", 2025) == "工业和信息产业"
    assert codes.name("2150501", 2025) == "行政运行"
    assert len(catalog.expenditure_classes()) == 31
    assert catalog.class_number("2230199") == 22


def test_catalog_covers_every_code_of_the_references():
    from conftest import load_expected

    for ref in ("000", "001", "004"):
        expected = load_expected(ref)
        for row in expected["tables"]["支出总表"]:
            if row[0]:
                assert catalog.function_codes().name(row[0], expected["year"]) == row[1]
        for row in expected["tables"]["一般公共预算财政拨款基本支出表"]:
            if row[0]:
                assert catalog.economic_codes().name(row[0], expected["year"]) == row[1]


def test_line_name_contradicting_catalog_is_a_warning(tmp_path):
    body = BASIC.replace("金额: 10.00}", "金额: 10.00, 名称: 机关运行}") + "三公经费:\n  公务用车运行维护费: 4.00\n"
    (problem,) = problems_of(tmp_path, body)
    assert problem.severity is Severity.WARNING and problem.position.line == 4


def test_basic_totals_apart_by_leaf_rounding_suggest_yuan_input(tmp_path):
    body = (
        "支出:\n  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n基本支出经济分类:\n  - {科目: 30101, 金额: 6.00}\n  -"
        " {科目: 30201, 金额: 4.01}\n"
    )
    (problem,) = problems_of(tmp_path, body)
    assert problem.check == "X3" and "舍入" in problem.message
    assert "金额单位" in problem.hint and "元" in problem.hint


def test_basic_totals_apart_beyond_rounding_name_no_rounding(tmp_path):
    body = (
        "支出:\n  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n基本支出经济分类:\n  - {科目: 30101, 金额: 6.00}\n  -"
        " {科目: 30201, 金额: 5.00}\n"
    )
    (problem,) = problems_of(tmp_path, body)
    assert problem.check == "X3" and "舍入" not in problem.message
