"""`budgetgen diff` (issue 24): changed figures as the statement computes them, changed texts old
beside new, in Chinese."""

from __future__ import annotations

from conftest import EXAMPLES, invoke

SOURCE = EXAMPLES / "qinhuangdao-gxj-2023.yaml"


def edited(tmp_path, *replacements):
    text = SOURCE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "new.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_changed_line_shows_in_every_figure_it_feeds_and_a_changed_text_old_beside_new(tmp_path):
    new = edited(
        tmp_path, ("金额: 166.87", "金额: 170.00"), ("提出全市新型工业化发展战略和政策", "提出全市新型工业化发展战略")
    )
    result = invoke("diff", SOURCE, new)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "收入总计：4212.66 → 4215.79（增加 3.13）" in out
    assert "基本支出：1184.83 → 1187.96（增加 3.13）" in out
    assert "208 社会保障和就业支出：322.10 → 325.23（增加 3.13）" in out
    assert "项目支出" not in out.split("文字")[0], "unchanged figures are not listed"
    assert "职责与机构 → 职责 → 第1项" in out
    assert "旧：提出全市新型工业化发展战略和政策，" in out and "新：提出全市新型工业化发展战略，" in out


def test_identical_versions_say_so(tmp_path):
    copy = tmp_path / "same.yaml"
    copy.write_bytes(SOURCE.read_bytes())
    result = invoke("diff", SOURCE, copy)
    assert result.exit_code == 0 and "数字和文字相同" in result.output


def test_a_project_and_a_three_public_item_are_compared(tmp_path):
    new = edited(tmp_path, ("公务接待费: 0.46", "公务接待费: 0.50"))
    out = invoke("diff", SOURCE, new).output
    assert "公务接待费：0.46 → 0.50（增加 0.04）" in out


def test_a_version_with_errors_is_refused_in_chinese(tmp_path):
    new = edited(tmp_path, ("级次: 市", "级次: 省"))
    result = invoke("diff", SOURCE, new)
    assert result.exit_code == 1 and "级次" in result.output and "Traceback" not in result.output
