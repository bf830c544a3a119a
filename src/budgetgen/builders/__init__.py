"""Builders: one per output format, turning the format-neutral Document into bytes.

`OUTPUTS` is the one list of formats: the command line's help and checks, the web page's choices
and media types, the file names written and the batch all read it. A new format is one new module
and one record below. PDF has engines (`ENGINES`): WeasyPrint lays out the set's HTML and CSS;
Typst compiles a source generated from the Document (no GTK, tagged PDF, several times faster).
Each engine also says where the document's headings fall, for the DOCX's contents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from ..document import Document
from ..layout import CellRoom
from ..theme import Theme


@dataclass(frozen=True)
class BuildOptions:
    pdfa: bool = False  # PDF/A-2b for archiving
    engine: str | None = None  # the PDF engine; None: the set's (engine_of)
    report: dict[str, Any] = field(default_factory=dict, compare=False)  # what builders tell back (e.g. "pages")


Builder = Callable[[Document, Theme, BuildOptions], bytes]


@dataclass(frozen=True)
class Output:
    name: str  # the format as typed: --format pdf,docx
    suffix: str
    media_type: str
    label: str  # how the web page and messages name it
    builder: str  # "module:function"; imported only when that format is built (WeasyPrint costs ~0.7 s)
    default: bool = False  # built when no format is chosen
    on_page: bool = True  # offered on the web page


@dataclass(frozen=True)
class Engine:
    name: str
    label: str
    builder: str  # "module:function" → the PDF's bytes
    pages: str  # "module:function" (document, theme) → {anchor: page}, for the DOCX's contents
    cells: CellRoom  # what it puts beside a table cell's text: the columns are fitted to it


OUTPUTS: tuple[Output, ...] = (
    Output("pdf", ".pdf", "application/pdf", "PDF", "budgetgen.builders:build_pdf", default=True),
    Output(
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
        "budgetgen.builders.docx:build_docx",
        default=True,
    ),
    Output(
        "xlsx",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX（九张表）",
        "budgetgen.builders.xlsx:build_xlsx",
    ),
    Output("html", ".html", "text/html; charset=utf-8", "HTML", "budgetgen.builders.html:build_html", on_page=False),
)
# 3pt of padding each side (base's style.css.j2 prints it from here); WeasyPrint needs about 0.6 mm
# more than the glyphs and the padding to keep a line whole
WEASYPRINT_CELLS = CellRoom(padding_pt=3, spare_mm=1.1)
# the Typst writer's inset; Typst keeps a line whole at its glyphs' exact advance
TYPST_CELLS = CellRoom(padding_pt=3, spare_mm=0.3)
ENGINES: tuple[Engine, ...] = (
    Engine(
        "weasyprint",
        "WeasyPrint",
        "budgetgen.builders.pdf:build_pdf",
        "budgetgen.builders.pdf:page_numbers",
        WEASYPRINT_CELLS,
    ),
    Engine(
        "typst",
        "Typst",
        "budgetgen.builders.typstpdf:build_pdf",
        "budgetgen.builders.typstpdf:page_numbers",
        TYPST_CELLS,
    ),
)
DEFAULT_ENGINE = "typst"  # passes every PDF test both engines run (tests/test_render.py and others)
# The set's HTML/CSS templates: a set that changes them has its own look, which only WeasyPrint reads.
LOOK_TEMPLATES = ("document.html.j2", "table.html.j2", "style.css.j2")

BY_NAME = {output.name: output for output in OUTPUTS}
FORMATS = tuple(BY_NAME)
DEFAULT_FORMATS = tuple(o.name for o in OUTPUTS if o.default)
ENGINE_NAMES = tuple(e.name for e in ENGINES)


def formats_help() -> str:
    return "、".join(FORMATS)


def _load(target: str) -> Any:
    module, function = target.split(":")
    return getattr(import_module(module), function)


def builder_for(format: str) -> Builder:
    builder: Builder = _load(BY_NAME[format].builder)
    return builder


def engine_of(theme: Theme, chosen: str | None = None) -> Engine:
    """The PDF engine: the one asked for, else the set's `engine`, else the default — WeasyPrint for
    a set that changes the HTML/CSS templates (Typst would not show its look)."""
    name = chosen or theme.config.engine
    if name in (None, "auto"):
        from ..theme import builtin_templates_dir

        builtin = (builtin_templates_dir() / "base").resolve()
        own = [folder for folder in theme.chain if Path(folder).resolve() != builtin]
        overridden = any((folder / t).is_file() for folder in own for t in LOOK_TEMPLATES)
        name = "weasyprint" if overridden else DEFAULT_ENGINE
    return next(e for e in ENGINES if e.name == name)


def build_pdf(document: Document, theme: Theme, options: BuildOptions) -> bytes:
    """The PDF, by the chosen engine."""
    engine = engine_of(theme, options.engine)
    options.report["engine"] = engine.name
    builder: Builder = _load(engine.builder)
    return builder(document, theme, options)


def page_numbers(document: Document, theme: Theme, engine: str | None = None) -> dict[str, int]:
    """Where each heading falls in the PDF's layout (for the DOCX's contents), by the chosen engine."""
    pages: dict[str, int] = _load(engine_of(theme, engine).pages)(document, theme)
    return pages
