"""The PDF engines (issue 26): Typst behind the same interface as WeasyPrint — chosen per set and
per build, a tagged PDF/UA-1 file with a structure tree, the DOCX's contents numbered from its
layout, and a build that never imports WeasyPrint (so it needs no GTK/Pango)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES, REFERENCE_EXAMPLES, invoke, load_expected
from pypdf import PdfReader

from budgetgen.build import build

pytestmark = pytest.mark.slow  # builds PDFs


def structure(path: Path) -> tuple[Counter, list]:
    """The structure tree's element types, and its nodes."""
    root = PdfReader(str(path)).trailer["/Root"]
    found, nodes = Counter(), []

    def walk(node) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if hasattr(node, "get") and node.get("/S"):
            found[str(node["/S"])] += 1
            nodes.append(node)
        if hasattr(node, "get") and "/K" in node:
            walk(node["/K"])

    walk(root["/StructTreeRoot"].get_object())
    return found, nodes


@pytest.mark.parametrize("ref", sorted(REFERENCE_EXAMPLES))
def test_the_pdf_is_tagged_with_headings_and_table_header_cells(built_examples, ref, engine):
    path = built_examples[ref][f"pdf-{engine}"]
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == f"{load_expected(ref)['dept_name']}{load_expected(ref)['year']}年部门预算信息公开"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    assert ("pdfuaid:part" in xmp) == (engine == "typst"), "Typst's file is PDF/UA-1; WeasyPrint's is tagged only"
    kinds, _ = structure(path)
    tables = len(load_expected(ref)["table_titles"])
    assert kinds["/H1"] >= 1 and kinds["/H2"] >= tables
    assert kinds["/Table"] >= tables and kinds["/TH"] >= 5 * tables and kinds["/TD"] > 100


def test_every_text_of_a_typst_page_is_tagged_or_an_artifact(built_examples):
    """No text is outside the structure: each text object sits in a marked-content sequence that
    is either tagged (an MCID the tree points at) or an artifact (page numbers)."""
    from pypdf.generic import ContentStream

    reader = PdfReader(str(built_examples["000"]["pdf-typst"]))
    for number, page in enumerate(reader.pages, start=1):
        stream = ContentStream(page.get_contents(), reader)
        marks, loose = [], 0
        for operands, operator in stream.operations:
            if operator in (b"BDC", b"BMC"):
                marks.append(operands[0])
            elif operator == b"EMC":
                marks.pop()
            elif operator in (b"Tj", b"TJ", b"'", b'"') and not marks:
                loose += 1
        assert loose == 0, f"page {number}: {loose} texts outside marked content"


def test_the_engine_comes_from_the_set_and_the_build(tmp_path):
    example = REFERENCE_EXAMPLES["000"]
    assert build(example, tmp_path / "a", ("pdf",), engine="typst").engine == "typst"
    assert build(example, tmp_path / "b", ("pdf",), engine="weasyprint").engine == "weasyprint"
    city = tmp_path / "sets" / "typst-city"
    city.mkdir(parents=True)
    (city / "theme.yaml").write_text("extends: hebei-city-2023\nengine: typst\n", encoding="utf-8")
    text = example.read_text(encoding="utf-8")
    source = tmp_path / "dept.yaml"
    source.write_text(text.replace("模板: hebei-city-2023", "模板: typst-city"), encoding="utf-8")
    assert "模板: typst-city" in source.read_text(encoding="utf-8")
    assert build(source, tmp_path / "c", ("pdf",), (tmp_path / "sets",)).engine == "typst"
    (city / "style.css.j2").write_text("body { color: black }\n", encoding="utf-8")
    (city / "theme.yaml").write_text("extends: hebei-city-2023\n", encoding="utf-8")
    assert build(source, tmp_path / "d", ("pdf",), (tmp_path / "sets",)).engine == "weasyprint", (
        "a set with its own CSS keeps WeasyPrint"
    )
    refused = invoke("build", example, "-o", tmp_path, "--engine", "latex")
    assert refused.exit_code == 1 and "不支持的 PDF 引擎" in refused.output


NO_WEASYPRINT = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("weasyprint", "cairocffi", "pango", "tinycss2", "cssselect2"):
            raise ImportError("no GTK/Pango on this machine: " + name)
sys.meta_path.insert(0, Refuse())
from pathlib import Path
from budgetgen.build import build
result = build(Path(sys.argv[1]), Path(sys.argv[2]), ("pdf", "docx", "xlsx"), engine="typst")
print(result.pages, sorted(p.name for p in result.written))
assert not [m for m in sys.modules if m.startswith("weasyprint")]
"""


def test_a_typst_build_needs_no_weasyprint_at_all(tmp_path):
    ran = subprocess.run(
        [sys.executable, "-c", NO_WEASYPRINT, str(EXAMPLES / "xingtai-gxj-2022.yaml"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "xingtai-gxj-2022.docx" in ran.stdout and (tmp_path / "xingtai-gxj-2022.pdf").stat().st_size > 100_000


def test_the_docx_contents_is_numbered_from_the_typst_layout(tmp_path):
    """A DOCX built with Typst as the engine takes its contents' numbers from the Typst layout."""
    import re
    import zipfile

    example = REFERENCE_EXAMPLES["004"]
    result = build(example, tmp_path, ("pdf", "docx"), engine="typst")
    pages = [re.sub(r"\s", "", p.extract_text()) for p in PdfReader(str(tmp_path / f"{example.stem}.pdf")).pages]
    xml = zipfile.ZipFile(tmp_path / f"{example.stem}.docx").read("word/document.xml").decode("utf-8")
    entries = re.findall(
        r'<w:hyperlink w:anchor="([^"]+)"[^>]*>.*?<w:t xml:space="preserve">([^<]*)</w:t>.*?PAGEREF \1 \\h .*?'
        r"<w:t>(\d+)</w:t>",
        xml,
    )
    assert len(entries) >= 10 and result.engine == "typst"
    for _anchor, text, number in entries[1:]:
        assert re.sub(r"\s", "", text) in pages[int(number) - 1], (text, number)
