"""The served folder: the only files the web page may read or write.

A department is named by its path relative to the folder. Every name is resolved here, once, and
refused unless it is a plain relative path whose real location (symlinks followed) is a regular
file inside the folder: `../`, absolute paths, backslashes, NUL and links pointing out never reach
the file system. Writes are atomic and keep the previous version as a backup.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..batch import DEPARTMENT_SUFFIXES, discover, output_key
from ..build import write_file
from ..loading import character_name, hidden_characters

OUTPUT = "output"  # built files, inside the served folder
BACKUPS = ".budgetgen-backup"
TEXT_SUFFIXES = (".yaml", ".yml")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the loader's limit for a department file
WORKBOOK_MAGIC = {".xlsx": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0"}


class Refused(Exception):
    """A request for a file outside the folder, or for something that is not a department file."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Folder:
    root: Path

    @classmethod
    def at(cls, path: Path) -> "Folder":
        return cls(path.resolve())

    @property
    def output(self) -> Path:
        return self.root / OUTPUT

    def departments(self) -> list[str]:
        files, _ = discover([self.root], self.output)
        names = []
        for path in files:
            try:
                names.append(self.name_of(self.resolve(str(path.relative_to(self.root)))))
            except Refused:
                continue  # a link pointing out, a pipe: not listed
        return [n for n in names if not PurePosixPath(n).parts[0].startswith(".")]

    def name_of(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def resolve(self, name: str, must_exist: bool = True) -> Path:
        """The department file `name` names, or Refused."""
        if not name or "\x00" in name or "\\" in name or name.startswith("/") or ":" in name.split("/")[0]:
            raise Refused("文件名不合法")
        parts = PurePosixPath(name).parts
        if any(part in ("..", ".") or part.startswith(".") for part in parts):
            raise Refused("只能访问所服务文件夹中的部门文件")
        if Path(name).suffix.lower() not in DEPARTMENT_SUFFIXES:
            raise Refused("只能访问部门文件（.yaml、.yml、.xlsx、.xls）")
        path = (self.root / Path(*parts)).resolve()
        if not path.is_relative_to(self.root) or path.is_relative_to(self.output):
            raise Refused("只能访问所服务文件夹中的部门文件")
        if must_exist and not path.is_file():
            raise Refused("没有这个部门文件")
        if path.exists() and not path.is_file():
            raise Refused("这不是普通文件")
        return path

    def output_folder(self, name: str) -> Path:
        """Where a department's files are built: output/<its path, without suffix>/, as `budgetgen
        batch` of the folder puts them — 甲区/财政局.yaml and 乙区/财政局.yaml never share one."""
        return self.output / output_key(self.resolve(name), self.root)

    def output_file(self, name: str, fmt: str) -> Path:
        return self.output_folder(name) / f"{self.resolve(name).stem}.{fmt}"

    def save(self, name: str, data: bytes) -> Path:
        """Write a department file atomically; the previous version goes to .budgetgen-backup/."""
        path = self.resolve(name, must_exist=False)
        if path.exists():
            backups = self.root / BACKUPS
            backups.mkdir(exist_ok=True)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = backups / f"{path.stem}.{stamp}.{os.getpid()}{path.suffix}"
            backup.write_bytes(path.read_bytes())
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_file(path, data)


def upload_problem(filename: str, data: bytes) -> str | None:
    """Why an uploaded file cannot be a department file, or None."""
    suffix = Path(filename).suffix.lower()
    if suffix not in DEPARTMENT_SUFFIXES:
        return "只接受部门文件：.yaml、.yml，或填写用工作簿 .xlsx、.xls"
    if len(data) > MAX_UPLOAD_BYTES:
        return f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
    if suffix in WORKBOOK_MAGIC and not data.startswith(WORKBOOK_MAGIC[suffix]):
        return "文件内容不是 Excel 工作簿"
    if suffix in TEXT_SUFFIXES:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "YAML 文件应以 UTF-8 编码保存"
    return None


def safe_upload_name(filename: str) -> str:
    """The uploaded file's own name, without any folder part a browser may send; a name with an
    invisible or direction-changing character (which could make one file look like another in
    the list) is refused."""
    name = filename.replace("\\", "/").split("/")[-1].strip()
    if not name or name.startswith("."):
        raise Refused("文件名不合法", 400)
    hidden = hidden_characters(name)
    if hidden:
        raise Refused(f"文件名中有看不见的字符（{character_name(hidden[0][1])}），请改名后再上传。", 400)
    return name
