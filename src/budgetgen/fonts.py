"""Fonts: chosen from the template set's lists before anything is rendered.

The HTML names the set's families followed by a fixed fallback, whatever this machine has, so the
HTML and DOCX bytes are the same on every machine. Whether a named CJK font is actually installed
is asked only when a PDF is about to be laid out (`require_installed_cjk_font`), and a missing one
is a clear error then. The DOCX contents takes its page numbers from that layout where a font is
installed, and lists the headings without numbers where none is.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from .problems import InputRejected, error
from .theme import Theme

FALLBACK = {"body": ("Noto Serif CJK SC", "serif"), "heading": ("Noto Sans CJK SC", "sans-serif")}


def css_fonts(theme: Theme) -> dict:
    """The set's font settings with `body` and `heading` as CSS font-family lists."""
    fonts = theme.config.fonts.model_dump()
    for key, fallback in FALLBACK.items():
        names = list(dict.fromkeys([*map(str, fonts[key]), *fallback[:-1]]))
        fonts[key] = ", ".join(_css_string(name) for name in names) + f", {fallback[-1]}"
    return fonts


def _css_string(name: str) -> str:
    return '"' + "".join(ch for ch in str(name) if ch not in '"\\<>{};\n') + '"'


def installed_cjk_font(theme: Theme) -> bool:
    """Whether one of the set's fonts is installed (True where fontconfig cannot be asked)."""
    installed = installed_cjk_families()
    return installed is None or any(name in installed for name in _wanted(theme))


def _wanted(theme: Theme) -> list[str]:
    return [*theme.config.fonts.body, *theme.config.fonts.heading]


def require_installed_cjk_font(theme: Theme) -> None:
    """Refuse to build a PDF rather than print boxes: one of the set's fonts must be installed."""
    wanted = _wanted(theme)
    if not installed_cjk_font(theme):
        raise InputRejected(
            [
                error(
                    "字体",
                    f"没有找到模板集「{theme.name}」要求的中文字体（{'、'.join(wanted[:4])} 等）",
                    "运行 bash scripts/setup.sh 安装中文字体（fonts-noto-cjk），或在 Windows 上确认已安装宋体、黑体。",
                )
            ]
        )


@lru_cache(maxsize=1)
def installed_cjk_families() -> frozenset[str] | None:
    if shutil.which("fc-list") is None:
        return None
    output = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    families = set()
    for line in output.splitlines():
        families.update(part.strip() for part in line.split(","))
    return frozenset(families)


ROLES = {"body": "正文和表格", "heading": "标题"}


def fonts_used(theme: Theme) -> dict[str, tuple[str, str | None, bool]]:
    """Each role's requested font (the set's first choice), the one the PDF will really use (the
    first of the set's list that is installed, else the fallback; None where fontconfig cannot be
    asked), and whether that one is among the fonts the set lists."""
    installed = installed_cjk_families()
    used = {}
    for role in ROLES:
        wanted = list(getattr(theme.config.fonts, role))
        if installed is None:
            used[role] = (wanted[0], None, True)
            continue
        found = next((name for name in wanted if name in installed), None)
        fallback = next((name for name in sorted(installed) if FALLBACK[role][0] in name), None)
        used[role] = (wanted[0], found or fallback or (sorted(installed)[0] if installed else None), found is not None)
    return used


def font_problems(theme: Theme, strict: bool = False) -> list:
    """A set's first-choice font that is not installed: the PDF prints another one, and the DOCX
    (which names the set's Word font) will not match it — said, and refused under --strict."""
    from .problems import warning

    problems = []
    for role, (requested, used, listed) in fonts_used(theme).items():
        if used is None or listed:  # one of the fonts the set accepts is installed
            continue
        docx = getattr(theme.config.fonts, f"docx_{role}")
        make = error if strict else warning
        problems.append(
            make(
                "字体",
                f"模板集「{theme.name}」的{ROLES[role]}要用「{requested}」，本机没有安装，PDF 将用「{used}」；"
                f"DOCX 写的是「{docx}」，在装有它的电脑上与 PDF 不同",
                f"安装「{requested}」字体后重新生成；或在模板集的 fonts.{role} 中把本机已有的字体排在前面。",
            )
        )
    return problems
