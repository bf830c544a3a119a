"""Document → PDF with WeasyPrint: embedded CJK fonts, bookmarks, page numbers, PDF/A on request."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from ..document import Document
from ..problems import InputRejected, error
from ..theme import Theme
from .html import render_html


def render_pdf(document: Document, theme: Theme, pdfa: bool = False) -> bytes:
    from weasyprint import HTML  # imported here: loading pango costs time the other commands don't need

    ensure_cjk_font(theme)
    html = render_html(document, theme)
    laid_out = HTML(string=html, base_url=str(theme.chain[0]) + "/", url_fetcher=RestrictedFetcher(theme))
    options = {"pdf_variant": "pdf/a-2b"} if pdfa else {}
    # A fixed identifier keeps identical input byte-identical (WeasyPrint would otherwise hash the time).
    return laid_out.write_pdf(pdf_identifier=b"budgetgen", **options)


class RestrictedFetcher:
    """Serves only files inside the template-set chain; nothing from the network or elsewhere."""

    def __init__(self, theme: Theme) -> None:
        self.roots = [folder.resolve() for folder in theme.chain]

    def __call__(self, url: str, *args, **kwargs):
        from weasyprint.urls import URLFetchingError

        if url.startswith("file://"):
            path = Path(url[len("file://"):]).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return {"string": path.read_bytes(), "mime_type": _mime(path), "redirected_url": url}
        raise URLFetchingError(f"budgetgen does not fetch {url[:80]}")


def _mime(path: Path) -> str:
    return {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}.get(path.suffix, "application/octet-stream")


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
