"""A city at once: every department file of some folders built by a pool of long-lived worker
processes (each imports WeasyPrint and loads the template sets once), with progress and a summary.

The unit of work is `build_department`, a pure function of (input, template set) → files, so it
could run on any engine that maps a function over files. Each department gets its own output folder
(its files and the stamp that makes the next run skip it while nothing changed); the summary files
sit at the top of the output folder. One department's failure never stops the others; SIGINT and
SIGTERM stop the run with every finished department complete and no temporary file anywhere.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .loading import read_limited
from .problems import InputRejected, Problem, Severity, Terminated

DEPARTMENT_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xls")
STAMP = ".budgetgen-build.json"
SUMMARY_NAMES = ("汇总.xlsx", "汇总.html", "汇总.json")
FIGURES = (
    ("收入总计", "income.total"),
    ("支出总计", "expense.total"),
    ("基本支出", "expense.basic"),
    ("项目支出", "expense.project"),
    ("三公经费", "three_public.total"),
)


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
    output: str = ""  # its folder below the output folder
    problems: list[dict] = field(default_factory=list)


SKIPPED_FOLDERS = (
    "templates",
    "output",
    "__pycache__",
    "node_modules",
)  # and every hidden folder (.git, .budgetgen-backup)


def discover(inputs: Iterable[Path], output: Path) -> tuple[list[Path], list[str]]:
    """Department files among the given files and folders (folders searched recursively), never
    anything inside the output folder, a hidden folder (.git, the web editor's .budgetgen-backup),
    a template set or an office lock file (~$); symlinked folders are not followed (no loops). And
    notes on what was passed over."""
    output_real = os.path.realpath(output)
    found, notes = [], []
    for item in inputs:
        if item.is_dir():
            for folder, folders, names in os.walk(item):
                inside = [d for d in folders if os.path.realpath(os.path.join(folder, d)) == output_real]
                if inside:
                    notes.append(f"输出文件夹 {output} 在输入文件夹 {item} 之内：其中的文件不作为部门文件")
                folders[:] = sorted(
                    d for d in folders if not d.startswith(".") and d not in SKIPPED_FOLDERS and d not in inside
                )
                for name in sorted(names):
                    if (
                        Path(name).suffix.lower() in DEPARTMENT_SUFFIXES
                        and not name.startswith((".", "~$"))
                        and name not in SUMMARY_NAMES
                    ):
                        found.append(Path(folder) / name)
        else:
            found.append(item)
    return list(dict.fromkeys(found)), notes


def output_key(path: Path, base: Path) -> str:
    """A department's own output folder, unique among the files of one run: its path below the
    run's base folder, without suffix (a workbook's gets its suffix, so 局.yaml and 局.xlsx differ)."""
    try:
        relative = Path(os.path.relpath(path, base))
    except ValueError:  # another drive (Windows)
        relative = Path(path.name)
    if relative.parts and relative.parts[0] == "..":
        relative = Path(path.name)
    stem = (
        relative.stem
        if relative.suffix.lower() in (".yaml", ".yml")
        else f"{relative.stem}-{relative.suffix[1:].lower()}"
    )
    return (relative.parent / stem).as_posix()


def common_base(files: list[Path]) -> Path:
    parents = [os.path.abspath(f.parent) for f in files]
    return Path(os.path.commonpath(parents)) if parents else Path(".")


def input_digest(
    path: Path,
    template_dirs: tuple[Path, ...],
    formats: tuple[str, ...],
    strict: bool = False,
    engine: str | None = None,
) -> str:
    """What a department's outputs depend on: its file, every template set and city catalog it may
    use, budgetgen's version, the formats asked for and --strict."""
    from .theme import search_dirs_for

    digest = hashlib.sha256(f"{__version__}|{','.join(formats)}|{'strict' if strict else ''}|{engine or ''}".encode())
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


