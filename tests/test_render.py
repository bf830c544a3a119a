"""The published files: every reference number in the PDF text and the DOCX tables, page furniture,
fonts, bookmarks, metadata, determinism."""

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REFERENCE_EXAMPLES, load_expected
from docx import Document as open_docx
from expected_tables import corrected_expected_rows
from identities import TABLE_KEYS
from pypdf import PdfReader

from budgetgen.build import build

pytestmark = pytest.mark.slow  # lays out every reference as PDF and DOCX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="session")
def built(built_examples):
    return built_examples


@pytest.fixture(params=sorted(REFERENCE_EXAMPLES))
def ref(request):
    return request.param


def pdf_text(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def amounts_in_order(ref: str) -> list[str]:
    expected = load_expected(ref)
    tokens = []
    for key in TABLE_KEYS:
        for row in corrected_expected_rows(ref, key, expected):
            tokens += [cell for cell in row if re.fullmatch(r"\d+\.\d\d", cell)]
    return tokens


def is_subsequence(needles: list[str], haystack: list[str]) -> tuple[bool, int]:
    position = 0
    for index, needle in enumerate(needles):
        try:
            position = haystack.index(needle, position) + 1
        except ValueError:
            return False, index
    return True, len(needles)


def test_every_reference_amount_is_in_the_pdf_text_in_order(built, ref, engine):
    text = pdf_text(built[ref][f"pdf-{engine}"])
    found = re.findall(r"\d+\.\d\d", text)
    wanted = amounts_in_order(ref)
    ok, reached = is_subsequence(wanted, found)
    assert ok, f"amount #{reached} ({wanted[reached]}) missing or out of order"


def test_every_row_code_and_name_is_in_the_pdf_text(built, ref, engine):
    text = pdf_text(built[ref][f"pdf-{engine}"]).replace(" ", "")
    expected = load_expected(ref)
    for key in ("收入总表", "一般公共预算财政拨款基本支出表"):
        for row in corrected_expected_rows(ref, key, expected):
            if row[0]:
                assert row[0] + row[1][:4] in text, row[:2]


def docx_tables(path: Path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in open_docx(str(path)).tables]


def header_row_count(table) -> int:
    return sum(1 for row in table._tbl.tr_lst if row.trPr is not None and row.trPr.find(f"{W}tblHeader") is not None)


def test_docx_tables_hold_every_reference_cell(built, ref):
    expected = load_expected(ref)
    document = open_docx(str(built[ref]["docx"]))
    for key, table in zip(TABLE_KEYS, document.tables[:9], strict=True):
        headers = header_row_count(table)
        body = [[c.text for c in row.cells] for row in table.rows[headers:]]
        want = corrected_expected_rows(ref, key, expected)
        assert [row[1:] for row in body] == want, key
        assert [row[0] for row in body] == [str(i) for i in range(1, len(want) + 1)], "序号 runs 1..n"


def test_docx_header_rows_repeat(built, ref):
    for table in open_docx(str(built[ref]["docx"])).tables[:9]:
        rows = table._tbl.tr_lst
        headers = header_row_count(table)
        assert headers >= 3  # page-top line, column headers, 栏次
        assert all(r.trPr is not None and r.trPr.find(f"{W}tblHeader") is not None for r in rows[:headers])
        assert rows[headers - 1].xpath("string(.)").startswith("栏次")


def test_docx_east_asian_fonts_on_every_run(built, ref):
    with zipfile.ZipFile(built[ref]["docx"]) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    runs = [r for r in re.findall(r"<w:r>(.*?)</w:r>", xml, flags=re.S) if "<w:t" in r]
    assert runs and all('w:eastAsia="' in r for r in runs), "every run with text names its East-Asian font"
    body = xml[xml.index("<w:tbl>") :]
    table_runs = [r for r in re.findall(r"<w:tc>.*?</w:tc>", body, flags=re.S) if "<w:t" in r]
    assert table_runs and all('w:eastAsia="宋体"' in r for r in table_runs)
    titles = [p for p in re.findall(r"<w:p>.*?</w:p>", xml, flags=re.S) if 'w:val="Heading2"' in p]
    assert titles and all('w:eastAsia="黑体"' in p for p in titles)
    styles = zipfile.ZipFile(built[ref]["docx"]).read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="黑体"' in styles and 'w:eastAsia="宋体"' in styles


def test_docx_furniture(built, ref):
    path = built[ref]["docx"]
    document = open_docx(str(path))
    expected = load_expected(ref)
    assert document.core_properties.title == f"{expected['dept_name']}{expected['year']}年部门预算信息公开"
    assert document.core_properties.author == expected["dept_name"]
    orientations = [s.orientation for s in document.sections]
    assert 1 in [int(o) for o in orientations], "landscape sections for the wide tables"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:1] == ["部门预算公开表"] and headings[1:10] == expected["table_titles"]
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
        footers = "".join(package.read(n).decode("utf-8") for n in package.namelist() if "footer" in n)
    # issue 23: the contents' numbers come from the PDF's layout and each program paginates a little
    # differently, so the document asks to update its fields on opening (test_publish_slips)
    assert "TOC \\o" in xml and '<w:updateFields w:val="true"/>' in settings and "w:dirty" not in xml
    entries = re.findall(
        r'<w:hyperlink w:anchor="([^"]+)"[^>]*>.*?<w:t xml:space="preserve">([^<]*)</w:t>.*?PAGEREF \1 \\h .*?'
        r"<w:t>(\d+)</w:t>",
        xml,
    )
    assert [text for _, text, _ in entries][1:10] == expected["table_titles"], (
        "every table is in the contents with a page number"
    )
    pages = [re.sub(r"\s", "", page.extract_text()) for page in PdfReader(str(built[ref]["pdf"])).pages]
    for _anchor, text, number in entries[1:]:  # the first, 部门预算公开表, is a bookmark only
        assert re.sub(r"\s", "", text) in pages[int(number) - 1], (text, number)
    assert 'w:instr=" PAGE "' in footers
    sections = document.sections
    assert "PAGE" not in sections[0].footer._element.xml, "cover and contents carry no page number"
    assert 'w:instr=" PAGE "' in sections[1].footer._element.xml


