"""Build: analysis → document → the requested formats, written atomically into the output folder."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import Analysis, analyse
from .compose import compose
from .problems import InputRejected, Problem, error, has_errors
from .renderers.html import render_html

FORMATS = ("pdf", "docx", "html")


@dataclass
class BuildResult:
    analysis: Analysis
    written: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def build(
    source: Path,
    output_dir: Path,
    formats: tuple[str, ...] = ("pdf", "docx"),
    template_dirs: tuple[Path, ...] = (),
    pdfa: bool = False,
) -> BuildResult:
    """Raises InputRejected (with every problem) when the input has errors or a file cannot be written."""
    started = time.perf_counter()
    analysis = analyse(source, template_dirs)
    if has_errors(analysis.problems):
        raise InputRejected(analysis.problems)
    result = BuildResult(analysis)
    result.seconds["check"] = time.perf_counter() - started
    document = compose(analysis)
    outputs: dict[str, bytes] = {}
    for fmt in formats:
        started = time.perf_counter()
        if fmt == "html":
            outputs[fmt] = render_html(document, analysis.theme).encode("utf-8")
        elif fmt == "pdf":
            from .renderers.pdf import render_pdf

            outputs[fmt] = render_pdf(document, analysis.theme, pdfa=pdfa)
        elif fmt == "docx":
            from .renderers.docx import render_docx

            outputs[fmt] = render_docx(document, analysis.theme)
        result.seconds[fmt] = time.perf_counter() - started
    result.written = write_all(output_dir, source.stem, outputs)
    return result


def write_all(output_dir: Path, stem: str, outputs: dict[str, bytes]) -> list[Path]:
    """Write every file to a temporary name first; rename into place only when all are complete.

    A failure (disk full, folder not writable) leaves the previous outputs byte-for-byte intact and
    removes the temporary files.
    """
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputRejected([_write_problem(output_dir, exc)])
    staged: list[tuple[Path, Path]] = []
    try:
        for fmt, data in outputs.items():
            target = output_dir / f"{stem}.{fmt}"
            handle, temporary = tempfile.mkstemp(prefix=f".{stem}.", suffix=f".{fmt}.tmp", dir=output_dir)
            staged.append((Path(temporary), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; published files are readable
        for temporary, target in staged:
            os.replace(temporary, target)
    except OSError as exc:
        raise InputRejected([_write_problem(output_dir, exc)])
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [target for _, target in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_problem(folder: Path, exc: OSError) -> Problem:
    import errno

    if exc.errno == errno.ENOSPC:
        reason, hint = "磁盘空间不足", "清理磁盘空间后重新生成；原有的输出文件没有被改动。"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason, hint = "没有写入权限", "换一个可写的输出文件夹（-o 文件夹），或检查文件是否正被 Word/PDF 阅读器打开。"
    else:
        reason, hint = exc.strerror or str(exc), "检查输出文件夹是否存在且可写；原有的输出文件没有被改动。"
    return error("输出", f"无法写入输出文件夹 {folder}：{reason}", hint)
