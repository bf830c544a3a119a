"""Each file of tests/bad_inputs/ names, in its first line, the exit code, line and message it must produce."""

import re
from pathlib import Path

import pytest
from conftest import invoke

CORPUS = Path(__file__).parent / "bad_inputs"
HEADER = re.compile(r"# expect: exit=(\d) line=(\d+) message=(.+?)(?: hint=(.+?))?(?: also=(.+))?$")


def run_check(path: Path):
    result = invoke("check", path)
    return result.exit_code, result.output


def expectation(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = HEADER.match(first)
    assert match, f"{path.name}: first line must be an '# expect:' header"
    exit_code, line, message, hint, also = match.groups()
    return int(exit_code), int(line), message.strip(), hint, also


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_input_is_refused_with_located_message(path):
    exit_code, line, message, hint, also = expectation(path)
    code, output = run_check(path)
    assert code == exit_code, output
    assert "Traceback" not in output
    located = [entry for entry in output.splitlines() if message in entry]
    assert located, f"message {message!r} not in:\n{output}"
    if line:
        assert located[0].startswith(f"{path}:{line}:"), located[0]
    if hint:
        assert hint in output
    for part in (also or "").split(";"):
        if part.strip():
            where, text = part.strip().split(": ", 1)
            number = where.split()[1]
            assert any(entry.startswith(f"{path}:{number}:") and text in entry for entry in output.splitlines()), (
                part,
                output,
            )


def test_corpus_is_large_enough():
    assert len(list(CORPUS.glob("*.yaml"))) >= 30


VALID = (
    '部门: {编码: "999", 名称: 测试局, 级次: 市}\n预算年度: 2023\n'
    "上年: {基本支出: 1.00, 项目支出: 0, 三公经费合计: 0}\n"
    "支出:\n  - {科目: 2150501, 类型: 基本, 金额: 1.00}\n"
    "基本支出经济分类:\n  - {科目: 30101, 金额: 1.00}\n"
)


def test_utf8_with_bom_loads(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    code, output = run_check(path)
    assert code == 0, output


def test_gbk_file_is_refused_as_an_encoding_problem(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(VALID.encode("gb18030"))
    code, output = run_check(path)
    assert code == 2
    assert "不是 UTF-8 编码" in output and "另存为" in output
    assert f"{path}:1:" in output


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    code, output = run_check(path)
    assert code == 2 and "不是文本文件" in output


def test_missing_file_exits_2(tmp_path):
    code, output = run_check(tmp_path / "none.yaml")
    assert code == 2 and "找不到文件" in output


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# x\n" * (2 * 1024 * 1024))
    code, output = run_check(path)
    assert code == 2 and "文件太大" in output


def test_negative_amount_allowed_on_adjustment_line(tmp_path):
    path = tmp_path / "adj.yaml"
    path.write_text(
        VALID + "  - {科目: 30102, 金额: 2.00}\n  - {科目: 30102, 金额: -2.00, 调整: true}\n",
        encoding="utf-8",
    )
    code, output = run_check(path)
    assert code == 0, output


def test_unknown_code_with_name_is_accepted(tmp_path):
    path = tmp_path / "named.yaml"
    path.write_text(
        VALID + "项目:\n  - {名称: 新项目, 科目: 2150577, 金额: 1.00}\n科目名称:\n  2150577: 新设科目\n",
        encoding="utf-8",
    )
    code, output = run_check(path)
    assert code == 0, output
