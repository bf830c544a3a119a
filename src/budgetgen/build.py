"""Build: analysis → document → the requested formats, written atomically into the output folder."""

from __future__ import annotations

import errno
import os
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import Analysis, analyse
from .builders import BuildOptions, builder_for, engine_of
from .compose import compose
from .document import Document
from .oserrors import os_reason
from .problems import InputRejected, Problem, Terminated, error, has_errors


@dataclass
class BuildResult:
    analysis: Analysis
    written: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    pages: int | None = None  # of the PDF, when one was built
    engine: str | None = None  # the PDF engine that built it


def document_for(analysis: Analysis, engine: str | None = None, narrative: bool = True) -> Document:
    """The Document a build writes: its tables fitted to the room the chosen PDF engine declares
    (and the DOCX's), so that codes and amounts stay whole in every format built from it."""
    return compose(analysis, engine_of(analysis.theme, engine).cells, narrative)


def build(
    source: Path,
    output_dir: Path,
    formats: tuple[str, ...] = ("pdf", "docx"),
    template_dirs: tuple[Path, ...] = (),
    pdfa: bool = False,
    strict: bool = False,
    engine: str | None = None,
) -> BuildResult:
    """Raises InputRejected (with every problem) when the input has errors or a file cannot be written."""
    started = time.perf_counter()
    analysis = analyse(source, template_dirs, strict)
    if has_errors(analysis.problems):
        raise InputRejected(analysis.problems)
    result = BuildResult(analysis)
    result.seconds["check"] = time.perf_counter() - started
    document = document_for(analysis, engine)
    outputs: dict[str, bytes] = {}
    options = BuildOptions(pdfa=pdfa, engine=engine)
    for fmt in formats:
        started = time.perf_counter()
        outputs[fmt] = builder_for(fmt)(document, analysis.theme, options)
        result.seconds[fmt] = time.perf_counter() - started
    result.pages = options.report.get("pages")
    result.engine = options.report.get("engine")
    result.written = write_all(output_dir, source.stem, outputs)
    return result


def check_problems(analysis: Analysis) -> list[Problem]:
    """What `check` reports: the analysis' problems, and when it is sound, those of composing the
    document and its HTML once, so that a broken sentence or template of the set shows up when
    checking rather than only when building."""
    from .builders.html import render_html

    problems = list(analysis.problems)
    if analysis.ok:
        try:
            render_html(document_for(analysis), analysis.theme)
        except InputRejected as exc:
            problems += exc.problems
    return problems


