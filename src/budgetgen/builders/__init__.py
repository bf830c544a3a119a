"""Builders: one per output format, turning the format-neutral Document into bytes.

Each registers here under its format name with the same interface (document, theme, options) →
bytes, so a new format is one new module and one line below. A builder lays out every block type
of the document model or fails loudly on one it does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from ..document import Document
from ..theme import Theme


@dataclass(frozen=True)
class BuildOptions:
    pdfa: bool = False  # PDF/A-2b for archiving
    report: dict[str, Any] = field(default_factory=dict, compare=False)  # what builders tell back (e.g. "pages")


Builder = Callable[[Document, Theme, BuildOptions], bytes]

# format → "module:function"; imported only when that format is built (WeasyPrint costs ~0.7 s).
REGISTRY: dict[str, str] = {
    "pdf": "budgetgen.builders.pdf:build_pdf",
    "docx": "budgetgen.builders.docx:build_docx",
    "html": "budgetgen.builders.html:build_html",
    "xlsx": "budgetgen.builders.xlsx:build_xlsx",
}
FORMATS = tuple(REGISTRY)


def builder_for(format: str) -> Builder:
    module, function = REGISTRY[format].split(":")
    builder: Builder = getattr(import_module(module), function)
    return builder
