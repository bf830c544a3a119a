"""Template sets: folders of wording and layout that a city finance bureau edits without code.

A set is templates/<name>/theme.yaml (plus template files it overrides). `extends: <parent>`
chains sets; settings merge key by key, so a city set states only what differs from its parent:
mappings merge recursively; a list is replaced whole when the child writes a list, and edited entry
by entry when the child writes a mapping keyed by the entries' names (`entry_edits`). Resolution
walks set → parents → base, the way MkDocs resolves a theme under a custom_dir. theme.yaml is read
with the same loader as department files, so a mistake in it is reported with its file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .loading import SourceMap, load_bytes, read_limited
from .problems import InputRejected, error, format_path
from .settings import SetSettings

SET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
THEME_FILE = "theme.yaml"


def builtin_templates_dir() -> Path:
    """templates/ of the source tree, or its copy inside an installed wheel."""
    return _shipped("templates")


def builtin_examples_dir() -> Path:
    """examples/ (the reference departments), from the source tree or the wheel."""
    return _shipped("examples")


def _shipped(folder: str) -> Path:
    packaged = Path(__file__).resolve().parent / f"_{folder}"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / folder


@dataclass(frozen=True)
class Layer:
    """One set of the chain: its folder, its own settings and where each was written."""

    folder: Path
    settings: dict
    source: SourceMap

    @property
    def name(self) -> str:
        return self.folder.name


@dataclass(frozen=True)
class Theme:
    name: str
    layers: tuple[Layer, ...]  # most specific first
    settings: dict[str, Any]  # merged, as written (for `templates show`, and the kinds' own options)
    parsed: SetSettings | None = None  # the same, parsed at load

    @property
    def config(self) -> SetSettings:
        """The set's typed settings: what every consumer reads."""
        assert self.parsed is not None, "a Theme is parsed by load_theme"
        return self.parsed

    @property
    def chain(self) -> tuple[Path, ...]:
        return tuple(layer.folder for layer in self.layers)

    def where(self, dotted: str | tuple) -> str:
        """`file:line（模板集「name」）` of the most specific set that writes this setting."""
        path = tuple(dotted.split(".")) if isinstance(dotted, str) else tuple(dotted)
        for layer in self.layers:
            node: Any = layer.settings
            for part in path:
                if isinstance(node, dict):
                    node = node.get(part)
                elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                    node = node[part]
                else:
                    node = None
            if node is not None:
                position = layer.source.position(path)
                line = f":{position.line}" if position else ""
                return f"{layer.folder / THEME_FILE}{line}（模板集「{layer.name}」）"
        return f"模板集「{self.name}」"


