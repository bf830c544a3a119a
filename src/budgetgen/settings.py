"""A template set's settings, typed: what theme.yaml may say, each value's kind and range. The set
chain is merged (theme.py) and then parsed into these models once, at load; every mistake is an
error at its theme.yaml line (theme.model_problems), and consumers read attributes, never dotted
strings. Each table's options are typed by its kind (tables/), a registered unit that a set
selects by name; each section (sections/) reads its block of `narrative` below.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .numbering import NumberingStyle

Align = Literal["left", "center", "right"]
PageSize = Literal["A4", "A3", "B5", "Letter"]
Margin = Annotated[float, Field(ge=0, le=60)]
FontSize = Annotated[float, Field(ge=5, le=40)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Part(Strict):
    """One part of the document, in the set's order: the tables part, the explanatory part of
    Hebei's layout (`narrative`: its own heading, intro and numbered sections), or one section."""

    key: str
    title: str = ""  # the contents entry; for a section also its heading unless `heading` is given
    heading: str = ""  # the printed heading, e.g. "{{ name }}主要职能"
    tables: tuple[str, ...] = ()  # the tables part: the set's tables, in print order
    heading_visible: bool = True


class DocumentSettings(Strict):
    title: str
    subject: str
    cover_title: str
    cover_subtitle: str = ""
    cover_image: str = ""  # a picture of the set (e.g. an emblem) printed on the cover
    cover_image_width_mm: Annotated[float, Field(gt=0, le=180)] = 40
    contents_title: str
    tables_part: str
    contents_page_numbers: bool = True
    parts: tuple[Part, ...]
    part_numbering: NumberingStyle = "none"  # or a numbering style (chinese: 一、) for the parts
    table_numbering: NumberingStyle = "none"  # or a style (arabic_dot: 1.) for the tables in the contents


class PageTop(Strict):
    """The line above every page of a table; {unit_line} is the table's unit line."""

    left: str
    middle: str = ""
    right: str = ""


class Labels(Strict):
    serial: str
    column_numbers: str


class FontSettings(Strict):
    body: tuple[str, ...]
    heading: tuple[str, ...]
    docx_body: str
    docx_heading: str
    size_body_pt: FontSize = 12
    size_table_pt: FontSize = 9
    size_title_pt: FontSize = 16


class DocxSettings(Strict):
    line_spacing: Annotated[float, Field(ge=0.8, le=3)] = 1.25
    space_after_pt: Annotated[float, Field(ge=0, le=30)] = 0
    first_line_indent_chars: Annotated[float, Field(ge=0, le=4)] = 2
    heading_space_pt: Annotated[float, Field(ge=0, le=30)] = 6
    part_title_align: Align = "center"
    heading_align: Align = "left"
    table_title_align: Align = "center"
    cell_padding_mm: Annotated[float, Field(ge=0, le=5)] = 1.0


class PageSettings(Strict):
    size: PageSize = "A4"
    margin_top_mm: Margin = 20
    margin_bottom_mm: Margin = 20
    margin_left_mm: Margin = 20
    margin_right_mm: Margin = 20


# ---------------------------------------------------------------- the sentences (narrative)


class Named(Strict):
    """An entry of a list a child set may edit by name (theme.EntryEdits)."""

    key: str
    title: str = ""


class ChangeWords(Strict):
    increase: str = "增加"
    decrease: str = "减少"
    same: str = "持平"


class Numbers(Strict):
    amounts: Literal["two_decimals", "trimmed"] = "two_decimals"
    zero: str = ""
    percent_decimals: Annotated[int, Field(ge=0, le=4)] = 2
    change_words: ChangeWords = ChangeWords()


class DutiesSettings(Strict):
    duties_label: str
    duties_numbering: NumberingStyle = "paren_chinese"
    units_label: str
    units_table_title: str


class IncomePart(Strict):
    label: str
    funds: tuple[str, ...] = ()
    carried_over: bool = False


class OverviewSettings(Strict):
    lead: str
    subsection_numbering: NumberingStyle = "arabic_comma"
    income_title: str
    income: str
    income_parts: tuple[IncomePart, ...]
    income_parts_nonzero_only: bool = False
    expense_title: str
    expense: str
    change_title: str
    change: str


class Text(Strict):
    text: str


