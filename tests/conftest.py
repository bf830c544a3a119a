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


def load_expected(ref: str) -> dict:
    return json.loads((FIXTURES / "reference" / f"{ref}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=sorted(REFERENCE_EXAMPLES))
def reference(request):
    """(reference id, expected transcription, example path) for each of the three references."""
    ref = request.param
    return ref, load_expected(ref), REFERENCE_EXAMPLES[ref]
