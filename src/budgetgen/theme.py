"""Template sets: folders of wording and layout that a city finance bureau edits without code.

A set is templates/<name>/theme.yaml (plus template files it overrides). `extends: <parent>`
chains sets; settings merge key by key (mappings recursively, lists replaced whole), so a city set
states only what differs from its parent. Resolution walks set → parents → base, the way MkDocs
resolves a theme under a custom_dir. theme.yaml is read with the same loader as department files,
so a mistake in it is reported with its file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from .loading import SourceMap, load_bytes, read_limited
from .problems import InputRejected, error, format_path

SET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
THEME_FILE = "theme.yaml"
PAGE_SIZES = ("A4", "A3", "B5", "Letter")


def builtin_templates_dir() -> Path:
    """templates/ of the source tree, or its copy inside an installed wheel."""
    packaged = Path(__file__).resolve().parent / "_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


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
    settings: dict[str, Any]

    @property
    def chain(self) -> tuple[Path, ...]:
        return tuple(layer.folder for layer in self.layers)

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.settings
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def require(self, dotted: str) -> Any:
        value = self.get(dotted)
        if value is None:
            raise InputRejected(
                [error("模板", f"模板集「{self.name}」缺少设置 {dotted}", "在 theme.yaml 中补上该设置，或让模板集继承（extends）base。")]
            )
        return value

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
    return _load_theme(name, tuple(search_dirs))


@lru_cache(maxsize=32)
def _load_theme(name: str, search_dirs: tuple[Path, ...]) -> Theme:
    layers: list[Layer] = []
    current: str | None = name
    while current is not None:
        try:
            folder = find_set(current, search_dirs, skip=tuple(layer.folder for layer in layers))
        except InputRejected:
            if any(layer.name == current for layer in layers):  # only the sets already in the chain bear that name
                names = " → ".join([layer.name for layer in layers] + [str(current)])
                raise InputRejected([error("模板", f"模板集继承出现循环：{names}", "检查这些模板集 theme.yaml 中的 extends，让继承最终到达 base。")])
            raise
        layer = _read_layer(folder)
        layers.append(layer)
        current = layer.settings.get("extends")
    merged: dict = {}
    for layer in reversed(layers):
        merged = deep_merge(merged, layer.settings)
    merged.pop("extends", None)
    theme = Theme(name, tuple(layers), merged)
    _validate(theme)
    return theme


def find_set(name: str, search_dirs: tuple[Path, ...], skip: tuple[Path, ...] = ()) -> Path:
    """The folder of set `name`. A set may extend one of the same name further down the search
    path (a city's `base` override extending the built-in base), hence `skip`."""
    if not isinstance(name, str) or not SET_NAME.fullmatch(name) or ".." in name:
        raise InputRejected(
            [error("模板", f"模板集名称「{name}」不合法", "名称只能包含字母、数字、-、_ 和 .，不能包含路径（如 ../）。")]
        )
    for root in search_dirs:
        folder = (root / name).resolve()
        if folder in skip:
            continue
        if (folder / THEME_FILE).is_file() and folder.parent == root.resolve():
            return folder
    available = ", ".join(sorted(list_sets(search_dirs))) or "（无）"
    raise InputRejected(
        [error("模板", f"找不到模板集「{name}」", f"可用的模板集：{available}。检查 YAML 中的“模板”字段或 --templates 目录。")]
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
        raise InputRejected([error("模板", f"模板集「{folder.name}」的 {THEME_FILE} 是指向模板集之外的链接", "把设置文件本身放进模板集文件夹，不要用链接。")])
    try:
        loaded = load_bytes(read_limited(path), str(path))
    except InputRejected as exc:
        raise InputRejected([_in_theme(p, path) for p in exc.problems])
    if not isinstance(loaded.data, dict):
        raise InputRejected([error("模板", f"模板设置 {path} 应是“字段: 值”的映射", "参照 templates/base/theme.yaml。")])
    return Layer(folder, loaded.data, loaded.source)


def _in_theme(problem, path: Path):
    where = f"{path}:{problem.position.line}" if problem.position else str(path)
    return error("模板", f"模板设置 {where} 有误：{problem.message}", problem.hint)


def _validate(theme: Theme) -> None:
    """Every setting has the shape the built-in base gives it; those that reach CSS or page
    geometry must also be plain values in range."""
    problems = [
        error("模板", f"{theme.where(path)} 的设置 {_dotted(path)} {expected}", "对照 templates/base/theme.yaml 中的同名设置修改。")
        for path, expected in shape_problems(_reference_settings(), theme.settings)
    ]
    if problems:
        raise InputRejected(problems)
    page = theme.get("page", {}) or {}
    if page.get("size", "A4") not in PAGE_SIZES:
        problems.append(error("模板", f"{theme.where('page.size')} 的纸张 page.size「{page.get('size')}」不支持", f"可选：{'、'.join(PAGE_SIZES)}。"))
    for key in ("margin_top_mm", "margin_bottom_mm", "margin_left_mm", "margin_right_mm"):
        value = page.get(key, 20)
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not _is_decimal(value) or not 0 <= value <= 60:
            problems.append(error("模板", f"{theme.where('page.' + key)} 的页边距 page.{key}「{value}」应为 0 到 60 之间的毫米数", "只写数字，如 20。"))
    fonts = theme.get("fonts", {}) or {}
    for key in ("size_body_pt", "size_table_pt", "size_title_pt"):
        value = fonts.get(key, 12)
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not _is_decimal(value) or not 5 <= value <= 40:
            problems.append(error("模板", f"{theme.where('fonts.' + key)} 的字号 fonts.{key}「{value}」应为 5 到 40 之间的磅值", "只写数字，如 12。"))
    if problems:
        raise InputRejected(problems)


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


_EXPECTED = {"bool": "应为 true 或 false", "number": "应为数字", "text": "应为文字", "mapping": "应为一组“键: 值”", "list": "应为列表（每项以“- ”开头）"}


def shape_problems(reference: Any, value: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Where `value` differs in kind from the base setting at the same place: a text where a list
    is needed, a list entry missing a key every base entry has. Keys base lacks are not judged."""
    if reference is None or value is None and _kind(reference) == "text":
        return []
    wanted, got = _kind(reference), _kind(value)
    if wanted != got:
        return [(path, _EXPECTED[wanted])]
    if wanted == "mapping":
        return [found for key in value if key in reference for found in shape_problems(reference[key], value[key], path + (key,))]
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


def _dotted(path: tuple) -> str:
    return format_path(path)


def _is_decimal(value: Any) -> bool:
    return isinstance(value, Decimal)


def deep_merge(base: dict, override: dict) -> dict:
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = value
    return result
