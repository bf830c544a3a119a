"""A city at once: every department file of some folders built by a pool of long-lived worker
processes (each imports WeasyPrint and loads the template sets once), with progress and a summary.

The unit of work is `build_department`, a pure function of (input, template set) → files, so it
could run on any engine that maps a function over files. Each department gets its own output folder
(its files and the stamp that makes the next run skip it while nothing changed); the summary files
sit at the top of the output folder. One department's failure never stops the others; SIGINT and
SIGTERM stop the run with every finished department complete and no temporary file anywhere.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .loading import read_limited
from .problems import InputRejected, Problem, Severity, Terminated

DEPARTMENT_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xls")
STAMP = ".budgetgen-build.json"
SUMMARY_NAMES = ("汇总.xlsx", "汇总.html", "汇总.json")
FIGURES = (("收入总计", "income.total"), ("支出总计", "expense.total"), ("基本支出", "expense.basic"), ("项目支出", "expense.project"), ("三公经费", "three_public.total"))


@dataclass
class Row:
    """One department in the summary."""

    file: str
    code: str = ""
    name: str = ""
    status: str = "有错误"  # 已生成 / 有警告 / 有错误
    figures: dict[str, str] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    pages: int | None = None
    seconds: float = 0.0
    skipped: bool = False  # unchanged since its last successful build
    problems: list[dict] = field(default_factory=list)


def discover(inputs: Iterable[Path], output: Path) -> tuple[list[Path], list[str]]:
    """Department files among the given files and folders (folders searched recursively), never
    anything inside the output folder; and notes on what was passed over."""
    output = output.resolve()
    found, notes = [], []
    for item in inputs:
        if item.is_dir():
            # every entry but folders: a pipe or device named *.yaml is reported, not silently passed over
            candidates = sorted(p for p in item.rglob("*") if p.suffix.lower() in DEPARTMENT_SUFFIXES and not p.is_dir())
            inside = [p for p in candidates if p.resolve().is_relative_to(output)]
            if inside:
                notes.append(f"输出文件夹 {output} 在输入文件夹 {item} 之内：其中的 {len(inside)} 个文件不作为部门文件")
            candidates = [p for p in candidates if not p.resolve().is_relative_to(output) and p.name not in SUMMARY_NAMES and "templates" not in p.relative_to(item).parts]
            found += candidates
        else:
            found.append(item)
    return list(dict.fromkeys(found)), notes


def input_digest(path: Path, template_dirs: tuple[Path, ...], formats: tuple[str, ...], strict: bool = False) -> str:
    """What a department's outputs depend on: its file, every template set and city catalog it may
    use, budgetgen's version, the formats asked for and --strict."""
    from .theme import search_dirs_for

    digest = hashlib.sha256(f"{__version__}|{','.join(formats)}|{'strict' if strict else ''}".encode())
    try:
        digest.update(read_limited(path))
    except InputRejected:
        digest.update(b"<not a readable department file>")
    folders = list(search_dirs_for(path, template_dirs)) + [path.parent]
    for folder in folders:
        for file in sorted(folder.rglob("*") if folder != path.parent else folder.glob("科目目录.csv")):
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(folder)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def build_department(source: str, output_root: str, formats: tuple[str, ...], template_dirs: tuple[str, ...], force: bool, strict: bool = False) -> dict:
    """Build one department into output_root/<file name>/; the summary row as a plain dict."""
    from .build import build, write_file

    path = Path(source)
    folder = Path(output_root) / path.stem
    dirs = tuple(Path(d) for d in template_dirs)
    digest = input_digest(path, dirs, formats, strict)
    stamp = folder / STAMP
    if not force and stamp.is_file():
        try:
            stored = json.loads(stamp.read_text(encoding="utf-8"))
            if stored.get("digest") == digest and all((folder / f"{path.stem}.{fmt}").is_file() for fmt in formats):
                return {**stored["row"], "skipped": True, "seconds": 0.0}
        except (OSError, ValueError, KeyError):
            pass
    started = time.perf_counter()
    row = Row(str(path))
    try:
        result = build(path, folder, formats, dirs, strict=strict)
    except InputRejected as exc:
        row.problems = [_problem(p, path) for p in exc.problems]
        row.errors = sum(1 for p in exc.problems if p.severity is Severity.ERROR)
        row.warnings = sum(1 for p in exc.problems if p.severity is Severity.WARNING)
        row.status = "有错误"
        _identify(row, path)
    except (Terminated, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - one department's bug never stops the city
        row.problems = [{"where": str(path), "id": "内部", "severity": "错误", "message": f"budgetgen 内部错误（{type(exc).__name__}）", "hint": "请把该文件发给维护人员。"}]
        row.errors = 1
        _identify(row, path)
    else:
        analysis = result.analysis
        row.code, row.name = analysis.budget.department.code, analysis.budget.department.name
        row.figures = {label: str(analysis.statement[name]) for label, name in FIGURES}
        row.problems = [_problem(p, path) for p in analysis.problems]
        row.warnings = sum(1 for p in analysis.problems if p.severity is Severity.WARNING)
        row.status = "有警告" if row.warnings else "已生成"
        row.pages = result.pages
        row.seconds = round(time.perf_counter() - started, 2)
        write_file(stamp, json.dumps({"digest": digest, "row": asdict(row)}, ensure_ascii=False).encode("utf-8"))
    row.seconds = round(time.perf_counter() - started, 2)
    return {**asdict(row), "worker": {"pid": os.getpid(), "peak_kib": peak_memory_kib()}}


def _identify(row: Row, path: Path) -> None:
    """Code and name of a department that could not be built, if its file says them."""
    try:
        from .analysis import load_input

        department = load_input(path).data.get("部门") or {}
        row.code, row.name = str(department.get("编码") or ""), str(department.get("名称") or "")
    except Exception:  # noqa: BLE001 - the file could not be read: its problems already say why
        pass


def _problem(problem: Problem, path: Path) -> dict:
    where = f"{path}:{problem.position}" if problem.position else str(path)
    return {"where": where, "id": problem.check, "severity": problem.severity.value, "message": problem.message, "hint": problem.hint}


def _warm_up() -> None:
    """Each worker pays the imports and loads the shipped sets once, for all its departments."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    from .builders import docx, pdf, xlsx  # noqa: F401
    from .theme import list_sets, load_theme, search_dirs_for

    import weasyprint  # noqa: F401

    dirs = search_dirs_for(None)
    for name in list_sets(dirs):
        try:
            load_theme(name, dirs)
        except InputRejected:
            pass


def peak_memory_kib() -> int:
    """This process's peak resident memory (VmHWM), for the benchmark."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Run:
    rows: list[dict]
    notes: list[str]
    stopped: bool = False  # by SIGINT/SIGTERM


def run_batch(
    files: list[Path],
    output: Path,
    formats: tuple[str, ...],
    template_dirs: tuple[Path, ...] = (),
    jobs: int | None = None,
    force: bool = False,
    strict: bool = False,
    on_start: Callable[[Path], None] = lambda path: None,
    on_done: Callable[[dict], None] = lambda row: None,
) -> Run:
    jobs = max(1, jobs or os.cpu_count() or 1)
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    rows: list[dict] = []
    run = Run(rows, [])
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_up)
    pending = {}
    queue = list(files)
    try:
        while queue or pending:
            while queue and len(pending) < jobs * 2:
                path = queue.pop(0)
                on_start(path)
                future = executor.submit(build_department, str(path), str(output), formats, tuple(str(d) for d in template_dirs), force, strict)
                pending[future] = path
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                path = pending.pop(future)
                try:
                    row = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker died: that department failed
                    row = asdict(Row(str(path), problems=[{"where": str(path), "id": "内部", "severity": "错误", "message": f"生成进程意外退出（{type(exc).__name__}）", "hint": "单独运行 budgetgen build 该文件查看原因。"}], errors=1))
                rows.append(row)
                on_done(row)
    except (KeyboardInterrupt, Terminated):
        run.stopped = True
        for future in pending:
            future.cancel()
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()  # SIGTERM: a worker that is writing removes its temporary files first
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        signal.signal(signal.SIGTERM, previous)
        _sweep_temporary_files(output)
    _name_duplicates(rows)
    return run


def _raise_terminated(signum, frame):
    raise Terminated()


def _sweep_temporary_files(output: Path) -> None:
    """A worker killed between two system calls may leave a temporary file: remove any of ours."""
    if output.is_dir():
        for path in output.rglob(".*"):
            if path.is_file() and (path.name.endswith(".tmp") or ".old" in path.suffixes[-1:]):
                path.unlink(missing_ok=True)


def _name_duplicates(rows: list[dict]) -> None:
    by_code: dict[str, list[dict]] = {}
    for row in rows:
        if row["code"]:
            by_code.setdefault(row["code"], []).append(row)
    for code, same in by_code.items():
        if len(same) < 2:
            continue
        for row in same:
            others = "、".join(Path(r["file"]).name for r in same if r is not row)
            row["problems"].append({"where": row["file"], "id": "重复", "severity": "警告", "message": f"部门编码 {code} 与 {others} 相同", "hint": "同一城市中部门编码应唯一；检查是否复制了文件后忘记修改编码。"})
            row["warnings"] += 1
            if row["status"] == "已生成":
                row["status"] = "有警告"
