"""Layout that survives real content (issue 14): 200-character names, long codes, 100 projects, a
heading before a landscape table — in the PDF and in the DOCX as LibreOffice lays it out."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import ENGINES, EXAMPLES, invoke
from docx import Document as open_docx
from stress import stress_department

from budgetgen.analysis import analyse
from budgetgen.build import document_for
from budgetgen.document import TableBlock
from budgetgen.layout import balanced_lines, text_units

pytestmark = pytest.mark.slow  # lays out a 122-page PDF and runs LibreOffice

PROJECT_CODE = re.compile(r"13030225P0000791000(\d{3})2M")


def pdf_pages(path: Path) -> list[str]:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split("\f")


@pytest.fixture(scope="module", params=ENGINES)
def stress(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("stress")
    source = folder / "stress.yaml"
    source.write_text(stress_department(100), encoding="utf-8")
    result = invoke("build", source, "-o", folder, "--format", "pdf,docx", "--engine", request.param)
    assert result.exit_code == 0, result.output
    return {"source": source, "pages": pdf_pages(folder / "stress.pdf"), "docx": folder / "stress.docx"}


@pytest.fixture(scope="module")
def stress_in_libreoffice(tmp_path_factory):
    """A smaller stressed department (10 projects), its DOCX laid out by LibreOffice."""
    folder = tmp_path_factory.mktemp("stress-lo")
    source = folder / "stress.yaml"
    source.write_text(stress_department(10), encoding="utf-8")
    assert invoke("build", source, "-o", folder, "--format", "docx").exit_code == 0
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "lo"),
            str(folder / "stress.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return pdf_pages(folder / "lo" / "stress.pdf")


def tokens(pages: list[str]) -> list[str]:
    """pdftotext's words: cells on one baseline come out on one line, a wrapped cell as two words."""
    return [word for page in pages for word in page.split()]


def body_page(pages: list[str], heading: str) -> str:
    return next(p for p in pages[2:] if heading in p)  # past the cover and the contents


def test_project_codes_and_amounts_never_wrap_in_the_pdf(stress):
    words = tokens(stress["pages"])
    codes = {m.group(1) for word in words for m in [PROJECT_CODE.fullmatch(word)] if m}
    assert codes == {f"{i:03d}" for i in range(1, 101)}, "each 项目编码 whole on one line of its cell"
    assert words.count("≤156.88万元") == 100
    assert words.count("100000000个") == 100
    assert words.count("156.88") >= 300  # 预算数, 财政资金, the plan's last column


def test_short_indicator_labels_never_wrap_in_the_pdf(stress):
    words = tokens(stress["pages"])
    assert words.count("满意度指标") >= 100
    assert words.count("服务对象满意度指标") >= 200  # 二级 and 三级
    assert words.count("年初工作计划") >= 400
    assert not set(words) & {"满意度指", "服务对象满", "年初工作计"}


def test_a_heading_is_never_left_alone_before_a_landscape_table(stress):
    page = body_page(stress["pages"], "八、政府采购预算情况")
    assert "部门政府采购预算" in page and "政府采购项目来源" in page


def test_a_long_merged_cell_is_split_only_where_the_page_breaks(stress):
    document = document_for(analyse(stress["source"]))
    first = next(b for b in document.blocks if isinstance(b, TableBlock) and b.anchor == "project-1-indicators")
    output = [m for m in first.merges if m.column == 0 and first.rows[m.row].cells[0].text == "产出指标"]
    assert len(output) == 1 and output[0].flows and output[0].rowspan >= 45, "one merge of 49 产出 rows, flowing"
    # pages that continue a project's indicators: neither its 项目编码 nor the title of its
    # indicator table (1.项目名称) is on them
    continued = [
        p for p in stress["pages"] if "数量指标" in p and "项目编码" not in p and not re.search(r"^\d+\.\S", p, re.M)
    ]
    assert continued, "the 产出 rows of a project run onto pages of their own"
    assert all(tokens([p]).count("产出指标") == 1 for p in continued), "labelled once on each page, never twice"
    assert tokens(stress["pages"]).count("产出指标") >= 100 + len(continued)


def test_the_docx_lays_out_the_same_way_in_libreoffice(stress_in_libreoffice):
    pages = stress_in_libreoffice
    words = tokens(pages)
    codes = {m.group(1) for word in words for m in [PROJECT_CODE.fullmatch(word)] if m}
    assert codes == {f"{i:03d}" for i in range(1, 11)}
    text = "".join(pages)
    assert len(re.findall(r"≤156\.88 ?万元", text)) == 10  # LibreOffice spaces Latin from CJK
    page = body_page(pages, "八、政府采购预算情况")
    assert "部门政府采购预算" in page


