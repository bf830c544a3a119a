"""Document → PDF with Typst: the `typst` package is a self-contained compiler (no GTK/Pango, wheels
for Windows and macOS), tagged PDF by default, and several times faster than WeasyPrint.

The Typst source is generated here from the Document rather than from a template of the set: the
set's wording and structure are already in the Document, and its page, fonts and sizes are read
from the same typed settings as the HTML's CSS. A set that overrides the HTML/CSS templates keeps
WeasyPrint (see `engine_of`). Every text enters the source as a Typst string literal, so nothing a
department writes is ever read as Typst markup or code.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..document import Contents, CoverPage, Document, Heading, Paragraph, TableBlock
from ..fonts import FALLBACK, require_installed_cjk_font
from ..layout import kept_tail, split_cut_merges
from ..loading import read_limited
from ..problems import InputRejected, error
from ..theme import Theme
from . import TYPST_CELLS

if TYPE_CHECKING:
    from . import BuildOptions

T = TypeVar("T")

SOURCE = "document.typ"
PAGES_LABEL = "bg-pages"  # the metadata holding every anchor's page
ROW_LABEL = "bg-row"  # marks the rows of a table with a merge that may run over pages
SPLIT_PASSES = 3  # as for WeasyPrint: a split label can move a break, lay out again a few times at most
MAX_IMAGE_BYTES = 20 * 1024 * 1024
PAPER = {"A4": "a4", "A3": "a3", "B5": "iso-b5", "Letter": "us-letter"}
ALIGN = {"left": "left", "center": "center", "right": "right"}


def string(text: object) -> str:
    """A Typst string literal of `text`: nothing in it is markup or code."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def kept_together(text: object) -> str:
    """A heading as Typst content whose last few characters never wrap apart (layout.kept_tail)."""
    text = str(text)
    start = kept_tail(text)
    if start is None:
        return f"#{string(text)}"
    return f"#{string(text[:start])}#box({string(text[start:])})"


def font_list(names: tuple[str, ...], role: str) -> str:
    chosen = list(dict.fromkeys([*map(str, names), *FALLBACK[role][:-1]]))
    return "(" + ", ".join(string(n) for n in chosen) + ",)"


