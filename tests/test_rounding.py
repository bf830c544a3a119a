"""Rounding is explicit: half-up to 0.01 万元, once per printed cell; 元 input rounds from exact sums."""

from decimal import Decimal
from pathlib import Path

from budgetgen.analysis import analyse
from budgetgen.money import format_amount, round_half_up, to_wan
from budgetgen.problems import Severity

HEAD = '部门: {编码: "999", 名称: 测试局, 级次: 市}\n预算年度: 2023\n'
PRIOR_YEAR = (
    "\n上年: {基本支出: 1.00, 项目支出: 1.00, 三公经费合计: 0}\n"  # the explanatory part compares with last year
)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "dept.yaml"
    path.write_text(HEAD + body + PRIOR_YEAR, encoding="utf-8")
    return path


def test_half_up_not_bankers_and_not_float():
    assert round_half_up(Decimal("0.005")) == Decimal("0.01")
    assert round_half_up(Decimal("0.015")) == Decimal("0.02")  # banker's rounding would give 0.02 too
    assert round_half_up(Decimal("0.025")) == Decimal("0.03")  # banker's: 0.02
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")  # float round(2.675, 2) == 2.67
    assert to_wan(Decimal("337750"), "元") == Decimal("33.78")  # SPEC X17: 33.775 -> 33.78


def test_zero_prints_blank_and_amounts_two_decimals():
    assert format_amount(Decimal("0")) == ""
    assert format_amount(None) == ""
    assert format_amount(Decimal("8")) == "8.00"
    assert format_amount(Decimal("109690")) == "109690.00"


def test_yuan_input_rounds_each_cell_from_the_exact_sum(tmp_path):
    # two 50元 lines: each prints 0.01 万元 (0.005 rounded half-up), their parent 100元 prints 0.01
    path = write(
        tmp_path,
        "金额单位: 元\n支出:\n"
        "  - {科目: 2080501, 类型: 基本, 金额: 50}\n"
        "  - {科目: 2080502, 类型: 基本, 金额: 50}\n"
        "基本支出经济分类:\n  - {科目: 30302, 金额: 100}\n",
    )
    analysis = analyse(path)
    assert analysis.ok, analysis.problems
    rows = {r[0]: r for r in analysis.tables["支出总表"].as_printed()}
    assert rows["2080501"][2] == "0.01" and rows["2080502"][2] == "0.01"
    assert rows["20805"][2] == "0.01"  # not 0.02: printed parent differs from the sum of printed children
    assert rows[""][2] == "0.01"


def test_yuan_input_small_leaves_round_to_blank_but_parent_shows(tmp_path):
    path = write(
        tmp_path,
        "金额单位: 元\n支出:\n"
        "  - {科目: 2080501, 类型: 基本, 金额: 40}\n"
        "  - {科目: 2080502, 类型: 基本, 金额: 40}\n"
        "基本支出经济分类:\n  - {科目: 30302, 金额: 80}\n",
    )
    rows = {r[0]: r for r in analyse(path).tables["支出总表"].as_printed()}
    assert rows["2080501"][2] == "" and rows["20805"][2] == "0.01"


def test_wan_input_parents_are_sums_of_printed_leaves(tmp_path):
    path = write(
        tmp_path,
        "支出:\n"
        "  - {科目: 2080501, 类型: 基本, 金额: 0.01}\n"
        "  - {科目: 2080502, 类型: 基本, 金额: 0.01}\n"
        "基本支出经济分类:\n  - {科目: 30302, 金额: 0.02}\n",
    )
    rows = {r[0]: r for r in analyse(path).tables["支出总表"].as_printed()}
    assert rows["20805"][2] == "0.02"


def test_yuan_amounts_allow_fen_but_not_less(tmp_path):
    path = write(tmp_path, "金额单位: 元\n支出:\n  - {科目: 2080501, 类型: 基本, 金额: 12.345}\n")
    import pytest

    from budgetgen.problems import InputRejected

    with pytest.raises(InputRejected) as caught:
        analyse(path)
    assert "元超过两位小数（分）" in caught.value.problems[0].message


def test_declared_total_within_rounding_tolerance_is_a_note(tmp_path):
    # budget system rounded from 元: 0.004 + 0.004 printed as 0.01; our 万元 leaves sum to 0.02 - 0.01 = 0.01 apart
    path = write(
        tmp_path,
        "支出:\n"
        "  - {科目: 2080501, 类型: 基本, 金额: 1.01}\n"
        "  - {科目: 2080502, 类型: 基本, 金额: 1.01}\n"
        "基本支出经济分类:\n  - {科目: 30302, 金额: 2.02}\n"
        "申报数:\n  基本支出: 2.01\n",
    )
    problems = analyse(path).table_problems
    assert [p.severity for p in problems] == [Severity.NOTE]
    assert "2.01" in problems[0].message and "2.02" in problems[0].message


def test_declared_total_beyond_tolerance_is_an_error_naming_both(tmp_path):
    path = write(
        tmp_path,
        "支出:\n  - {科目: 2080501, 类型: 基本, 金额: 1.01}\n"
        "基本支出经济分类:\n  - {科目: 30302, 金额: 1.01}\n"
        "申报数:\n  基本支出: 1.11\n",
    )
    (problem,) = analyse(path).table_problems
    assert problem.severity is Severity.ERROR
    assert "1.11" in problem.message and "1.01" in problem.message
    assert problem.position.line == 8


def test_yuan_mode_declared_compares_with_exact_value(tmp_path):
    path = write(
        tmp_path,
        "金额单位: 元\n支出:\n  - {科目: 2080501, 类型: 基本, 金额: 12345.67}\n"
        "基本支出经济分类:\n  - {科目: 30302, 金额: 12345.67}\n"
        "申报数:\n  基本支出: 1.23\n",
    )
    assert analyse(path).table_problems == []
