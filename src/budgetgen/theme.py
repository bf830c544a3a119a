"""Template sets: folders of wording and layout that a city finance bureau edits without code.

A set is templates/<name>/theme.yaml (plus template files it overrides). `extends: <parent>`
chains sets; settings merge key by key (mappings recursively, lists replaced whole), so a city set
states only what differs from its parent. Resolution walks set → parents → base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .problems import InputRejected, error

SET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
THEME_FILE = "theme.yaml"


def builtin_templates_dir() -> Path:
    """templates/ of the source tree, or its copy inside an installed wheel."""
    packaged = Path(__file__).resolve().parent / "_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Theme:
    name: str
    chain: tuple[Path, ...]  # set folders, most specific first
    settings: dict[str, Any]

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


def load_theme(name: str, search_dirs: tuple[Path, ...] = ()) -> Theme:
    return _load_theme(name, tuple(search_dirs) + (builtin_templates_dir(),))


@lru_cache(maxsize=32)
def _load_theme(name: str, search_dirs: tuple[Path, ...]) -> Theme:
    chain: list[Path] = []
    layers: list[dict] = []
    current: str | None = name
    while current is not None:
        folder = _find_set(current, search_dirs)
        if folder in chain:
            names = " → ".join(p.name for p in chain + [folder])
            raise InputRejected([error("模板", f"模板集继承出现循环：{names}", "检查各 theme.yaml 的 extends。")])
        settings = _read_theme_file(folder)
        chain.append(folder)
        layers.append(settings)
        current = settings.get("extends")
    merged: dict = {}
    for layer in reversed(layers):
        merged = deep_merge(merged, layer)
    merged.pop("extends", None)
    return Theme(name, tuple(chain), merged)


def _find_set(name: str, search_dirs: tuple[Path, ...]) -> Path:
    if not isinstance(name, str) or not SET_NAME.fullmatch(name) or ".." in name:
        raise InputRejected(
            [error("模板", f"模板集名称「{name}」不合法", "名称只能包含字母、数字、-、_ 和 .，不能包含路径（如 ../）。")]
        )
    for root in search_dirs:
        folder = root / name
        if (folder / THEME_FILE).is_file():
            return folder
    available = ", ".join(sorted(list_sets(search_dirs))) or "（无）"
    raise InputRejected(
        [error("模板", f"找不到模板集「{name}」", f"可用的模板集：{available}。检查 YAML 中的“模板”字段或 --templates 目录。")]
    )


def list_sets(search_dirs: tuple[Path, ...]) -> set[str]:
    names: set[str] = set()
    for root in search_dirs:
        if root.is_dir():
            names.update(p.name for p in root.iterdir() if (p / THEME_FILE).is_file())
    return names


def _read_theme_file(folder: Path) -> dict:
    path = folder / THEME_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputRejected([error("模板", f"无法读取模板设置 {path}：{exc}", "检查该 theme.yaml 的格式。")])
    if not isinstance(data, dict):
        raise InputRejected([error("模板", f"模板设置 {path} 应是“字段: 值”的映射", "参照 templates/base/theme.yaml。")])
    return data


def deep_merge(base: dict, override: dict) -> dict:
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = value
    return result
