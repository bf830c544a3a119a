"""Hostile and clumsy input, third round — a city's folder run by `budgetgen batch`: nothing lost,
nothing counted twice, nothing of the user's deleted, no formula in the summary, a clean stop."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import REFERENCE_EXAMPLES, as_from_a_terminal, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow  # runs batches, sends signals and waits for processes

BUDGETGEN = Path(sys.executable).parent / "budgetgen"


def department(path: Path, ref: str = "001", name: str | None = None, code: str | None = None) -> Path:
    text = REFERENCE_EXAMPLES[ref].read_text(encoding="utf-8")
    if name:
        text = text.replace("名称: 秦皇岛市海港区科技和工业信息化局", f"名称: {name!r}", 1) if ref == "001" else text
    if code:
        text = text.replace("编码: ", f"编码: {code!r} #", 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def summary_rows(output: Path) -> list[list]:
    sheet = openpyxl.load_workbook(output / "汇总.xlsx")["部门"]
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def test_same_file_name_in_two_subfolders_builds_two_departments(tmp_path):
    city = tmp_path / "各区"
    department(city / "甲区" / "财政局.yaml", "001")
    department(city / "乙区" / "财政局.yaml", "000")
    output = tmp_path / "out"
    result = invoke("batch", city, "-o", output, "--format", "xlsx", "-j", "1")
    assert result.exit_code == 0, result.output
    first, second = output / "甲区" / "财政局" / "财政局.xlsx", output / "乙区" / "财政局" / "财政局.xlsx"
    assert first.read_bytes() != second.read_bytes()
    names = {row[1] for row in summary_rows(output)[:-1]}
    assert len(names) == 2


def test_two_files_claiming_one_output_folder_are_both_refused_by_name(tmp_path):
    department(tmp_path / "城" / "局.yaml")
    department(tmp_path / "城" / "局.yml", "000")
    result = invoke("batch", tmp_path / "城", "-o", tmp_path / "out", "--format", "html", "-j", "1")
    problems = openpyxl.load_workbook(tmp_path / "out" / "汇总.xlsx")["问题"]
    messages = [row[4].value for row in problems.iter_rows(min_row=2)]
    assert result.exit_code == 1 and sum("的输出文件夹相同（局），两者都未生成" in m for m in messages) == 2
    assert not (tmp_path / "out" / "局").exists()


def test_backups_hidden_folders_and_lock_files_are_not_departments(tmp_path):
    city = tmp_path / "城"
    department(city / "局.yaml")
    department(city / ".budgetgen-backup" / "局.20250101-120000.1.yaml")
    department(city / ".git" / "old" / "局.yaml")
    (city / "~$局.xlsx").write_bytes(b"lock")
    result = invoke("batch", city, "-o", tmp_path / "out", "--format", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "共 1 个部门" in result.output


def test_a_symlink_loop_and_a_control_character_in_a_name_still_give_a_summary(tmp_path):
    city = tmp_path / "城"
    department(city / "局.yaml")
    department(city / "铃\x07声.yaml", "000")
    (city / "圈.yaml").symlink_to(city / "圈.yaml")
    result = invoke("batch", city, "-o", tmp_path / "out", "--format", "html", "-j", "1")
    assert result.exit_code == 1, result.output
    rows = summary_rows(tmp_path / "out")
    files = [row[2] for row in rows[:-1]]
    assert "铃\\x07声.yaml" in files and "圈.yaml" in files
    loop = next(row for row in rows if row[2] == "圈.yaml")
    assert loop[3] == "有错误"


def test_output_folder_keeps_the_users_own_hidden_files(tmp_path):
    output = tmp_path / "out"
    mine = [
        output / ".草稿.tmp",
        output / "局" / ".备注.old",
        output / "局" / ".局.pdf.tmp",
        output / "局" / ".笔记.abcdefgh.pdf.tmp",
    ]
    for path in mine:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("我的", encoding="utf-8")
    department(tmp_path / "城" / "局.yaml")
    leftover = output / "局" / ".局.x1y2z3w4.html.tmp"  # what a killed worker leaves: budgetgen's own
    leftover.write_text("半截", encoding="utf-8")
    assert invoke("batch", tmp_path / "城", "-o", output, "--format", "html", "-j", "1").exit_code == 0
    assert all(path.read_text(encoding="utf-8") == "我的" for path in mine)
    assert not leftover.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "＝"]), rest=st.text(min_size=0, max_size=30))
def test_no_summary_cell_written_from_input_text_is_a_formula(tmp_path_factory, lead, rest):
    from budgetgen.summary import write_summary

    text = lead + rest
    output = tmp_path_factory.mktemp("summary")
    row = {
        "file": f"{text}.yaml",
        "code": text,
        "name": text,
        "status": "有错误",
        "figures": {},
        "errors": 1,
        "warnings": 0,
        "pages": None,
        "seconds": 0.0,
        "problems": [{"where": text, "id": text, "severity": "错误", "message": text, "hint": text}],
    }
    write_summary(output, [row])
    book = openpyxl.load_workbook(output / "汇总.xlsx")
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_a_formula_like_department_name_and_code_stay_text(tmp_path):
    city = tmp_path / "城"
    department(city / "局.yaml", "001", name='=HYPERLINK("http://example.invalid","点我")')
    department(city / "厅.yaml", "000", code="=1+2")
    invoke("batch", city, "-o", tmp_path / "out", "--format", "xlsx", "-j", "1")
    values = []
    for sheet in openpyxl.load_workbook(tmp_path / "out" / "汇总.xlsx").worksheets:
        for cells in sheet.iter_rows():
            values += [(c.data_type, c.value) for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert values and all(kind == "s" for kind, _ in values)
    built = openpyxl.load_workbook(tmp_path / "out" / "局" / "局.xlsx")
    assert not any(c.data_type == "f" for sheet in built.worksheets for cells in sheet.iter_rows() for c in cells)


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def city_of(tmp_path: Path, count: int) -> Path:
    city = tmp_path / "城"
    for index in range(count):
        department(city / f"局{index:02d}.yaml", ("000", "001", "004")[index % 3])
    return city


def start_batch(city: Path, output: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BUDGETGEN), "batch", str(city), "-o", str(output), "--format", "pdf", "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_from_a_terminal,
    )


def test_ctrl_c_stops_queued_work_at_once_and_names_what_was_written(tmp_path):
    output = tmp_path / "out"
    process = start_batch(city_of(tmp_path, 12), output)
    deadline = time.monotonic() + 120
    while not list(output.glob("*/*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)  # the terminal sends Ctrl-C to the whole group
    stopped = time.monotonic()
    _, err = process.communicate(timeout=60)
    assert time.monotonic() - stopped < 15, "stopped within seconds"
    assert process.returncode == 130, err
    time.sleep(1)
    built = sorted(p.parent.name for p in output.glob("*/*.pdf"))
    assert 0 < len(built) < 12
    assert f"已中止：{len(built)} 个部门的文件已完整写出" in err, err
    assert "未生成文件，原有的输出文件未改动" not in err, "no second, contradicting account"
    assert all(name in err for name in built)
    assert not [p for p in output.rglob(".*") if p.name.endswith((".tmp", ".old"))]


def test_workers_end_with_a_killed_batch(tmp_path):
    output = tmp_path / "out"
    process = start_batch(city_of(tmp_path, 6), output)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline:
        workers = children_of(process.pid)
        time.sleep(0.2)
    assert workers
    process.kill()
    process.wait()
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers)