def test_docx_headings_keep_with_what_follows(stress):
    document = open_docx(str(stress["docx"]))
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading") and p.text.strip()]
    assert headings and all(p.style.paragraph_format.keep_with_next for p in headings)
    procurement = next(p for p in headings if p.text == "八、政府采购预算情况")
    section = procurement._p.xpath("following::w:sectPr[1]")[0]
    assert section.xpath("w:pgSz/@w:orient") == ["landscape"], "the heading is on the landscape page of its table"


# ---------------------------------------------------------------- headings' last line


def test_balanced_lines():
    text = "一二三四五六七八九十" * 3 + "一二"  # 32 characters, 30 to a line
    lines = balanced_lines(text, 60)
    assert "".join(lines) == text and len(lines) == 2 and min(len(line) for line in lines) >= 5
    assert balanced_lines("短标题", 60) == ["短标题"]
    fits = "一二三四五六七八九十" * 3 + "一二三四五六"
    assert balanced_lines(fits, 60) == [fits], "a last line of six characters is left alone"
    assert not any(
        line.startswith(("、", "）"))
        for line in balanced_lines("一二三四五六七八九十一二三四五、六七八九十" * 2 + "一", 40)
    )


def test_a_heading_in_the_pdf_never_ends_in_a_short_line(tmp_path):
    """A 项目 title of 39 characters at 13 pt wraps after 37: without care, 标表 would stand alone."""
    text = (EXAMPLES / "qinhuangdao-gxj-2023.yaml").read_text(encoding="utf-8")
    name = "数字经济与工业互联网平台建设运营维护及网络安全保障服务采购项目经费"  # 32 characters
    first = re.search(r"^- 名称: (.+)$", text, re.M).group(1)
    path = tmp_path / "d.yaml"
    path.write_text(text.replace(first, name), encoding="utf-8")
    assert invoke("build", path, "-o", tmp_path, "--format", "pdf").exit_code == 0
    lines = [line.strip() for page in pdf_pages(tmp_path / "d.pdf") for line in page.splitlines()]
    title_end = next(
        i for i, line in enumerate(lines) if line.endswith("目标表") and name[-3:] not in line or name in line
    )
    last = next(line for line in lines[title_end:] if line.endswith("目标表"))
    assert len(last) >= 5, lines[title_end - 1 : title_end + 2]


def test_text_units_count_wide_and_ambiguous_characters_double():
    assert text_units("满意度指标") == 10
    assert text_units("≤95%") == 2 + 2 * 1.25 + 1
    assert text_units("a\nbcd") == 3 * 1.25


# ---------------------------------------------------------------- DOCX styles of the set


def example_with_set(tmp_path: Path, name: str, settings: str) -> Path:
    """The 2025 example under a set of the given settings, in templates/ beside it."""
    folder = tmp_path / "templates" / name
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text("extends: base\n" + settings, encoding="utf-8")
    path = tmp_path / "d.yaml"
    path.write_text(
        (EXAMPLES / "haigang-kgxj-2025.yaml")
        .read_text(encoding="utf-8")
        .replace("模板: hebei-district-2025", f"模板: {name}"),
        encoding="utf-8",
    )
    return path


def test_docx_language_and_set_styles(tmp_path):
    path = example_with_set(
        tmp_path,
        "styled",
        "docx:\n  first_line_indent_chars: 0\n  line_spacing: 1.5\n  heading_align: center\n  cell_padding_mm: 2\n",
    )
    assert invoke("build", path, "-o", tmp_path, "--format", "docx").exit_code == 0
    document = open_docx(str(tmp_path / "d.docx"))
    assert document.styles["Normal"].paragraph_format.line_spacing == 1.5
    assert document.styles["Heading 2"].paragraph_format.alignment == 1  # center
    body = [p for p in document.paragraphs if p.text.startswith("按照")]
    assert body and body[0].paragraph_format.first_line_indent in (None, 0)
    with zipfile.ZipFile(tmp_path / "d.docx") as package:
        styles = package.read("word/styles.xml").decode("utf-8")
        xml = package.read("word/document.xml").decode("utf-8")
    assert 'w:lang w:val="zh-CN" w:eastAsia="zh-CN"' in styles
    assert '<w:left w:w="113" w:type="dxa"/>' in xml  # 2 mm cell padding


def test_a_bad_docx_setting_is_refused_with_its_line(tmp_path):
    path = example_with_set(tmp_path, "bad", "docx:\n  heading_align: middle\n  line_spacing: 9\n")
    result = invoke("check", path)
    assert (
        result.exit_code == 1
        and "docx.heading_align「middle」" in result.output
        and "docx.line_spacing「9」" in result.output
    )


def test_a_goal_row_and_its_indicators_share_their_columns():
    document = document_for(analyse(EXAMPLES / "qinhuangdao-gxj-2023.yaml"))
    tables = [b for b in document.blocks if isinstance(b, TableBlock)]
    pairs = [(upper, lower) for upper, lower in zip(tables, tables[1:], strict=False) if lower.continues]
    assert pairs and all(upper.widths == lower.widths for upper, lower in pairs)
