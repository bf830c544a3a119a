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


ENGINES = ("weasyprint", "typst")  # every PDF test runs against both


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param


def invoke(*args, **runner_options):
    """The command line as a finance officer runs it (typer's runner); never a traceback or an
    internal error, whatever the input. The one way tests run a command in-process."""
    from typer.testing import CliRunner

    from budgetgen.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args], **runner_options)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


def folder_of_examples(folder: Path) -> Path:
    """A folder holding a copy of every example department, as a bureau's folder the web page serves."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder / example.name)
    return folder


def as_from_a_terminal() -> None:
    """For a child the tests send Ctrl-C to: SIGINT handled as a terminal's process gets it, even
    when the test run itself was started in the background (where SIGINT is inherited as ignored)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on, for a real server in a test."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_expected(ref: str) -> dict:
    return json.loads((FIXTURES / "reference" / f"{ref}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=sorted(REFERENCE_EXAMPLES))
def reference(request):
    """(reference id, expected transcription, example path) for each of the three references."""
    ref = request.param
    return ref, load_expected(ref), REFERENCE_EXAMPLES[ref]


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory):
    """Each example built once per test run to PDF, DOCX and HTML; every test that reads the
    published files of an example reads these. Under xdist the test processes share one build
    through a folder of the run (beside their own temporary folders) and a file lock."""
    import fcntl
    import os

    from budgetgen.build import build

    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "built-examples"
    shared.mkdir(exist_ok=True)
    results = {}
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first process builds, the other waits and reads
        for ref, example in REFERENCE_EXAMPLES.items():
            folder = shared / ref
            if not (folder / ".complete").exists():
                build(example, folder, ("pdf", "docx", "html"), engine="weasyprint")
                build(example, folder / "typst", ("pdf",), engine="typst")
                (folder / ".complete").touch()
            results[ref] = {fmt: folder / f"{example.stem}.{fmt}" for fmt in ("pdf", "docx", "html")}
            results[ref]["pdf-weasyprint"] = results[ref]["pdf"]
            results[ref]["pdf-typst"] = folder / "typst" / f"{example.stem}.pdf"
    return results
