"""Document → PDF with WeasyPrint: embedded CJK fonts, bookmarks, page numbers, PDF/A on request."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from ..document import Document
from ..problems import InputRejected, error
from ..theme import Theme
from ..loading import read_limited
from .html import render_html, set_file_for_url


def render_pdf(document: Document, theme: Theme, pdfa: bool = False) -> bytes:
    from weasyprint import HTML  # imported here: loading pango costs time the other commands don't need

    ensure_cjk_font(theme)
    html = render_html(document, theme)  # refuses any reference outside the set before layout
    laid_out = HTML(string=html, base_url=str(theme.chain[0]) + "/", url_fetcher=set_fetcher(theme))
    options = {"pdf_variant": "pdf/a-2b"} if pdfa else {}
    # A fixed identifier keeps identical input byte-identical (WeasyPrint would otherwise hash the time).
    return laid_out.write_pdf(pdf_identifier=b"budgetgen", **options)


MAX_ASSET_BYTES = 20 * 1024 * 1024


def set_fetcher(theme: Theme):
    """WeasyPrint's URL fetcher, serving only files of the set chain (images, CSS) and nothing from
    the network or elsewhere; render_html has already refused such references with a located message."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SetFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = set_file_for_url(url, theme)
            if path is None:
                raise ValueError(f"budgetgen fetches only files of the template set, not {url[:80]}")
            return URLFetcherResponse(url, read_limited(path, MAX_ASSET_BYTES), {"Content-Type": _mime(path)})

    return SetFetcher(allowed_protocols=("file",))


def _mime(path: Path) -> str:
    return {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}.get(
        path.suffix.lower(), "application/octet-stream"
    )


def ensure_cjk_font(theme: Theme) -> None:
    """Refuse to build rather than print boxes: one of the set's fonts must be installed."""
    wanted = list(theme.require("fonts.body")) + list(theme.require("fonts.heading"))
    installed = installed_cjk_families()
    if installed is None:
        return  # no fontconfig tools to ask (Windows/macOS): WeasyPrint's own lookup decides
    if not any(name in installed for name in wanted):
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