def _worker_ends_on_termination(build: Callable[..., dict]) -> Callable[..., dict]:
    """SIGTERM while writing: the temporary files are gone (write_all cleaned up) and the worker ends
    here, rather than go on to the next queued department."""

    @functools.wraps(build)
    def run(*args: Any, **kwargs: Any) -> dict:
        try:
            return build(*args, **kwargs)
        except Terminated:
            os._exit(128 + signal.SIGTERM)

    return run


@_worker_ends_on_termination
def build_department(
    source: str,
    output_root: str,
    key: str,
    formats: tuple[str, ...],
    template_dirs: tuple[str, ...],
    force: bool,
    strict: bool = False,
    engine: str | None = None,
) -> dict:
    """Build one department into output_root/<key>/; the summary row as a plain dict."""
    from .build import build, write_file

    path = Path(source)
    folder = Path(output_root) / key
    dirs = tuple(Path(d) for d in template_dirs)
    digest = input_digest(path, dirs, formats, strict, engine)
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
        result = build(path, folder, formats, dirs, strict=strict, engine=engine)
    except InputRejected as exc:
        row.problems = [_problem(p, path) for p in exc.problems]
        row.errors = sum(1 for p in exc.problems if p.severity is Severity.ERROR)
        row.warnings = sum(1 for p in exc.problems if p.severity is Severity.WARNING)
        row.status = "有错误"
        _identify(row, path)
    except (Terminated, KeyboardInterrupt):
        raise
    except Exception as exc:
        row.problems = [
            {
                "where": str(path),
                "id": "内部",
                "severity": "错误",
                "message": f"budgetgen 内部错误（{type(exc).__name__}）",
                "hint": "请把该文件发给维护人员。",
            }
        ]
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
    row.output = key
    return {**asdict(row), "worker": {"pid": os.getpid(), "peak_kib": peak_memory_kib()}}


def _identify(row: Row, path: Path) -> None:
    """Code and name of a department that could not be built, if its file says them."""
    try:
        from .analysis import load_input

        department = load_input(path).data.get("部门") or {}
        row.code, row.name = str(department.get("编码") or ""), str(department.get("名称") or "")
    except Exception:
        pass


def _problem(problem: Problem, path: Path) -> dict:
    where = f"{path}:{problem.position}" if problem.position else str(path)
    return {
        "where": where,
        "id": problem.check,
        "severity": problem.severity.value,
        "message": problem.message,
        "hint": problem.hint,
    }


