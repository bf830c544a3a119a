"""A city set written from docs/城市模板指南.md alone, with no Jinja statement in it (issue 14):
trimmed amounts, a six-row 三公 table with indented 其中 rows, the department's short name and
district in the narrative, one section renamed and one glossary term changed by entry edits."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES, ROOT, invoke
from docx import Document as open_docx
from pypdf import PdfReader

from budgetgen.analysis import analyse
from budgetgen.build import document_for
from budgetgen.builders.html import render_html
from budgetgen.problems import InputRejected
from budgetgen.theme import load_theme

pytestmark = pytest.mark.slow  # builds a district set in every format

GUIDE = ROOT / "docs" / "城市模板指南.md"

DISTRICT_SET = """\
extends: hebei-district-2025
description: 某区 2026 年版式（按指南写成）
narrative:
  numbers:
    amounts: trimmed
    zero: "0"
  snippets:
    本部门: "{{ place }}{{ short_name }}"
  three_public:
    text: "{{ year }}年，{{ 本部门 }}“三公”经费预算{{ tp.total|wan }}万元，\\
      其中因公出国（境）费{{ tp.abroad|wan }}万元，公务接待费{{ tp.reception|wan }}万元。"
  sections:
    glossary: {title: 名词解释说明}
  glossary:
    机关运行经费: 指为保障行政单位运行用于购买货物和服务的各项资金。
tables:
  三公经费支出表:
    rows:
      合计: {remove: true}
      小计: {label: 合计, includes: [合计]}
      因公出国: {includes: [教学科研人员因公出国（境）费, 其他因公出国（境）费]}
      教学科研人员因公出国（境）费: {remove: true}
      其他因公出国（境）费: {remove: true}
      公务用车购置费: {indent: 2}
      公务用车运行维护费: {indent: 2}