def set_file(theme: Theme, relative: str) -> Path | None:
    """A file of the set chain by its relative name (most specific set first), its real path —
    symlinks followed — inside that set's folder; None for anything else."""
    if not relative or Path(relative).is_absolute():
        return None
    for folder in theme.chain:
        root = folder.resolve()
        candidate = (folder / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def search_dirs_for(source: Path | None, extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """--templates folders, then a templates/ folder beside the department file, then the built-in sets."""
    dirs = list(extra)
    if source is not None and (source.parent / "templates").is_dir():
        dirs.append(source.parent / "templates")
    dirs.append(builtin_templates_dir())
    return tuple(dict.fromkeys(d.resolve() for d in dirs))


def load_theme(name: str, search_dirs: tuple[Path, ...] = ()) -> Theme:
    if builtin_templates_dir().resolve() not in search_dirs:
        search_dirs = tuple(search_dirs) + (builtin_templates_dir().resolve(),)
    key = (name, tuple(search_dirs))
    cached = _THEMES.get(key)
    if cached is not None and cached[1] == _files_stamp(cached[0].chain):
        return cached[0]
    theme = _load_theme(*key)
    if len(_THEMES) >= THEMES_KEPT:
        _THEMES.pop(next(iter(_THEMES)))
    _THEMES[key] = (theme, _files_stamp(theme.chain))
    return theme


THEMES_KEPT = 32
_THEMES: dict[tuple, tuple[Theme, tuple]] = {}


def _files_stamp(folders: tuple[Path, ...]) -> tuple:
    """What a set chain's files look like now: a set edited while the web server runs is read again."""
    stamp = []
    for folder in folders:
        try:
            stamp += [(p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file()]
        except OSError:
            stamp.append((str(folder), None, None))
    return tuple(stamp)


def _load_theme(name: str, search_dirs: tuple[Path, ...]) -> Theme:
    layers: list[Layer] = []
    current: str | None = name
    while current is not None:
        try:
            folder = find_set(current, search_dirs, skip=tuple(layer.folder for layer in layers))
        except InputRejected:
            if any(layer.name == current for layer in layers):  # only the sets already in the chain bear that name
                names = " → ".join([layer.name for layer in layers] + [str(current)])
                raise InputRejected(
                    [
                        error(
                            "模板",
                            f"模板集继承出现循环：{names}",
                            "检查这些模板集 theme.yaml 中的 extends，让继承最终到达 base。",
                        )
                    ]
                ) from None
            raise
        layer = _read_layer(folder)
        layers.append(layer)
        current = layer.settings.get("extends")
    merged: dict = {}
    for layer in reversed(layers):
        problems: list = []
        merged = deep_merge(merged, layer.settings, edits=EntryEdits(layer, problems))
        if problems:
            raise InputRejected(problems)
    merged.pop("extends", None)
    theme = Theme(name, tuple(layers), merged)
    shapes = shape_problems(_reference_settings(), merged)
    problems = [_shape_error(theme, path, expected) for path, expected in shapes]
    try:
        typed = SetSettings.model_validate(merged)
    except ValidationError as exc:  # all at once, each setting named once
        problems += model_problems(theme, (), exc, SetSettings, skip={path for path, _ in shapes})
        raise InputRejected(problems) from None
    if problems:
        raise InputRejected(problems)
    return Theme(name, tuple(layers), merged, typed)


def find_set(name: str, search_dirs: tuple[Path, ...], skip: tuple[Path, ...] = ()) -> Path:
    """The folder of set `name`. A set may extend one of the same name further down the search
    path (a city's `base` override extending the built-in base), hence `skip`."""
    if not isinstance(name, str) or not SET_NAME.fullmatch(name) or ".." in name:
        raise InputRejected(
            [
                error(
                    "模板", f"模板集名称「{name}」不合法", "名称只能包含字母、数字、-、_ 和 .，不能包含路径（如 ../）。"
                )
            ]
        )
    for root in search_dirs:
        folder = (root / name).resolve()
        if folder in skip:
            continue
        if (folder / THEME_FILE).is_file() and folder.parent == root.resolve():
            return folder
    available = ", ".join(sorted(list_sets(search_dirs))) or "（无）"
    raise InputRejected(
        [
            error(
                "模板",
                f"找不到模板集「{name}」",
                f"可用的模板集：{available}。检查 YAML 中的“模板”字段或 --templates 目录。",
            )
        ]
    )


def list_sets(search_dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Set name → folder, the first found along the search path winning."""
    found: dict[str, Path] = {}
    for root in search_dirs:
        if root.is_dir():
            for folder in sorted(root.iterdir()):
                if (folder / THEME_FILE).is_file():
                    found.setdefault(folder.name, folder)
    return found


def _read_layer(folder: Path) -> Layer:
    path = folder / THEME_FILE
    if not path.resolve().is_relative_to(folder.resolve()):
        raise InputRejected(
            [
                error(
                    "模板",
                    f"模板集「{folder.name}」的 {THEME_FILE} 是指向模板集之外的链接",
                    "把设置文件本身放进模板集文件夹，不要用链接。",
                )
            ]
        )
    try:
        loaded = load_bytes(read_limited(path), str(path))
    except InputRejected as exc:
        raise InputRejected([_in_theme(p, path) for p in exc.problems]) from None
    if not isinstance(loaded.data, dict):
        raise InputRejected(
            [error("模板", f"模板设置 {path} 应是“字段: 值”的映射", "参照 templates/base/theme.yaml。")]
        )
    return Layer(folder, loaded.data, loaded.source)


def _in_theme(problem, path: Path):
    where = f"{path}:{problem.position.line}" if problem.position else str(path)
    return error("模板", f"模板设置 {where} 有误：{problem.message}", problem.hint)


def _shape_error(theme: Theme, path: tuple, expected: str):
    """A setting whose kind differs from base's, or a key base lacks (shape_problems)."""
    return error(
        "模板",
        f"{theme.where(path)} 的设置 {_dotted(path)} {expected}",
        "对照 templates/base/theme.yaml 中的同名设置修改。",
    )


@lru_cache(maxsize=1)
def _reference_settings() -> dict:
    return _read_layer(builtin_templates_dir() / "base").settings


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return "none"


_EXPECTED = {
    "bool": "应为 true 或 false",
    "number": "应为数字",
    "text": "应为文字",
    "mapping": "应为一组“键: 值”",
    "list": "应为列表（每项以“- ”开头）",
}


# Settings whose keys are the set's own names (snippets, glossary edits, tables, sentence needs), or
# that a typed model checks instead (tables: by their kind's options).
FREE_KEYS = {("tables",), ("narrative", "snippets"), ("narrative", "glossary_changes")}
TOP_LEVEL_ONLY = {"extends", "description"}


def shape_problems(reference: Any, value: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Where `value` differs in kind from the base setting at the same place: a text where a list
    is needed, a list entry missing a key every base entry has, a key base does not have (with the
    nearest known key, for a misspelling)."""
    if reference is None or value is None and _kind(reference) == "text" or path in FREE_KEYS:
        return []
    wanted, got = _kind(reference), _kind(value)
    if wanted != got:
        return [(path, _EXPECTED[wanted])]
    if wanted == "mapping":
        unknown = [
            (path + (key,), f"不是可用的设置{did_you_mean(str(key), [str(k) for k in reference])}")
            for key in value
            if key not in reference and reference and not (not path and key in TOP_LEVEL_ONLY)
        ]
        return unknown + [
            found
            for key in value
            if key in reference
            for found in shape_problems(reference[key], value[key], path + (key,))
        ]
    if wanted == "list" and reference:
        return [found for index, item in enumerate(value) for found in _item_problems(reference, item, path + (index,))]
    return []


def _item_problems(reference: list, item: Any, path: tuple) -> list[tuple[tuple, str]]:
    if not all(isinstance(entry, dict) for entry in reference):
        return shape_problems(reference[0], item, path)
    if not isinstance(item, dict):
        return [(path, _EXPECTED["mapping"])]
    required = set.intersection(*(set(entry) for entry in reference))
    found = [(path, f"缺少「{key}」") for key in sorted(required) if key not in item]
    for key, value in item.items():
        example = next((entry[key] for entry in reference if key in entry), None)
        found += shape_problems(example, value, path + (key,))
    return found


def did_you_mean(word: str, known: list[str]) -> str:
    """ "（是不是「…」？）" for the nearest known name, or nothing."""
    import difflib

    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"（是不是「{close[0]}」？）" if close else ""


def model_problems(theme: Theme, base: tuple, exc: Any, model: Any, skip: set[tuple] = frozenset()) -> list:
    """A pydantic ValidationError of typed set settings, as located errors in Chinese (`skip`: the
    settings already reported)."""
    problems = []
    for item in exc.errors():
        loc = tuple(item["loc"])
        path = base + loc
        if any(path[: len(named)] == named for named in skip):
            continue
        name = _dotted(path)
        kind = item["type"]
        if kind == "extra_forbidden":
            known = _known_fields(model, loc[:-1])
            message = f"不是可用的设置{did_you_mean(str(loc[-1]), known)}"
            hint = f"可用的设置：{'、'.join(known)}。" if known else "删去这一行。"
        elif kind == "missing":
            message = "缺少这一设置"
            hint = "补上它（对照 docs/城市模板指南.md）。"
        elif kind in ("literal_error", "enum"):
            message = f"「{item.get('input')}」不是可选的值"  # printed right after the setting's name
            choices = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
            hint = f"可选：{'、'.join(choices)}。"
        elif kind in _BOUNDS:
            bound = item.get("ctx", {}).get(_BOUND_KEY[kind])
            bound = int(bound) if isinstance(bound, float) and bound.is_integer() else bound
            message = f"「{item.get('input')}」{_BOUNDS[kind]} {bound}"
            hint = "只写数字，在 templates/base/theme.yaml 注释所说的范围内。"
        else:
            message = f"{_PYDANTIC_KINDS.get(kind.split('_')[0], '的写法不对')}（写的是「{item.get('input')}」）"
            hint = "对照 docs/城市模板指南.md 中该设置的写法修改。"
        joint = "" if message.startswith("「") else " "  # docx.heading_align「middle」…
        problems.append(error("模板", f"{theme.where(path)} 的设置 {name}{joint}{message}", hint))
    return problems


_BOUNDS = {
    "greater_than_equal": "应不小于",
    "less_than_equal": "应不大于",
    "greater_than": "应大于",
    "less_than": "应小于",
}
_BOUND_KEY = {"greater_than_equal": "ge", "less_than_equal": "le", "greater_than": "gt", "less_than": "lt"}
_PYDANTIC_KINDS = {
    "float": "应为数字",
    "bool": "应为 true 或 false",
    "int": "应为整数",
    "string": "应为文字",
    "tuple": "应为列表",
    "dict": "应为一组“键: 值”",
    "model": "应为一组“键: 值”",
}


def _known_fields(model: Any, loc: tuple) -> list[str]:
    """The field names of the (nested) model at `loc`, for a did-you-mean."""
    import typing

    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        candidates = [a for a in typing.get_args(field.annotation) if hasattr(a, "model_fields")]
        model = candidates[0] if candidates else field.annotation
    return list(getattr(model, "model_fields", {}))


def _dotted(path: tuple) -> str:
    return format_path(path)


def _is_decimal(value: Any) -> bool:
    return isinstance(value, Decimal)


def deep_merge(base: dict, override: dict, path: tuple = (), edits: EntryEdits | None = None) -> dict:
    result = dict(base)
    for key, value in override.items():
        here = path + (key,)
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value, here, edits)
        elif isinstance(value, dict) and isinstance(result.get(key), list) and edits is not None:
            result[key] = edits.apply(result[key], value, here)
        else:
            result[key] = value
    return result


# ---------------------------------------------------------------- entry edits

IDENTITY_FIELDS = ("key", "row", "label")  # what names an entry of a list, in this order
REMOVE, BEFORE, AFTER = "remove", "before", "after"


def entry_name(entry: Any) -> str | None:
    """The name a child set uses for one entry of a parent's list: its `key`, `row` or `label`, or
    the first item of a pair such as a glossary [名词, 解释]."""
    if isinstance(entry, dict):
        return next((str(entry[f]) for f in IDENTITY_FIELDS if f in entry), None)
    if isinstance(entry, list) and entry:
        return str(entry[0])
    return None


@dataclass
class EntryEdits:
    """Edits of a parent's list written as a mapping: `名称: {字段: 新值}` changes one entry,
    `名称: {remove: true}` removes it, a new name with `before:` / `after:` inserts an entry there
    (a new name without a place is taken for a typo and refused), and `before:` / `after:` also
    move an existing one. A pair list (the glossary) takes `名词: 新解释` directly."""

    layer: Layer
    problems: list

    def apply(self, entries: list, edits: dict, path: tuple) -> list:
        names = [entry_name(e) for e in entries]
        if not entries or None in names:
            self._problem(path, "是列表，不能按名称逐项修改", "写成完整的列表（每项以“- ”开头）。")
            return entries
        result = list(entries)
        for name, edit in edits.items():
            name = str(name)
            self._apply_one(result, name, edit, path + (name,))
        return result

    def _apply_one(self, result: list, name: str, edit: Any, path: tuple) -> None:
        names = [entry_name(e) for e in result]
        index = names.index(name) if name in names else None
        pairs = isinstance(result[0], list)
        if isinstance(edit, dict) and REMOVE in edit and edit[REMOVE] is not True:
            self._problem(path + (REMOVE,), "应写 remove: true（删除该项）", "不删除时去掉 remove 这一项。")
            return
        if isinstance(edit, dict) and edit.get(REMOVE) is True:
            if index is None:
                self._problem(path, f"要删除的「{name}」不在上级模板集的列表中", f"现有：{'、'.join(names)}。")
            else:
                del result[index]
            return
        if pairs and not isinstance(edit, dict):
            edit = {"text": edit}
        if not isinstance(edit, dict):
            self._problem(
                path, "应为一组“字段: 值”（或 remove: true 删除该项）", "如 “glossary: {title: 名词解释说明}”。"
            )
            return
        place = {k: edit[k] for k in (BEFORE, AFTER) if k in edit}
        if index is None and not place:
            self._problem(
                path,
                f"「{name}」不在上级模板集的列表中（现有：{'、'.join(names)}）",
                "修改请写现有的名称；新增一项请同时写 before: 或 after: 指明放在哪一项之前或之后。",
            )
            return
        fields = {k: v for k, v in edit.items() if k not in (BEFORE, AFTER, REMOVE)}
        if pairs and index is None and "text" not in fields:
            self._problem(path, f"「{name}」不在上级模板集的列表中，新增需写出解释", f"写“{name}: 解释文字”。")
            return
        if pairs:
            entry = [name, fields.get("text", result[index][1] if index is not None else "")]
        elif index is not None:
            entry = deep_merge(result[index], fields)
        else:
            entry = self._new_entry(result, name, fields, path)
            if entry is None:
                return
        if index is not None:
            del result[index]
        position = self._position(result, place, index, path)
        result.insert(position, entry)

    def _new_entry(self, result: list, name: str, fields: dict, path: tuple) -> dict | None:
        identity = next(f for f in IDENTITY_FIELDS if f in result[0])
        entry = {identity: name, **fields}
        required = set.intersection(*(set(e) for e in result if isinstance(e, dict)))
        missing = sorted(required - set(entry))
        if missing:
            known = "、".join(str(entry_name(e)) for e in result)
            self._problem(
                path,
                f"「{name}」不在上级模板集的列表中（现有：{known}）；新增一项还需写出 {'、'.join(missing)}",
                "改名称请写现有的名称；新增请写全该项的字段。",
            )
            return None
        return entry

    def _position(self, result: list, place: dict, index: int | None, path: tuple) -> int:
        if not place:
            return len(result) if index is None else index
        key, target = next(iter(place.items()))
        names = [entry_name(e) for e in result]
        if str(target) not in names:
            self._problem(
                path + (key,), f"{key} 所指的「{target}」不在列表中", f"现有：{'、'.join(str(n) for n in names)}。"
            )
            return len(result) if index is None else index
        return names.index(str(target)) + (1 if key == AFTER else 0)

    def _problem(self, path: tuple, message: str, hint: str) -> None:
        position = self.layer.source.position(path)
        where = (
            f"{self.layer.folder / THEME_FILE}{f':{position.line}' if position else ''}（模板集「{self.layer.name}」）"
        )
        self.problems.append(error("模板", f"{where} 的设置 {format_path(path)} {message}", hint))
