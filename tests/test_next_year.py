"""Next year from this year (issue 24): `budgetgen next-year` carries every text over, moves this
year's statement figures into 上年, clears this year's numbers for the new export and lists every
year-bound text under 待复核 — a publish warning until someone confirms it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, invoke
from ruamel.yaml import YAML

from budgetgen.analysis import analyse
from budgetgen.problems import Severity

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
NUMBERS = ("支出", "基本支出经济分类", "三公经费", "年终结转结余")


def next_year_of(source: Path, folder: Path) -> Path:
    copy = folder / source.name
    copy.write_bytes(source.read_bytes())
    target = folder / "next.yaml"
    result = invoke("next-year", copy, "-o", target)
    assert result.exit_code == 0, result.output
    return target


def ids(problems, severity=None):
    return {p.check for p in problems if severity is None or p.severity is severity}


@pytest.mark.parametrize("source", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_next_year_checks_clean_except_what_it_flags(source, tmp_path):
    this = analyse(source)
    target = next_year_of(source, tmp_path)
    following = analyse(target)
    assert following.budget.year == this.budget.year + 1
    assert not ids(following.problems, Severity.ERROR), [
        p.message for p in following.problems if p.severity is Severity.ERROR
    ]
    new_kinds = ids(following.problems) - ids(this.problems)
    assert new_kinds <= {"P7", "P8", "E8"}, new_kinds  # no numbers yet; flagged texts; past dates in 时效指标
    flagged = following.budget.review
    assert flagged and len([p for p in following.problems if p.check == "P8"]) == len(flagged)
    text = target.read_text(encoding="utf-8")
    assert not any(re.search(rf"^{key}:", text, re.M) for key in NUMBERS), "this year's numbers cleared"
    assert following.budget.duties == this.budget.duties and following.budget.performance == this.budget.performance
    assert [p.name for p in following.budget.projects] == [p.name for p in this.budget.projects]


@pytest.mark.parametrize("source", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_last_year_is_this_years_statement_and_the_comparisons_use_it(source, tmp_path):
    """With the new export equal to this year's numbers every 比上年 comparison is 持平."""
    this = analyse(source)
    target = next_year_of(source, tmp_path)
    prior = analyse(target).budget.prior_year
    figures = this.statement.figures
    assert (prior.basic, prior.project) == (figures["expense.basic"], figures["expense.project"])
    assert (prior.personnel, prior.public) == (figures["expense.personnel"], figures["expense.public"])
    assert prior.three_public["公务接待费"] == figures["three_public.reception"]
    assert prior.fiscal["一般公共预算"] == figures["fiscal.一般公共预算.spent"]

    yaml = YAML()
    old = yaml.load(source.read_text(encoding="utf-8"))
    new = yaml.load(target.read_text(encoding="utf-8"))
    for key in NUMBERS:
        if key in old:
            new[key] = old[key]
    by_name = {p["名称"]: p for p in old.get("项目") or []}
    for project in new.get("项目") or []:
        for key in ("科目", "金额", "资金支出计划", "上年结转"):
            if key in by_name[project["名称"]]:
                project[key] = by_name[project["名称"]][key]
    with (tmp_path / "refilled.yaml").open("w", encoding="utf-8") as stream:
        yaml.dump(new, stream)
    refilled = analyse(tmp_path / "refilled.yaml")
    changes = refilled.statement.changes
    # an item's 上年执行数 is its printed amount: compared with the exact one it is 持平 as printed
    assert changes and all(change.word == "持平" for change in changes.values()), {
        k: c.delta for k, c in changes.items() if c.word != "持平"
    }
    assert all(not change.delta for key, change in changes.items() if not key.startswith("item."))


def test_the_departments_comments_and_texts_are_kept(tmp_path):
    source = EXAMPLES / "qinhuangdao-gxj-2023.yaml"
    target = next_year_of(source, tmp_path)
    text = target.read_text(encoding="utf-8")
    comments = [
        line.strip() for line in source.read_text(encoding="utf-8").splitlines() if line.strip().startswith("#")
    ]
    kept = [c for c in comments if c in text]
    assert len(kept) >= len(comments) - 5, set(comments) - set(kept)  # those above the cleared sections may go
    assert "预算年度: 2024" in text
    assert "{位置: 项目 → 「网站群项目2021年7月--2023年6月运维费」 → 名称" in text


def test_year_bound_texts_are_publish_errors_until_confirmed(tmp_path):
    target = next_year_of(EXAMPLES / "xingtai-gxj-2022.yaml", tmp_path)
    strict = invoke("check", target, "--strict")
    assert strict.exit_code == 1
    assert "待复核：" in strict.output and "核对后删去“待复核”中的这一条" in strict.output


def test_a_file_with_errors_does_not_start_a_year(tmp_path):
    broken = tmp_path / "dept.yaml"
    broken.write_text(
        (EXAMPLES / "qinhuangdao-gxj-2023.yaml").read_text(encoding="utf-8").replace("级次: 市", "级次: 省"),
        encoding="utf-8",
    )
    result = invoke("next-year", broken)
    assert result.exit_code == 1
    assert "不能从有错误的文件开始下一年度" in result.output and "级次" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dept.yaml"]


def test_an_existing_file_is_never_replaced(tmp_path):
    source = tmp_path / "某局-2023.yaml"
    source.write_bytes((EXAMPLES / "qinhuangdao-gxj-2023.yaml").read_bytes())
    existing = tmp_path / "某局-2024.yaml"
    existing.write_text("mine", encoding="utf-8")
    result = invoke("next-year", source)
    assert result.exit_code == 1 and "已存在" in result.output
    assert existing.read_text(encoding="utf-8") == "mine"
    assert invoke("next-year", source, "--year", "2025").exit_code == 0
    assert analyse(tmp_path / "某局-2025.yaml").budget.year == 2025