@contextmanager
def termination_raises() -> Iterator[None]:
    """While outputs are written, SIGTERM raises instead of killing the process at once, so that
    temporary files are removed and what was there before is put back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# A file system's 255 bytes, less what the temporary (.NAME.XXXXXXXX.tmp) and backup (.NAME.PID.old) add.
MAX_WRITTEN_NAME_BYTES = 255 - 20
# A department file name a user chooses (new, upload): room left for the web editor's time-stamped backups.
MAX_NAME_BYTES = 200


def write_all(output_dir: Path, stem: str, outputs: dict[str, bytes]) -> list[Path]:
    """Write every format or change none.

    Each file is written to a temporary name; the existing outputs are then moved aside (a locked
    or immutable one fails here, before anything has changed), the new files renamed into place,
    and only then are the old ones deleted. Any failure — full disk, permissions, SIGTERM, Ctrl-C —
    puts the old files back and removes every temporary file.
    """
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputRejected([_write_problem(output_dir, exc)]) from None
    targets = {fmt: output_dir / f"{stem}.{fmt}" for fmt in outputs}
    for target in targets.values():
        if len(target.name.encode("utf-8")) > MAX_WRITTEN_NAME_BYTES:
            raise InputRejected(
                [
                    error(
                        "输出",
                        f"无法写入 {target.name[:40]}…：文件名太长（{len(target.name)} 个字）",
                        "用 -o 给出较短的文件名（不超过 60 个汉字）。",
                    )
                ]
            )
        if target.is_dir():
            raise InputRejected(
                [
                    error(
                        "输出",
                        f"无法写入 {target}：同名的文件夹已存在",
                        "删除或改名该文件夹，或换一个输出文件夹（-o 文件夹）。",
                    )
                ]
            )
    made: list[Path] = []  # every temporary name, listed before its file is created
    staged: list[tuple[Path, Path]] = []
    moved: list[tuple[Path, Path]] = []
    try:
        with termination_raises():
            for fmt, data in outputs.items():
                staged.append((_write_temporary(output_dir, stem, fmt, data, made), targets[fmt]))
            for _, target in staged:
                if target.exists() or target.is_symlink():
                    backup = target.with_name(f".{target.name}.{os.getpid()}.old")
                    os.replace(target, backup)
                    moved.append((target, backup))
            for temporary, target in staged:
                os.replace(temporary, target)
    except BaseException as exc:
        _restore(moved)
        if isinstance(exc, OSError):
            raise InputRejected([_write_problem(output_dir, exc)]) from None
        raise
    finally:
        for temporary in made:
            temporary.unlink(missing_ok=True)
    for _, backup in moved:
        backup.unlink(missing_ok=True)
    return [target for _, target in staged]


def write_file(target: Path, data: bytes) -> Path:
    """One file, written atomically beside its final name (the previous file kept on failure)."""
    target = target.resolve()
    if not target.suffix:
        raise ValueError(f"write_file needs a file name with a suffix, not {target.name}")
    return write_all(target.parent, target.stem, {target.suffix[1:]: data})[0]


# as tempfile.mkstemp opens: created here or failing, never following a link, binary, not inherited
TEMPORARY_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOINHERIT", 0)
)


def _write_temporary(folder: Path, stem: str, fmt: str, data: bytes, made: list[Path]) -> Path:
    """`data` in a new temporary file beside the output. Its name goes into `made` before the file
    exists: a signal can land at any moment (mkstemp could be interrupted after creating its file
    but before naming it to anyone, leaving it behind after a Ctrl-C), and the caller removes
    every name in `made` that is still there."""
    while True:
        temporary = folder / f".{stem}.{secrets.token_hex(4)}.{fmt}.tmp"
        made.append(temporary)
        try:
            handle = os.open(temporary, TEMPORARY_FLAGS, 0o600)
            break
        except FileExistsError:  # another writer's file of that name: not ours to remove
            made.pop()
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(temporary, 0o666 & ~_umask())  # created 0600; published files are readable
    return temporary


def _restore(moved: list[tuple[Path, Path]]) -> None:
    for target, backup in reversed(moved):
        try:
            os.replace(backup, target)
        except OSError:
            pass  # the backup stays beside it under its .old name; nothing is deleted


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_problem(folder: Path, exc: OSError) -> Problem:
    if exc.errno == errno.ENOSPC:
        reason, hint = "磁盘空间不足", "清理磁盘空间后重新生成；原有的输出文件没有被改动。"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason, hint = (
            "没有写入权限，或原有文件被锁定",
            "关闭正在打开这些文件的 Word、WPS 或 PDF 阅读器，或换一个可写的输出文件夹（-o 文件夹）；"
            "原有的输出文件没有被改动。",
        )
    else:
        reason, hint = os_reason(exc), "检查输出文件夹是否存在且可写；原有的输出文件没有被改动。"
    where = f"{folder}（{Path(exc.filename).name}）" if exc.filename else str(folder)
    return error("输出", f"无法写入输出文件夹 {where}：{reason}；所有格式都没有生成，原有文件未改动", hint)


def name_problem(name: str) -> str | None:
    """Why a department name cannot be its own file name in the current folder, or None."""
    if any(mark in name for mark in ("/", "\\", "\x00")) or name.strip(" .") == "":
        return "含有 /、\\ 或只由点组成（会写到别的文件夹）"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"太长（{len(name)} 个字）"
    return None
