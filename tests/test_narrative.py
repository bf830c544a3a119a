"""The explanatory part against the references: sections, sentences, embedded tables, glossary."""

import re
import subprocess
from decimal import Decimal

import pytest
from conftest import REFERENCE_EXAMPLES, load_expected
from docx import Document as open_docx
from expected_tables import printed

pytestmark = pytest.mark.slow  # reads the PDF and DOCX of every reference

# Where our document deliberately differs from a reference sentence (SPEC §0 "Known errors").
# Each entry: (reference text, what we print instead, why).
KNOWN_SENTENCE_DIFFERENCES = {
    ("001", "支出说明"): [
        (
            "（专精特新“小巨人”企业科技特派团支撑专项经费）5.00万元",
            "（专精特新“小巨人”企业科技特派团支撑专项经费）8.00万元",
            "E2: the reference lists this project at 5万元; its table and line 2060502 say 8.00",
        )
    ],
    ("004", "支出说明"): [
        (
            "主要为物保组防疫物资采购经费、工业转型（技改）工作经费、中小企业发展专项经费等",
            "主要为物保组防疫物资采购款、工业转型升级（技改）工作经费等",
            "E4: names come from the project list; 中小企业发展专项经费 has no project or money",
        )
    ],
}


@pytest.fixture(scope="module")
def documents(built_examples):
    out = {}
    for ref in REFERENCE_EXAMPLES:
        text = subprocess.run(
            ["pdftotext", str(built_examples[ref]["pdf"]), "-"], capture_output=True, text=True, check=True
        ).stdout
        docx = open_docx(str(built_examples[ref]["docx"]))
        out[ref] = {
            "text": squeeze(without_page_numbers(text)),
            "docx": docx,
            "paragraphs": squeeze("\n".join(p.text for p in docx.paragraphs)),
        }
    return out


@pytest.fixture(params=sorted(REFERENCE_EXAMPLES))
def ref(request):
    return request.param


