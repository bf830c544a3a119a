"""Problems found in an input, located in its source file, worded for finance staff."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

Path_ = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"
    NOTE = "提示"


@dataclass(frozen=True)
class Position:
    line: int  # 1-based (a workbook: the row)
    column: int  # 1-based
    cell: str | None = None  # a workbook's `工作表!D5`, printed instead of line:column

    def __str__(self) -> str:
        return self.cell or f"{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    check: str  # short id, e.g. "X5" or "输入"
    message: str
    hint: str = ""
    path: Path_ = ()
    position: Position | None = None

    def located(self, position: Position | None) -> Problem:
        if self.position is not None or position is None:
            return self
        return Problem(self.severity, self.check, self.message, self.hint, self.path, position)

    def render(self, filename: str | Path) -> str:
        where = f"{filename}:{self.position}" if self.position else f"{filename}"
        in_cell = self.position is not None and self.position.cell  # a workbook: the cell says where
        field_part = f"（字段 {format_path(self.path)}）" if self.path and not in_cell else ""
        text = f"{where}: {self.severity.value}[{self.check}] {self.message}{field_part}"
        if self.hint:
            text += f"\n    处理办法：{self.hint}"
        return text


def format_path(path: Path_) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"  # finance staff count list entries from 1
        else:
            text += ("." if text else "") + str(part)
    return text


def error(check: str, message: str, hint: str = "", path: Path_ = ()) -> Problem:
    return Problem(Severity.ERROR, check, message, hint, tuple(path))


def warning(check: str, message: str, hint: str = "", path: Path_ = ()) -> Problem:
    return Problem(Severity.WARNING, check, message, hint, tuple(path))


def note(check: str, message: str, hint: str = "", path: Path_ = ()) -> Problem:
    return Problem(Severity.NOTE, check, message, hint, tuple(path))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


@dataclass
class InputRejected(Exception):
    """The input cannot be used: every problem found is carried, none is raised alone."""

    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # the file itself could not be read or parsed (exit code 2)

    def __str__(self) -> str:
        return "; ".join(p.message for p in self.problems)


class Terminated(BaseException):
    """SIGTERM arrived while files were being written (raised like KeyboardInterrupt for SIGINT)."""
