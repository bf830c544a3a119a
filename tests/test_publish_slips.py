"""The slips a new user makes (issue 23), each reproduced from the user's side and now caught with
a located message or printed correctly."""

import openpyxl
from conftest import invoke
from test_new import fill
from test_statement import VALID

from budgetgen.analysis import analyse


def test_a_projects_money_typed_twice_is_an_error_at_both_places(tmp_path):
    text = VALID.replace(
        "  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n",
        "  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n  - {科目: 2150599, 类型: 项目, 金额: 1.00, 项目: 测试项目}\n",
    )
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "错误[重复]" in line]
    assert len(lines) == 2 and all("项目「测试项目」的钱计了两次" in line for line in lines)
    assert any(":12:" in line and "字段 支出[2]" in line for line in lines), lines
    assert any("字段 项目[1]" in line for line in lines), lines
    assert "多出 1.00 万元" in lines[0]


def test_the_double_entry_from_the_workbook_names_both_cells(tmp_path):
    target = tmp_path / "dept.xlsx"
    invoke("new", "某某局", "--xlsx", "-o", target)
    fill(
        target,
        [
            (2150501, None, "一般公共预算", "基本", 10),
            (2150599, "其他支出", "一般公共预算", "项目", 35, None, "数字化项目"),
        ],
        [(30101, None, 10)],
    )
    book = openpyxl.load_workbook(target)
    for column, value in enumerate(("数字化项目", 2150599, 35), start=1):
        book["项目"].cell(row=2, column=column, value=value)
    book.save(target)
    result = invoke("check", target)
    assert result.exit_code == 1
    assert "支出明细!A3" in result.output and "项目!A2" in result.output, result.output
    assert "项目「数字化项目」的钱计了两次" in result.output
    assert analyse(target).statement["expense.total"] > 0


def test_an_untouched_starter_does_not_build_under_strict_naming_every_placeholder(tmp_path):
    target = tmp_path / "x.yaml"
    assert invoke("new", "某某档案局", "-o", target).exit_code == 0
    result = invoke("build", target, "--strict", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "「请在此逐条填写部门的主要职责。」是示例文字或占位符" in result.output
    assert "「请在此填写部门整体绩效目标。」是示例文字或占位符" in result.output
    assert "本年收入、支出都是 0" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert invoke("build", target, "-o", tmp_path / "draft").exit_code == 0, "without --strict a draft still builds"


def test_last_year_left_at_zero_is_named_before_it_prints_everything_as_an_increase(tmp_path):
    text = VALID.replace(
        "上年: {基本支出: 10.00, 项目支出: 1.00, 三公经费合计: 0}", "上年: {基本支出: 0, 项目支出: 0, 三公经费合计: 0}"
    )
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("check", path, "--strict")
    assert result.exit_code == 1 and "上年预算数全是 0" in result.output


def test_the_docx_asks_to_update_its_contents_on_opening(tmp_path):
    """Decision (issue 23, item 5): the contents' page numbers come from the PDF's layout and each
    program paginates a little differently (LibreOffice put xingtai's 六–九 one page off), so the
    document asks to update its fields when opened; the numbers a reader sees are then the ones
    of the layout in front of them."""
    import zipfile

    from conftest import REFERENCE_EXAMPLES

    out = tmp_path / "out"
    assert invoke("build", REFERENCE_EXAMPLES["004"], "-o", out, "--format", "docx").exit_code == 0
    docx = next(out.glob("*.docx"))
    settings = zipfile.ZipFile(docx).read("word/settings.xml").decode("utf-8")
    assert '<w:updateFields w:val="true"/>' in settings
