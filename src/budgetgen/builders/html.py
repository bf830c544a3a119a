"""Document → HTML through the template set's Jinja templates (sandboxed, autoescaped); the HTML
that WeasyPrint lays out as the PDF, and a format of its own."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError, select_autoescape
from jinja2.exceptions import SecurityError, TemplateNotFound
from markupsafe import Markup, escape

from ..document import Block, Contents, CoverPage, Document, HeaderCell, Heading, Paragraph, TableBlock
from ..fonts import css_fonts
from ..layout import UNBREAKABLE_KINDS, kept_tail
from ..problems import InputRejected, Problem, error
from ..sandbox import BoundedSandbox, RenderLimit, render_bounded, time_limit
from ..theme import Theme, set_file
from . import WEASYPRINT_CELLS

if TYPE_CHECKING:
    from . import BuildOptions

BLOCK_KINDS = {
    CoverPage: "cover",
    Contents: "contents",
    Heading: "heading",
    Paragraph: "paragraph",
    TableBlock: "table",
}
HTML_SECONDS = 60
HTML_CHARS = 200_000_000


class JailedLoader(FileSystemLoader):
    """A FileSystemLoader that refuses any template whose real path (symlinks followed) lies
    outside the set chain's folders."""

    def __init__(self, folders: Iterable[Path]) -> None:
        super().__init__([str(folder) for folder in folders])
        self.roots = [Path(folder).resolve() for folder in folders]

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        assert filename is not None and uptodate is not None  # a file system loader gives both
        if not any(Path(filename).resolve().is_relative_to(root) for root in self.roots):
            raise TemplateNotFound(template)
        return source, filename, uptodate


class UnsupportedBlock(TypeError):
    """A block type of the document model that this builder does not lay out."""


def block_kind(block: Block) -> str:
    """Fail loudly on a block type the HTML templates do not know, rather than drop it."""
    try:
        return BLOCK_KINDS[type(block)]
    except KeyError:
        raise UnsupportedBlock(f"the HTML builder has no layout for {type(block).__name__}") from None


def environment(theme: Theme) -> BoundedSandbox:
    """Templates load from the set's chain only (most specific first), in Jinja's bounded sandbox."""
    env = BoundedSandbox(
        loader=JailedLoader(theme.chain),
        autoescape=select_autoescape(
            enabled_extensions=("html.j2", "html"), disabled_extensions=("css.j2", "css"), default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["lines"] = _lines
    env.filters["keep_last"] = _keep_last
    return env


def _lines(text: str) -> Markup:
    """Line breaks inside a cell or paragraph, each line escaped."""
    return Markup("<br>").join(escape(line) for line in str(text).split("\n"))


def _keep_last(text: str) -> Markup:
    """A heading whose last few characters stay together, so a wrapped heading never ends in a
    line of 1–4 characters (the characters before them move down instead)."""
    text = str(text)
    start = kept_tail(text)
    if start is None:
        return escape(text)
    return escape(text[:start]) + Markup('<span class="keep">') + escape(text[start:]) + Markup("</span>")


def render_html(document: Document, theme: Theme) -> str:
    try:
        with time_limit(HTML_SECONDS, "模板"):
            html = _render(document, theme)
    except UnsupportedBlock:
        raise
    except (TemplateError, RenderLimit, TypeError, ValueError, ArithmeticError) as exc:
        raise InputRejected([template_problem(exc, theme)]) from None
    refused = [url for url in referenced_urls(html) if set_file_for_url(url, theme) is None]
    if refused:
        raise InputRejected([outside_set_problem(url, theme) for url in dict.fromkeys(refused)])
    return html


def template_problem(exc: Exception, theme: Theme) -> Problem:
    """Name the template file, line and set of a template error, as a finance bureau edits them."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None:
        for frame, frame_line in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith(".j2"):
                filename, line = name, frame_line
    owner = next(
        (folder.name for folder in theme.chain if filename and Path(filename).is_relative_to(folder)), theme.name
    )
    where = f"{filename}:{line}" if filename else "模板"
    kind = "语法错误" if isinstance(exc, TemplateSyntaxError) else "运行错误"
    message = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, SecurityError):
        kind = "不允许的操作"
    if isinstance(exc, TemplateNotFound):
        kind, message = "引用了模板集之外或不存在的文件", str(exc.name)
    if isinstance(exc, RenderLimit):
        kind = "超出限制"
    if isinstance(exc, RecursionError):
        kind, message = "超出限制", "模板递归过深（宏调用了自身）"
    if "Range too big" in message:
        kind, message = "超出限制", "range() 超过沙箱允许的 100000 项"
    return error(
        "模板",
        f"模板{kind}（{where}，模板集「{owner}」）：{message}",
        "修改该模板文件的这一行；可对照 templates/base 中的同名文件。",
    )


def _render(document: Document, theme: Theme) -> str:
    template = environment(theme).get_template("document.html.j2")
    return render_bounded(
        template,
        HTML_CHARS,
        meta=document.meta,
        blocks=[(block_kind(block), block) for block in document.blocks],
        fonts=css_fonts(theme),
        page=theme.config.page,
        cells=WEASYPRINT_CELLS,  # the room the layout fitted the columns to
        widths=column_percentages,
        header_rows=header_rows,
        unbreakable=UNBREAKABLE_KINDS,
    )


class _References(HTMLParser):
    """Every URL the HTML asks a renderer to fetch: src/href attributes and CSS url()/@import."""

    CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "data", "poster") and value and not value.startswith("#"):
                self.urls.append(value.strip())
            elif name == "style" and value:
                self._css(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self._css(data)

    def _css(self, text: str) -> None:
        self.urls += [a or b for a, b in self.CSS_URL.findall(text)]


def referenced_urls(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return parser.urls


def set_file_for_url(url: str, theme: Theme) -> Path | None:
    """The file of the set chain a URL of the HTML names, or None when it names anything else
    (another folder, the network, data:)."""
    if url.startswith("file://"):
        absolute = Path(url[len("file://") :].split("?")[0])
        relative = next(
            (str(absolute.relative_to(root)) for root in theme.chain if absolute.is_relative_to(root)), None
        )
        return set_file(theme, relative) if relative is not None else None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith(("/", "\\")):
        return None
    return set_file(theme, url.split("?")[0].split("#")[0])


def outside_set_problem(url: str, theme: Theme) -> Problem:
    where = _find_in_chain(url, theme)
    return error(
        "模板",
        f"模板集「{theme.name}」{where}引用了模板集之外或不存在的文件「{url[:80]}」",
        "只能使用模板集文件夹中的图片、样式等文件（写相对路径，如 logo.png）；不能引用网址或其他文件夹。",
    )


def _find_in_chain(needle: str, theme: Theme) -> str:
    for folder in theme.chain:
        for path in sorted(folder.glob("*")):
            if path.suffix in (".j2", ".css", ".yaml", ".html") and path.is_file():
                for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
                    if needle in line:
                        return f"（{path}:{number}）"
    return ""


def column_percentages(block: TableBlock) -> list[str]:
    total = sum(block.widths)
    return [f"{100 * w / total:.2f}" for w in block.widths]


def header_rows(block: TableBlock) -> list[list[HeaderCell]]:
    rows: list[list[HeaderCell]] = [[] for _ in range(block.header_rows)]
    for cell in block.header:
        rows[cell.row].append(cell)
    return rows


def build_html(document: Document, theme: Theme, options: BuildOptions) -> bytes:
    return render_html(document, theme).encode("utf-8")
