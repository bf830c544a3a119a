"""Layout decisions shared by every format: column widths from content and where headings break.

The PDF and the DOCX lay out the same document with the same page, margins and table font, so the
widths are decided here once, in millimetres, from what the cells hold: codes, amounts and short
values (a few characters, such as 满意度指标 or ≤156.88万元) get a column wide enough never to
wrap; long text columns share the rest in proportion to the set's relative widths.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace

from .document import Document, Heading, TableBlock
from .settings import PageSettings

PAGE_MM = {"A4": (210, 297), "A3": (297, 420), "B5": (176, 250), "Letter": (215.9, 279.4)}
MM_PER_PT = 25.4 / 72
DOCX_SPARE_MM = 1.1  # Word and LibreOffice, which may stand another font in for the set's
SHORT_UNITS = 20  # text up to 10 CJK characters is a value or label, kept on one line
HEADER_WORD_UNITS = 8  # a header label keeps at least 4 CJK characters a line
LONG_TEXT_CAP_UNITS = 80  # what a long text column may ask for before it wraps anyway
UNBREAKABLE_KINDS = ("amount", "code", "number")


LATIN_UNITS = 1.25  # letters and digits: 0.5 em in 宋体, up to 0.62 em in the fonts Word or LibreOffice substitute


def text_units(text: str) -> float:
    """Width in half-width units: CJK, full-width and ambiguous-width characters (≤, ※) count 2,
    since the CJK fonts of a disclosure print them a full em wide; letters and digits a little
    over 1, so a code still fits where another font stands in for the set's."""
    return max((sum(_char_units(ch) for ch in line) for line in text.split("\n")), default=0)


