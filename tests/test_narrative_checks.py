"""Plausibility warnings and narrative consistency checks, one behaviour per test."""

from pathlib import Path

import pytest
from conftest import REFERENCE_EXAMPLES, invoke

from budgetgen.analysis import analyse
from budgetgen.problems import Severity


def problems(ref: str, tmp_path: Path, *replacements):
    text = REFERENCE_EXAMPLES[ref].read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / REFERENCE_EXAMPLES[ref].name
    path.write_text(text, encoding="utf-8")
    return analyse(path).problems


def by_check(found, check):
    return [p for p in found if p.check == check]


def test_examples_raise_exactly_the_reference_findings(tmp_path):
    assert sorted(p.check for p in problems("001", tmp_path)) == ["E10", "E11", "E11", "E13", "E8"]
    assert sorted(p.check for p in problems("000", tmp_path)) == ["E6", "绩效", "绩效", "绩效"]
    assert sorted(p.check for p in problems("004", tmp_path)) == ["E10", "E16", "E16", "E5", "X10"]


def test_asset_values_in_yuan_are_flagged(tmp_path):
    (per_item,) = [p for p in by_check(problems("001", tmp_path), "E11") if "平均每件" in p.message]
    assert per_item.severity is Severity.WARNING
    assert "109690.00 元 = 10.97 万元" in per_item.hint
    fixed = problems("001", tmp_path, ("价值: 109690.00", "价值: 10.97"))
    assert by_check(fixed, "E11") == []


def test_deadline_before_the_budget_year(tmp_path):
    (found,) = by_check(problems("001", tmp_path), "E8")
    assert "2024年12月31日前完成" in found.message and found.position is not None


def test_placeholder_goal_text(tmp_path):
    found = by_check(problems("004", tmp_path), "E16")
    assert len(found) == 2 and "目标内容" in found[0].message


def test_missing_satisfaction_row(tmp_path):
    found = by_check(problems("000", tmp_path), "绩效")
    assert len(found) == 3 and all("满意度指标" in p.message for p in found)


def test_cost_indicator_disagreeing_with_project_amount(tmp_path):
    found = by_check(problems("001", tmp_path, ("≤20万元", "≤25万元")), "成本指标")
    assert len(found) == 1 and "≤25万元" in found[0].message and "20.00" in found[0].message


def test_price_printed_as_zero(tmp_path):
    (found,) = by_check(problems("001", tmp_path), "E13")
    assert "0.0036" in found.message


def test_claim_of_affiliated_units_with_one_unit(tmp_path):
    (found,) = by_check(problems("001", tmp_path), "E10")
    assert found.severity is Severity.WARNING


def test_empty_procurement_while_projects_buy(tmp_path):
    (found,) = by_check(problems("004", tmp_path), "E5")
    assert "物保组防疫物资采购款" in found.message


def test_fixed_assets_beyond_capital_spending_is_a_note(tmp_path):
    (found,) = by_check(problems("000", tmp_path), "E6")
    assert found.severity is Severity.NOTE and "3.75" in found.message


def test_unknown_main_project_is_an_error_with_suggestion(tmp_path):
    found = problems("001", tmp_path, ("  - 科技特派员活动经费\n", "  - 科技特派员活动费\n"))
    (problem,) = by_check(found, "说明")
    assert problem.severity is Severity.ERROR and "科技特派员活动经费" in problem.hint


def test_prior_year_total_must_equal_basic_plus_project(tmp_path):
    found = problems("000", tmp_path, ("上年:\n", "上年:\n  收支总计: 1623.48\n"))
    (problem,) = by_check(found, "比上年")
    assert problem.severity is Severity.ERROR and "1623.48" in problem.message


def test_prior_year_personnel_and_public_must_add_up(tmp_path):
    found = problems("001", tmp_path, ("人员经费: 247.42", "人员经费: 247.43"))
    assert by_check(found, "比上年")[0].severity is Severity.ERROR


def test_narrative_needs_prior_year_figures(tmp_path):
    found = problems("000", tmp_path, ("  基本支出: 1211.52\n", ""))
    (problem,) = by_check(found, "比上年")
    assert "缺少上年预算数" in problem.message


def test_procurement_unit_must_be_a_listed_unit(tmp_path):
    found = problems("000", tmp_path, ("- 单位: 秦皇岛市中小企业服务中心", "- 单位: 秦皇岛市中小企业中心"))
    assert [p.severity for p in by_check(found, "采购")] == [Severity.ERROR]


def test_share_larger_than_amount(tmp_path):
    found = problems(
        "000",
        tmp_path,
        (
            "      预留中小微企业份额: true\n      固定资产: true\n",
            "      预留中小微企业份额: 3.00\n      固定资产: true\n",
        ),
    )
    (problem,) = by_check(found, "X13")
    assert "3.00" in problem.message and "2.00" in problem.message


