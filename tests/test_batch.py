"""A city at once: `budgetgen batch` builds every department in worker processes, never stops for one
bad file, writes a summary, skips what has not changed, and stops cleanly on SIGINT/SIGTERM."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import REFERENCE_EXAMPLES, ROOT, as_from_a_terminal, invoke

pytestmark = pytest.mark.slow  # runs batches of departments in worker processes


def city(folder: Path, copies: int) -> list[Path]:
    """`copies` departments per example, each under its own file name and department code."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(1, copies + 1):
        for example in REFERENCE_EXAMPLES.values():
            text = re.sub(
                r'编码: "(\d+)"',
                lambda m, i=i: f'编码: "{m.group(1)}{i:02d}"',
                example.read_text(encoding="utf-8"),
                count=1,
            )
            path = folder / f"{example.stem}-{i:02d}.yaml"
            path.write_text(text, encoding="utf-8")
            made.append(path)
    return made


def batch(*args, expect: int | None = None):
    result = subprocess.run(
        [sys.executable, "-m", "budgetgen", "batch", *map(str, args)], capture_output=True, text=True, timeout=600
    )
    if expect is not None:
        assert result.returncode == expect, result.stdout + result.stderr
    return result


def temporary_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if p.is_file() and (p.name.endswith(".tmp") or p.name.endswith(".old"))]


def test_a_city_with_a_broken_and_a_binary_file(tmp_path):
    inputs = tmp_path / "departments"
    departments = city(inputs, 6)[:18]
    for extra in departments[18:]:
        extra.unlink()
    (inputs / "broken.yaml").write_text('部门: {编码: "1"\n', encoding="utf-8")
    (inputs / "binary.yaml").write_bytes(bytes(range(256)))
    out = tmp_path / "out"
    started = time.monotonic()
    # xlsx and html: the formats that need no page layout keep a 20-department run quick
    first = batch(inputs, "-o", out, "-j", "2", "--format", "xlsx,html", "--json", expect=1)
    first_seconds = time.monotonic() - started
    assert "共 20 个部门：已生成 18 个" in first.stdout and "未生成 2 个" in first.stdout
    failed_lines = [line for line in first.stdout.splitlines() if line.startswith("  未生成 ")]
    assert len(failed_lines) == 2, "each failed file is named, with its first error"
    assert any("broken.yaml：" in line and "文件意外结束" in line for line in failed_lines)
    assert any("binary.yaml：" in line for line in failed_lines)
    summary = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    failed = {Path(r["file"]).name: r for r in summary["departments"] if r["status"] == "有错误"}
    assert set(failed) == {"broken.yaml", "binary.yaml"}
    assert "文件意外结束" in failed["broken.yaml"]["problems"][0]["message"]
    assert "这不是文本文件" in failed["binary.yaml"]["problems"][0]["message"]
    built = [r for r in summary["departments"] if r["status"] != "有错误"]
    assert len(built) == 18 and all(
        (out / Path(r["file"]).stem / f"{Path(r['file']).stem}.xlsx").is_file() for r in built
    )
    assert not temporary_files(out)
    book = openpyxl.load_workbook(out / "汇总.xlsx")
    rows = list(book["部门"].iter_rows(values_only=True))
    assert rows[0][:4] == ("编码", "名称", "文件", "状态") and rows[-1][1] == "全市合计"
    assert rows[-1][2] == "18 个部门（另有 2 个有错误，未计入）", "the city row counts what it sums"
    assert book["部门"].page_setup.orientation == "landscape" and book["部门"].print_title_rows == "$1:$1"
    assert rows[-1][4] == pytest.approx(sum(float(r["figures"]["收入总计"]) for r in built))
    assert book["问题"].auto_filter.ref.startswith("A1:F")
    assert "broken.yaml" in (out / "汇总.html").read_text(encoding="utf-8")
    started = time.monotonic()
    second = batch(inputs, "-o", out, "-j", "2", "--format", "xlsx,html", expect=1)
    assert "其中 18 个未变，已跳过" in second.stdout
    assert time.monotonic() - started < first_seconds
    forced = batch(inputs, "-o", out, "-j", "2", "--format", "xlsx,html", "--force", expect=1)
    assert "已跳过" not in forced.stdout