class PerformanceSettings(Strict):
    parts: tuple[Named, ...] = ()
    overall_title: str
    items_title: str
    safeguards_title: str
    subsection_numbering: NumberingStyle = "paren_chinese"
    item_numbering: NumberingStyle = "chinese"
    item_line_numbering: NumberingStyle = "arabic_comma"
    goal_label: str
    measure_label: str
    labels_bold: bool = False
    safeguard_style: Literal["inline", "heading"] = "inline"
    safeguard_numbering: NumberingStyle = "arabic_comma"
    safeguard_separator: str = "："
    special_funds_none: str
    project_table: Literal["with_budget", "simple"] = "with_budget"
    project_title: str
    indicator_order: Literal["typed", "canonical"] = "typed"
    spending_plan_header: str
    spending_plan_periods: tuple[str, str, str, str] = ("3月底", "6月底", "10月底", "12月底")


class FundColumn(Strict):
    label: str
    funds: tuple[str, ...]


class ProcurementSettings(Strict):
    text: str = ""
    table_title: str
    fund_columns: tuple[FundColumn, ...]
    share_header: str
    footnote: str = ""
    empty_note: str = ""
    none: str = ""  # said instead of `text` when the department has no procurement
    empty_table: bool = False  # with no procurement, print the empty table with its empty_note (or leave it out)


class AssetRow(Strict):
    key: Literal["buildings", "offices", "vehicles", "large_equipment", "general_equipment", "other"]
    label: str
    part_of_total: bool = True


class AssetsSettings(Strict):
    text: str
    table_title: str
    value_header: str
    total_quantity: str = ""
    rows: tuple[AssetRow, ...]


class NumberingOnly(Strict):
    numbering: NumberingStyle = "paren_chinese"


class ExplanationSettings(Strict):
    income: str
    expense: str
    reason: str = ""
    items_title: str
    item_numbering: NumberingStyle = "arabic_comma"
    item: str


class InfoPart(Strict):
    key: str
    title: str
    sentences: tuple[str, ...] = ()


class OtherInfoSettings(Strict):
    numbering: NumberingStyle = "chinese"
    parts: tuple[InfoPart, ...]


class ProjectNotesSettings(Strict):
    numbering: NumberingStyle = "chinese"
    heading: str
    amount: str
    titles: dict[str, str]


class NarrativeSettings(Strict):
    """The explanatory sentences: the part's own (title, intro, numbering, the sections it lists)
    and one block of settings per section (its sentences and numbering)."""

    numbers: Numbers = Numbers()
    snippets: dict[str, Any] = {}  # checked by the sentence machinery (names, parameters)
    part_title: str
    title_line: str = ""
    intro: str
    section_numbering: NumberingStyle = "chinese"
    sections: tuple[Named, ...]
    duties: DutiesSettings
    overview: OverviewSettings
    operating_costs: Text
    three_public: Text
    performance: PerformanceSettings
    procurement: ProcurementSettings
    assets: AssetsSettings
    glossary_numbering: NumberingStyle = "arabic_comma"
    glossary_bold_terms: bool = False
    glossary_changes: dict[str, str | None] = {}
    glossary: tuple[tuple[str, str], ...]
    other_none: str
    functions: NumberingOnly = NumberingOnly()
    organisation: Text
    explanation: ExplanationSettings
    other_info: OtherInfoSettings
    project_notes: ProjectNotesSettings

    def at(self, path: str) -> Any:
        """A setting by its place under `narrative` (`overview.income`): the sentence machinery's
        one way in, so the error of a sentence can name where it is written. A place that is not a
        setting is a programming error, not a silent default."""
        node: Any = self
        for part in path.split("."):
            node = getattr(node, part)
        return node


class SetSettings(Strict):
    description: str = ""
    tables: dict[str, Any]  # each table's options, typed by its kind (wording.table_specs)
    document: DocumentSettings
    page_top: PageTop
    labels: Labels
    fonts: FontSettings
    docx: DocxSettings = DocxSettings()
    page: PageSettings = PageSettings()
    # the PDF engine: auto = Typst or WeasyPrint as budgetgen recommends (WeasyPrint for a set that
    # changes the HTML/CSS templates); `build --engine` chooses for one build
    engine: Literal["auto", "weasyprint", "typst"] = "auto"
    narrative: NarrativeSettings