def without_page_numbers(text: str) -> str:
    """pdftotext puts each page's footer number among the lines of a paragraph that crosses pages."""
    pages = text.split("\f")
    return "\n".join(re.sub(r"\n\s*\d+\s*\n?\s*$", "\n", page.rstrip()) for page in pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def two_decimals(text: str) -> str:
    """The generator prints every narrative amount with two decimals (SPEC: 109.9 → 109.90)."""
    return re.sub(r"(\d+(?:\.\d+)?)万元", lambda m: f"{Decimal(m.group(1)):.2f}万元", text)


def expected_sentence(ref: str, key: str, sentence: str) -> str:
    sentence = two_decimals(squeeze(sentence)).replace(")", "）")  # the references close （其中：… with an ASCII )
    for in_reference, ours, _why in KNOWN_SENTENCE_DIFFERENCES.get((ref, key), []):
        assert in_reference in sentence, f"known difference no longer in the reference: {in_reference}"
        sentence = sentence.replace(in_reference, ours)
    return sentence


def in_order(needles, haystack: str) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"missing or out of order: {needle[:60]}"
        position = found + len(needle)


NARRATIVE_KEYS = (
    "说明_intro",
    "总体情况",
    "收入说明",
    "支出说明",
    "比上年增减情况",
    "机关运行经费",
    "三公经费说明",
    "其他需要说明的事项",
)


def test_narrative_sentences_match_the_reference(documents, ref):
    expected = load_expected(ref)
    for key in NARRATIVE_KEYS:
        sentence = expected_sentence(ref, key, expected["narrative"][key])
        assert sentence in documents[ref]["text"], f"{key}: {sentence[:80]}"
        assert sentence in documents[ref]["paragraphs"], f"DOCX {key}"


def test_section_titles_in_order(documents, ref):
    expected = load_expected(ref)
    titles = [squeeze(t) for t in expected["section_titles"]]
    heading = squeeze(f"第一部分 {expected['narrative']['说明标题']}")
    in_order([heading] + titles, documents[ref]["text"])
    in_order([heading] + titles, documents[ref]["paragraphs"])


def test_performance_part_titles(documents, ref):
    expected = load_expected(ref)
    parts = expected["performance"].get("part_titles") or []
    # E17: 000 prints the truncated "第三部分 预算项目绩效目"; the template set prints the full title.
    parts = [p + "标" if p.endswith("绩效目") else p for p in parts]
    if not parts:  # 001 prints its goal tables without part titles: so must the document
        titles = re.findall(r"第[一二三四五]部分(?:部门整体|专项资金|预算项目)绩效目标", documents[ref]["text"])
        assert titles == [], titles
    in_order([squeeze(p) for p in parts], documents[ref]["text"])


def test_embedded_table_titles_in_order(documents, ref):
    expected = load_expected(ref)
    in_order([squeeze(t) for t in expected["other_table_titles"]], documents[ref]["text"])
    in_order([squeeze(t) for t in expected["other_table_titles"]], documents[ref]["paragraphs"])


def test_duties_and_units(documents, ref):
    expected = load_expected(ref)
    narrative = expected["narrative"]
    in_order([squeeze(d) for d in narrative["部门职责"]], documents[ref]["text"])
    units = [row for table in documents[ref]["docx"].tables for row in _rows(table) if row[:1] and row[0] == "单位名称"]
    assert units, "部门机构设置情况 table"
    table = next(
        t for t in documents[ref]["docx"].tables if _rows(t)[0] == ["单位名称", "单位性质", "单位规格", "经费保障形式"]
    )
    assert _rows(table)[1:] == narrative["机构设置"]


def test_glossary_terms_in_order(documents, ref):
    expected = load_expected(ref)
    text = documents[ref]["text"]
    entries = []
    for number, (term, definition) in enumerate(expected["glossary"], start=1):
        # E9: 000 says 省级部门 in a city document; the 市-level template prints 市级.
        definition = definition.replace("是指省级部门", "是指市级部门") if ref == "000" else definition
        entries.append(squeeze(f"{number}、{term}：{definition}"))
    in_order(entries, text)


def _rows(table):
    """Cell texts per row; a cell spanning several grid columns is listed once."""
    rows = []
    for row in table.rows:
        cells = row.cells
        rows.append([c.text for i, c in enumerate(cells) if i == 0 or c._tc is not cells[i - 1]._tc])
    return rows


def _table_with_row(documents, ref, row_start):
    """The table one of whose rows starts with these cells, and that row's index."""
    for table in documents[ref]["docx"].tables:
        for index, row in enumerate(_rows(table)):
            if row[: len(row_start)] == row_start:
                return table, index
    raise AssertionError(f"no table with a row {row_start}")


def test_procurement_rows(documents, ref):
    expected = load_expected(ref)["procurement"]
    table = next(t for t in documents[ref]["docx"].tables if len(_rows(t)) > 1 and "政府采购项目来源" in _rows(t)[1][0])
    rows = _rows(table)[3:]  # top line, two header rows
    want = []
    for row in expected["rows"]:
        cells = [printed(c) for c in row]
        if row[5] is not None:
            quantity = Decimal(str(row[5]))
            cells[5] = f"{quantity.normalize():f}"
        want.append(cells)
    assert rows == want
    if expected.get("empty_note"):
        assert squeeze(expected["empty_note"]) in documents[ref]["text"]
    assert squeeze(expected["note"]) in documents[ref]["text"]
    if expected["text"]:
        assert expected_sentence(ref, "采购", expected["text"]) in documents[ref]["text"]
    header = _rows(table)[2]
    assert [c for c in header if c][
        -len(expected["column_groups"]["政府采购金额（当年部门预算安排资金）"]) - 1 : -1
    ] == expected["column_groups"]["政府采购金额（当年部门预算安排资金）"]


def test_asset_rows(documents, ref):
    expected = load_expected(ref)["assets"]
    table = next(
        t
        for t in documents[ref]["docx"].tables
        if len(_rows(t)) > 1 and _rows(t)[1][0] == "项目" and "数量" in _rows(t)[1]
    )
    rows = _rows(table)[2:]
    want = [[label, "" if q is None else str(q), printed(v)] for label, q, v in expected["rows"]]
    assert rows == want
    # E17: 000 prints "价值（金额单位：（万元）"; the template prints the corrected header.
    assert _rows(table)[1][2] == "价值（金额单位：万元）"
    assert expected_sentence(ref, "资产", expected["text"]) in documents[ref]["text"]
    assert f"截止时间：{expected['as_of']}" in documents[ref]["text"]


def test_performance_goals_and_safeguards(documents, ref):
    perf = load_expected(ref)["performance"]
    text = documents[ref]["text"]
    assert squeeze(perf["整体绩效目标"]) in text
    in_order([squeeze(item["title"]) for item in perf["分项绩效目标"]], text)
    for item in perf["分项绩效目标"]:
        in_order([squeeze(line) for line in item["lines"]], text)
    in_order([squeeze(p) for p in perf["工作保障措施"]], text)
    if perf.get("专项资金"):
        assert squeeze(perf["专项资金"]) in text


def test_indicator_tables(documents, ref):
    projects = load_expected(ref)["performance"]["projects"]
    tables = [
        t
        for t in documents[ref]["docx"].tables
        if _rows(t) and _rows(t)[0] == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    ]
    assert len(tables) == len(projects)
    for project, table in zip(projects, tables, strict=True):
        body = _rows(table)[1:]
        want = [
            [c or "" for c in row] for row in project["indicators"]
        ]  # the reference's row order (SPEC §5: typed order)
        # 一级 cells are merged vertically: python-docx repeats the merged text in each row
        assert body == want, project["title"]
        merged = table._tbl.xpath(".//w:vMerge")
        assert merged, "一级指标 cells are merged"


def test_project_goals_and_2025_header(documents, ref):
    projects = load_expected(ref)["performance"]["projects"]
    text = documents[ref]["text"]
    for project in projects:
        in_order([squeeze(line) for line in project["绩效目标"].split("\n")], text)
        if project.get("资金支出计划"):
            header, first = _table_with_row(documents, ref, ["项目编码", project["项目编码"]])
            rows = _rows(header)[first:]
            assert rows[0][3] == project["项目名称"]
            assert rows[1][2] == printed(project["预算数"]) and rows[1][4] == printed(project["财政资金"])
            plan = [c for c in rows[4][1:] if c]
            assert plan == [printed(v) for v in project["资金支出计划"]], project["title"]
            assert [c for c in rows[3][1:] if c] == project["资金支出计划_columns"]
            assert squeeze(project["资金用途"]) in squeeze(rows[2][1])
