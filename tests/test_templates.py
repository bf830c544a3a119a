"""Template sets: a city set made from the guide changes wording, numbering and fonts without code;
hostile templates are refused."""

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REFERENCE_EXAMPLES, ROOT, invoke
from docx import Document as open_docx

from budgetgen.theme import load_theme, search_dirs_for

pytestmark = pytest.mark.slow  # builds with a throwaway city set

EXAMPLE = REFERENCE_EXAMPLES["000"]

CITY_OVERRIDES = """
tables:
  政府性基金预算财政拨款支出表:
    title: 部门预算政府性基金预算财政拨款支出表（测试市）
narrative:
  glossary_changes:
    机关运行费: 是指测试市定义的机关运行费。
  other_none: 本部门无其他需要说明的事项（测试市）。
  section_numbering: paren_chinese
fonts:
  body: [Noto Sans CJK SC]
  docx_body: 仿宋
"""


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A throwaway city set made the way the guide says, and the example built with it."""
    root = tmp_path_factory.mktemp("city")
    sets = root / "templates"
    result = invoke("templates", "new", "test-city", "--from", "hebei-city-2023", "--dir", sets)
    assert result.exit_code == 0, result.output
    theme = sets / "test-city" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8") + CITY_OVERRIDES, encoding="utf-8")
    department = root / "dept.yaml"
    department.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("模板: hebei-city-2023", "模板: test-city"), encoding="utf-8"
    )
    result = invoke("build", department, "-o", root / "out", "--templates", sets)
    assert result.exit_code == 0, result.output
    pdf = root / "out" / "dept.pdf"
    text = re.sub(
        r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    )
    docx_path = root / "out" / "dept.docx"
    docx_text = re.sub(r"\s+", "", "\n".join(p.text for p in open_docx(str(docx_path)).paragraphs))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    with zipfile.ZipFile(docx_path) as package:
        document_xml = package.read("word/document.xml").decode("utf-8")
    return {"sets": sets, "text": text, "docx": docx_text, "fonts": fonts, "xml": document_xml}


def test_city_set_changes_a_table_title(city):
    assert "部门预算政府性基金预算财政拨款支出表（测试市）" in city["text"]
    assert "部门预算政府性基金预算财政拨款支出表（测试市）" in city["docx"]


def test_city_set_changes_one_glossary_entry_and_keeps_the_rest(city):
    for text in (city["text"], city["docx"]):
        assert "8、机关运行费：是指测试市定义的机关运行费。" in text
        assert "1、一般公共预算拨款收入：指市级财政当年拨付的资金。" in text


def test_city_set_changes_a_sentence(city):
    assert "本部门无其他需要说明的事项（测试市）。" in city["text"]
    assert "本部门无其他需要说明的事项（测试市）。" in city["docx"]


def test_city_set_changes_section_numbering(city):
    for text in (city["text"], city["docx"]):
        assert "（一）部门职责及机构设置情况" in text and "（九）其他需要说明的事项" in text
        assert "一、部门职责及机构设置情况" not in text


def test_city_set_changes_the_fonts(city):
    # each engine names the embedded font its own way: Noto-Sans-CJK-SC, NotoSansCJKsc-Regular
    names = {re.sub(r"[^a-z]", "", row.split()[0].split("+")[-1].lower()) for row in city["fonts"].splitlines()[2:]}
    assert any(n.startswith("notosanscjksc") for n in names), names  # the body font of the city set
    assert not any(n.startswith("notoserifcjk") for n in names), names  # base's body font no longer used
    assert 'w:eastAsia="仿宋"' in city["xml"]


def test_shipped_sets_are_listed_name_first():
    result = invoke("templates", "list")
    lines = result.output.strip().splitlines()
    names = [line.split("\t")[0] for line in lines]
    assert {"base", "hebei-city-2023", "xingtai-city-2022", "hebei-district-2025"} <= set(names)
    xingtai = next(line for line in lines if line.startswith("xingtai-city-2022\t"))
    assert "继承 hebei-city-2023" in xingtai


def test_show_prints_resolved_settings_after_inheritance():
    result = invoke("templates", "show", "xingtai-city-2022")
    assert result.exit_code == 0
    assert "xingtai-city-2022" in result.output.splitlines()[0] and "base" in result.output.splitlines()[0]
    assert "class_31_label: 人行专用科目" in result.output  # its own
    assert "title: 部门预算政府基金预算财政拨款支出表" in result.output  # from hebei-city-2023


def test_new_refuses_an_existing_or_bad_name(tmp_path):
    assert invoke("templates", "new", "../evil", "--dir", tmp_path).exit_code == 1
    assert invoke("templates", "new", "a", "--dir", tmp_path).exit_code == 0
    assert invoke("templates", "new", "a", "--dir", tmp_path).exit_code == 1


def hostile_set(tmp_path: Path, theme_extra: str = "", files: dict | None = None) -> Path:
    sets = tmp_path / "sets"
    (sets / "evil").mkdir(parents=True)
    (sets / "evil" / "theme.yaml").write_text("extends: hebei-city-2023\n" + theme_extra, encoding="utf-8")
    for name, text in (files or {}).items():
        (sets / "evil" / name).write_text(text, encoding="utf-8")
    department = tmp_path / "dept.yaml"
    department.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("模板: hebei-city-2023", "模板: evil"), encoding="utf-8"
    )
    return department


def build_with(tmp_path: Path, department: Path):
    return invoke("build", department, "-o", tmp_path / "out", "--templates", tmp_path / "sets", "--format", "html")


def test_sentence_reaching_object_internals_is_refused(tmp_path):
    department = hostile_set(tmp_path, 'narrative:\n  other_none: "{{ name.__class__.__mro__ }}"\n')
    result = build_with(tmp_path, department)
    assert result.exit_code == 1
    assert "不允许的操作" in result.output and "theme.yaml:3" in result.output and "evil" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_sentence_including_a_file_is_refused(tmp_path):
    department = hostile_set(tmp_path, "narrative:\n  other_none: \"{% include '/etc/passwd' %}\"\n")
    result = build_with(tmp_path, department)
    assert result.exit_code == 1 and "不能引用其他文件" in result.output
    assert "root:" not in result.output


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd", "../base/theme.yaml"])
def test_html_template_reading_outside_its_chain_is_refused(tmp_path, target):
    base = (ROOT / "templates" / "base" / "document.html.j2").read_text(encoding="utf-8")
    evil = base.replace("<body>", f"<body>{{% include '{target}' %}}", 1)
    department = hostile_set(tmp_path, files={"document.html.j2": evil})
    result = build_with(tmp_path, department)
    assert result.exit_code == 1
    assert "引用了模板集之外或不存在的文件" in result.output and "evil" in result.output
    assert "root:" not in result.output


def test_html_template_touching_class_is_refused(tmp_path):
    base = (ROOT / "templates" / "base" / "document.html.j2").read_text(encoding="utf-8")
    evil = base.replace("<body>", "<body>{{ meta.__class__.__init__.__globals__ }}", 1)
    department = hostile_set(tmp_path, files={"document.html.j2": evil})
    result = build_with(tmp_path, department)
    assert result.exit_code == 1 and "evil" in result.output


def test_set_name_with_a_path_is_refused(tmp_path):
    department = tmp_path / "dept.yaml"
    department.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("模板: hebei-city-2023", "模板: ../../etc"), encoding="utf-8"
    )
    result = invoke("check", department)
    assert result.exit_code == 1 and "模板集名称「../../etc」不合法" in result.output


def test_theme_settings_reaching_css_are_validated(tmp_path):
    department = hostile_set(tmp_path, 'page:\n  size: "A4; } body { background: url(http://x) "\n')
    result = invoke("check", department, "--templates", tmp_path / "sets")
    assert result.exit_code == 1 and "page.size" in result.output and "theme.yaml:3" in result.output


def test_template_files_resolve_along_the_chain():
    theme = load_theme("xingtai-city-2022", search_dirs_for(None))
    assert [layer.name for layer in theme.layers] == ["xingtai-city-2022", "hebei-city-2023", "base"]
    assert theme.config.tables["收支总表"]["class_31_label"] == "人行专用科目"
    assert theme.config.narrative.performance.project_table == "simple"  # from hebei-city-2023
    assert theme.config.narrative.glossary_numbering == "arabic_comma"  # from base


def test_check_reports_a_broken_sentence_before_build(tmp_path):
    department = hostile_set(tmp_path, 'narrative:\n  other_none: "{{ year"\n')
    result = invoke("check", department, "--templates", tmp_path / "sets")
    assert result.exit_code == 1 and "narrative.other_none" in result.output and "theme.yaml:3" in result.output


MINIMAL = """部门: {编码: "999", 名称: 测试局, 级次: 区}
预算年度: 2026
模板: SET
上年: {基本支出: 8.00, 项目支出: 0, 三公经费合计: 0}
增减原因: {基本支出: 主要为人员增加}
支出:
  - {科目: 2150501, 类型: 基本, 金额: 10.00}
基本支出经济分类:
  - {科目: 30101, 金额: 10.00}
"""


@pytest.mark.parametrize("name", ["base", "hebei-city-2023", "xingtai-city-2022", "hebei-district-2025"])
def test_every_shipped_set_words_a_sparse_department_cleanly(tmp_path, name):
    """No projects, no procurement, no assets, no 302 lines: sentences leave out what is empty."""
    department = tmp_path / "sparse.yaml"
    department.write_text(MINIMAL.replace("SET", name), encoding="utf-8")
    result = invoke("build", department, "-o", tmp_path, "--format", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "sparse.html").read_text(encoding="utf-8")
    for broken in ("主要为。", "包括：。", "主要包括；", "主要为等", "，；", "服务支出中。", "比2025年预算持平"):
        assert broken not in html, broken
