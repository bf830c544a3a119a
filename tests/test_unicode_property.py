"""Any text a department can type: if `check` passes, `build` succeeds; nothing ends in an internal
error. Random Unicode, including control, invisible, direction and surrogate characters, goes into
names and free texts (written as JSON strings, which YAML reads as double-quoted scalars)."""

import json
import re

import pytest
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow  # builds a PDF per generated department

NASTY = (
    "\x00\x07\x1b\x7f\u0085\u00ad\u200b\u200d\u202e\u2066\ufeff\ud800\udfff\U0001f600\u0301\u05d0\u3000\U00020000<>"
    "&\"'{}%#\\"
)
texts = st.text(
    alphabet=st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(NASTY)),
    min_size=1,
    max_size=40,
)

TEMPLATE = """部门: {{编码: "999", 名称: {name}, 级次: 区}}
预算年度: 2026
上年: {{基本支出: 8.00, 项目支出: 0, 三公经费合计: 0}}
增减原因: {{基本支出: {reason}}}
支出:
  - {{科目: 2150501, 类型: 基本, 金额: 10.00}}
  - {{科目: 2150501, 类型: 项目, 金额: 1.00, 项目: {project}}}
基本支出经济分类:
  - {{科目: 30101, 金额: 10.00}}
项目:
  - {{名称: {project}, 绩效目标: [{goal}]}}
职责与机构:
  职责: [{goal}]
  机构:
    - {{单位名称: {unit}, 单位性质: 行政, 单位规格: 正科级, 经费保障形式: 财政拨款}}
"""


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=texts, project=texts, goal=texts, reason=texts)
def test_check_passing_means_build_succeeds(tmp_path, name, project, goal, reason):
    path = tmp_path / "dept.yaml"
    quoted = {
        k: json.dumps(v)
        for k, v in dict(name=name, unit=name + "本级", project=project, goal=goal, reason=reason).items()
    }
    path.write_text(TEMPLATE.format(**quoted), encoding="utf-8", errors="surrogatepass")
    checked = invoke("check", path)
    assert checked.exit_code in (0, 1, 2)
    if checked.exit_code == 0:
        built = invoke("build", path, "-o", tmp_path / "out", "--format", "html,docx")
        assert built.exit_code == 0, built.output


visible_texts = st.text(
    alphabet=st.characters(codec=None, exclude_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Zl", "Zp")),
    min_size=1,
    max_size=40,
).filter(str.strip)


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=visible_texts, project=visible_texts, goal=visible_texts, reason=visible_texts)
def test_any_visible_text_checks_and_builds(tmp_path, name, project, goal, reason):
    path = tmp_path / "dept.yaml"
    quoted = {
        k: json.dumps(v, ensure_ascii=False)
        for k, v in dict(name=name, unit=name + "本级", project=project, goal=goal, reason=reason).items()
    }
    path.write_text(TEMPLATE.format(**quoted), encoding="utf-8")
    checked = invoke("check", path)
    assert checked.exit_code == 0, checked.output
    built = invoke("build", path, "-o", tmp_path / "out", "--format", "html,docx")
    assert built.exit_code == 0, built.output


def test_unusual_but_visible_text_builds_to_pdf(tmp_path):
    """Emoji, combining marks, right-to-left letters, CJK extension B and markup characters are text,
    not hostile: check passes and every format builds."""
    visible = "测😀é\u05d0\U00020000<b>&amp;{{x}}"
    path = tmp_path / "dept.yaml"
    texts = dict(name="测试局" + visible, unit="测试局本级", project="项目" + visible, goal=visible, reason=visible)
    path.write_text(
        TEMPLATE.format(**{k: json.dumps(v, ensure_ascii=False) for k, v in texts.items()}), encoding="utf-8"
    )
    assert invoke("check", path).exit_code == 0
    built = invoke("build", path, "-o", tmp_path / "out", "--format", "pdf,docx")
    assert built.exit_code == 0, built.output


def test_no_english_in_any_refusal_of_the_corpus():
    """Every message of the bad-input corpus is Chinese (names of formats such as YAML excepted)."""
    from pathlib import Path

    corpus = sorted((Path(__file__).parent / "bad_inputs").glob("*.yaml"))
    for path in corpus:
        output = invoke("check", path).output.replace(str(path), "")
        output = re.sub(r"「[^」]*」", "", output)  # names in quotes (fonts such as Noto Serif CJK SC) are names
        assert not re.search(r"[A-Za-z]{3,}[ ,.'][A-Za-z]{2,} [A-Za-z]{2,}", output), (path.name, output)
