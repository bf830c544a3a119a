import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"

# reference id -> example file typed from it
REFERENCE_EXAMPLES = {
    "000": EXAMPLES / "qinhuangdao-gxj-2023.yaml",
    "001": EXAMPLES / "haigang-kgxj-2025.yaml",
    "004": EXAMPLES / "xingtai-gxj-2022.yaml",
}


def invoke(*args):
    """The command line as a finance officer runs it (typer's runner); never a traceback or an
    internal error, whatever the input."""
    from typer.testing import CliRunner

    from budgetgen.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


def load_expected(ref: str) -> dict:
    return json.loads((FIXTURES / "reference" / f"{ref}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=sorted(REFERENCE_EXAMPLES))
def reference(request):
    """(reference id, expected transcription, example path) for each of the three references."""
    ref = request.param
    return ref, load_expected(ref), REFERENCE_EXAMPLES[ref]


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory):
    """Each example built once per test session to PDF, DOCX and HTML; every test that reads the
    published files of an example reads these."""
    from budgetgen.build import build

    results = {}
    for ref, example in REFERENCE_EXAMPLES.items():
        folder = tmp_path_factory.mktemp(f"example-{ref}")
        build(example, folder, ("pdf", "docx", "html"))
        results[ref] = {fmt: folder / f"{example.stem}.{fmt}" for fmt in ("pdf", "docx", "html")}
    return results