def _warm_up() -> None:
    """Each worker pays the imports and loads the shipped sets once, for all its departments."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # stop at once (a write in progress cleans up first)
    end_with_parent()
    import typst  # noqa: F401

    from .builders import docx, pdf, typstpdf, xlsx  # noqa: F401

    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # a machine without GTK/Pango builds with Typst
        pass
    from .theme import list_sets, load_theme, search_dirs_for

    dirs = search_dirs_for(None)
    for name in list_sets(dirs):
        try:
            load_theme(name, dirs)
        except InputRejected:
            pass


def end_with_parent() -> None:
    """Linux: this process gets SIGTERM when its parent dies, so no worker outlives a killed run."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass
        if os.getppid() == 1:
            os._exit(1)  # the parent was already gone


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
    written: list[str] = field(default_factory=list)  # output folders holding every format of their department


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
    base: Path | None = None,
    engine: str | None = None,
) -> Run:
    """Build every file, each into output/<its output_key below base>/ (base: the files' common folder)."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    started = time.time()
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    rows: list[dict] = []
    run = Run(rows, [])
    keys = {path: output_key(path, base or common_base(files)) for path in files}
    for row in _clashes(keys):
        rows.append(row)
        on_done(row)
    queue = [path for path in files if not any(r["file"] == str(path) for r in rows)]
    previous = {number: signal.signal(number, _raise_terminated) for number in (signal.SIGTERM, signal.SIGHUP)}
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_up)
    pending = {}
    try:
        while queue or pending:
            while queue and len(pending) < jobs * 2:
                path = queue.pop(0)
                on_start(path)
                future = executor.submit(
                    build_department,
                    str(path),
                    str(output),
                    keys[path],
                    formats,
                    tuple(str(d) for d in template_dirs),
                    force,
                    strict,
                    engine,
                )
                pending[future] = path
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                path = pending.pop(future)
                try:
                    row = future.result()
                except Exception as exc:
                    row = asdict(
                        Row(
                            str(path),
                            problems=[
                                {
                                    "where": str(path),
                                    "id": "内部",
                                    "severity": "错误",
                                    "message": f"生成进程意外退出（{type(exc).__name__}）",
                                    "hint": "单独运行 budgetgen build 该文件查看原因。",
                                }
                            ],
                            errors=1,
                        )
                    )
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
        for number, handler in previous.items():
            signal.signal(number, handler)
        _sweep_temporary_files(output, {keys[p]: p for p in files}, formats)
    _name_duplicates(rows)
    run.written = _written(output, keys, rows, formats, started)
    return run


def _written(
    output: Path, keys: dict[Path, str], rows: list[dict], formats: tuple[str, ...], started: float
) -> list[str]:
    """The departments whose every output is on disk, reported or not: a worker stopped between
    renaming its files into place and sending its row still wrote them (write_all is all or none)."""
    reported = {row["file"] for row in rows if row["status"] != "有错误"}
    written = []
    for path, key in keys.items():
        files = [output / key / f"{path.stem}.{fmt}" for fmt in formats]
        if all(f.is_file() for f in files) and (
            str(path) in reported or min(f.stat().st_mtime for f in files) >= started
        ):
            written.append(key)
    return written


def _clashes(keys: dict[Path, str]) -> list[dict]:
    """Files that would share an output folder (局.yaml and 局.yml side by side): each is an error
    row naming the other, and neither is built — one would silently overwrite the other's files."""
    by_key: dict[str, list[Path]] = {}
    for path, key in keys.items():
        by_key.setdefault(key, []).append(path)
    rows = []
    for key, paths in by_key.items():
        for path in paths if len(paths) > 1 else ():
            others = "、".join(str(p) for p in paths if p != path)
            problem = {
                "where": str(path),
                "id": "重名",
                "severity": "错误",
                "message": f"与 {others} 的输出文件夹相同（{key}），两者都未生成",
                "hint": "把其中一个改名，或删除多余的那个文件。",
            }
            rows.append(asdict(Row(str(path), problems=[problem], errors=1, output=key)))
    return rows


def _raise_terminated(signum, frame):
    raise Terminated()


def _sweep_temporary_files(output: Path, departments: dict[str, Path], formats: tuple[str, ...]) -> None:
    """A worker killed between two system calls may leave a temporary file. Only the names write_all
    makes for this run's departments, formats and stamps are removed (.局.x1y2z3w4.pdf.tmp,
    .局.pdf.1234.old) — never anything else of the user's under the output folder."""
    for key, path in departments.items():
        folder = output / key
        if not folder.is_dir():
            continue
        ours = [
            pattern
            for target in [f"{path.stem}.{fmt}" for fmt in formats] + [STAMP]
            for pattern in written_names(target)
        ]
        for file in folder.glob(".*"):
            if any(pattern.fullmatch(file.name) for pattern in ours):
                file.unlink(missing_ok=True)


def written_names(target: str) -> tuple[re.Pattern, re.Pattern]:
    """The temporary and the set-aside names build.write_all gives a file on its way to `target`."""
    stem, suffix = target.rsplit(".", 1)
    return re.compile(rf"\.{re.escape(stem)}\.[a-z0-9_]{{8}}\.{re.escape(suffix)}\.tmp"), re.compile(
        rf"\.{re.escape(target)}\.\d+\.old"
    )


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
            row["problems"].append(
                {
                    "where": row["file"],
                    "id": "重复",
                    "severity": "警告",
                    "message": f"部门编码 {code} 与 {others} 相同",
                    "hint": "同一城市中部门编码应唯一；检查是否复制了文件后忘记修改编码。",
                }
            )
            row["warnings"] += 1
            if row["status"] == "已生成":
                row["status"] = "有警告"
