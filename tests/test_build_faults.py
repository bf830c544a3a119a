"""A failed build exits non-zero with a Chinese message, writes nothing and keeps yesterday's files."""

import errno
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import REFERENCE_EXAMPLES, ROOT, invoke

from budgetgen import build as build_module

pytestmark = pytest.mark.slow  # builds PDFs, PDF/A and runs LibreOffice

EXAMPLE = REFERENCE_EXAMPLES["001"]


@pytest.fixture
def previous_output(tmp_path):
    """An output folder holding yesterday's good build (two formats that need no page layout: what
    these tests try is the writing, the same for every format)."""
    folder = tmp_path / "out"
    result = invoke("build", EXAMPLE, "-o", folder, "--format", "xlsx,html")
    assert result.exit_code == 0, result.output
    return folder, {p.name: p.read_bytes() for p in folder.iterdir()}


def assert_untouched(folder: Path, before: dict) -> None:
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, (
        "previous output changed or temporary files left"
    )


def test_input_with_errors_is_not_built(tmp_path, previous_output):
    folder, before = previous_output
    bad = tmp_path / EXAMPLE.name
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("金额: 63.19", "金额: 63.20"), encoding="utf-8")
    result = invoke("build", bad, "-o", folder, "--format", "xlsx,html")
    assert result.exit_code == 1
    assert "X3" in result.output and "未生成文件" in result.output
    assert_untouched(folder, before)


def test_disk_full_keeps_previous_files(monkeypatch, previous_output):
    folder, before = previous_output
    real_fdopen = os.fdopen
    calls = {"n": 0}

    def failing_fdopen(handle, mode="r", *args, **kwargs):
        stream = real_fdopen(handle, mode, *args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 2:  # the second file of the build hits a full disk

            def write(_data):
                raise OSError(errno.ENOSPC, "No space left on device")

            stream.write = write
        return stream

    monkeypatch.setattr(build_module.os, "fdopen", failing_fdopen)
    result = invoke("build", EXAMPLE, "-o", folder, "--format", "xlsx,html")
    assert result.exit_code == 1
    assert "磁盘空间不足" in result.output
    assert_untouched(folder, before)


def test_output_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    result = invoke("build", EXAMPLE, "-o", blocker, "--format", "html")
    assert result.exit_code == 1
    assert "无法写入输出文件夹" in result.output
    assert blocker.read_text() == "not a folder"


def test_unwritable_output_folder(tmp_path, monkeypatch, previous_output):
    folder, before = previous_output

    real_open = build_module.os.open

    def denied(path, *args, **kwargs):  # creating the temporary output file
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(build_module.os, "open", denied)
    result = invoke("build", EXAMPLE, "-o", folder, "--format", "xlsx")
    assert result.exit_code == 1 and "没有写入权限" in result.output
    assert_untouched(folder, before)


def city_set(tmp_path: Path, name: str, theme: str, files: dict | None = None) -> Path:
    root = tmp_path / "sets"
    (root / name).mkdir(parents=True)
    (root / name / "theme.yaml").write_text(theme, encoding="utf-8")
    for filename, text in (files or {}).items():
        (root / name / filename).write_text(text, encoding="utf-8")
    return root


def example_using(tmp_path: Path, template: str) -> Path:
    path = tmp_path / "dept.yaml"
    path.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("模板: hebei-district-2025", f"模板: {template}"), encoding="utf-8"
    )
    return path


def test_template_error_names_file_line_and_set(tmp_path):
    base_table = (ROOT / "templates" / "base" / "table.html.j2").read_text(encoding="utf-8")
    broken = base_table.replace("{{ block.title | keep_last }}", "{{ block.title | nonexistent_filter }}", 1)
    line = base_table[: base_table.index("{{ block.title | keep_last }}")].count("\n") + 1
    root = city_set(tmp_path, "broken-city", "extends: base\n", {"table.html.j2": broken})
    result = invoke(
        "build", example_using(tmp_path, "broken-city"), "-o", tmp_path / "out", "--templates", root, "--format", "html"
    )
    assert result.exit_code == 1
    assert f"table.html.j2:{line}" in result.output and "broken-city" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_cjk_font_is_a_clear_error(tmp_path):
    theme = "extends: base\nfonts:\n  body: [不存在的字体]\n  heading: [也不存在的字体]\n"
    root = city_set(tmp_path, "no-fonts", theme)
    result = invoke(
        "build", example_using(tmp_path, "no-fonts"), "-o", tmp_path / "out", "--templates", root, "--format", "pdf"
    )
    assert result.exit_code == 1
    assert "没有找到模板集「no-fonts」要求的中文字体" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unknown_format_is_refused(tmp_path):
    result = invoke("build", EXAMPLE, "-o", tmp_path, "--format", "odt")
    assert result.exit_code == 1 and "不支持的格式" in result.output


def test_pdfa_build_declares_pdfa_2b(tmp_path, engine):
    from pypdf import PdfReader

    result = invoke("build", EXAMPLE, "-o", tmp_path, "--format", "pdf", "--pdfa", "--engine", engine)
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(tmp_path / f"{EXAMPLE.stem}.pdf"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    # as attributes (WeasyPrint) or as elements (Typst)
    assert re.search(r'pdfaid:part(="2"|>2<)', xmp) and re.search(r'pdfaid:conformance(="B"|>B<)', xmp), xmp[:300]
    first = (tmp_path / f"{EXAMPLE.stem}.pdf").read_bytes()
    invoke("build", EXAMPLE, "-o", tmp_path, "--format", "pdf", "--pdfa", "--engine", engine)
    assert (tmp_path / f"{EXAMPLE.stem}.pdf").read_bytes() == first


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")
def test_docx_opens_in_libreoffice(tmp_path, engine):
    import subprocess

    invoke("build", EXAMPLE, "-o", tmp_path, "--format", "docx", "--engine", engine)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / f"{EXAMPLE.stem}.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = tmp_path / "lo" / f"{EXAMPLE.stem}.pdf"
    text = subprocess.run(
        ["pdftotext", str(converted), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")
    for title in ("部门预算收支总表", "部门预算财政拨款“三公”经费支出表", "724.00", "293.00"):
        assert title in text
    # LibreOffice shows the contents' page numbers (taken from the engine's layout of the same
    # document), and each heading is on the page it names. Typst compresses adjacent CJK
    # punctuation in running text (README, PDF 排版引擎), so after a long text its layout can run a
    # page short of LibreOffice's: there the heading may be on the page after the one named.
    pages = text.split("\f")
    entries = re.findall(r"^(\S+?)\.{3,}(\d+)$", pages[1], re.M)
    assert len(entries) >= 20, pages[1]
    slack = 1 if engine == "typst" else 0
    for heading, number in entries[1:]:  # the first, 部门预算公开表, is a bookmark, not printed
        named = int(number) - 1
        on = [i for i in range(named, named + slack + 1) if heading in pages[i].replace("\n", "")]
        assert on, (heading, number)


def test_builds_are_identical_across_processes_and_hash_seeds(tmp_path):
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run(
            [sys.executable, "-m", "budgetgen.cli", "build", str(EXAMPLE), "-o", str(folder), "--format", "docx,html"],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append({p.name: p.read_bytes() for p in folder.iterdir()})
    assert outputs[0] == outputs[1]
