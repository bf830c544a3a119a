"""The served folder: the only files the web page may read or write.

A department is named by its path relative to the folder. Every name is resolved here, once, and
refused unless it is a plain relative path whose real location (symlinks followed) is a regular
file inside the folder: `../`, absolute paths, backslashes, NUL and links pointing out never reach
the file system. Writes are atomic and keep the previous version as a backup.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from filelock import FileLock, Timeout

from ..batch import DEPARTMENT_SUFFIXES, discover, output_key
from ..build import MAX_NAME_BYTES, write_file
from ..excel.workbook import OLE_MAGIC, SAVE_AS_XLSX, ZIP_MAGIC, what_it_is
from ..loading import character_name, hidden_characters
from ..oserrors import os_reason
from ..problems import InputRejected

OUTPUT = "output"  # built files, inside the served folder
BACKUPS = ".budgetgen-backup"
SAVE_LOCK = ".budgetgen-save.lock"  # held while a save checks the version and writes
TEXT_SUFFIXES = (".yaml", ".yml")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the loader's limit for a department file
WORKBOOK_MAGIC = {".xlsx": ZIP_MAGIC, ".xls": OLE_MAGIC}


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
    def at(cls, path: Path) -> Folder:
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
        path = Path(os.path.realpath(self.root / Path(*parts)))  # never raises on a symlink loop
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

    def read_text(self, name: str) -> Text:
        """A YAML file as text for the editor, in the encoding it was saved in, with its version."""
        raw = self.resolve(name).read_bytes()
        decoded = decode_text(raw)
        if decoded is not None:
            return Text(*decoded, version_of(raw))
        raise Refused(
            "文件的编码无法识别（不是 UTF-8，也不是 GBK/GB18030），网页上不能编辑，以免损坏其中的文字。"
            "请用记事本“另存为”UTF-8 后重新上传。",
            400,
        )

    def save(self, name: str, data: bytes, expected_version: str | None = None) -> Path:
        """Write a department file atomically; the previous version goes to .budgetgen-backup/ under
        a name no other save takes. With expected_version, a file changed since the page was opened
        (another tab, another person) is not overwritten: Conflict carries what is there now."""
        path = self.resolve(name, must_exist=False)
        with self.saving():
            try:
                if path.exists():
                    current = path.read_bytes()
                    if expected_version is not None and version_of(current) != expected_version:
                        raise Conflict(current)
                    self._keep_backup(path, current)
                elif expected_version:
                    raise Conflict(b"")
                path.parent.mkdir(parents=True, exist_ok=True)
                return write_file(path, data)
            except InputRejected as exc:
                raise Refused("保存失败：" + "；".join(p.message for p in exc.problems), 500) from None
            except OSError as exc:
                raise Refused(f"保存失败：{os_reason(exc)}", 500) from None

    def keep_upload(self, name: str, data: bytes) -> Path:
        """An uploaded workbook kept (for a new department to be made from it) where the list does
        not show it: an export is not a department."""
        folder = self.root / BACKUPS / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"
        path = folder / f"{Path(name).stem}.{stamp}{Path(name).suffix.lower()}"
        write_file(path, data)
        return path

    def archive(self, name: str) -> str:
        """A department removed from the list: its file moved into the backup folder (with the
        time), its outputs too. Returns where it went."""
        path = self.resolve(name)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.root / BACKUPS / "deleted" / stamp / name
        with self.saving():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                outputs = self.output / output_key(path, self.root)
                if outputs.is_dir():
                    os.replace(outputs, target.parent / f"{Path(name).stem}-输出")
            except OSError as exc:
                raise Refused(f"删除失败：{os_reason(exc)}", 500) from None
        return target.relative_to(self.root).as_posix()

    @contextmanager
    def saving(self) -> Iterator[None]:
        """One save at a time in this folder, across threads and across servers sharing it (a second
        `budgetgen serve` on the same folder): no version is lost between the check and the write."""
        try:
            with SAVING, FileLock(self.root / SAVE_LOCK, timeout=30):
                yield
        except Timeout:
            raise Refused("保存失败：另一次保存 30 秒仍未完成，请稍后再试。", 503) from None
        except OSError as exc:
            raise Refused(f"保存失败：{os_reason(exc)}", 500) from None

    def snapshot(self, name: str) -> str:
        """The department file as it is now, kept as a version (the approved one); its file name."""
        path = self.resolve(name)
        with self.saving():
            return self._keep_backup(path, path.read_bytes()).name

    def versions(self, name: str) -> list[Path]:
        """The saved versions of a department file, newest first."""
        path = self.resolve(name)
        backups = self.root / BACKUPS
        if not backups.is_dir():
            return []
        found = [p for p in backups.glob(f"{path.stem}.*{path.suffix}") if p.is_file() and _is_version_of(p, path)]
        return sorted(found, key=lambda p: p.name, reverse=True)

    def _keep_backup(self, path: Path, data: bytes) -> Path:
        backups = self.root / BACKUPS
        backups.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"
        for attempt in range(1000):
            backup = backups / f"{path.stem}.{stamp}.{attempt}{path.suffix}"
            try:
                descriptor = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
            return backup
        raise Refused("保存失败：备份文件夹中同名文件过多", 500)


def _is_version_of(backup: Path, path: Path) -> bool:
    """`dept.20261207-050101-123456789.0.yaml` is a version of dept.yaml (and of no other file)."""
    middle = backup.name[len(path.stem) + 1 : -len(path.suffix)] if path.suffix else ""
    parts = middle.split(".")
    return len(parts) == 2 and parts[0].count("-") == 2 and parts[0].replace("-", "").isdigit() and parts[1].isdigit()


SAVING = threading.Lock()  # one save at a time in this server: the version check and the write are one step


def decode_text(raw: bytes) -> tuple[str, str] | None:
    """A department file's text and the encoding it was saved in (UTF-8, else GB18030), or None."""
    for encoding, label in (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return raw.decode(encoding), label
        except UnicodeDecodeError:
            continue
    return None


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


@dataclass(frozen=True)
class Text:
    text: str
    encoding: str  # as found: UTF-8 or GB18030 (saved back as UTF-8)
    version: str


class Conflict(Exception):
    """The file changed since the page was opened; `current` is what it holds now."""

    def __init__(self, current: bytes) -> None:
        super().__init__("文件已被修改")
        self.current = current


def upload_problem(filename: str, data: bytes) -> str | None:
    """Why an uploaded file cannot be a department file, or None."""
    suffix = Path(filename).suffix.lower()
    if suffix not in DEPARTMENT_SUFFIXES:
        return "只接受部门文件：.yaml、.yml，或填写用工作簿 .xlsx、.xls"
    if len(data) > MAX_UPLOAD_BYTES:
        return f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
    if suffix in WORKBOOK_MAGIC and not data.startswith(WORKBOOK_MAGIC[suffix]):
        # the reader's own words for what the file really is (an HTML table, Excel 2003 XML, CSV …)
        return f"文件内容{what_it_is(data)}，不是 Excel 工作簿。{SAVE_AS_XLSX}"
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
    if not name or name.startswith(".") or name.startswith("~$"):
        raise Refused("文件名不合法", 400)
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise Refused(f"文件名太长（{len(name)} 个字），请改短（不超过 60 个汉字）后再上传。", 400)
    hidden = hidden_characters(name)
    if hidden:
        raise Refused(f"文件名中有看不见的字符（{character_name(hidden[0][1])}），请改名后再上传。", 400)
    return name
