"""Text typed by a department prints literally: nothing in it is evaluated, rendered as markup or fetched."""

import re
import subprocess
import zipfile

import pytest
from conftest import ENGINES, REFERENCE_EXAMPLES
from docx import Document as open_docx

from budgetgen.build import build
from budgetgen.builders.pdf import set_fetcher
from budgetgen.theme import load_theme, search_dirs_for

pytestmark = pytest.mark.slow  # builds PDF and DOCX of hostile text

HOSTILE = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}X{% endfor %}",
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    "<style>body{display:none}</style>",
    "@import url(http://example.invalid/x.css);",
    "{name}{year}",
    '#read("/etc/passwd")',  # Typst: code, markup and math mean nothing in a department's text
    '"][#panic("x")][',
    "$ x^2 $ @ref <label> // comment \\ * _",
]


@pytest.fixture(scope="module", params=ENGINES)
def hostile_build(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("hostile")
    text = REFERENCE_EXAMPLES["001"].read_text(encoding="utf-8")
    name = "秦皇岛市海港区科技和工业信息化局"
    text = text.replace(f"  名称: {name}\n", f"  名称: '{name}{HOSTILE[0]}{HOSTILE[2]}'\n", 1)
    duties = "  职责:\n" + "".join(f"  - '{h}'\n" for h in HOSTILE)
    text = text.replace("  职责:\n", duties, 1)
    text = text.replace("项目支出: 主要为", f"项目支出: '{HOSTILE[3]}{HOSTILE[4]}主要为", 1)
    text = text.replace("的增加\n", "的增加'\n", 1) if "项目支出: '" in text else text
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    result = build(path, folder, ("pdf", "docx", "html"), engine=request.param)
    pdf_text = subprocess.run(
        ["pdftotext", str(folder / "hostile.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    return {
        "pdf": re.sub(r"\s+", "", pdf_text),
        "docx": re.sub(r"\s+", "", "\n".join(p.text for p in open_docx(str(folder / "hostile.docx")).paragraphs)),
        "html": (folder / "hostile.html").read_text(encoding="utf-8"),
        "docx_xml": zipfile.ZipFile(folder / "hostile.docx").read("word/document.xml").decode("utf-8"),
        "result": result,
    }


@pytest.mark.parametrize("snippet", HOSTILE)
def test_duties_print_verbatim_in_pdf_and_docx(hostile_build, snippet):
    squeezed = re.sub(r"\s+", "", snippet)
    assert squeezed in hostile_build["pdf"]
    assert squeezed in hostile_build["docx"]


def test_department_name_is_not_evaluated(hostile_build):
    for text in (hostile_build["pdf"], hostile_build["docx"]):
        assert "{{7*7}}<script>alert(1)</script>" in text
        assert "49<" not in text


def test_markup_is_escaped_in_the_html(hostile_build):
    html = hostile_build["html"]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    assert "<style>body{display:none}</style>" not in html


def test_reasons_print_verbatim(hostile_build):
    assert (
        re.sub(r"\s+", "", '<img src="file:///etc/passwd"><style>body{display:none}</style>主要为')
        in hostile_build["pdf"]
    )


def test_docx_text_is_escaped_xml(hostile_build):
    assert "&lt;script&gt;" in hostile_build["docx_xml"]


def test_pdf_fetcher_serves_only_template_files():
    """WeasyPrint's current fetcher interface: a URLFetcher whose fetch returns a URLFetcherResponse."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    theme = load_theme("base", search_dirs_for(None))
    fetcher = set_fetcher(theme)
    assert isinstance(fetcher, URLFetcher)
    inside = (theme.chain[0] / "style.css.j2").resolve()
    response = fetcher.fetch(inside.as_uri())
    assert isinstance(response, URLFetcherResponse) and response.read()
    for url in (
        "file:///etc/passwd",
        "http://example.invalid/x.css",
        "https://example.invalid/",
        "data:text/plain,hi",
        (theme.chain[0] / ".." / ".." / "pyproject.toml").resolve().as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
