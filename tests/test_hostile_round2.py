"""Hostile and odd input, second round (issue 10): no silent change of what was typed, no escape from
the template set, no hang, no mixed outputs, no English — each case through the real command line."""

import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, as_from_a_terminal, invoke

from budgetgen.analysis import analyse

DEPARTMENT = """部门: {编码: "999", 名称: NAME, 级次: 区}
预算年度: 2026
模板: SET
上年: {基本支出: 8.00, 项目支出: 0, 三公经费合计: 0}
增减原因: {基本支出: 主要为人员增加}
支出:
  - {科目: 2150501, 类型: 基本, 金额: AMOUNT}
基本支出经济分类:
  - {科目: 30101, 金额: AMOUNT}
"""


def department(
    tmp_path: Path, name: str = "测试局", amount: str = "10.00", template: str = "base", extra: str = ""
) -> Path:
    path = tmp_path / "dept.yaml"
    text = DEPARTMENT.replace("NAME", name).replace("AMOUNT", amount).replace("SET", template) + extra
    path.write_text(text, encoding="utf-8")
    return path


def line_of(output: str, text: str) -> str:
    lines = [line for line in output.splitlines() if text in line]
    assert lines, f"{text!r} not in:\n{output}"
    return lines[0]


# ---------------------------------------------------------------- read what was typed


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1:30", "这里写的是「1:30」"),  # YAML 1.1 would read base-60 90
        ("0x1F5", "这里写的是「0x1F5」"),  # … and 501
        ("1_000", "这里写的是「1_000」"),
        ("yes", "这里写的是「yes」"),
        ("１２.５０", "全角数字"),
        ("1e30", "超出合理范围"),
        ("99999999999999.99", "超出合理范围"),
        ("!!int 12.5", "不支持 YAML 标签「!!int」"),
        (".inf", "这里写的是「.inf」"),
    ],
)
def test_amounts_are_read_as_typed(tmp_path, typed, message):
    result = invoke("check", department(tmp_path, amount=typed))
    assert result.exit_code == 1
    assert line_of(result.output, message).startswith(f"{tmp_path / 'dept.yaml'}:7:")