def _char_units(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in "WFA":
        return 2
    return LATIN_UNITS if ch.isalnum() else 1


@dataclass(frozen=True)
class CellRoom:
    """What a renderer puts beside the text of a table cell: its padding on each side, and what it
    needs beyond the glyphs and the padding to keep a line whole. Each PDF engine declares its own
    (builders.ENGINES); the DOCX's padding is the set's docx.cell_padding_mm."""

    padding_pt: float  # each side
    spare_mm: float

    @property
    def total_mm(self) -> float:
        return 2 * self.padding_pt * MM_PER_PT + self.spare_mm


def room_for(pdf: CellRoom, docx_padding_mm: float) -> float:
    """The room (mm) beside a cell's text that keeps it whole in the PDF and in the DOCX, which are
    laid out from the same Document."""
    return max(pdf.total_mm, 2 * docx_padding_mm + DOCX_SPARE_MM)


def available_mm(page: PageSettings, orientation: str) -> float:
    short, long = PAGE_MM.get(page.size, PAGE_MM["A4"])
    width = long if orientation == "landscape" else short
    return float(width) - page.margin_left_mm - page.margin_right_mm


def fit_columns(block: TableBlock, page: PageSettings, font_pt: float, room_mm: float) -> TableBlock:
    """The block with widths (in mm, summing to the text width) that keep its unbreakable cells
    whole in the PDF and in the DOCX (`room_mm` beside the text: room_for)."""
    unit_mm, padding = _unit_mm(font_pt), room_mm
    width = available_mm(page, block.orientation)
    count = block.column_count
    need, wish = _needs(block)
    need_mm = [n * unit_mm + padding for n in need]
    wish_mm = [max(w * unit_mm + padding, n) for w, n in zip(wish, need_mm, strict=True)]
    if sum(need_mm) >= width:  # cannot keep everything whole: shrink in proportion
        widths = [n * width / sum(need_mm) for n in need_mm]
    else:
        widths = _share(need_mm, wish_mm, list(block.widths), width)
    widths = _widen_for_spans(block, widths, need_mm, unit_mm, padding)
    assert len(widths) == count
    return replace(block, widths=tuple(round(w, 2) for w in widths))


def mark_flowing_merges(blocks: list, font_pt: float, room_mm: float) -> list:
    """Every table's merges too tall to move whole onto the next page marked as flowing: their rows
    run on across a page break, where the PDF splits them (`split_merges_at_pages`)."""
    return [
        replace(b, merges=_mark_flowing(b, _unit_mm(font_pt), room_mm, font_pt)) if isinstance(b, TableBlock) else b
        for b in blocks
    ]


def _unit_mm(font_pt: float) -> float:
    """A half-width unit of the table font, in mm."""
    return font_pt * MM_PER_PT / 2


def _height_mm(block: TableBlock, font_pt: float, room_mm: float) -> float:
    covered = block.covered()
    return sum(_row_height_mm(block, r, covered, _unit_mm(font_pt), room_mm, font_pt) for r in range(len(block.rows)))


def _needs(block: TableBlock) -> tuple[list[float], list[float]]:
    """Per column: the widest unbreakable content (must fit) and the widest long text (would like to)."""
    count = block.column_count
    need, wish = [0.0] * count, [0.0] * count
    covered = block.covered()
    for r, row in enumerate(block.rows):
        for c, cell in enumerate(row.cells):
            merge = block.merge_at(r, c)
            if (r, c) in covered or (merge is not None and merge.colspan > 1):
                continue
            units = text_units(cell.text) + 2 * cell.indent
            if cell.kind in UNBREAKABLE_KINDS or units <= SHORT_UNITS:
                need[c] = max(need[c], units)
            else:
                wish[c] = max(wish[c], min(units, LONG_TEXT_CAP_UNITS))
    # only inside the explanatory part: the set's tables keep the look their references print
    filled = (
        set(range(count))
        if block.part_table
        else {c for row in block.rows for c, cell in enumerate(row.cells) if cell.text.strip()}
    )
    for cell in block.header:
        if cell.colspan == 1:
            # a header label wraps, but never to fewer than 4 characters a line — 2 over a column
            # with nothing in it (an unused fund column gives its room to the text beside it)
            narrowest = HEADER_WORD_UNITS if cell.column in filled else HEADER_WORD_UNITS // 2
            need[cell.column] = max(need[cell.column], min(text_units(cell.text), narrowest))
    for c, label in enumerate(block.column_numbers or ()):
        need[c] = max(need[c], text_units(label))
    return need, wish


def _share(need: list[float], wish: list[float], weights: list[float], width: float) -> list[float]:
    """Columns with long text share what the others do not need, in proportion to the set's
    weights, each at least its need and at most its wish; what is left when every long column has
    its wish goes to all columns by weight."""
    count = len(need)
    weights = [w if w > 0 else 1.0 for w in weights]
    widths = list(need)
    flexible = {i for i in range(count) if wish[i] > need[i]}
    while flexible:
        pool = width - sum(widths[i] for i in range(count) if i not in flexible)
        total = sum(weights[i] for i in flexible)
        share = {i: pool * weights[i] / total for i in flexible}
        clamped = {i: need[i] for i in flexible if share[i] < need[i]} or {
            i: wish[i] for i in flexible if share[i] > wish[i]
        }
        if not clamped:
            for i in flexible:
                widths[i] = share[i]
            break
        for i, value in clamped.items():
            widths[i] = value
        flexible -= set(clamped)
    room = width - sum(widths)
    if room > 0.01:
        total = sum(weights)
        widths = [w + room * weights[i] / total for i, w in enumerate(widths)]
    return widths


def _widen_for_spans(
    block: TableBlock, widths: list[float], need: list[float], unit_mm: float, padding: float
) -> list[float]:
    """A merged cell spanning columns (a 项目编码, an amount) keeps its text whole too: its columns
    grow, the columns with room to spare give way."""
    for merge in block.merges:
        if merge.colspan == 1:
            continue
        cell = block.rows[merge.row].cells[merge.column]
        units = text_units(cell.text)
        if cell.kind not in UNBREAKABLE_KINDS and units > SHORT_UNITS:
            continue
        spanned = range(merge.column, merge.column + merge.colspan)
        deficit = units * unit_mm + padding - sum(widths[i] for i in spanned)
        spare = {i: widths[i] - need[i] for i in range(len(widths)) if i not in spanned and widths[i] - need[i] > 0}
        if deficit <= 0 or not spare:
            continue
        slack = math.fsum(spare.values())
        taken = min(deficit, slack)
        for i, room in spare.items():
            widths[i] -= taken * room / slack
        for i in spanned:
            widths[i] += taken / merge.colspan
    return widths


MAX_MERGED_MM = 80  # a vertical merge taller than this flows across a page break instead of moving whole


def _mark_flowing(block: TableBlock, unit_mm: float, padding: float, font_pt: float) -> tuple:
    if block.keep_together:
        return block.merges  # printed whole on one page: a merge is never cut
    covered = block.covered()
    heights = [_row_height_mm(block, r, covered, unit_mm, padding, font_pt) for r in range(len(block.rows))]
    return tuple(
        replace(m, flows=True) if m.rowspan > 1 and sum(heights[m.row : m.row + m.rowspan]) > MAX_MERGED_MM else m
        for m in block.merges
    )


def split_merges_at_pages(block: TableBlock, row_pages: dict[int, int]) -> TableBlock:
    """A merged cell cut by a page break (WeasyPrint draws neither its border nor its label on the
    next page) split there into parts, each printing the label: whole within a page, split only
    where the page breaks. `row_pages` is the page each body row was laid out on."""
    merges = []
    for merge in block.merges:
        start = merge.row
        for r in range(merge.row + 1, merge.row + merge.rowspan):
            if r in row_pages and start in row_pages and row_pages[r] != row_pages[start]:
                merges.append(replace(merge, row=start, rowspan=r - start))
                start = r
        merges.append(replace(merge, row=start, rowspan=merge.row + merge.rowspan - start))
    return replace(block, merges=tuple(m for m in merges if m.rowspan > 1 or m.colspan > 1))


def _row_height_mm(block: TableBlock, r: int, covered: set, unit_mm: float, padding: float, font_pt: float) -> float:
    lines = 1
    for c, cell in enumerate(block.rows[r].cells):
        if (r, c) in covered or not cell.text:
            continue
        merge = block.merge_at(r, c)
        if merge is not None and merge.rowspan > 1:
            continue  # a merged cell's own text is spread over its rows
        span = merge.colspan if merge is not None else 1
        capacity = max(1.0, (sum(block.widths[c : c + span]) - padding) / unit_mm)
        lines = max(lines, sum(max(1, math.ceil(text_units(part) / capacity)) for part in cell.text.split("\n")))
    return lines * font_pt * 1.3 * MM_PER_PT + 1.5


# ---------------------------------------------------------------- headings

SHORT_LAST_LINE = 4  # characters; a last line this short reads as a stray
NO_LINE_START = set("，。、；：？！）》」』”’%")


# Where a heading may be broken without cutting a word: after these words or characters, or before
# an opening bracket (…工业和信息化局 / 2023年部门预算 / 信息公开情况说明, never 信息公 / 开情况说明).
BREAK_AFTER = (
    "年",
    "局",
    "委",
    "办",
    "厅",
    "部",
    "处",
    "的",
    "和",
    "、",
    "，",
    "：",
    "预算",
    "公开",
    "部门",
    "单位",
    "中心",
    "市",
    "区",
    "县",
)


def good_break(text: str, index: int) -> bool:
    """Whether a line may end before text[index]."""
    if index <= 0 or index >= len(text):
        return False
    return text[:index].endswith(BREAK_AFTER) or text[index] in "（(《“"


def nearest_good_break(text: str, index: int, reach: int = 3) -> int:
    """The word boundary nearest to `index` (within `reach` characters), else `index` itself."""
    for offset in range(reach + 1):
        for candidate in (index - offset, index + offset):
            if good_break(text, candidate):
                return candidate
    return index


def balanced_lines(text: str, units_per_line: float) -> list[str]:
    """The heading as lines: unchanged when it fits or its last line is long enough; otherwise
    broken into lines of about equal length, at word boundaries, so no line is left with 1–4
    characters and no word is cut."""
    total = text_units(text)
    if total <= units_per_line or units_per_line <= 0:
        return [text]
    lines = math.ceil(total / units_per_line)
    last = total - (lines - 1) * units_per_line
    if last > 2 * SHORT_LAST_LINE:
        return [text]
    target = total / lines
    breaks, used = [], 0.0
    for index, ch in enumerate(text):
        width = text_units(ch)
        if used + width > target * (len(breaks) + 1) and index and len(breaks) < lines - 1:
            at = nearest_good_break(text, index)
            while at < len(text) and text[at] in NO_LINE_START:
                at += 1
            if not breaks or at > breaks[-1]:
                breaks.append(at)
        used += width
    pieces, start = [], 0
    for at in breaks:
        pieces.append(text[start:at])
        start = at
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]