def test_bad_files_are_reported_and_never_stop_the_others(tmp_path):
    inputs = tmp_path / "departments"
    city(inputs, 1)
    other_city = (
        (inputs / "qinhuangdao-gxj-2023-01.yaml")
        .read_text(encoding="utf-8")
        .replace("模板: hebei-city-2023", "模板: another-city-2023")
    )
    (inputs / "other-city.yaml").write_text(other_city, encoding="utf-8")
    twin = (inputs / "xingtai-gxj-2022-01.yaml").read_text(encoding="utf-8")
    (inputs / "twin.yaml").write_text(twin, encoding="utf-8")
    os.mkfifo(inputs / "pipe.yaml")
    out = inputs / "out"  # the output folder inside the input folder
    batch(inputs, "-o", out, "--format", "html", "--json", expect=1)
    summary = {
        Path(r["file"]).name: r for r in json.loads((out / "汇总.json").read_text(encoding="utf-8"))["departments"]
    }
    assert "找不到模板集「another-city-2023」" in summary["other-city.yaml"]["problems"][0]["message"]
    assert "不是普通文件" in summary["pipe.yaml"]["problems"][0]["message"]
    assert any("与 twin.yaml 相同" in p["message"] for p in summary["xingtai-gxj-2022-01.yaml"]["problems"])
    assert any("与 xingtai-gxj-2022-01.yaml 相同" in p["message"] for p in summary["twin.yaml"]["problems"])
    assert summary["haigang-kgxj-2025-01.yaml"]["status"] == "有警告"
    again = batch(inputs, "-o", out, "--format", "html", expect=1)
    assert "在输入文件夹" in again.stderr and "共 6 个部门" in again.stdout, "outputs are never taken for departments"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_run_leaves_complete_departments_and_no_partial_files(tmp_path, signum):
    inputs = tmp_path / "departments"
    city(inputs, 3)
    out = tmp_path / "out"
    child = subprocess.Popen(
        [sys.executable, "-m", "budgetgen", "batch", str(inputs), "-o", str(out), "-j", "2", "--format", "pdf,docx"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_terminal,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*/.budgetgen-build.json")):
        assert time.monotonic() < deadline and child.poll() is None, child.communicate()
        time.sleep(0.1)
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode != 0 and "已中止" in stderr, stderr
    assert not temporary_files(out)
    for folder in (p for p in out.iterdir() if p.is_dir()):
        outputs = {p.suffix for p in folder.iterdir() if not p.name.startswith(".")}
        assert outputs in (set(), {".pdf", ".docx"}), (folder.name, outputs)
        # a stamp only beside complete outputs; outputs stopped before their stamp are rebuilt next time
        assert not (folder / ".budgetgen-build.json").is_file() or outputs == {".pdf", ".docx"}


def test_check_takes_several_files_and_folders(tmp_path):
    inputs = tmp_path / "departments"
    city(inputs, 1)
    (inputs / "broken.yaml").write_text('部门: {编码: "1"\n', encoding="utf-8")
    result = invoke("check", inputs, REFERENCE_EXAMPLES["001"])
    assert result.exit_code == 1
    assert result.output.count("== ") == 5 and f"== {inputs / 'broken.yaml'} ==" in result.output
    assert "共检查 5 个文件" in result.output


def test_check_and_tables_never_import_weasyprint():
    probe = (
        f"import sys\nfrom budgetgen.cli import main\nfor args in (['check', {str(REFERENCE_EXAMPLES['000'])!r}],"
        f" ['tables', {str(REFERENCE_EXAMPLES['000'])!r}, '--json']):\n    sys.argv = ['budgetgen', *args]\n   "
        " try:\n        main()\n    except SystemExit:\n        pass\nprint('WEASYPRINT' if 'weasyprint' in"
        " sys.modules else 'CLEAN', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stderr.strip().endswith("CLEAN"), result.stderr[-300:]
