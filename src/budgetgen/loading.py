"""Read a department's YAML file into plain data plus the source position of every value.

PyYAML is used only to compose the node tree; values are built here so that
- numbers become Decimal from their written text (never float),
- duplicate keys at any depth are reported instead of silently losing a line item,
- alias expansion is bounded (a "billion laughs" file is refused),
- every value and key keeps its line and column for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import InputRejected, Path_, Position, error

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 200_000  # after alias expansion; a department file has a few thousand
MAX_DEPTH = 40  # a department file nests five or six levels

SAVE_AS_UTF8 = "请用记事本或 WPS 打开文件，选择“另存为”，编码选 UTF-8 后保存，再重新运行。"


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of the loaded data was written."""

    filename: str
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)

    def position(self, path: Path_, *, prefer_key: bool = False) -> Position | None:
        """The closest known position: the path itself, else its nearest ancestor."""
        path = tuple(path)
        while True:
            if prefer_key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return None
            path = path[:-1]


@dataclass
class Loaded:
    data: Any
    source: SourceMap


def load_file(path: Path) -> Loaded:
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _unreadable(f"找不到文件 {name}", "请检查文件名和所在文件夹是否正确。")
    except IsADirectoryError:
        raise _unreadable(f"{name} 是一个文件夹，不是 YAML 文件", "请给出部门预算 YAML 文件的路径。")
    except OSError as exc:
        raise _unreadable(f"无法读取文件 {name}：{exc.strerror}", "请检查文件权限，或把文件复制到本地磁盘后重试。")
    return load_bytes(raw, name)


def load_bytes(raw: bytes, filename: str) -> Loaded:
    text = _decode(raw)
    if not text.strip():
        raise _unreadable("文件是空的", "请按 examples/ 中的示例填写部门预算数据。")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise InputRejected([_syntax_problem(exc)], unreadable=True)
    except yaml.YAMLError as exc:
        raise _unreadable(f"YAML 格式错误：{exc}", "请对照示例文件检查缩进和冒号。")
    if root is None:
        raise _unreadable("文件是空的（只有注释，没有数据）", "请按 examples/ 中的示例填写部门预算数据。")
    builder = _Builder(filename)
    data = builder.build(root, ())
    if builder.problems:
        raise InputRejected(builder.problems)
    return Loaded(data, builder.source)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise _unreadable(
            f"文件太大（{len(raw) // 1024} KB），一个部门的预算文件不应超过 {MAX_FILE_BYTES // 1024 // 1024} MB",
            "请确认选择的是部门预算 YAML 文件，而不是导出的数据库或图片。",
        )
    if b"\x00" in raw:
        raise _unreadable("这不是文本文件（含有二进制内容）", "请选择 .yaml 文本文件；Excel 或 Word 文件需先整理成 YAML。")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # UTF-8 with BOM, as Windows Notepad saves it
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputRejected(
            [
                error(
                    "编码",
                    f"文件不是 UTF-8 编码（第 {line} 行起无法识别，可能是 GBK/GB18030 编码）",
                    SAVE_AS_UTF8,
                ).located(Position(line, 1))
            ],
            unreadable=True,
        )


def _unreadable(message: str, hint: str) -> InputRejected:
    return InputRejected([error("读取", message, hint)], unreadable=True)


