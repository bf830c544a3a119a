"""A set's structure is data: typed settings refused with located messages, and table kinds and
sections as registered units."""

from pathlib import Path

import pytest
from conftest import invoke

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "putuo-sfj-2026.yaml"


def checked_with(tmp_path: Path, settings: str):
    sets = tmp_path / "sets" / "city"
    sets.mkdir(parents=True)
    (sets / "theme.yaml").write_text("extends: shanghai-putuo-2026\n" + settings, encoding="utf-8")
    department = tmp_path / "dept.yaml"
    department.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("模板: shanghai-putuo-2026", "模板: city"), encoding="utf-8"
    )
    return invoke("check", department, "--templates", tmp_path / "sets")


@pytest.mark.parametrize(
    "settings, wanted",
    [
        (
            "document:\n  cover_subtitel: x\n",
            ["theme.yaml:3", "document.cover_subtitel 不是可用的设置", "cover_subtitle"],
        ),
        ("fontz: {body: [x]}\n", ["theme.yaml:2", "fontz 不是可用的设置", "fonts"]),
        ("tables:\n  收入总表:\n    kind: 收入总汇\n", ["theme.yaml:4", "种类「收入总汇」不存在", "收入总表"]),
        ("tables:\n  收入总表:\n    totl: last\n", ["theme.yaml:4", "tables.收入总表.totl 不是可用的设置", "total"]),
        ("tables:\n  收入总表:\n    numbers: {unit: 美元}\n", ["tables.收入总表.numbers.unit", "「美元」不是可选的值"]),
        ("page_top:\n  right: 单位：元\n", ["theme.yaml:3", "page_top.right「单位：元」写死了金额单位", "{unit_line}"]),
    ],
)
def test_a_mistaken_set_is_refused_at_its_line(tmp_path, settings, wanted):
    result = checked_with(tmp_path, settings)
    assert result.exit_code == 1, result.output
    for text in wanted:
        assert text in result.output, (text, result.output)


def test_a_set_listing_a_table_twice_or_an_unknown_part_is_refused(tmp_path):
    settings = (
        "document:\n  parts:\n    - {key: functons, title: 职能}\n    - {key: tables, tables: [收入总表, 收入总表]}\n"
    )
    result = checked_with(tmp_path, settings)
    assert result.exit_code == 1
    assert "表「收入总表」列了 2 次" in result.output


def test_an_unknown_section_is_refused_at_its_line_before_anything_is_composed(tmp_path):
    result = checked_with(
        tmp_path, "document:\n  parts:\n    - {key: functons, title: 职能}\n    - {key: tables, tables: [收入总表]}\n"
    )
    assert result.exit_code == 1
    assert "theme.yaml:4" in result.output and "未知的部分「functons」（是不是「functions」？）" in result.output


def test_a_new_table_kind_is_one_module_plus_one_registry_line():
    from budgetgen import sections, tables

    init = (ROOT / "src" / "budgetgen" / "tables" / "__init__.py").read_text(encoding="utf-8")
    for kind in tables.KINDS:
        module = kind.build.__module__.rsplit(".", 1)[1]
        assert (ROOT / "src" / "budgetgen" / "tables" / f"{module}.py").is_file()
        assert init.count(f"    {module}.KIND,\n") == 1  # the one registry line
    section_init = (ROOT / "src" / "budgetgen" / "sections" / "__init__.py").read_text(encoding="utf-8")
    for section in sections.SECTIONS.values():
        module = section.blocks.__module__.rsplit(".", 1)[1]
        assert section_init.count(f"        {module}.SECTION,\n") == 1


UNIT_SAMPLE = ROOT / "tests" / "fixtures" / "shanghai" / "unit-sample.yaml"


def test_the_unit_caliber_set_splits_the_summary_into_personnel_public_and_project():
    from budgetgen.analysis import analyse
    from budgetgen.build import document_for
    from budgetgen.document import CoverPage

    analysis = analyse(UNIT_SAMPLE)
    assert analysis.ok, [p.message for p in analysis.problems]
    summary = analysis.tables["收支总表"]
    assert [c.label for c in summary.columns] == ["项目", "预算数", "项目", "合计", "人员经费", "公用经费", "项目支出"]
    printed = summary.as_printed()
    assert printed[0][2:] == ["一、公共安全支出", "2,000,000.00", "700,000.00", "500,000.00", "800,000.00"]
    assert printed[-1][2:] == ["支出总计", "2,150,000.00", "850,000.00", "500,000.00", "800,000.00"]
    cover = document_for(analysis).blocks[0]
    assert isinstance(cover, CoverPage) and cover.subtitle == "预算单位：普陀区示例中心"