def test_pdf_furniture(built, ref, engine):
    path = built[ref][f"pdf-{engine}"]
    expected = load_expected(ref)
    reader = PdfReader(str(path))
    info = reader.metadata
    assert info.title == f"{expected['dept_name']}{expected['year']}年部门预算信息公开"
    assert info.author == expected["dept_name"]
    assert reader.trailer["/Root"].get("/Lang") == "zh-CN"
    outline = [item.title for item in _flatten(reader.outline)]
    assert "部门预算公开表" in outline
    for title in expected["table_titles"]:
        assert title in outline
    landscape = [i for i, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height]
    assert landscape, "收入总表 and the other wide tables are on landscape pages"


def test_pdf_contents_has_page_numbers_that_point_at_the_tables(built, ref, engine):
    path = built[ref][f"pdf-{engine}"]
    expected = load_expected(ref)
    contents = pdf_text(path, "-f", "2", "-l", "2")
    for title in expected["table_titles"]:
        match = re.search(re.escape(title) + r"\s*\.{3,}\s*(\d+)", contents)
        assert match, title
        page = int(match.group(1))
        assert title in pdf_text(path, "-f", str(page), "-l", str(page)).replace(" ", "")


def test_pdf_fonts_are_all_embedded(built, ref, engine):
    output = subprocess.run(
        ["pdffonts", str(built[ref][f"pdf-{engine}"])], capture_output=True, text=True, check=True
    ).stdout
    rows = output.splitlines()[2:]
    assert rows, "the PDF has text"
    assert all(row.split()[-5] == "yes" for row in rows), output
    assert any("CJK" in row for row in rows)


def test_the_fonts_check_names_are_the_fonts_each_engine_embeds(built, ref, engine):
    """`check` says which installed font prints each role (fonts.fonts_used, asked of fontconfig);
    both engines pick from the same list in the same order, so the PDF embeds exactly those."""
    from budgetgen.analysis import analyse
    from budgetgen.fonts import fonts_used

    def letters(name: str) -> str:
        return re.sub(r"[^a-z]", "", name.lower())

    output = subprocess.run(
        ["pdffonts", str(built[ref][f"pdf-{engine}"])], capture_output=True, text=True, check=True
    ).stdout
    embedded = {letters(row.split()[0].split("+")[-1]) for row in output.splitlines()[2:]}
    used = {letters(font) for _, font, _ in fonts_used(analyse(REFERENCE_EXAMPLES[ref]).theme).values() if font}
    assert used, "fontconfig names the fonts on this machine"
    assert {next((u for u in used if e.startswith(u)), e) for e in embedded} == used, (embedded, used)


def test_pdf_header_repeats_on_continuation_pages(built, engine):
    """000's 收入总表 spans two pages; the top line and 栏次 row repeat on the second."""
    path = built["000"][f"pdf-{engine}"]
    reader = PdfReader(str(path))
    pages = [
        i + 1
        for i in range(len(reader.pages))
        if "部门预算收入总表" in pdf_text(path, "-f", str(i + 1), "-l", str(i + 1)).replace(" ", "")
    ]
    first = pages[0]
    following = pdf_text(path, "-f", str(first + 1), "-l", str(first + 1))
    assert "471 秦皇岛市工业和信息化局" in following and "预算年度：2023" in following and "栏次" in following


def test_builds_are_byte_identical(built, ref, engine, tmp_path):
    formats = ("pdf", "docx") if engine == "weasyprint" else ("pdf",)
    again = build(REFERENCE_EXAMPLES[ref], tmp_path, formats, engine=engine)
    for path in again.written:
        key = f"pdf-{engine}" if path.suffix == ".pdf" else path.suffix[1:]
        assert path.read_bytes() == built[ref][key].read_bytes(), path.name


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_trimmed_user_agent_stylesheet_gives_identical_pages(built, tmp_path):
    """budgetgen's trimmed UA stylesheet (builders/ua.css) lays out exactly as WeasyPrint's own:
    every page image of 001 is the same."""
    from budgetgen.analysis import analyse
    from budgetgen.build import document_for
    from budgetgen.builders.pdf import render_pdf

    analysis = analyse(REFERENCE_EXAMPLES["001"])
    (tmp_path / "default.pdf").write_bytes(
        render_pdf(document_for(analysis, "weasyprint"), analysis.theme, trimmed_ua=False)
    )
    for name, pdf in (("default", tmp_path / "default.pdf"), ("trimmed", built["001"]["pdf"])):
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / name)], check=True)
    default_pages = sorted(tmp_path.glob("default-*.png"))
    assert default_pages and len(default_pages) == len(list(tmp_path.glob("trimmed-*.png")))
    for page in default_pages:
        assert page.read_bytes() == (tmp_path / page.name.replace("default", "trimmed")).read_bytes(), page.name
