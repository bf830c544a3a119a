"""Document → DOCX with python-docx: real Word tables, repeating header rows, East-Asian fonts.

Tables are written as WordprocessingML directly (one parse per table): python-docx's cell API
costs about half a millisecond per cell, and a disclosure has thousands of cells.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from html import escape as html_escape
from typing import TYPE_CHECKING, Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from ..document import Block, BodyRow, Contents, CoverPage, Document, HeaderCell, Heading, Paragraph, TableBlock
from ..layout import PAGE_MM, available_mm, balanced_lines, units_per_line
from ..settings import FontSettings
from ..theme import Theme
from .package import deterministic_zip

if TYPE_CHECKING:
    from . import BuildOptions

# python-docx ships no type information: its documents, sections, paragraphs and styles are Any here.

W = nsdecls("w")
TWIPS_PER_MM = 1440 / 25.4
HEADING_STYLES = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
LANGUAGE = "zh-CN"


def xml_text(text: str) -> str:
    return html_escape(text, quote=False)


def xml_attribute(text: str) -> str:
    return html_escape(text, quote=True)


class DocxWriter:
    def __init__(self, document: Document, theme: Theme, pages: dict[str, int] | None = None) -> None:
        self.source = document
        self.theme = theme
        self.fonts = theme.config.fonts
        self.page = theme.config.page
        self.style = theme.config.docx
        self.pages = pages or {}  # anchor → page number, from the PDF layout of the same document
        self.docx = new_docx()
        self.body = self.docx.element.body
        self.orientation = "portrait"
        self.first_block = True
        self.numbered = False  # whether the page-numbered body section has started
        self.style_ids: dict[str, str] = {}

    # ------------------------------------------------------------ document setup
    def render(self) -> bytes:
        self._set_up_styles()
        self._set_up_first_section()
        self._core_properties()
        self._update_fields_on_opening()
        for block in self.source.blocks:
            self._render_block(block)
        return deterministic_zip(self._save())

    def _update_fields_on_opening(self) -> None:
        """The contents' page numbers are filled in from the PDF's layout, which Word, WPS and
        LibreOffice each paginate a little differently; the document asks the program that opens it
        to update its fields, so the reader sees the numbers of the layout in front of them."""
        settings = self.docx.settings.element
        update = settings.find(qn("w:updateFields"))
        if update is None:
            update = OxmlElement("w:updateFields")
            settings.append(update)
        update.set(qn("w:val"), "true")

    def _set_up_styles(self) -> None:
        styles = self.docx.styles
        body_font, heading_font = self.fonts.docx_body, self.fonts.docx_heading
        _set_language(self.docx.styles.element)
        normal = styles["Normal"]
        _set_font(normal, body_font, self.fonts.size_body_pt)
        normal.paragraph_format.space_after = Pt(self.style.space_after_pt)
        normal.paragraph_format.line_spacing = self.style.line_spacing
        for level, name in HEADING_STYLES.items():
            style = styles[name]
            _set_font(style, heading_font, self._heading_size(level))
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            space = Pt(self.style.heading_space_pt)
            style.paragraph_format.space_before = space
            style.paragraph_format.space_after = space
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.alignment = ALIGN[
                self.style.part_title_align if level == 1 else self.style.heading_align
            ]
        title = styles["Title"]
        _set_font(title, heading_font, 26)
        title.font.color.rgb = RGBColor(0, 0, 0)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # The default template's Title has a bottom border; a disclosure cover has none.
        for border in title.element.xpath(".//w:pBdr"):
            border.getparent().remove(border)

    def _styled_paragraph(self, style: str, text: str = "") -> Any:
        """A paragraph in a named style, the style's id looked up once (python-docx searches
        styles.xml for it on every paragraph)."""
        if style not in self.style_ids:
            self.style_ids[style] = self.docx.styles[style].style_id
        paragraph = self.docx.add_paragraph(text)
        paragraph._p.style = self.style_ids[style]
        return paragraph

    def _heading_size(self, level: int) -> float:
        return float(self.fonts.size_title_pt if level <= 2 else self.fonts.size_body_pt + 1)

    def _heading_paragraph(self, text: str, level: int, orientation: str, align: str | None = None) -> Any:
        """A heading whose lines are balanced when its last line would hold only a few characters."""
        paragraph = self._styled_paragraph(HEADING_STYLES.get(level, "Heading 3"))
        lines = balanced_lines(text, units_per_line(self.page, self._heading_size(level), orientation))
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            if number < len(lines) - 1:
                run.add_break()
        if align is not None:
            paragraph.alignment = ALIGN[align]
        _stamp_fonts(paragraph, self.fonts.docx_heading)
        return paragraph

    def _set_up_first_section(self) -> None:
        # The cover and contents carry no page number (as in the PDF); the body's section does.
        self._size_section(self.docx.sections[0], "portrait")

    def _number_pages(self, section: Any) -> None:
        section.footer.is_linked_to_previous = False
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))

    @property
    def _page_mm(self) -> tuple[float, float]:
        return PAGE_MM[self.page.size]

    def _size_section(self, section: Any, orientation: str) -> None:
        landscape = orientation == "landscape"
        short, long = self._page_mm
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width = Mm(long if landscape else short)
        section.page_height = Mm(short if landscape else long)
        section.top_margin = Mm(self.page.margin_top_mm)
        section.bottom_margin = Mm(self.page.margin_bottom_mm)
        section.left_margin = Mm(self.page.margin_left_mm)
        section.right_margin = Mm(self.page.margin_right_mm)

    def _core_properties(self) -> None:
        props = self.docx.core_properties
        meta = self.source.meta
        props.title = meta.title
        props.author = meta.author
        props.subject = meta.subject
        props.keywords = ", ".join(meta.keywords)
        props.language = meta.language
        props.last_modified_by = meta.author
        props.comments = ""
        props.revision = 1
        fixed = datetime(meta.year - 1, 12, 31, tzinfo=UTC).replace(tzinfo=None)
        props.created = fixed
        props.modified = fixed
        props.last_printed = fixed

    def _save(self) -> bytes:
        buffer = io.BytesIO()
        self.docx.save(buffer)
        return buffer.getvalue()

    # ------------------------------------------------------------ blocks
    def _render_block(self, block: Block) -> None:
        if isinstance(block, CoverPage):
            self._cover(block)
        elif isinstance(block, Contents):
            self._contents(block)
        elif isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, TableBlock):
            self._table(block)
        else:
            raise TypeError(f"the DOCX builder has no layout for {type(block).__name__}")
        self.first_block = False

    def _start(self, orientation: str, new_page: bool) -> bool:
        """Open a new section for the body or when the orientation changes; True if that broke the page."""
        if self.first_block or (orientation == self.orientation and self.numbered):
            return False
        section = self.docx.add_section(WD_SECTION.NEW_PAGE)
        self._size_section(section, orientation)
        self.orientation = orientation
        if not self.numbered:
            self._number_pages(section)
            self.numbered = True
        return True

    def _cover(self, block: CoverPage) -> None:
        for _ in range(8 if block.image is None else 4):
            self.docx.add_paragraph()
        if block.image is not None:
            picture = self.docx.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(str(block.image.path), width=Mm(block.image.width_mm))
        title = self._styled_paragraph("Title", block.title)
        subtitle = self._styled_paragraph("Title", block.subtitle)
        subtitle.runs[0].font.size = Pt(22)
        for paragraph in (title, subtitle):
            _stamp_fonts(paragraph, self.fonts.docx_heading)

    def _contents(self, block: Contents) -> None:
        heading = self._styled_paragraph("Title", block.title)
        heading.runs[0].font.size = Pt(self.fonts.size_title_pt)
        heading.paragraph_format.page_break_before = True
        _stamp_fonts(heading, self.fonts.docx_heading)
        self.body.insert_element_before(parse_xml(self._contents_field(block)), "w:sectPr")

    def _contents_field(self, block: Contents) -> str:
        """A TOC field whose result is already filled in: each entry a link to its heading's
        bookmark with a PAGEREF giving the page it has in the PDF layout of the same document.
        Word and LibreOffice show that result as it is (no update prompt on opening); “更新域”
        in Word recomputes the numbers for the DOCX's own pagination, which follows the PDF's
        closely (same page, margins, fonts and column widths)."""
        body_font = xml_attribute(self.fonts.docx_body)
        run_props = (
            f'<w:rPr><w:rFonts w:ascii="{body_font}" w:hAnsi="{body_font}" w:eastAsia="{body_font}"'
            f' w:cs="{body_font}"/></w:rPr>'
        )
        right = round(available_mm(self.page, "portrait") * TWIPS_PER_MM)

        def run(inner: str) -> str:
            return f"<w:r>{run_props}{inner}</w:r>"

        paragraphs = []
        for index, entry in enumerate(block.entries):
            start = (
                run('<w:fldChar w:fldCharType="begin"/>')
                + run('<w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText>')
                + run('<w:fldChar w:fldCharType="separate"/>')
                if index == 0
                else ""
            )
            number = self.pages.get(entry.anchor) if block.page_numbers else None
            page = (
                run('<w:fldChar w:fldCharType="begin"/>')
                + run(f'<w:instrText xml:space="preserve"> PAGEREF {xml_text(entry.anchor)} \\h </w:instrText>')
                + run('<w:fldChar w:fldCharType="separate"/>')
                + run(f"<w:t>{number}</w:t>")
                + run('<w:fldChar w:fldCharType="end"/>')
                if number is not None
                else ""
            )
            text = run('<w:t xml:space="preserve">' + xml_text(entry.text) + "</w:t>")
            paragraphs.append(
                f'<w:p><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{right}"/></w:tabs>'
                f'<w:ind w:left="{(entry.level - 1) * 420}"/></w:pPr>'
                f'{start}<w:hyperlink w:anchor="{xml_attribute(entry.anchor)}" w:history="1">{text}{run("<w:tab/>")}'
                f"{page}</w:hyperlink></w:p>"
            )
        end = "<w:p>" + run('<w:fldChar w:fldCharType="end"/>') + "</w:p>"
        return (
            f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/'
            "></w:docPartObj></w:sdtPr>"
            f"<w:sdtContent>{''.join(paragraphs)}{end}</w:sdtContent></w:sdt>"
        )

    def _heading(self, block: Heading) -> None:
        broke = self._start(block.orientation, block.new_page)
        paragraph = self._heading_paragraph(block.text, block.level, block.orientation)
        _bookmark(paragraph._p, block.anchor)
        if block.new_page and not broke:
            paragraph.paragraph_format.page_break_before = True
        if not block.visible:
            # navigation only: listed in the navigation pane and contents, not printed
            for run in paragraph.runs:
                run.font.hidden = True

    def _paragraph(self, block: Paragraph) -> None:
        paragraph = self.docx.add_paragraph()
        if block.lead:
            paragraph.add_run(block.lead).bold = True
        lines = block.text.split("\n")
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            if number < len(lines) - 1:
                run.add_break()
        _stamp_fonts(paragraph, self.fonts.docx_body)
        if block.style in ("label", "title-line"):
            for run in paragraph.runs:
                run.bold = True
        if block.style == "title-line":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if block.style == "body":
            paragraph.paragraph_format.first_line_indent = Pt(
                self.fonts.size_body_pt * self.style.first_line_indent_chars
            )
        elif block.style == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.style == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if block.bold:
            for run in paragraph.runs:
                run.bold = True

    def _table(self, block: TableBlock) -> None:
        broke = self._start(block.orientation, block.new_page)
        if block.continues:
            # Word joins tables that touch; a 1-point empty paragraph keeps the header row its own.
            spacer = self.docx.add_paragraph()
            spacer.paragraph_format.space_after = Pt(0)
            spacer.paragraph_format.line_spacing = Pt(1)
        elif block.title:
            title = self._heading_paragraph(
                block.title, block.title_level, block.orientation, self.style.table_title_align
            )
            _bookmark(title._p, block.anchor)
            if block.new_page and not broke:
                title.paragraph_format.page_break_before = True
        elif block.new_page and not broke:
            self.docx.add_paragraph().paragraph_format.page_break_before = True
        short, long = self._page_mm
        width_mm = (
            float(long if block.orientation == "landscape" else short)
            - float(self.page.margin_left_mm)
            - float(self.page.margin_right_mm)
        )
        self.body.insert_element_before(
            parse_xml(TableXml(block, width_mm, self.fonts, self.style.cell_padding_mm).xml()),
            "w:sectPr",
        )
        for note in ([block.note] if block.note else []) + list(block.notes_after):
            paragraph = self.docx.add_paragraph(note)
            _stamp_fonts(paragraph, self.fonts.docx_body)
            paragraph.paragraph_format.space_before = Pt(4)


class TableXml:
    """WordprocessingML for one table block: top line, header rows and 栏次 repeat on each page."""

    def __init__(self, block: TableBlock, width_mm: float, fonts: FontSettings, padding_mm: float = 1.0) -> None:
        self.block = block
        self.padding = round(padding_mm * TWIPS_PER_MM)
        total = sum(block.widths)
        self.widths = [round(width_mm * TWIPS_PER_MM * w / total) for w in block.widths]
        self.font_pt = fonts.size_table_pt
        self.run_props = self._run_props(fonts.docx_body, self.font_pt)

    @staticmethod
    def _run_props(font: str, size_pt: float) -> str:
        half_points = int(round(size_pt * 2))
        name = xml_attribute(font)
        return (
            f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/><w:sz'
            f' w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        )

    def xml(self) -> str:
        block = self.block
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths)
        rows = []
        if block.top_line:
            rows.append(self._top_line_row())
        rows += self._header_rows()
        if block.column_numbers:
            rows.append(
                self._row(
                    [self._cell(i, label, bold=True, align="center") for i, label in enumerate(block.column_numbers)],
                    header=True,
                )
            )
        rows += [self._body_row(r, row) for r, row in enumerate(block.rows)]
        borders = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        return (
            f'<w:tbl {W}><w:tblPr><w:tblW w:w="{sum(self.widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="{self.padding}" w:type="dxa"/><w:bottom'
            f' w:w="20" w:type="dxa"/><w:right w:w="{self.padding}" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
            ' w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )

    def _body_row(self, r: int, row: BodyRow) -> str:
        block = self.block
        bold = row.role == "total"
        cells = []
        column = 0
        while column < block.column_count:
            merge = next(
                (
                    m
                    for m in block.merges
                    if m.row <= r < m.row + m.rowspan and m.column <= column < m.column + m.colspan
                ),
                None,
            )
            if merge is None:
                cell = row.cells[column]
                cells.append(self._cell(column, cell.text, bold=bold, align=block.align[column], indent=cell.indent))
                column += 1
                continue
            vmerge = None
            if merge.rowspan > 1:
                vmerge = "restart" if r == merge.row else "continue"
            text = row.cells[merge.column].text if r == merge.row else ""
            align = merge.align or block.align[merge.column]
            cells.append(self._cell(merge.column, text, bold=bold, align=align, span=merge.colspan, vmerge=vmerge))
            column = merge.column + merge.colspan
        return self._row(cells, header=False)

    def _row(self, cells: list[str], header: bool) -> str:
        props = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
        return f"<w:tr>{props}{''.join(cells)}</w:tr>"

    def _cell(
        self,
        column: int,
        text: str,
        *,
        bold: bool = False,
        align: str = "left",
        span: int = 1,
        vmerge: str | None = None,
        borders: str = "",
        indent: int = 0,
    ) -> str:
        width = sum(self.widths[column : column + span])
        props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            props += f'<w:gridSpan w:val="{span}"/>'
        if vmerge:
            props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>"
        props += borders + '<w:vAlign w:val="center"/>'
        jc = {"left": "left", "center": "center", "right": "right"}[align]
        run = ""
        if text:
            pieces = "<w:br/>".join(f'<w:t xml:space="preserve">{xml_text(line)}</w:t>' for line in text.split("\n"))
            run = f"<w:r><w:rPr>{self.run_props}{'<w:b/><w:bCs/>' if bold else ''}</w:rPr>{pieces}</w:r>"
        # in twips of the table's font size: LibreOffice does not read Word's character units
        indentation = f'<w:ind w:left="{round(indent * self.font_pt * 20)}"/>' if indent else ""
        keep = "<w:keepNext/>" if self.block.keep_together else ""  # a small table stays on one page
        paragraph = (
            f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>{indentation}'
            f'<w:jc w:val="{jc}"/><w:rPr>{self.run_props}</w:rPr></w:pPr>{run}</w:p>'
        )
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraph}</w:tc>"

    def _top_line_row(self) -> str:
        line = self.block.top_line
        assert line is not None  # only called for a table that has one
        width = sum(self.widths)
        tabs = (
            f'<w:tabs><w:tab w:val="left" w:pos="{width // 2}"/><w:tab w:val="right" w:pos="{width - 120}"/></w:tabs>'
        )
        runs = "".join(
            f'<w:r><w:rPr>{self.run_props}</w:rPr>{"<w:tab/>" if i else ""}<w:t xml:space="preserve">'
            f"{xml_text(text)}</w:t></w:r>"
            for i, text in enumerate((line.left, line.middle, line.right))
        )
        no_borders = (
            "<w:tcBorders>" + "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "right")) + "</w:tcBorders>"
        )
        cell = (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:gridSpan w:val="{len(self.widths)}"/>'
            f"{no_borders}</w:tcPr>"
            f'<w:p><w:pPr>{tabs}<w:spacing w:before="0" w:after="60"/></w:pPr>{runs}</w:p></w:tc>'
        )
        return self._row([cell], header=True)

    def _header_rows(self) -> list[str]:
        block = self.block
        # occupancy[row][column] = (cell, is_first_row_of_cell)
        occupancy: list[dict[int, tuple[HeaderCell, bool]]] = [dict() for _ in range(block.header_rows)]
        for cell in block.header:
            for r in range(cell.row, cell.row + cell.rowspan):
                occupancy[r][cell.column] = (cell, r == cell.row)
        rows = []
        for r in range(block.header_rows):
            cells = []
            column = 0
            while column < block.column_count:
                cell, first = occupancy[r][column]
                vmerge = None if cell.rowspan == 1 else ("restart" if first else "continue")
                text = cell.text if first else ""
                cells.append(self._cell(column, text, bold=True, align="center", span=cell.colspan, vmerge=vmerge))
                column += cell.colspan
            rows.append(self._row(cells, header=True))
        return rows


def _stamp_fonts(paragraph: Any, font: str) -> None:
    """Name the East-Asian font on each run itself, not only in the style: Word and WPS both honour it."""
    for run in paragraph.runs:
        fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), font)


def _set_font(style: Any, font: str, size_pt: float) -> None:
    style.font.name = font
    style.font.size = Pt(size_pt)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _bookmark(paragraph: Any, name: str) -> None:
    identifier = paragraph.getparent().index(paragraph) + 1  # unique: one bookmark per body paragraph
    start = parse_xml(f'<w:bookmarkStart {W} w:id="{identifier}" w:name="{xml_attribute(name)}"/>')
    end = parse_xml(f'<w:bookmarkEnd {W} w:id="{identifier}"/>')
    paragraph.insert(1 if paragraph.pPr is not None else 0, start)
    paragraph.append(end)


def _set_language(styles: Any) -> None:
    """zh-CN for the whole document (docDefaults), so Word and WPS proof and break lines as Chinese."""
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:lang {W} w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'))


def render_docx(document: Document, theme: Theme, pages: dict[str, int] | None = None) -> bytes:
    return DocxWriter(document, theme, pages).render()


def build_docx(document: Document, theme: Theme, options: BuildOptions) -> bytes:
    pages = options.report.get("anchor_pages")
    if pages is None:  # no PDF in this build: lay one out for the contents' page numbers
        from ..fonts import installed_cjk_font
        from . import page_numbers

        # Without a CJK font there is no layout to take numbers from; the contents then lists
        # the headings without page numbers (Word's “更新域” adds them).
        pages = page_numbers(document, theme, options.engine) if installed_cjk_font(theme) else {}
        options.report["anchor_pages"] = pages
    return render_docx(document, theme, pages)