def units_per_line(page: PageSettings, font_pt: float, orientation: str = "portrait") -> float:
    return available_mm(page, orientation) / (font_pt * MM_PER_PT / 2)


def keep_headings_with_tables(blocks: list) -> list:
    """A heading directly before a table that starts a new page (a landscape table) moves onto that
    page with it, instead of being left alone at the foot of the page before."""
    result = list(blocks)
    for i in range(len(result) - 1):
        heading, table = result[i], result[i + 1]
        if isinstance(heading, Heading) and heading.visible and isinstance(table, TableBlock) and table.new_page:
            result[i] = replace(heading, new_page=True, orientation=table.orientation)
            result[i + 1] = replace(table, new_page=False)
    return result


KEPT_TABLE_MM = 180  # a kept-together table this tall still fits a page with its title
SMALL_TABLE_ROWS = 15  # a 绩效目标表 of up to this many rows (both parts) is kept on one page


def keep_small_tables_together(blocks: list, font_pt: float, room_mm: float) -> list:
    """A small table inside the explanatory part (a project's 绩效目标表: its goal rows and its
    indicators) is printed whole on one page with its title, not split across a page break — if
    both its parts fit a page; a taller one flows on as before (never leaving a title alone)."""
    result = list(blocks)
    for i, block in enumerate(result):
        if not isinstance(block, TableBlock) or block.part_table or block.continues:
            continue
        lower = result[i + 1] if i + 1 < len(result) else None
        parts = [block] + ([lower] if isinstance(lower, TableBlock) and lower.continues else [])
        rows = sum(len(p.rows) for p in parts)
        height = sum(_height_mm(p, font_pt, room_mm) for p in parts)
        if rows <= SMALL_TABLE_ROWS and height <= KEPT_TABLE_MM:
            result[i] = replace(block, keep_together=True)
            if isinstance(lower, TableBlock) and lower.continues:
                result[i + 1] = replace(lower, keep_together=True)
    return result