def _syntax_problem(exc: yaml.MarkedYAMLError) -> "Problem":  # noqa: F821
    mark = exc.problem_mark or exc.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark else None
    problem_text = exc.problem or ""
    if "'\\t'" in problem_text or "\\t" in problem_text:
        message = "YAML 格式错误：缩进中使用了制表符（Tab）"
        hint = "YAML 只能用空格缩进：请把该行开头的 Tab 换成空格（建议每级 2 个空格）。"
    elif "mapping values are not allowed" in problem_text:
        message = "YAML 格式错误：这一行的冒号位置不对，或上一行缺少冒号、缩进不一致"
        hint = "检查该行和上一行：字段名后要有冒号和一个空格（如“编码: 471”），同一层的字段缩进要对齐。"
    elif "expected <block end>" in problem_text:
        started = f"（第 {exc.context_mark.line + 1} 行开始的这一段）" if exc.context_mark else ""
        message = f"YAML 格式错误：这一行的缩进与上文不一致，或上文的引号没有配对{started}"
        hint = "检查引号是否成对（\"…\"），同一层的字段缩进是否对齐。"
    elif "could not find expected ':'" in problem_text:
        message = "YAML 格式错误：缺少冒号"
        hint = "每个字段写成“字段名: 值”，冒号后加一个空格。"
    elif "found undefined alias" in problem_text:
        message = "YAML 格式错误：引用了未定义的锚点（*名称）"
        hint = "删除该引用，或先用 &名称 定义锚点。"
    elif _unclosed(exc):
        opener = exc.context_mark
        ended = f"文件在第 {mark.line + 1} 行结束" if mark else "文件已结束"
        what = _UNCLOSED[next(k for k in _UNCLOSED if k in (exc.context or ""))]
        at_end = "stream end" in problem_text or "end of stream" in problem_text
        message = f"YAML 格式错误：{'文件意外结束（可能被截断）：' if at_end else ''}这一行开始的{what}没有配对，{ended}仍未闭合"
        hint = (
            f"在第 {opener.line + 1} 行开始的文字末尾补上另一半引号。"
            if what == "引号"
            else f"在第 {opener.line + 1} 行开始的{what}末尾补上闭合符号（] 或 }}），或检查其中是否漏了逗号。"
        )
        position = Position(opener.line + 1, opener.column + 1)
    elif "end of the stream" in problem_text or "unexpected end" in problem_text or "<stream end>" in problem_text:
        message = "YAML 格式错误：文件意外结束（可能被截断，或引号、括号没有配对）"
        hint = "检查文件末尾是否完整，引号和括号是否成对。"
    else:
        message = f"YAML 格式错误：{problem_text or exc}"
        hint = "请对照示例文件检查该行的缩进、冒号和引号。"
    return error("格式", message, hint).located(position)


_UNCLOSED = {
    "flow sequence": "方括号 [ ",
    "flow mapping": "花括号 { ",
    "quoted scalar": "引号",
}


def _unclosed(exc: yaml.MarkedYAMLError) -> bool:
    """A bracket or quote opened at context_mark and still open where the parser gave up."""
    return exc.context_mark is not None and any(k in (exc.context or "") for k in _UNCLOSED) and (
        exc.problem_mark is None or exc.problem_mark.line != exc.context_mark.line or "end of stream" in (exc.problem or "") or "<stream end>" in (exc.problem or "")
    )


_LEADING_ZERO = re.compile(r"[+-]?0\d+")


class _Builder:
    def __init__(self, filename: str) -> None:
        self.source = SourceMap(filename)
        self.problems: list = []
        self.count = 0
        self.too_deep = False
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node: Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.problems.append(
                    error("格式", f"数据嵌套超过 {MAX_DEPTH} 层（可能是自引用的锚点）", "检查缩进；不要用 & 和 * 让数据引用自身。").located(_position(node))
                )
            return None
        self.count += 1
        if self.count > MAX_VALUES:
            if self.count == MAX_VALUES + 1:
                self.problems.append(
                    error(
                        "格式",
                        f"文件展开后超过 {MAX_VALUES} 个值（锚点/别名引用过多）",
                        "不要用 & 和 * 反复嵌套引用；直接写出每一行数据。",
                    ).located(_position(node))
                )
            return None
        self.source.values.setdefault(path, _position(node))
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        return None

    def _mapping(self, node: MappingNode, path: Path_) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    error("格式", "不支持 YAML 合并键（<<）", "请直接写出每个字段。").located(_position(key_node))
                )
                continue
            key = self.build(key_node, path + ("<key>",)) if not isinstance(key_node, ScalarNode) else self._scalar(key_node)
            if isinstance(key, (list, dict)) or key is None:
                self.problems.append(
                    error("格式", "字段名必须是文字", "检查该行冒号前的内容。").located(_position(key_node))
                )
                continue
            key = str(key) if not isinstance(key, (int, str)) else key
            if key in result:
                first = self.source.keys.get(path + (key,))
                where = f"（第一次出现在第 {first.line} 行）" if first else ""
                self.problems.append(
                    error(
                        "重复",
                        f"字段「{key}」在同一处写了两次{where}，后一个会覆盖前一个，可能丢失一条数据",
                        "删除重复的一行；如果是两条不同的数据，请写成列表（每条以“- ”开头）。",
                        path + (key,),
                    ).located(_position(key_node))
                )
                continue
            self.source.keys[path + (key,)] = _position(key_node)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        text = node.value
        if tag == "tag:yaml.org,2002:float":
            try:
                number = Decimal(text.replace("_", ""))
            except InvalidOperation:
                return text  # .inf / .nan: the model reports it as "not a number"
            return number if number.is_finite() else text
        if tag == "tag:yaml.org,2002:int":
            if _LEADING_ZERO.fullmatch(text):
                return text  # codes such as 001 are text, not octal numbers
            return self.constructor.construct_yaml_int(node)
        if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
            return self.constructor.construct_object(node)
        return text  # strings, dates and anything else stay as written


def _position(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
