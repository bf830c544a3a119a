"""The classification catalog: 支出功能分类 and 部门预算支出经济分类 codes with their names by year.

Data files (package data, one row per code and name, with the years the name applies):
- function_codes.csv, economic_codes.csv: code,name,level,since,until,sources
- classes.csv: the 31 expenditure classes of the 收支总表, in printed order.
The full national 政府收支分类科目 can replace these files as long as it keeps the columns.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CodeName:
    code: str
    name: str
    since: int | None
    until: int | None

    def applies_to(self, year: int) -> bool:
        return (self.since is None or self.since <= year) and (self.until is None or year <= self.until)


@dataclass(frozen=True)
class ExpenditureClass:
    number: int  # 1..31, the row of the 收支总表
    code: str | None  # 3-digit 类 code; class 31 (人行科目) has none
    name: str


class CodeList:
    """Names of one classification, resolved by budget year."""

    def __init__(self, entries: list[CodeName]) -> None:
        self._by_code: dict[str, list[CodeName]] = {}
        for entry in entries:
            self._by_code.setdefault(entry.code, []).append(entry)

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def name(self, code: str, year: int) -> str | None:
        """The name in force in `year`; for a year outside every range, the nearest one."""
        entries = self._by_code.get(code)
        if not entries:
            return None
        for entry in entries:
            if entry.applies_to(year):
                return entry.name
        return min(entries, key=lambda e: _distance(e, year)).name

    def codes(self) -> list[str]:
        return sorted(self._by_code)


def _distance(entry: CodeName, year: int) -> int:
    if entry.since is not None and year < entry.since:
        return entry.since - year
    if entry.until is not None and year > entry.until:
        return year - entry.until
    return 0


def _read_codes(filename: str) -> CodeList:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    entries = [
        CodeName(row["code"], row["name"], _year(row["since"]), _year(row["until"]))
        for row in csv.DictReader(text.splitlines())
    ]
    return CodeList(entries)


def _year(text: str) -> int | None:
    return int(text) if text else None


@lru_cache(maxsize=None)
def function_codes() -> CodeList:
    return _read_codes("function_codes.csv")


@lru_cache(maxsize=None)
def economic_codes() -> CodeList:
    return _read_codes("economic_codes.csv")


@lru_cache(maxsize=None)
def expenditure_classes() -> tuple[ExpenditureClass, ...]:
    text = resources.files(__package__).joinpath("classes.csv").read_text(encoding="utf-8")
    return tuple(
        ExpenditureClass(int(row["number"]), row["code"] or None, row["name"])
        for row in csv.DictReader(text.splitlines())
    )


def class_number(function_code: str) -> int | None:
    """The 收支总表 row (1..30) of a function code, from its 3-digit 类."""
    for cls in expenditure_classes():
        if cls.code == function_code[:3]:
            return cls.number
    return None