def test_the_split_without_function_codes_names_the_field(tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_text(UNIT_SAMPLE.read_text(encoding="utf-8").replace(", 功能科目: 2040601", ""), encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "功能科目" in result.output and "基本支出经济分类" in result.output


@pytest.mark.slow
def test_a_beijing_style_set_prints_fourteen_tables_after_the_explanation(tmp_path):
    """说明 first, then 14 tables (the nine, 项目支出表, 政府采购预算明细表, 政府购买服务预算财政拨款明细表,
    项目支出绩效目标表, 部门整体支出绩效目标表), in PDF, DOCX and XLSX from the same document."""
    import openpyxl
    from docx import Document as Word

    source = (ROOT / "examples" / "qinhuangdao-gxj-2023.yaml").read_text(encoding="utf-8")
    department = tmp_path / "bj.yaml"
    department.write_text(source.replace("模板: hebei-city-2023", "模板: beijing-style-2025"), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", department, "-o", out, "--format", "pdf,docx")
    assert result.exit_code == 0, result.output
    assert invoke("tables", department, "--xlsx", out / "t.xlsx").exit_code == 0
    sheets = openpyxl.load_workbook(out / "t.xlsx").sheetnames
    assert len(sheets) == 14 and sheets[-5:] == [
        "部门预算项目支出表",
        "部门预算政府采购预算明细表",
        "部门预算政府购买服务预算财政拨款明细表",
        "部门预算项目支出绩效目标表",
        "部门整体支出绩效目标表",
    ]
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", out / "bj.pdf", "-"], capture_output=True, text=True).stdout
    assert (
        text.index("第一部分")
        < text.index("第二部分 部门预算表")
        < text.index("部门预算收支总表", text.index("第二部分"))
    )
    assert "158.41" in text and "3014.23" in text  # 政府采购 and 项目支出 totals
    word = "\n".join(p.text for p in Word(out / "bj.docx").paragraphs)
    assert "部门整体支出绩效目标表" in word


def test_procurement_by_kind_is_derived_from_the_items_when_not_typed(tmp_path):
    from budgetgen.analysis import analyse
    from budgetgen.build import document_for
    from budgetgen.document import Paragraph

    items = (
        "政府采购:\n  - 单位: 普陀区示例中心\n    来源:\n      - 名称: 日常公用经费\n        预算资金: 5.00\n"
        "        物品:\n          - {名称: 复印机, 目录序号: A02020100, 计量单位: 台, 数量: 1, 单价: 1.20,"
        " 预留中小微企业份额: true}\n"
        "          - {名称: 物业服务, 目录序号: C21040000, 计量单位: 项, 数量: 1, 单价: 3.05}\n"
    )
    text = UNIT_SAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        "政府采购预算: {货物: 0, 工程: 0, 服务: 80.00, 面向中小企业预留: 80.00, 预留给小型和微型企业: 80.00}\n", items
    )
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    analysis = analyse(path)
    words = "".join(b.text for b in document_for(analysis).blocks if isinstance(b, Paragraph))
    assert (
        "政府采购预算4.25万元，其中：政府采购货物预算1.2万元、政府采购工程预算0万元、政府采购服务预算3.05万元。"
        in words
    )
    assert "面向中小企业预留政府采购项目预算金额1.2万元。" in words


def test_typed_settings_report_every_mistake_at_once_at_its_line(tmp_path):
    settings = "page:\n  margin_left_mm: 90\n  size: A9\nfonts:\n  size_body_pt: abc\ndocx:\n  heading_align: middle\n"
    result = checked_with(tmp_path, settings)
    assert result.exit_code == 1
    for text in (
        "theme.yaml:3（模板集「city」） 的设置 page.margin_left_mm「90」应不大于 60",
        "theme.yaml:4（模板集「city」） 的设置 page.size「A9」不是可选的值",
        "可选：A4、A3、B5、Letter",
        "theme.yaml:6（模板集「city」） 的设置 fonts.size_body_pt 应为数字",
        "theme.yaml:8（模板集「city」） 的设置 docx.heading_align「middle」不是可选的值",
    ):
        assert text in result.output, (text, result.output)
    assert "共 4 个错误" in result.output


def test_the_inputs_a_sentence_needs_follow_from_what_it_quotes(tmp_path):
    """No hand-kept needs list: a set whose expense sentence quotes main_projects makes check ask for
    主要项目; rewriting the sentence without it makes the question go away."""
    from budgetgen.narrative import sentence_inputs
    from budgetgen.theme import load_theme

    assert "主要项目" in sentence_inputs(load_theme("base"))
    assert "主要项目" not in sentence_inputs(load_theme("hebei-city-2023"))  # it lists 功能分类的类 instead
    assert {"人员经费主要包括", "公用经费主要包括"} <= sentence_inputs(load_theme("xingtai-city-2022"))
    assert "所属事业单位" in sentence_inputs(load_theme("base"))


def test_check_names_the_section_and_the_field_a_shanghai_department_left_out(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("资产占有:\n  截至: 2025年8月31日\n  车辆: {执法执勤用车: 3}\n  单价100万元以上设备: 0\n", "")
    text = "\n".join(line for line in text.splitlines() if not line.startswith('  "2040601": {主要用于'))
    path = tmp_path / "dept.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "科目 2040601（行政运行）没有“科目说明 → 主要用于”" in result.output
    assert "其他相关情况说明要印“资产占有”，文件中没有这一项" in result.output