"""
SIX_ROWS = [
    "合计",
    "一、因公出国（境）费",
    "二、公务用车购置及运维费",
    "其中：公务用车购置费",
    "公务用车运行维护费",
    "三、公务接待费",
]


def department(folder: Path, template: str = "district-2026") -> Path:
    text = (EXAMPLES / "haigang-kgxj-2025.yaml").read_text(encoding="utf-8")
    text = text.replace("模板: hebei-district-2025", f"模板: {template}")
    text = text.replace("  级次: 区\n", "  级次: 区\n  简称: 科工局\n  地区: 海港区\n")
    path = folder / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    folder = tmp_path_factory.mktemp("district")
    (folder / "templates" / "district-2026").mkdir(parents=True)
    (folder / "templates" / "district-2026" / "theme.yaml").write_text(DISTRICT_SET, encoding="utf-8")
    path = department(folder)
    result = invoke("build", path, "-o", folder / "out", "--format", "pdf,docx,xlsx")
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in PdfReader(str(folder / "out" / "dept.pdf")).pages)
    return {"folder": folder, "path": path, "pdf_text": re.sub(r"\s", "", text), "out": folder / "out"}


def test_the_set_has_no_jinja_statement():
    assert "{%" not in DISTRICT_SET


def test_trimmed_amounts_and_zero_in_sentences(district):
    text = district["pdf_text"]
    assert "预算收入724万元" in text  # 724.00 in the tables, trimmed in the sentence
    assert "因公出国（境）费0万元" in text
    assert "公务接待费0.06万元" in text


def test_short_name_and_district_in_the_narrative(district):
    assert "2025年，海港区科工局“三公”经费预算0.06万元" in district["pdf_text"]


def test_section_renamed_and_glossary_term_changed_without_restating_lists(district):
    text = district["pdf_text"]
    assert "十、名词解释说明" in text and "十一、其他需要说明的事项" in text
    assert "机关运行经费：指为保障行政单位运行用于购买货物和服务的各项资金。" in text
    assert "“三公”经费：纳入财政预算管理" in text  # the other terms are still there
    theme = load_theme("district-2026", (district["folder"] / "templates",))
    assert [s.key for s in theme.config.narrative.sections][-2:] == ["glossary", "other"]


def test_six_row_three_public_table_in_every_format(district):
    out = district["out"]
    pdf = district["pdf_text"]
    assert "“三公”经费小计" not in pdf and "教学科研人员" not in pdf
    docx_table = next(
        t for t in open_docx(str(out / "dept.docx")).tables if any("公务接待费" in c.text for c in t.rows[-1].cells)
    )
    labels = [row.cells[1].text for row in docx_table.rows[-6:]]
    assert labels == SIX_ROWS
    indented = [row.cells[1].paragraphs[0].paragraph_format.left_indent for row in docx_table.rows[-6:]]
    assert [bool(i) for i in indented] == [False, False, False, True, True, False]
    sheet = next(s for s in openpyxl.load_workbook(out / "dept.xlsx") if "三公" in s.title)
    rows = [r for r in sheet.iter_rows(min_col=2, max_col=2) if r[0].value in SIX_ROWS]
    assert [r[0].value for r in rows] == SIX_ROWS and [r[0].alignment.indent for r in rows] == [0, 0, 0, 2, 2, 0]
    tables = json.loads(invoke("tables", district["path"], "--json").output)["tables"]
    three_public = tables[-1]
    assert [r[0] for r in three_public["rows"]] == SIX_ROWS and three_public["indents"] == [0, 0, 0, 2, 2, 0]
    assert three_public["rows"][0][1] == "0.06"
    neutral = json.loads(invoke("tables", district["path"], "--json", "--neutral").output)["tables"][-1]
    assert len(neutral["rows"]) == 9


def test_the_pdf_indents_the_sub_rows(district):
    html = render_html(
        document_for(analyse(district["path"])), load_theme("district-2026", (district["folder"] / "templates",))
    )
    assert re.search(r'style="padding-left: 2em">其中：公务用车购置费', html)


def test_hiding_a_row_without_saying_what_includes_it_is_refused(tmp_path):
    folder = tmp_path / "templates" / "bad"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(
        "extends: base\ntables:\n  三公经费支出表:\n    rows:\n      合计: {remove: true}\n      公务接待费:"
        " {remove: true}\n      因公出国: {includes: [公务接待费]}\n",
        encoding="utf-8",
    )
    result = invoke("check", department(tmp_path, "bad"))
    assert result.exit_code == 1
    assert "没有印「合计」这一行" in result.output and "没有印「公务接待费」这一行" in result.output
    assert "「因公出国」不包含「公务接待费」" in result.output and "theme.yaml:" in result.output


# ---------------------------------------------------------------- every example of the guide works


NEW_PROVINCE = "## 新省份的版式"


def guide_blocks() -> list[tuple[str, bool]]:
    """Each settings example of the guide, and whether it belongs to the new-province section
    (those are written over the Shanghai set and its example department)."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(NEW_PROVINCE)
    found = [(m.group(1), m.start() > start) for m in re.finditer(r"```yaml\n(.*?)```", text, re.S)]
    return [(b, province) for b, province in found if "extends:" not in b and not b.startswith("部门:")]


@pytest.mark.parametrize("index", range(len(guide_blocks())))
def test_each_settings_example_of_the_guide_builds(tmp_path, index):
    block, province = guide_blocks()[index]
    folder = tmp_path / "templates" / "from-guide"
    folder.mkdir(parents=True)
    parent = "shanghai-putuo-2026" if province else "hebei-district-2025"
    (folder / "theme.yaml").write_text(f"extends: {parent}\n" + block, encoding="utf-8")
    if "logo.png" in block:
        from PIL import Image

        Image.new("RGB", (4, 4), "red").save(folder / "logo.png")
    if province:
        path = tmp_path / "dept.yaml"
        source = (EXAMPLES / "putuo-sfj-2026.yaml").read_text(encoding="utf-8")
        path.write_text(source.replace("模板: shanghai-putuo-2026", "模板: from-guide"), encoding="utf-8")
    else:
        path = department(tmp_path, "from-guide")
    try:
        html = render_html(document_for(analyse(path)), load_theme("from-guide", (tmp_path / "templates",)))
    except InputRejected as exc:
        pytest.fail(f"guide example {index} is refused: {[p.message for p in exc.problems]}\n{block}")
    assert "</html>" in html


def test_the_department_example_of_the_guide_is_valid(tmp_path):
    block = next(
        b for b in re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S) if b.startswith("部门:")
    )
    text = (EXAMPLES / "haigang-kgxj-2025.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^部门:\n(  .*\n)+", block, text, flags=re.M)
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    assert analyse(path).budget.department.short_name == "科工局"


def test_the_guide_uses_no_jinja_statement_in_its_worked_examples():
    assert not any("{%" in b for b in guide_blocks())