def align_continued_tables(blocks: list) -> list:
    """A table printed as the lower part of the one above (a 绩效目标 row over its indicators)
    shares that table's columns when it has as many, so their lines meet: the lower table,
    which holds the indicators, decides the widths of both."""
    result = list(blocks)
    for i in range(1, len(result)):
        upper, lower = result[i - 1], result[i]
        if (
            isinstance(lower, TableBlock)
            and lower.continues
            and isinstance(upper, TableBlock)
            and upper.column_count == lower.column_count
        ):
            result[i - 1] = replace(upper, widths=lower.widths)
    return result


def split_cut_merges(document: Document, row_pages: dict[int, dict[int, int]]) -> Document:
    """The document with each page-cut merge split at the break; the same object when none is cut."""
    blocks = list(document.blocks)
    changed = False
    for index, rows in row_pages.items():
        block = blocks[index] if index < len(blocks) else None
        if not isinstance(block, TableBlock) or len(set(rows.values())) < 2:
            continue
        split = split_merges_at_pages(block, rows)
        if split.merges != block.merges:
            blocks[index], changed = split, True
    return Document(document.meta, blocks) if changed else document


def kept_tail(text: str) -> int | None:
    """Where the last few characters of a heading start that must stay together on its last line
    (so a wrapped heading never ends in a line of 1–4 characters), at a word boundary; None when
    the heading is that short."""
    keep = SHORT_LAST_LINE + 1
    if len(text) <= keep:
        return None
    start = next((i for i in range(len(text) - keep, max(len(text) - 2 * keep, 0), -1) if good_break(text, i)), None)
    return len(text) - keep if start is None else start
