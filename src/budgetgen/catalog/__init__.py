"""The classification catalog: 支出功能分类 and 部门预算支出经济分类 codes with their names by year.

Data files (package data, one row per code and name, with the years the name applies):
- function_codes.csv, economic_codes.csv: code,name,level,since,until,sources
- classes.csv: the 31 expenditure classes of the 收支总表, in printed order.
The full national 政府收支分类科目 can replace these files as long as it keeps the columns.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
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
    return CodeList(_entries(text))


def _entries(text: str) -> list[CodeName]:
    return [
        CodeName(row["code"].strip(), row["name"].strip(), _year(row.get("since") or ""), _year(row.get("until") or ""))
        for row in csv.DictReader(text.splitlines())
    ]


CITY_CATALOG = "科目目录.csv"  # a city's own names, beside the department files or in its template set
COLUMNS = ("code", "name", "level", "since", "until", "sources")


def city_names(folders, year: int) -> tuple[dict[str, str], list[str]]:
    """Names from the city catalogs in `folders` (first folder wins), for `year`; and problems
    reading them (as messages naming file and line)."""
    from ..loading import read_limited
    from ..problems import InputRejected

    names: dict[str, str] = {}
    problems: list[str] = []
    for folder in reversed(list(folders)):
        path = folder / CITY_CATALOG
        if not path.is_file():
            continue
        try:
            text = read_limited(path).decode("utf-8-sig")
        except (InputRejected, UnicodeDecodeError):
            problems.append(f"{path} 无法读取（应为 UTF-8 编码的 CSV）")
            continue
        header = next(csv.reader(text.splitlines()[:1]), [])
        if not {"code", "name"} <= set(header):
            problems.append(f"{path}:1 缺少 code、name 列（列与内置目录相同：{','.join(COLUMNS)}）")
            continue
        codes = CodeList(_entries(text))
        for code in codes.codes():
            name = codes.name(code, year)
            if name:
                names[code] = name
    return names, problems


def write_city_catalog(path, learned: dict[str, str], year: int) -> bytes:
    """The city catalog with `learned` names added (existing rows kept, same columns as built in)."""
    rows = []
    if path.is_file():
        rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    known = {(r["code"], r["name"]) for r in rows}
    levels = {3: "类", 5: "款", 7: "项"}
    for code, name in sorted(learned.items()):
        if (code, name) not in known:
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "level": levels.get(len(code), ""),
                    "since": str(year),
                    "until": "",
                    "sources": "导入",
                }
            )
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _year(text: str) -> int | None:
    return int(text) if text else None


@cache
def function_codes() -> CodeList:
    return _read_codes("function_codes.csv")


@cache
def economic_codes() -> CodeList:
    return _read_codes("economic_codes.csv")


@cache
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