class Writer:
    """One Document as Typst source; labels are plain ASCII (bg-N) mapped from the anchors."""

    def __init__(self, document: Document, theme: Theme, images: dict[str, str]) -> None:
        self.document, self.theme, self.images = document, theme, images
        self.labels: dict[str, str] = {}
        self.orientation = "portrait"
        self.last_level = 0
        self.index = 0  # the block being written

    def level(self, wanted: int) -> int:
        """A heading's level in the tagged structure: never deeper than one below the last, as
        PDF/UA asks (a set's part heading followed directly by a 小标题)."""
        self.last_level = min(wanted, self.last_level + 1)
        return self.last_level

    def label(self, anchor: str) -> str:
        return self.labels.setdefault(anchor, f"bg-{len(self.labels)}")

    def source(self) -> str:
        parts = [self.preamble()]
        for index, block in enumerate(self.document.blocks):
            self.index = index
            parts.extend(self.block(block))
        parts.append(self.pages_query())
        return "\n".join(parts) + "\n"

    # ------------------------------------------------------------ settings

    def preamble(self) -> str:
        config, meta = self.theme.config, self.document.meta
        fonts, page = config.fonts, config.page
        return "\n".join(
            [
                f"#set document(title: {string(meta.title)}, author: {string(meta.author)}, "
                f"keywords: ({', '.join(string(k) for k in meta.keywords)}{',' if meta.keywords else ''}), "
                f"description: {string(meta.subject)})",
                f"#let body-font = {font_list(fonts.body, 'body')}",
                f"#let heading-font = {font_list(fonts.heading, 'heading')}",
                f'#set text(font: body-font, size: {fonts.size_body_pt}pt, lang: "zh", region: "cn", '
                'cjk-latin-spacing: none, top-edge: "ascender", bottom-edge: "descender")',
                f"#set page(paper: {string(PAPER.get(page.size, 'a4'))}, margin: (top: {page.margin_top_mm}mm, "
                f"bottom: {page.margin_bottom_mm}mm, left: {page.margin_left_mm}mm, right: {page.margin_right_mm}mm), "
                "footer: context align(center, text(size: 9pt, counter(page).display())))",
                # the CSS's line-height 1.6 and paragraph margins, so both engines paginate alike
                "#set par(justify: true, leading: 0.6em, spacing: 0.95em)",
                # a long unbroken run of letters or digits (a URL, a code typed without spaces)
                # wraps inside the page, as the CSS's overflow-wrap: anywhere does
                '#show regex("[!-~]{30,}"): it => it.text.clusters().map(c => [#c#h(0.01pt)]).join()',
                "#set heading(numbering: none, outlined: false, bookmarked: true)",
                '#show heading: set text(font: heading-font, weight: "bold")',
                "#show heading: set block(above: 1.1em, below: 0.7em)",
                '#show strong: set text(weight: "bold")',
                # the inset the layout fitted the columns to (builders.TYPST_CELLS); line-height 1.3
                f"#set table(stroke: 0.5pt + black, inset: (x: {TYPST_CELLS.padding_pt}pt, y: 1.5pt + 0.15em))",
                "#set table.cell(breakable: false)",
                "#show table.cell: set par(justify: false, leading: 0.3em)",
                '#show table.cell.where(y: 0): set text(weight: "regular")',
            ]
        )

    def pages_query(self) -> str:
        """Every anchor's page, for the contents of the DOCX and the report (read back by query)."""
        return (
            '#context [#metadata((query(heading).filter(h => h.has("label"))'
            f".map(h => (str(h.label), h.location().page())), here().page(), "
            f"query(<{ROW_LABEL}>).map(m => (m.value, m.location().page())))) <{PAGES_LABEL}>]"
        )

    # ------------------------------------------------------------ blocks

    def block(self, block: object) -> Iterator[str]:
        if isinstance(block, CoverPage):
            yield self.cover(block)
        elif isinstance(block, Contents):
            yield self.contents(block)
        elif isinstance(block, Heading):
            yield from self.heading(block)
        elif isinstance(block, Paragraph):
            yield self.paragraph(block)
        elif isinstance(block, TableBlock):
            yield from self.table(block)
        else:
            raise TypeError(f"the Typst builder has no layout for {type(block).__name__}")

    def cover(self, cover: CoverPage) -> str:
        image = ""
        if cover.image is not None and cover.image.name in self.images:
            image = f"#image({string(self.images[cover.image.name])}, width: {cover.image.width_mm}mm)\n#v(10mm)\n"
        return (
            "#page(footer: none)[#v(70mm - 1em)\n#align(center)["
            f"{image}"
            f"#heading(level: {self.level(1)}, bookmarked: false)[#text(size: 26pt, {string(cover.title)})]\n"
            f'#v(12mm)\n#text(font: heading-font, weight: "bold", size: 22pt, {string(cover.subtitle)})]]'
        )

    def contents(self, contents: Contents) -> str:
        fonts = self.theme.config.fonts
        lines = [
            "#page(footer: none)[",
            f'#align(center, text(font: heading-font, weight: "bold", size: {fonts.size_title_pt}pt, '
            f"{string(contents.title)}))",
            "#v(8mm)",
        ]
        for entry in contents.entries:
            label = self.label(entry.anchor)
            leader = (
                f" #box(width: 1fr, repeat[.]) #context locate(<{label}>).page()"
                if contents.page_numbers
                else " #box(width: 1fr, repeat[.])"
            )
            text = f"#{string(entry.text)}"
            if entry.level == 1:
                text = f'#text(font: heading-font, weight: "bold")[{text}]'
                lines.append("#v(0.45em)")
            indent = {1: 0, 2: 2, 3: 4}.get(entry.level, 4)
            lines.append(
                f"#block(above: 0.35em, below: 0.35em, inset: (left: {indent}em))[#link(<{label}>)[{text}{leader}]]"
            )
        lines.append("]")
        return "\n".join(lines)

    def turn(self, orientation: str, new_page: bool) -> Iterator[str]:
        if orientation != self.orientation:
            self.orientation = orientation
            yield f"#set page(flipped: {'true' if orientation == 'landscape' else 'false'})"
        elif new_page:
            yield "#pagebreak(weak: true)"

    def heading(self, heading: Heading) -> Iterator[str]:
        yield from self.turn(heading.orientation, heading.new_page)
        label = self.label(heading.anchor)
        fonts = self.theme.config.fonts
        size = {1: fonts.size_title_pt, 2: fonts.size_body_pt + 2, 3: fonts.size_body_pt + 1}.get(heading.level, 12)
        text = f"#text(size: {size}pt)[{kept_together(heading.text)}]"
        body = f"#heading(level: {self.level(heading.level)})[{text}] <{label}>"
        if not heading.visible:
            yield f"#place(hide[{body}])"
        elif heading.level == 1:
            yield f"#align(center)[{body}]"
        else:
            yield body

    def paragraph(self, paragraph: Paragraph) -> str:
        fonts = self.theme.config.fonts
        text = kept_together(paragraph.text) if paragraph.style == "title-line" else f"#{string(paragraph.text)}"
        if paragraph.lead:
            text = f"#strong({string(paragraph.lead)}){text}"
        if paragraph.bold or paragraph.style == "label":
            text = f"#strong[{text}]"
        style = paragraph.style
        if style == "body":
            return f"#par(first-line-indent: (amount: 2em, all: true))[{text}]"
        if style == "center":
            return f"#align(center)[{text}]"
        if style == "right":
            return f"#align(right)[{text}]"
        if style == "title-line":
            return f'#align(center, text(font: heading-font, weight: "bold", size: {fonts.size_title_pt}pt)[{text}])'
        if style == "label":
            return f"#block(above: 0.9em)[{text}]"
        return f"#par[{text}]"

    # ------------------------------------------------------------ tables

    def table(self, block: TableBlock) -> Iterator[str]:
        yield from self.turn(block.orientation, block.new_page and not block.continues)
        fonts = self.theme.config.fonts
        parts = []
        if block.title:
            label = self.label(block.anchor)
            size = fonts.size_title_pt - 2 if block.title_level == 2 else fonts.size_body_pt + 1
            if block.title_level == 3:
                parts.append("#v(6mm - 0.8em)")
            level = self.level(block.title_level)
            title = f"#heading(level: {level})[#text(size: {size}pt)[{kept_together(block.title)}]] <{label}>"
            parts.append(f"#align(center)[{title}]")
            if block.title_level == 2:
                parts.append("#v(3mm - 0.5em)")
        parts.append(f"#[#set text(size: {fonts.size_table_pt}pt)\n{self.grid(block)}]")
        for note in ([block.note] if block.note else []) + list(block.notes_after):
            parts.append(f"#block(above: 2mm)[#text(size: {fonts.size_table_pt + 1}pt, {string(note)})]")
        body = "\n".join(parts)
        yield f"#block(breakable: false)[{body}]" if block.keep_together else body

    def grid(self, block: TableBlock) -> str:
        total = sum(block.widths) or 1
        columns = ", ".join(f"{w / total:.4f}fr" for w in block.widths)
        cells = list(self.header_cells(block)) + list(self.body_cells(block))
        return f"#table(columns: ({columns},), {', '.join(cells)})"

    def header_cells(self, block: TableBlock) -> Iterator[str]:
        cells, y = [], 0
        if block.top_line:
            top = block.top_line
            line = (
                f"grid(columns: (50%, 30%, 20%), align(left, {string(top.left)}), "
                f"align(left, {string(top.middle)}), align(right, {string(top.right)}))"
            )
            cells.append(
                f"table.cell(x: 0, y: 0, colspan: {block.column_count}, stroke: none, "
                f"inset: (x: 0pt, top: 0pt, bottom: 2mm), {line})"
            )
            y = 1
        for cell in block.header:
            cells.append(
                f"table.cell(x: {cell.column}, y: {y + cell.row}, rowspan: {cell.rowspan}, colspan: {cell.colspan}, "
                f"align: center + horizon, strong({string(cell.text)}))"
            )
        y += block.header_rows
        if block.column_numbers:
            cells += [
                f"table.cell(x: {x}, y: {y}, align: center + horizon, strong({string(label)}))"
                for x, label in enumerate(block.column_numbers)
            ]
        if cells:
            yield f"table.header(repeat: true, {', '.join(cells)})"

    def body_cells(self, block: TableBlock) -> Iterator[str]:
        top = (1 if block.top_line else 0) + block.header_rows + (1 if block.column_numbers else 0)
        covered = block.covered()
        marked = any(m.flows for m in block.merges)  # where its rows fall is read back to split the merge
        for r, row in enumerate(block.rows):
            first = True
            for c, cell in enumerate(row.cells):
                if (r, c) in covered:
                    continue
                merge = block.merge_at(r, c)
                align = ALIGN.get((merge.align if merge and merge.align else None) or block.align[c], "left")
                spans = ""
                if merge is not None:
                    spans = f", rowspan: {merge.rowspan}, colspan: {merge.colspan}"
                    if merge.rowspan > 1:
                        spans += f", breakable: {'true' if merge.flows else 'false'}"
                content = self.cell_text(cell.text)
                if row.role == "total":
                    content = f"strong({content})"
                if cell.indent:
                    content = f"pad(left: {cell.indent}em, {content})"
                if marked and first and not (merge is not None and merge.rowspan > 1):
                    content = f"[#metadata(({self.index}, {r})) <{ROW_LABEL}>#{content}]"
                    first = False
                yield f"table.cell(x: {c}, y: {top + r}{spans}, align: {align} + horizon, {content})"

    @staticmethod
    def cell_text(text: str) -> str:
        lines = str(text).split("\n")
        if len(lines) == 1:
            return string(text)
        return "[" + " #linebreak() ".join(f"#{string(line)}" for line in lines) + "]"


