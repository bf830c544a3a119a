"""Document → PDF with WeasyPrint: embedded CJK fonts, bookmarks, page numbers, PDF/A on request."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..fonts import require_installed_cjk_font
from ..layout import split_cut_merges
from ..loading import read_limited
from ..theme import Theme
from .html import render_html, set_file_for_url

if TYPE_CHECKING:
    from . import BuildOptions

# WeasyPrint ships no type information: its objects are Any here.
LaidOut = Any


def render_pdf(
    document: Document, theme: Theme, pdfa: bool = False, report: dict[str, Any] | None = None, trimmed_ua: bool = True
) -> bytes:
    laid_out = lay_out(document, theme, trimmed_ua)
    if report is not None:
        report["pages"] = len(laid_out.pages)
        report["anchor_pages"] = anchor_pages(laid_out)
    options = {"pdf_variant": "pdf/a-2b"} if pdfa else {}
    # A fixed identifier keeps identical input byte-identical (WeasyPrint would otherwise hash the time).
    # tagged (headings, paragraphs, tables with header cells) for screen readers, as Typst's
    pdf: bytes = laid_out.write_pdf(pdf_identifier=b"budgetgen", pdf_tags=True, **options)
    return pdf


SPLIT_PASSES = 3  # a split label can make its row taller and move a break: lay out again, a few times at most


def lay_out(document: Document, theme: Theme, trimmed_ua: bool = True) -> LaidOut:
    """The laid-out pages; a merged cell that a page break cuts is split there and the document laid
    out again, so every part of it prints its label and borders on its own page."""
    require_installed_cjk_font(theme)
    laid_out = _lay_out_once(document, theme, trimmed_ua)
    for _ in range(SPLIT_PASSES):
        split = split_cut_merges(document, table_row_pages(laid_out))
        if split is document:
            break
        document = split
        laid_out = _lay_out_once(document, theme, trimmed_ua)
    return laid_out


def _lay_out_once(document: Document, theme: Theme, trimmed_ua: bool) -> LaidOut:
    html = render_html(document, theme)  # refuses any reference outside the set before layout
    page_class = _disclosure_html() if trimmed_ua else _weasyprint().HTML
    return page_class(string=html, base_url=str(theme.chain[0]) + "/", url_fetcher=set_fetcher(theme)).render()


def table_row_pages(laid_out: LaidOut) -> dict[int, dict[int, int]]:
    """block index → body row → the page the row was laid out on (from the table's data attributes)."""
    found: dict[int, dict[int, int]] = {}
    for number, page in enumerate(laid_out.pages):
        for table, row in _rows(page._page_box, None):
            found.setdefault(table, {}).setdefault(row, number)
    return found


def _rows(box: Any, table: int | None) -> Iterator[tuple[int, int]]:
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) == "table":
        block = element.get("data-block", "")
        table = int(block) if block.isdigit() else None
    if table is not None and getattr(box, "element_tag", None) == "tr" and element is not None:
        row = element.get("data-row", "")
        if row.isdigit():
            yield table, int(row)
        return
    for child in getattr(box, "children", ()):
        yield from _rows(child, table)


def anchor_pages(laid_out: LaidOut) -> dict[str, int]:
    """The printed page number (counted from the cover, as the PDF's contents prints it) of every anchor."""
    pages: dict[str, int] = {}
    for number, page in enumerate(laid_out.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def page_numbers(document: Document, theme: Theme) -> dict[str, int]:
    """Where each heading falls in the PDF layout of this document (for the DOCX contents)."""
    return anchor_pages(lay_out(document, theme))


def _weasyprint() -> Any:
    import weasyprint  # imported here: loading pango costs time the other commands don't need

    return weasyprint


@lru_cache(maxsize=1)
def _disclosure_html() -> Any:
    """WeasyPrint's HTML with budgetgen's trimmed user-agent stylesheet (ua.css), parsed once."""
    weasyprint = _weasyprint()
    stylesheet = weasyprint.CSS(string=(Path(__file__).parent / "ua.css").read_text(encoding="utf-8"))

    html_class: Any = weasyprint.HTML

    class DisclosureHTML(html_class):  # type: ignore[misc] # WeasyPrint is untyped (Any)
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [stylesheet]

    return DisclosureHTML


MAX_ASSET_BYTES = 20 * 1024 * 1024


def set_fetcher(theme: Theme) -> Any:
    """WeasyPrint's URL fetcher, serving only files of the set chain (images, CSS) and nothing from
    the network or elsewhere; render_html has already refused such references with a located message."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SetFetcher(URLFetcher):  # type: ignore[misc] # WeasyPrint is untyped (Any)
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = set_file_for_url(url, theme)
            if path is None:
                raise ValueError(f"budgetgen fetches only files of the template set, not {url[:80]}")
            return URLFetcherResponse(url, read_limited(path, MAX_ASSET_BYTES), {"Content-Type": _mime(path)})

    return SetFetcher(allowed_protocols=("file",))


def _mime(path: Path) -> str:
    return {
        ".css": "text/css",
        ".png": "image/png",
        ".svg": "image/svg+xml",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
    }.get(path.suffix.lower(), "application/octet-stream")


def build_pdf(document: Document, theme: Theme, options: BuildOptions) -> bytes:
    return render_pdf(document, theme, pdfa=options.pdfa, report=options.report)
