"""Regenerate the bundled classification catalog from its sources.

Sources: the sourced seed lists (tests/fixtures/catalog-seed/, copied from the project's shared
catalog) and the codes printed in the three reference disclosures (tests/fixtures/reference/*.json).
Output: src/budgetgen/catalog/{function,economic}_codes.csv with one row per (code, name, years).

When one code carries different names in different years, each name gets the year range in which
it was seen, split at the first year of the newer name (21505: 工业和信息产业监管 ≤2023,
工业和信息产业 ≥2024). To drop in the full national 政府收支分类科目 later, write the same columns.

Run: python scripts/build_catalog.py
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "catalog-seed"
REFERENCES = ROOT / "tests" / "fixtures" / "reference"
OUT = ROOT / "src" / "budgetgen" / "catalog"

LEVELS = {3: "类", 5: "款", 7: "项"}


def seed_rows(name: str):
    with open(SEED / name, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year = int(row["year_if_known"]) if row["year_if_known"] else None
            yield row["code"], row["name"].strip(), year, row["source"]


def reference_rows(table_key: str):
    for path in sorted(REFERENCES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        table = data["tables"].get(table_key, [])
        rows = table.get("rows", []) if isinstance(table, dict) else table  # 005 keeps its rows under "rows"
        for row in rows:
            if row[0] and row[0].isdigit():
                yield row[0], row[1], data["year"], f"ref{path.stem}"


def collapse(observations) -> list[dict]:
    names: dict[str, dict[str, dict]] = defaultdict(dict)
    for code, name, year, source in observations:
        entry = names[code].setdefault(name, {"years": set(), "sources": set()})
        if year is not None:
            entry["years"].add(year)
        entry["sources"].add(source)
    rows = []
    for code in sorted(names):
        variants = sorted(names[code].items(), key=lambda item: min(item[1]["years"] or {0}))
        for index, (name, entry) in enumerate(variants):
            since = min(entry["years"]) if index > 0 and entry["years"] else None
            until = None
            if index + 1 < len(variants) and variants[index + 1][1]["years"]:
                until = min(variants[index + 1][1]["years"]) - 1
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "level": LEVELS[len(code)],
                    "since": since or "",
                    "until": until or "",
                    "sources": " ".join(sorted(entry["sources"])),
                }
            )
    return rows


def write(name: str, rows: list[dict]) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "name", "level", "since", "until", "sources"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def main() -> None:
    function = list(seed_rows("function_codes.csv"))
    for key in ("收入总表", "支出总表", "一般公共预算财政拨款支出表"):
        function += list(reference_rows(key))
    economic = list(seed_rows("economic_codes.csv")) + list(reference_rows("一般公共预算财政拨款基本支出表"))
    write("function_codes.csv", collapse(function))
    write("economic_codes.csv", collapse(economic))


if __name__ == "__main__":
    main()
