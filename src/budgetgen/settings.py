"""A template set's settings, typed: what theme.yaml may say, each value's kind and range. The set
chain is merged (theme.py) and then parsed into these models once, at load; every mistake is an
error at its theme.yaml line (theme.model_problems), and consumers read attributes, never dotted
strings. Each table's options are typed by its kind (tables/), and each section's sentences by the
section (sections/), since those are registered units that a set selects by name.
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


class SetSettings(Strict):
    description: str = ""
    tables: dict[str, Any]  # each table's options, typed by its kind (wording.table_specs)
    document: DocumentSettings
    page_top: PageTop
    labels: Labels
    fonts: FontSettings
    docx: DocxSettings = DocxSettings()
    page: PageSettings = PageSettings()
    narrative: dict[str, Any]  # the sentences, typed by the sections that print them