@pytest.mark.parametrize("ref", ["000", "001", "004"])
def test_change_identity_holds_in_examples(ref, tmp_path):
    analysis = analyse(REFERENCE_EXAMPLES[ref])
    change = analysis.statement.changes
    assert change["total"].delta == change["basic"].delta + change["project"].delta


def test_listed_projects_add_up_to_project_spending_in_001():
    """E2: the reference's list sums to 458.10; derived from the project data it is 461.10 = 项目支出."""
    analysis = analyse(REFERENCE_EXAMPLES["001"])
    statement = analysis.statement
    listed = [statement.projects[name].amount for name in analysis.budget.narrative.main_projects]
    assert sum(listed) == statement["expense.project"] == analysis.tables["支出总表"].rows[0].cells[4]


def test_spending_plan_rounds_half_up():
    """X17: 135.10 × 25 % = 33.775 → 33.78; × 75 % = 101.325 → 101.33."""
    from decimal import Decimal

    analysis = analyse(REFERENCE_EXAMPLES["001"])
    project = list(analysis.statement.projects.values())[4]
    assert project.plan == (Decimal("33.78"), Decimal("67.55"), Decimal("101.33"), Decimal("135.10"))


def test_given_spending_plan_must_end_at_the_project_amount(tmp_path):
    found = problems("001", tmp_path, ("  金额: 5.00\n", "  金额: 5.00\n  资金支出计划: [1.00, 2.00, 3.00, 4.00]\n"))
    (problem,) = by_check(found, "X17")
    assert problem.severity is Severity.ERROR and "5.00" in problem.message


def test_tables_command_needs_only_sound_tables(tmp_path):

    text = REFERENCE_EXAMPLES["004"].read_text(encoding="utf-8").replace("  基本支出: 811.97\n", "")
    path = tmp_path / "no-prior-year.yaml"
    path.write_text(text, encoding="utf-8")
    assert invoke("check", path).exit_code == 1  # the disclosure cannot be built
    assert invoke("tables", path, "--json").exit_code == 0  # the tables can


def test_2025_change_sentence_without_personnel_split(tmp_path):
    """Without last year's 人员/公用 figures the 2025 sentence falls back to the typed reason."""
    from budgetgen.build import document_for
    from budgetgen.document import Paragraph

    text = REFERENCE_EXAMPLES["001"].read_text(encoding="utf-8")
    text = text.replace("  人员经费: 247.42\n", "").replace("  公用经费: 20.55\n", "")
    text = text.replace("增减原因:\n", "增减原因:\n  基本支出: 主要为人员变动\n")
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    analysis = analyse(path)
    assert analysis.ok, analysis.problems
    paragraphs = [b.text for b in document_for(analysis).blocks if isinstance(b, Paragraph)]
    assert any("基本支出减少5.07万元，主要为人员变动；项目支出增加76.90万元" in p for p in paragraphs)


def test_missing_prior_three_public_is_a_warning_and_the_sentence_degrades(tmp_path):
    """004's per-item sentence without last year's 三公 figures: no comparison, no broken wording."""
    from budgetgen.build import document_for
    from budgetgen.document import Paragraph

    text = REFERENCE_EXAMPLES["004"].read_text(encoding="utf-8")
    start = text.index("  三公经费:\n")
    end = text.index("\n\n", start)
    path = tmp_path / "dept.yaml"
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    analysis = analyse(path)
    assert "没有上年“三公”经费" in " ".join(p.message for p in analysis.problems)
    sentence = next(
        b.text for b in document_for(analysis).blocks if isinstance(b, Paragraph) and "“三公”经费预算安排" in b.text
    )
    assert (
        sentence == "2022年，我局财政拨款“三公”经费预算安排8.00万元。其中：公务用车购置及运维费预算数6.00万元；"
        "公务接待费预算数2.00万元，主要是因为今年增加了产业链项目；2022年未安排因公出国经费。"
    )


def test_change_without_a_reason_is_a_warning_and_the_sentence_stays_well_formed(tmp_path):
    from budgetgen.build import document_for
    from budgetgen.document import Paragraph

    text = REFERENCE_EXAMPLES["000"].read_text(encoding="utf-8")
    text = text.replace("  项目支出: 主要为项目增加\n", "")
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    analysis = analyse(path)
    assert any("项目支出比上年有增减，但没有写增减原因" in p.message for p in analysis.problems)
    sentence = next(
        b.text
        for b in document_for(analysis).blocks
        if isinstance(b, Paragraph) and b.text.startswith("2023年预算收支安排")
    )
    assert sentence.endswith("项目支出增加2615.88万元。")
