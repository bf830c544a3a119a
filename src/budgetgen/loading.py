"""Read a department's YAML file into plain data plus the source position of every value.

PyYAML is used only to compose the node tree; values are built here so that
- numbers become Decimal from their written text (never float),
- duplicate keys at any depth are reported instead of silently losing a line item,
- alias expansion is bounded (a "billion laughs" file is refused),
- every value and key keeps its line and column for error messages,
- scalars follow the YAML 1.2 core schema: what was typed is read as typed (no base-60 `1:30`,
  no `0x1F5`, no yes/no booleans, no dates), and explicit tags (`!!binary`, `!!int`) are refused,
- text never hides control, zero-width or direction-override characters.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .oserrors import os_reason
from .problems import InputRejected, Path_, Position, error

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ALIAS_VALUES = 100_000  # values reached again through aliases; a real file repeats none or few
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
    problems: list = field(default_factory=list)  # what reading noticed but did not refuse (a missing sheet)


def load_file(path: Path) -> Loaded:
    return load_bytes(read_limited(path), str(path))


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; pipes, devices and folders are refused
    before anything is read (a FIFO would block for ever, /dev/zero would never end)."""
    name = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _unreadable(f"{name} 是一个文件夹，不是部门文件", "请给出部门预算 YAML 文件的路径。")
        if not stat.S_ISREG(info.st_mode):
            raise _unreadable(f"{name} 不是普通文件（可能是管道或设备）", "请给出保存在磁盘上的部门预算 YAML 文件。")
        if info.st_size > limit:
            raise _too_big(info.st_size, limit)
        with path.open("rb") as stream:
            raw = stream.read(limit + 1)
    except FileNotFoundError:
        raise _unreadable(f"找不到文件 {name}", "请检查文件名和所在文件夹是否正确。") from None
    except OSError as exc:
        raise _unreadable(
            f"无法读取文件 {name}：{os_reason(exc)}", "请检查文件权限，或把文件复制到本地磁盘后重试。"
        ) from None
    if len(raw) > limit:
        raise _too_big(len(raw), limit)
    return raw


def _too_big(size: int, limit: int) -> InputRejected:
    return _unreadable(
        f"文件太大（{size // 1024} KB），一个部门的预算文件不应超过 {limit // 1024 // 1024} MB",
        "请确认选择的是部门预算 YAML 文件，而不是导出的数据库或图片。",
    )


def load_bytes(raw: bytes, filename: str) -> Loaded:
    text = _decode(raw)
    if not text.strip():
        raise _unreadable("文件是空的", "请按 examples/ 中的示例填写部门预算数据。")
    unprintable = _UNPRINTABLE.search(text)
    if unprintable:
        raise InputRejected([_unprintable_problem(text, unprintable.start())], unreadable=True)
    loader = None
    try:
        loader = CoreLoader(text)
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise InputRejected([_syntax_problem(exc, text)], unreadable=True) from None
    except yaml.YAMLError:
        raise _unreadable("YAML 格式错误，文件无法读取", "请对照示例文件检查缩进、冒号和引号。") from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise _unreadable("文件是空的（只有注释，没有数据）", "请按 examples/ 中的示例填写部门预算数据。")
    builder = _Builder(filename, text)
    data = builder.build(root, ())
    if builder.problems:
        raise InputRejected(builder.problems)
    return Loaded(data, builder.source)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise _too_big(len(raw), MAX_FILE_BYTES)
    if b"\x00" in raw:
        raise _unreadable(
            "这不是文本文件（含有二进制内容）", "请选择 .yaml 文本文件；Excel 或 Word 文件需先整理成 YAML。"
        )
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
        ) from None


def _unreadable(message: str, hint: str) -> InputRejected:
    return InputRejected([error("读取", message, hint)], unreadable=True)


FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s*)?[^\s:#\"'{}\[\]]+?\s*(：)")
FULLWIDTH_SYNTAX = {"：": ":", "｛": "{", "｝": "}", "［": "[", "］": "]", "，": ","}


def _fullwidth_syntax(text: str, line: int) -> tuple[int, str, str] | None:
    """A key followed by a full-width colon (级次：市), or full-width braces or brackets opening a
    flow value, near the line the parser stopped at: the usual cause of a 缺少冒号 error."""
    lines = text.split("\n")
    for number in (line, line - 1, line - 2):
        if 0 <= number < len(lines):
            content = lines[number].split("#", 1)[0]
            if ":" not in content and FULLWIDTH_KEY.match(content):
                return number, "：", ":"
            for found in ("｛", "［"):
                if found in content and ":" in content.split(found, 1)[0]:
                    return number, found, FULLWIDTH_SYNTAX[found]
            if "，" in content and re.search(r"[{\[][^}\]]*，[^}\]]*:", content):
                return number, "，", ","  # {科目: 2150501，类型: 基本}: the comma that separates items
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str = "") -> Problem:  # noqa: F821
    mark = exc.problem_mark or exc.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark else None
    problem_text = exc.problem or ""
    line_text = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
    fullwidth = _fullwidth_syntax(text, mark.line if mark else 0)
    if fullwidth is not None:
        line_number, found, wanted = fullwidth
        position = Position(line_number + 1, 1)
        message = f"YAML 格式错误：第 {line_number + 1} 行用了全角的「{found}」，YAML 要半角的「{wanted}」"
        hint = f"关闭输入法的全角标点（或切换到英文标点）后，把「{found}」改为「{wanted}」" + (
            "，冒号后加一个空格（如“级次: 市”）。" if wanted == ":" else "。"
        )
    elif "'\\t'" in problem_text or "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        message = "YAML 格式错误：缩进中使用了制表符（Tab）"
        hint = "YAML 只能用空格缩进：请把该行开头的 Tab 换成空格（建议每级 2 个空格）。"
    elif "mapping values are not allowed" in problem_text:
        message = "YAML 格式错误：这一行的冒号位置不对，或上一行缺少冒号、缩进不一致"
        hint = "检查该行和上一行：字段名后要有冒号和一个空格（如“编码: 471”），同一层的字段缩进要对齐。"
    elif "invalid Unicode character escape code" in problem_text:
        escape = re.search(r"\\[uU]([0-9a-fA-F]{4,8})", line_text)
        named = (
            f"（{character_name(chr(int(escape.group(1), 16)))}）"
            if escape and int(escape.group(1), 16) <= 0x10FFFF
            else ""
        )
        message = f"YAML 格式错误：双引号中的 \\u 转义写出了无效的字符{named}"
        hint = "删除这个转义，直接写出文字；含反斜杠的文字请改用单引号。"
    elif "expected <block end>" in problem_text or (
        "did not find expected key" in problem_text and "block mapping" in (exc.context or "")
    ):
        started = f"（第 {exc.context_mark.line + 1} 行开始的这一段）" if exc.context_mark else ""
        message = f"YAML 格式错误：这一行的缩进与上文不一致，或上文的引号没有配对{started}"
        hint = '检查引号是否成对（"…"），同一层的字段缩进是否对齐。'
    elif "could not find expected ':'" in problem_text:
        message = "YAML 格式错误：缺少冒号"
        hint = "每个字段写成“字段名: 值”，冒号后加一个空格。"
    elif "unknown escape character" in problem_text or "expected escape sequence" in problem_text:
        message = "YAML 格式错误：双引号中的反斜杠 \\ 被当作转义符，这里的写法不是有效的转义"
        hint = "含反斜杠的文字（如 Windows 路径 D:\\资料\\表格）请改用单引号：'D:\\资料\\表格'。"
    elif "found undefined alias" in problem_text:
        message = "YAML 格式错误：引用了未定义的锚点（*名称）"
        hint = "删除该引用，或先用 &名称 定义锚点。"
    elif _unclosed(exc):
        opener = exc.context_mark
        what = _UNCLOSED[next(k for k in _UNCLOSED if k in (exc.context or ""))]
        at_end = (
            "stream end" in problem_text
            or "end of stream" in problem_text
            or not "".join(text.split("\n")[mark.line :]).strip()
        )
        last = len(text.rstrip("\n").split("\n"))  # the file's own last line, not where the parser gave up
        if at_end:
            ended = f"到文件末尾（第 {last} 行）仍未闭合"
        elif mark:
            ended = f"读到第 {mark.line + 1} 行（全文 {last} 行）仍未闭合"
        else:
            ended = "仍未闭合"
        message = (
            f"YAML 格式错误：{'文件意外结束（可能被截断）：' if at_end else ''}这一行开始的{what}没有配对，{ended}"
        )
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
        message, hint = _PARSER_MESSAGES.get(
            next((k for k in _PARSER_MESSAGES if k in problem_text), ""), _UNRECOGNISED
        )
        message = f"YAML 格式错误：{message}"
    return error("格式", message, hint).located(position)