def _images(document: Document, theme: Theme, folder: Path) -> dict[str, str]:
    """The set's images the document shows, copied beside the source (the compiler's root)."""
    found: dict[str, str] = {}
    for block in document.blocks:
        if isinstance(block, CoverPage) and block.image is not None:
            image = block.image
            if not any(image.path.resolve().is_relative_to(Path(root).resolve()) for root in theme.chain):
                raise InputRejected([error("模板", f"封面图片不在模板集中：{image.name}", "把图片放进模板集文件夹。")])
            target = folder / f"image-{len(found)}{image.path.suffix.lower()}"
            target.write_bytes(read_limited(image.path, MAX_IMAGE_BYTES))
            found[image.name] = target.name
    return found


def compile_typst(document: Document, theme: Theme, pdfa: bool = False, report: dict[str, Any] | None = None) -> bytes:
    """The PDF, compiled in a child process where the system can fork: the compiler keeps caches of
    every document it has seen (≈ 650 MiB after a dozen departments), and a child's memory goes
    back to the system when it ends, so a batch worker or the web server stays flat."""
    require_installed_cjk_font(theme)
    pdf, laid_out = in_child(_compile, document, theme, pdfa)
    if report is not None:
        report.update(laid_out)
    return pdf


def _compile(document: Document, theme: Theme, pdfa: bool, export: bool = True) -> tuple[bytes, dict[str, Any]]:
    """Lay the document out (splitting page-cut merges, a few passes at most), then write the PDF;
    without `export` only the layout, for the pages a DOCX's contents names."""
    import typst  # the compiler: a self-contained wheel, imported only for a Typst build

    folder = Path(tempfile.mkdtemp(prefix="budgetgen-typst-"))
    try:
        images = _images(document, theme, folder)
        try:
            compiler = None
            for _ in range(SPLIT_PASSES + 1):
                writer = Writer(document, theme, images)
                (folder / SOURCE).write_text(writer.source(), encoding="utf-8")
                # one compiler for every pass: it reads the file again and lays out what changed
                compiler = compiler or typst.Compiler(str(folder / SOURCE), root=str(folder))
                laid_out = _report(compiler.query(f"<{PAGES_LABEL}>", field="value", one=True), writer.labels)
                split = split_cut_merges(document, laid_out.pop("row_pages"))
                if split is document:
                    break
                document = split
            assert compiler is not None
            return (_export(compiler, typst, document, pdfa) if export else b""), laid_out
        except typst.TypstError as exc:  # a bug of this writer, or a limit of the compiler
            raise InputRejected(
                [error("排版", f"Typst 排版失败：{exc.message}", "请把部门文件发给维护人员。")]
            ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _export(compiler: Any, typst: Any, document: Document, pdfa: bool) -> bytes:
    """The PDF of the laid-out document: PDF/UA-1 (tagged: headings, paragraphs, tables with header
    cells, the language), and PDF/A-2b on request, for archiving."""
    stamp = datetime(document.meta.year - 1, 12, 31, tzinfo=UTC)
    standards: Any = ["a-2b", "ua-1"] if pdfa else "ua-1"
    try:
        pdf = compiler.compile(format="pdf", timestamp=stamp, pdf_standards=standards)
    except typst.TypstError as exc:
        if "PDF/UA" not in exc.message:
            raise
        # a character no installed font has (an ancient or rare one): PDF/UA forbids the
        # substitute glyph, so the file stays tagged but does not claim PDF/UA-1
        pdf = compiler.compile(format="pdf", timestamp=stamp, pdf_standards=["a-2b"] if pdfa else None)
    assert isinstance(pdf, bytes)
    return pdf


def in_child(function: Callable[..., T], *args: Any) -> T:
    """function(*args) in a forked child, its result or its exception back through a pipe; in this
    process where there is no fork (Windows)."""
    if not hasattr(os, "fork"):
        return function(*args)
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 0
        try:
            os.close(reading)
            try:
                answer = pickle.dumps((True, function(*args)))
            except BaseException as exc:  # handed to the parent, which raises it
                answer = pickle.dumps((False, exc if _picklable(exc) else RuntimeError(repr(exc))))
            with os.fdopen(writing, "wb") as stream:
                stream.write(answer)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(writing)
    with os.fdopen(reading, "rb") as stream:
        answer = stream.read()
    os.waitpid(pid, 0)
    if not answer:
        raise RuntimeError("the Typst compiler's process ended without an answer")
    ok, value = pickle.loads(answer)
    if not ok:
        raise value
    result: T = value
    return result


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return True


def _report(pages_json: str, labels: dict[str, str]) -> dict[str, Any]:
    import json

    found, last_page, rows = json.loads(pages_json)
    by_label = {label: page for label, page in found}
    anchors = {anchor: by_label[label] for anchor, label in labels.items() if label in by_label}
    row_pages: dict[int, dict[int, int]] = {}
    for (block, row), page in rows:
        row_pages.setdefault(block, {}).setdefault(row, page)
    return {"anchor_pages": anchors, "pages": last_page, "row_pages": row_pages}


def build_pdf(document: Document, theme: Theme, options: BuildOptions) -> bytes:
    return compile_typst(document, theme, pdfa=options.pdfa, report=options.report)


def page_numbers(document: Document, theme: Theme) -> dict[str, int]:
    """Where each heading falls in the Typst layout of this document (for the DOCX contents)."""
    require_installed_cjk_font(theme)
    _, laid_out = in_child(_compile, document, theme, False, False)
    pages: dict[str, int] = laid_out["anchor_pages"]
    return pages
