"""Document → HTML through the template set's Jinja templates (sandboxed, autoescaped)."""

from __future__ import annotations

import traceback
from pathlib import Path

from markupsafe import Markup, escape
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError, select_autoescape
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..document import Contents, CoverPage, Document, Heading, Paragraph, TableBlock
from ..problems import InputRejected, Problem, error
from ..theme import Theme

BLOCK_KINDS = {CoverPage: "cover", Contents: "contents", Heading: "heading", Paragraph: "paragraph", TableBlock: "table"}


def environment(theme: Theme) -> ImmutableSandboxedEnvironment:
    """Templates load from the set's chain only (most specific first), in Jinja's sandbox."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader([str(folder) for folder in theme.chain]),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), disabled_extensions=("css.j2", "css"), default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["lines"] = _lines
    return env


def _lines(text: str) -> Markup:
    """Line breaks inside a cell or paragraph, each line escaped."""
    return Markup("<br>").join(escape(line) for line in str(text).split("\n"))


def render_html(document: Document, theme: Theme) -> str:
    try:
        return _render(document, theme)
    except TemplateError as exc:
        raise InputRejected([template_problem(exc, theme)]) from None


def template_problem(exc: TemplateError, theme: Theme) -> Problem:
    """Name the template file, line and set of a template error, as a finance bureau edits them."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None:
        for frame, frame_line in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith(".j2"):
                filename, line = name, frame_line
    owner = next((folder.name for folder in theme.chain if filename and Path(filename).is_relative_to(folder)), theme.name)
    where = f"{filename}:{line}" if filename else "模板"
    kind = "语法错误" if isinstance(exc, TemplateSyntaxError) else "运行错误"
    message = exc.message or str(exc)
    if isinstance(exc, SecurityError):
        kind = "不允许的操作"
    if isinstance(exc, TemplateNotFound):
        kind, message = "引用了模板集之外或不存在的文件", str(exc.name)
    return error(
        "模板",
        f"模板{kind}（{where}，模板集「{owner}」）：{message}",
        "修改该模板文件的这一行；可对照 templates/base 中的同名文件。",
    )


def _render(document: Document, theme: Theme) -> str:
    template = environment(theme).get_template("document.html.j2")
    return template.render(
        meta=document.meta,
        blocks=[(BLOCK_KINDS[type(block)], block) for block in document.blocks],
        fonts=css_fonts(theme),
        page=theme.require("page"),
        widths=column_percentages,
        header_rows=header_rows,
    )


def css_fonts(theme: Theme) -> dict:
    """Font lists for CSS, keeping only installed families where fontconfig can tell.

    fontconfig answers a missing family (SimHei on Linux) with a Latin-only substitute, and CJK
    glyphs then fall back to whatever is the default; naming only installed fonts keeps 黑体 black.
    """
    from .pdf import installed_cjk_families

    installed = installed_cjk_families()
    fonts = dict(theme.require("fonts"))
    for key in ("body", "heading"):
        names = [n for n in fonts[key] if installed is None or n in installed] or list(fonts[key])
        fonts[key] = ", ".join(_css_string(name) for name in names) + (", serif" if key == "body" else ", sans-serif")
    return fonts


def _css_string(name: str) -> str:
    return '"' + "".join(ch for ch in str(name) if ch not in '"\\<>{};\n') + '"'


def column_percentages(block: TableBlock) -> list[str]:
    total = sum(block.widths)
    return [f"{100 * w / total:.2f}" for w in block.widths]


def header_rows(block: TableBlock) -> list[list]:
    rows: list[list] = [[] for _ in range(block.header_rows)]
    for cell in block.header:
        rows[cell.row].append(cell)
    return rows