_UNRECOGNISED = ("这里的写法无法识别", "请对照示例文件检查该行的缩进、冒号、逗号和引号。")
_PARSER_MESSAGES = {
    "expected ',' or '}'": (
        "花括号 { } 中两项之间缺少逗号，或引号外多写了文字",
        "花括号里的各项写成“键: 值”并用逗号分开；整段文字要放在一对引号之内。",
    ),
    "expected ',' or ']'": (
        "方括号 [ ] 中两项之间缺少逗号，或引号外多写了文字",
        "方括号里的各项用逗号分开；整段文字要放在一对引号之内。",
    ),
    "cannot start any token": ("这里的字符不能出现在值的开头（如 @、`、% 或 Tab）", "把这个值放在引号中，如 '@某某'。"),
    "did not find expected key": (
        "缩进不一致，或这里缺少“字段: ”",
        "同一层的字段缩进要对齐，每个字段写成“字段名: 值”。",
    ),
    "did not find expected '-' indicator": ("列表的各项应以“- ”开头并对齐", "检查这一行和上一行的缩进与开头的“- ”。"),
    "did not find expected node content": ("这里缺少值", "在冒号或“- ”后写上值。"),
    "found unexpected ':'": ("这里多了一个冒号", "值中含有冒号时，请把整个值放在引号中。"),
    "found unexpected end of stream": ("文件意外结束（可能被截断）", "检查文件末尾是否完整，引号和括号是否成对。"),
    "found duplicate anchor": ("同一个锚点（&名称）定义了两次", "把其中一个改名，或不用锚点。"),
    "while scanning an anchor": ("锚点（&名称）的写法不对", "锚点名只用字母和数字；若不是锚点，请把值放在引号中。"),
    "while scanning an alias": ("别名（*名称）的写法不对", "若 * 是文字的一部分，请把值放在引号中。"),
    "while scanning a directive": ("以 % 开头的行无法识别", "删除该行，或把内容放在引号中。"),
    "while scanning a block scalar": (
        "| 或 > 之后的多行文字写法不对",
        "多行文字从下一行开始，并比上一行多缩进两个空格。",
    ),
}


_UNCLOSED = {
    "flow sequence": "方括号 [ ",
    "flow mapping": "花括号 { ",
    "quoted scalar": "引号",
}


def _unclosed(exc: yaml.MarkedYAMLError) -> bool:
    """A bracket or quote opened at context_mark and still open where the parser gave up."""
    return (
        exc.context_mark is not None
        and any(k in (exc.context or "") for k in _UNCLOSED)
        and (
            exc.problem_mark is None
            or exc.problem_mark.line != exc.context_mark.line
            or "end of stream" in (exc.problem or "")
            or "<stream end>" in (exc.problem or "")
        )
    )


