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

from .loading import SourceMap, load_bytes
from .problems import InputRejected, error

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

    def where(self, dotted: str) -> str:
        """`file:line（模板集「name」）` of the most specific set that writes this setting."""
        path = tuple(dotted.split("."))
        for layer in self.layers:
            node: Any = layer.settings
            for part in path:
                node = node.get(part) if isinstance(node, dict) else None
            if node is not None:
                position = layer.source.position(path)
                line = f":{position.line}" if position else ""
                return f"{layer.folder / THEME_FILE}{line}（模板集「{layer.name}」）"
        return f"模板集「{self.name}」"


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
        folder = find_set(current, search_dirs, skip=tuple(layer.folder for layer in layers))
        if any(layer.folder == folder for layer in layers):
            names = " → ".join([layer.name for layer in layers] + [folder.name])
            raise InputRejected([error("模板", f"模板集继承出现循环：{names}", "检查各 theme.yaml 的 extends。")])
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
    try:
        loaded = load_bytes(path.read_bytes(), str(path))
    except OSError as exc:
        raise InputRejected([error("模板", f"无法读取模板设置 {path}：{exc.strerror}", "检查文件权限。")])
    except InputRejected as exc:
        raise InputRejected([_in_theme(p, path) for p in exc.problems])
    if not isinstance(loaded.data, dict):
        raise InputRejected([error("模板", f"模板设置 {path} 应是“字段: 值”的映射", "参照 templates/base/theme.yaml。")])
    return Layer(folder, loaded.data, loaded.source)


def _in_theme(problem, path: Path):
    where = f"{path}:{problem.position.line}" if problem.position else str(path)
    return error("模板", f"模板设置 {where} 有误：{problem.message}", problem.hint)


def _validate(theme: Theme) -> None:
    """Settings that reach CSS or page geometry must be plain values."""
    problems = []
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