def test_prior_year_figure_in_base_60_is_refused(tmp_path):
    path = department(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("基本支出: 8.00", "基本支出: 1:30"), encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1 and "这里写的是「1:30」" in result.output


def test_codes_stay_as_typed(tmp_path):
    path = department(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('编码: "999"', "编码: 0x1F5"), encoding="utf-8")
    assert analyse(path).budget.department.code == "0x1F5"
    path.write_text(path.read_text(encoding="utf-8").replace("编码: 0x1F5", "编码: 0471"), encoding="utf-8")
    assert analyse(path).budget.department.code == "0471"


def test_fullwidth_code_is_named(tmp_path):
    path = department(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("科目: 2150501", "科目: ２１５０５０１"), encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1 and "全角数字" in result.output and "2150501" in result.output


def test_boolean_flag_typed_yes_is_refused(tmp_path):
    path = department(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "类型: 基本, 金额: 10.00}", "类型: 基本, 金额: 10.00, 上年结转: yes}", 1
        ),
        encoding="utf-8",
    )
    result = invoke("check", path)
    assert result.exit_code == 1 and "应为 true 或 false，这里写的是「yes」" in result.output


def test_binary_tag_is_refused(tmp_path):
    result = invoke("check", department(tmp_path, name="!!binary 5rWL6K+V5bGA"))
    assert result.exit_code == 1 and line_of(result.output, "不支持 YAML 标签「!!binary」").startswith(
        f"{tmp_path / 'dept.yaml'}:1:"
    )


def test_windows_path_in_double_quotes_is_refused_with_a_hint(tmp_path):
    result = invoke("check", department(tmp_path, name='"D:\\new\\table"'))
    assert result.exit_code == 1
    assert "双引号中的反斜杠被当作转义符" in result.output and "请改用单引号：'D:\\new\\table'" in result.output
    result = invoke("check", department(tmp_path, name='"D:\\资料"'))
    assert result.exit_code == 2 and "请改用单引号" in result.output


@pytest.mark.parametrize(
    "name, shown",
    [
        ('"测试\\0局"', "U+0000 控制字符"),
        ('"测试\\e局"', "U+001B 控制字符"),
        ('"测试\\ud800局"', "U+D800 无效的代理字符"),
        ("测试\u200b局", "U+200B 零宽空格"),
        ("测试\u202e局", "U+202E 文字方向控制符"),
        ("测试\ufeff局", "U+FEFF 零宽不换行空格"),
    ],
)
def test_hidden_characters_are_named(tmp_path, name, shown):
    result = invoke("check", department(tmp_path, name=name))
    assert result.exit_code in (1, 2)  # 2: libyaml already refuses an escaped lone surrogate while parsing
    assert line_of(result.output, shown).startswith(f"{tmp_path / 'dept.yaml'}:1:")


def test_raw_control_character_in_file_is_named(tmp_path):
    path = department(tmp_path, name="测试\x1b局")
    result = invoke("check", path)
    assert (
        result.exit_code == 2
        and "U+001B 控制字符" in result.output
        and line_of(result.output, "U+001B").startswith(f"{path}:1:")
    )


def test_zero_width_space_in_a_project_name_is_named(tmp_path):
    extra = "项目:\n  - {名称: 网络维护\u200b经费, 科目: 2150501, 金额: 1.00}\n说明: {主要项目: [网络维护经费]}\n"
    result = invoke("check", department(tmp_path, extra=extra))
    assert result.exit_code == 1 and "U+200B 零宽空格" in result.output


def test_number_as_key_is_named_as_the_key(tmp_path):
    result = invoke("check", department(tmp_path, extra="科目名称:\n  2150577: 测试科目\n  12: 错误\n"))
    assert result.exit_code == 1
    assert "科目名称.12" in result.output and "[13]" not in result.output


def test_long_department_name_is_refused(tmp_path):
    result = invoke("check", department(tmp_path, name="A" * 20000))
    assert result.exit_code == 1 and "太长（20000 个字符，最多 100 个）" in result.output


@pytest.mark.slow
def test_a_large_file_of_plain_items_is_accepted(tmp_path):
    lines = "".join(
        "  - {科目: 2150501, 类型: 基本, 金额: 0.01}\n" for _ in range(30_000)
    )  # 210 000 values: the old limit blamed anchors at 200 000
    path = tmp_path / "large.yaml"
    path.write_text(
        '部门: {编码: "999", 名称: 测试局, 级次: 区}\n预算年度: 2026\n上年: {基本支出: 300.00, 项目支出: 0, '
        "三公经费合计: 0}\n"
        "增减原因: {基本支出: 主要为人员增加}\n支出:\n"
        + lines
        + "基本支出经济分类:\n  - {科目: 30101, 金额: 300.00}\n",
        encoding="utf-8",
    )
    result = invoke("check", path)
    assert result.exit_code == 0, result.output[-500:]
    assert "锚点" not in result.output


# ---------------------------------------------------------------- input must be a regular file


def test_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "dept.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = invoke("check", fifo)
    assert time.monotonic() - started < 5
    assert result.exit_code == 2 and "不是普通文件" in result.output


def test_device_and_folder_are_refused(tmp_path):
    result = invoke("check", "/dev/zero")
    assert result.exit_code == 2 and "不是普通文件" in result.output
    result = invoke("build", tmp_path)  # check takes folders of department files; build takes one file
    assert result.exit_code == 2 and "是一个文件夹" in result.output


def test_symlink_loop_is_worded_in_chinese(tmp_path):
    loop = tmp_path / "dept.yaml"
    loop.symlink_to(loop)
    result = invoke("check", loop)
    assert result.exit_code == 2 and "符号链接形成循环" in result.output and "Too many" not in result.output


# ---------------------------------------------------------------- the set is a jail


def city_set(
    tmp_path: Path, theme_extra: str = "", files: dict | None = None, links: dict | None = None, extends: str = "base"
) -> Path:
    folder = tmp_path / "sets" / "city"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.yaml").write_text(f"extends: {extends}\n" + theme_extra, encoding="utf-8")
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    for name, target in (links or {}).items():
        (folder / name).symlink_to(target)
    return department(tmp_path, template="city")


def with_set(command: str, tmp_path: Path, path: Path, *extra):
    return invoke(command, path, "--templates", tmp_path / "sets", *extra)


def test_include_through_a_symlink_out_of_the_set_is_refused(tmp_path):
    base_document = (ROOT / "templates" / "base" / "document.html.j2").read_text(encoding="utf-8")
    document = base_document.replace("<body>", '<body>{% include "secret.html" %}')
    path = city_set(tmp_path, files={"document.html.j2": document}, links={"secret.html": "/etc/passwd"})
    for command in ("check", "build"):
        result = with_set(command, tmp_path, path, *(["-o", tmp_path / "out"] if command == "build" else []))
        assert result.exit_code == 1, result.output
        assert "引用了模板集之外或不存在的文件" in result.output and "root:" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_theme_file_linked_from_outside_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("extends: base\n", encoding="utf-8")
    folder = tmp_path / "sets" / "city"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").symlink_to(outside)
    result = with_set("check", tmp_path, department(tmp_path, template="city"))
    assert result.exit_code == 1 and "指向模板集之外的链接" in result.output


@pytest.mark.parametrize(
    "reference",
    [
        '<img src="file:///etc/passwd">',
        '<img src="http://example.invalid/x.png">',
        '<link rel="stylesheet" href="/etc/passwd">',
        "<style>@import url(../../../etc/passwd);</style>",
        '<img src="data:image/png;base64,AAAA">',
    ],
)
def test_references_outside_the_set_are_located_refusals(tmp_path, reference):
    base_document = (ROOT / "templates" / "base" / "document.html.j2").read_text(encoding="utf-8")
    path = city_set(tmp_path, files={"document.html.j2": base_document.replace("<body>", "<body>" + reference)})
    result = with_set("check", tmp_path, path)
    assert result.exit_code == 1
    message = line_of(result.output, "引用了模板集之外或不存在的文件")
    assert "模板集「city」" in message and "document.html.j2:" in message


def test_image_linked_from_outside_the_set_is_refused(tmp_path):
    (tmp_path / "outside.png").write_bytes(tiny_png())
    path = city_set(tmp_path, "document:\n  cover_image: logo.png\n", links={"logo.png": tmp_path / "outside.png"})
    result = with_set("check", tmp_path, path)
    assert result.exit_code == 1 and "不在模板集文件夹中" in result.output


def tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.slow
def test_a_sets_own_image_appears_in_pdf_and_docx(tmp_path):
    base_document = (ROOT / "templates" / "base" / "document.html.j2").read_text(encoding="utf-8")
    document = base_document.replace("</body>", '<img src="seal.png" alt="" style="width: 10mm"></body>')
    path = city_set(
        tmp_path,
        "document:\n  cover_image: logo.png\n  cover_image_width_mm: 30\n",
        files={"logo.png": tiny_png(), "seal.png": tiny_png(), "document.html.j2": document},
    )
    result = with_set("build", tmp_path, path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    images = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "out" / "dept.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.splitlines()[2:]) == 2, images  # the cover logo and the template's own seal
    with zipfile.ZipFile(tmp_path / "out" / "dept.docx") as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and package.read(media[0]) == tiny_png()


# ---------------------------------------------------------------- bounded templates


@pytest.mark.parametrize(
    "sentence, message",
    [
        ("{% for a in range(99999) %}{% for b in range(99999) %}x{% endfor %}{% endfor %}", ""),
        ("{{ 'x' * 10**9 }}", "不允许的操作"),
        ("{{ range(10**9)|list }}", ""),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "递归"),
        ("{{ 10 ** 100000000 }}", "幂运算"),
        ("{{ name|wan }}", "|wan 只能用于金额"),
        ("{{ year|change }}", "|change 只能用于"),
    ],
)
def test_runaway_sentences_end_in_a_located_error_within_seconds(tmp_path, sentence, message):
    path = city_set(tmp_path, f'narrative:\n  other_none: "{sentence}"\n')
    started = time.monotonic()
    result = with_set("check", tmp_path, path)
    assert time.monotonic() - started < 15
    assert result.exit_code == 1
    located = line_of(result.output, "narrative.other_none")
    assert "theme.yaml:3" in located and message in result.output


def test_runaway_html_template_ends_in_a_located_error(tmp_path):
    base_document = (ROOT / "templates" / "base" / "document.html.j2").read_text(encoding="utf-8")
    document = base_document.replace("<body>", "<body>{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}")
    path = city_set(tmp_path, files={"document.html.j2": document})
    result = with_set("check", tmp_path, path)
    assert result.exit_code == 1 and "递归" in result.output and "模板集「city」" in result.output


@pytest.mark.parametrize(
    "settings, message",
    [
        ("tables:\n  收入总表:\n    title: 5\n", "tables.收入总表.title 应为文字"),
        ("narrative:\n  sections:\n    - {title: 只有标题}\n", "narrative.sections[1] 缺少「key」"),
        ("page_top: 左边\n", "page_top 应为一组“键: 值”"),
        ("narrative:\n  glossary:\n    - 只有名词\n", "narrative.glossary[1] 应为列表"),
    ],
)
def test_malformed_theme_settings_are_located(tmp_path, settings, message):
    result = with_set("check", tmp_path, city_set(tmp_path, settings))
    assert result.exit_code == 1
    assert "theme.yaml:" in line_of(result.output, message)


def test_extends_cycle_is_named_as_a_cycle(tmp_path):
    path = city_set(tmp_path, extends="town")
    town = tmp_path / "sets" / "town"
    town.mkdir()
    (town / "theme.yaml").write_text("extends: city\n", encoding="utf-8")
    result = with_set("check", tmp_path, path)
    assert result.exit_code == 1 and "模板集继承出现循环：city → town → city" in result.output


# ---------------------------------------------------------------- all formats or none


def previous_outputs(folder: Path) -> dict[str, bytes]:
    folder.mkdir(exist_ok=True)
    old = {"dept.pdf": b"old pdf", "dept.docx": b"old docx"}
    for name, data in old.items():
        (folder / name).write_bytes(data)
    return old


@pytest.mark.slow
def test_a_format_that_cannot_be_replaced_leaves_every_output_unchanged(tmp_path, monkeypatch):
    """As with an immutable or locked DOCX: moving it aside fails, so the PDF is not replaced either."""
    out = tmp_path / "out"
    old = previous_outputs(out)
    real_replace = os.replace

    def locked(source, target, *args, **kwargs):
        if Path(source) == out / "dept.docx":
            raise PermissionError(1, "Operation not permitted", str(source))
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    result = invoke("build", department(tmp_path), "-o", out, "--format", "pdf,docx")
    assert result.exit_code == 1 and "所有格式都没有生成，原有文件未改动" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


@pytest.mark.slow
def test_immutable_file_really_blocks_nothing_half_written(tmp_path):
    out = tmp_path / "out"
    old = previous_outputs(out)
    if subprocess.run(["chattr", "+i", str(out / "dept.docx")], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable attribute (covered by the test above)")
    try:
        result = invoke("build", department(tmp_path), "-o", out, "--format", "pdf,docx")
        assert result.exit_code == 1
        assert {p.name: p.read_bytes() for p in out.iterdir()} == old
    finally:
        subprocess.run(["chattr", "-i", str(out / "dept.docx")])


def test_a_signal_the_moment_a_temporary_file_is_created_leaves_nothing_behind(tmp_path, monkeypatch):
    """The window the signal test above can only hit by chance (it did, on a loaded machine: an
    empty .html.tmp left after Ctrl-C): the interrupt arrives just after the file is created,
    before any code of ours has its name."""
    import os

    from budgetgen.build import write_all

    out = tmp_path / "out"
    old = previous_outputs(out)
    real_open = os.open

    def interrupted_after_creating(path, flags, mode=0o777, **kwargs):
        handle = real_open(path, flags, mode, **kwargs)
        if str(path).endswith(".tmp"):
            os.close(handle)
            raise KeyboardInterrupt
        return handle

    monkeypatch.setattr(os, "open", interrupted_after_creating)
    with pytest.raises(KeyboardInterrupt):
        write_all(out, "dept", {"html": b"<p>new</p>", "docx": b"new docx"})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_while_writing_leaves_no_temporary_file(tmp_path, signum):
    out = tmp_path / "out"
    old = previous_outputs(out)
    slow_writes = (
        "import os, time\n"
        "real = os.fsync\n"
        "os.fsync = lambda fd: (time.sleep(30), real(fd))\n"
        "from budgetgen.cli import main\n"
        "main()\n"
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            slow_writes,
            "build",
            str(department(tmp_path)),
            "-o",
            str(out),
            "--format",
            "html,docx",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_terminal,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in out.iterdir()):
        assert time.monotonic() < deadline and child.poll() is None, child.communicate()
        time.sleep(0.05)
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode != 0 and "已中止" in stderr, stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


# ---------------------------------------------------------------- long text wraps


@pytest.mark.slow
def test_long_unbroken_text_stays_inside_the_page(tmp_path):
    long_word = "".join(chr(ord("A") + i % 26) for i in range(3000))
    extra = (
        f"职责与机构:\n  职责: [{long_word}]\n  机构:\n    - {{单位名称: 测试局本级, 单位性质: 行政, 单位规格:"
        f" 正科级, 经费保障形式: 财政拨款}}\n"
    )
    path = department(tmp_path, name="B" * 100, extra=extra)
    result = invoke("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pages = subprocess.run(
        ["pdftotext", str(tmp_path / "out" / "dept.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    text = re.sub(
        r"\s+", "", "".join(re.sub(r"\n\s*\d+\s*$", "", page.rstrip()) for page in pages)
    )  # without page-number footers
    assert long_word in text, "every character of the long word is on the page (pdftotext reads only what is inside)"
    assert "B" * 100 in text