# What YAML forbids anywhere in a file (PyYAML's reader's rule), checked before parsing so that the
# message names the character and its line and column.
_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unprintable_problem(text: str, position: int) -> Problem:  # noqa: F821
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = text[position]
    return error(
        "格式",
        f"第 {line} 行有不允许出现在文件中的字符 {character_name(character)}",
        "删除该字符（它通常看不见，多由复制粘贴带入）；用记事本打开后在该位置重新输入这段文字。",
    ).located(Position(line, column))


# ---------------------------------------------------------------- YAML 1.2 core schema

_DEFAULT_TAGS = {SequenceNode: "tag:yaml.org,2002:seq", MappingNode: "tag:yaml.org,2002:map"}


class CoreResolver(yaml.resolver.Resolver):
    """PyYAML reads YAML 1.1, where `1:30` is 90, `0x1F5` is 501, `no` is false and `2023-01-01` a
    date. These are the YAML 1.2 core schema's resolvers, minus its 0o/0x integers: anything else
    is text exactly as typed."""

    yaml_implicit_resolvers: dict = {}

    def resolve(self, kind, value, implicit):
        # The same answer as Resolver.resolve (no path resolvers are used), without its per-call
        # overhead: libyaml calls this once for every node.
        if kind is ScalarNode:
            return _core_scalar_tag(value) if implicit[0] else "tag:yaml.org,2002:str"
        return _DEFAULT_TAGS[kind]


@lru_cache(maxsize=8192)
def _core_scalar_tag(value: str) -> str:
    for tag, pattern in CoreResolver.yaml_implicit_resolvers.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return "tag:yaml.org,2002:str"


try:
    from yaml.cyaml import CParser as _Parser  # libyaml, about 10× faster than the pure-Python parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None
if _Parser is not None:

    class CoreLoader(_Parser, yaml.constructor.SafeConstructor, CoreResolver):
        def __init__(self, stream) -> None:
            _Parser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            CoreResolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class CoreLoader(
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        yaml.constructor.SafeConstructor,
        CoreResolver,
    ):
        def __init__(self, stream) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            CoreResolver.__init__(self)


_RESOLVER = CoreResolver()


def explicit_tag(node: Node) -> str | None:
    """The tag written in the file (`!!binary`, `!!int`), if any: the node's tag differs from what
    the core schema gives its value. `!!str` only says "text", as quotes would, and is let through."""
    tag = node.tag
    if isinstance(node, ScalarNode):
        if tag == "tag:yaml.org,2002:str":
            return None
        return None if tag == _implicit_tag(node.value, node.style in (None, "")) else tag
    return None if tag == _DEFAULT_TAGS.get(type(node)) else tag


@lru_cache(maxsize=4096)
def _implicit_tag(value: str, plain: bool) -> str:
    return _RESOLVER.resolve(ScalarNode, value, (plain, not plain))


CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
CoreResolver.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)

# Characters that do not belong in a department's text: invisible, or they reorder what is shown.
_INVISIBLE = {
    "\u00ad": "软连字符",
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\u200d": "零宽连接符",
    "\u2060": "词连接符",
    "\ufeff": "零宽不换行空格",
    "\u061c": "阿拉伯字母标记",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    **{chr(c): "文字方向控制符" for c in range(0x202A, 0x202F)},
    **{chr(c): "文字方向控制符" for c in range(0x2066, 0x206A)},
}


def character_name(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character in _INVISIBLE:
        return f"{code} {_INVISIBLE[character]}"
    category = unicodedata.category(character)
    if category == "Cs":
        return f"{code} 无效的代理字符"
    if category == "Cc":
        return f"{code} 控制字符"
    return f"{code} {unicodedata.name(character, '')}".rstrip()


_MAYBE_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]"
)


def hidden_characters(text: str) -> list[tuple[int, str]]:
    """(position, character) of each character that must not reach a published document."""
    if not _MAYBE_HIDDEN.search(text):
        return []
    found = []
    for index, character in enumerate(text):
        category = unicodedata.category(character)
        if character in _INVISIBLE or category == "Cs" or (category == "Cc" and character not in "\t\n\r"):
            found.append((index, character))
    return found


_NOT_CANONICAL_INT = re.compile(r"\+\d+|[+-]?0\d+")  # +471, 0471: codes, kept as typed


class _Builder:
    def __init__(self, filename: str, text: str) -> None:
        self.source = SourceMap(filename)
        self.problems: list = []
        self.text = text
        self.seen: set[int] = set()
        self.repeated = 0  # values reached again through an alias
        self.refused_aliases = False
        self.too_deep = False

    def build(self, node: Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.problems.append(
                    error(
                        "格式",
                        f"数据嵌套超过 {MAX_DEPTH} 层（可能是自引用的锚点）",
                        "检查缩进；不要用 & 和 * 让数据引用自身。",
                    ).located(_position(node))
                )
            return None
        if id(node) in self.seen:
            self.repeated += 1
            if self.repeated > MAX_ALIAS_VALUES:
                if not self.refused_aliases:
                    self.refused_aliases = True
                    self.problems.append(
                        error(
                            "格式",
                            f"锚点/别名引用过多：用 & 和 * 展开后重复了 {MAX_ALIAS_VALUES} 个以上的值",
                            "不要用 & 和 * 反复嵌套引用；直接写出每一行数据。",
                        ).located(_position(node))
                    )
                return None
        self.seen.add(id(node))
        self.source.values.setdefault(path, _position(node))
        tag = explicit_tag(node)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                error(
                    "格式",
                    f"不支持 YAML 标签「{shown}」，它会改变所写内容的含义",
                    "删除标签，直接写值；文字可加引号。",
                    path,
                ).located(_position(node))
            )
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
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
            if not isinstance(key_node, ScalarNode) or explicit_tag(key_node) is not None:
                self.problems.append(
                    error("格式", "字段名必须是文字", "检查该行冒号前的内容。").located(_position(key_node))
                )
                continue
            key = key_node.value  # a key is a name, read exactly as typed (2150577, not a list position)
            self._check_text(key, path + (key,), key_node)
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

    def _scalar(self, node: ScalarNode, path: Path_) -> Any:
        tag = node.tag
        text = node.value
        if tag == "tag:yaml.org,2002:float":
            try:
                number = Decimal(text)
            except InvalidOperation:
                return text  # .inf / .nan: the model reports it as "not a number"
            return number if number.is_finite() else text
        if tag == "tag:yaml.org,2002:int":
            if _NOT_CANONICAL_INT.fullmatch(text):
                return text  # codes such as 001 are text, not numbers
            return int(text)
        if tag == "tag:yaml.org,2002:bool":
            return text.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        controls = [ch for ch in text if unicodedata.category(ch) == "Cc"]
        if node.style == '"' and controls:
            raw = self.text[node.start_mark.index : node.end_mark.index]
            self.problems.append(
                error(
                    "格式",
                    f"双引号中的反斜杠被当作转义符：{raw} 读出后含有 {character_name(controls[0])}（换行、制表符等）",
                    f"含反斜杠的文字（如 Windows 路径）请改用单引号：'{raw[1:-1]}'。",
                    path,
                ).located(_position(node))
            )
            return text
        self._check_text(text, path, node)
        return text

    def _check_text(self, text: str, path: Path_, node: Node) -> None:
        hidden = hidden_characters(text)
        if hidden:
            index, character = hidden[0]
            more = f"等 {len(hidden)} 个" if len(hidden) > 1 else ""
            self.problems.append(
                error(
                    "字符",
                    f"文字中有看不见的字符 {character_name(character)}{more}（第 {index + 1} 个字符处）",
                    "删除该字符：它在屏幕上看不见，却会让名称对不上或打印出错，多由从网页、微信复制带入；可删掉这段文字后重新输入。",
                    path,
                ).located(_position(node))
            )


def _position(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
