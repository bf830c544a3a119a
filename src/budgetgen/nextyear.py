"""Next year's department from this year's: every text carried over, this year's figures moved into
上年 exactly as the statement computed them, this year's numbers cleared for the new export
(`import --into`), and every year-bound text listed under 待复核 until someone confirms it.

The YAML is edited by round trip (ruamel.yaml): the department's comments and order stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .analysis import Analysis, analyse
from .loading import read_limited
from .problems import InputRejected, Problem, Severity, error
from .taxonomy import FISCAL_FUNDS, PRIOR_THREE_PUBLIC_ITEMS, THREE_PUBLIC_TREE
from .yamledit import edit_top_level, flow

# This year's numbers, which the new year's export replaces (the sections `import --into` writes).
CLEARED = ("支出", "基本支出经济分类", "三公经费", "年终结转结余", "申报数")
DROPPED = ("待复核",)
# Figures typed for this year from other systems: kept as a starting point, flagged for review.
YEAR_FIGURES = {
    "增减原因": "本年比上年增减的原因，按新年度的增减改写",
    "国有资产": "上年末的资产数，换成新的年末数",
    "资产占有": "资产占有情况及截至日期",
    "政府采购": "本年的政府采购计划",
    "政府采购预算": "本年的政府采购金额",
    "绩效目标设置": "本年编报绩效目标的项目数和金额",
}
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?=\s*年|[-./]\d{1,2}|\s*年度)")
DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月底|年底前|年内")


@dataclass(frozen=True)
class NextYear:
    text: str
    old_year: int
    year: int
    flagged: int


def next_year(path: Path, year: int | None = None, template_dirs: tuple[Path, ...] = ()) -> NextYear:
    """Next year's YAML for the department in `path`, which must check without errors."""
    try:
        analysis = analyse(path, template_dirs)
    except InputRejected as exc:
        raise InputRejected(exc.problems + [_not_from_errors(path, exc.problems)], unreadable=exc.unreadable) from None
    errors = [p for p in analysis.problems if p.severity is Severity.ERROR]
    if errors:
        raise InputRejected(errors + [_not_from_errors(path, errors)])
    new_year = year or analysis.budget.year + 1
    flagged: list = []

    def start_next_year(document: CommentedMap) -> None:
        document["预算年度"] = new_year
        document["上年"] = prior_year(analysis)
        _carry_item_notes(document, analysis)
        for key in CLEARED + DROPPED:
            if key in document:
                del document[key]
        _clear_project_money(document)
        flagged.extend(flag_year_bound(document, analysis.budget.year))
        if flagged:
            document["待复核"] = CommentedSeq(flagged)

    text = edit_top_level(read_limited(path).decode("utf-8-sig"), start_next_year, CLEARED + DROPPED + ("上年",))
    return NextYear(text, analysis.budget.year, new_year, len(flagged))


# ---------------------------------------------------------------- 上年 from this year's statement


def _not_from_errors(path: Path, problems: list) -> Problem:
    count = sum(1 for p in problems if p.severity is Severity.ERROR)
    return error(
        "下一年度",
        f"{path} 还有 {count} 个错误：上年数要从本年的计算结果得出，不能从有错误的文件开始下一年度",
        "先按上面的提示改正错误（budgetgen check），再运行 budgetgen next-year。",
    )


def prior_year(analysis: Analysis) -> CommentedMap:
    """This year's figures in the form 上年 takes: what each 比上年 sentence will compare with."""
    figures = analysis.statement.figures
    prior = CommentedMap()
    for key, figure in (
        ("基本支出", "expense.basic"),
        ("项目支出", "expense.project"),
        ("人员经费", "expense.personnel"),
        ("公用经费", "expense.public"),
    ):
        prior[key] = figures[figure]
    by_item = {row.prior[0]: row.key for row in THREE_PUBLIC_TREE if len(row.prior) == 1}
    prior["三公经费"] = flow({item: figures[f"three_public.{by_item[item]}"] for item in PRIOR_THREE_PUBLIC_ITEMS})
    prior["财政拨款"] = flow(
        {
            fund: figures[f"fiscal.{fund}.spent"]
            for fund in FISCAL_FUNDS
            if figures[f"fiscal.{fund}.spent"] or fund == FISCAL_FUNDS[0]
        }
    )
    prior.yaml_set_start_comment(f"由 {analysis.budget.year} 年的部门文件计算得出（budgetgen next-year）")
    return prior


def _carry_item_notes(document: CommentedMap, analysis: Analysis) -> None:
    """Where the set explains each 项 (科目说明), every 项 with money this year gets its amount as a
    starting point for 上年执行数 — flagged, since the execution figure replaces it."""
    notes = document.get("科目说明")
    if not isinstance(notes, dict):
        return
    statement = analysis.statement
    for code, exact in sorted(statement.exact_codes.items()):
        if len(str(code)) != 7 or not exact:
            continue
        amount = statement.printed(exact)
        key = next((k for k in notes if str(k) == str(code)), None)
        note = notes.get(key) if key is not None else None
        if not isinstance(note, dict):
            note = CommentedMap()
            notes[int(code)] = note
        note["上年执行数"] = amount
        note.pop("增减原因", None)


def _clear_project_money(document: CommentedMap) -> None:
    for project in document.get("项目") or []:
        if isinstance(project, dict):
            for key in ("科目", "金额", "资金支出计划", "上年结转"):
                project.pop(key, None)


# ---------------------------------------------------------------- 待复核


def flag_year_bound(document: CommentedMap, old_year: int) -> CommentedSeq:
    """Every text naming a year or a date, every 时效指标 and 实施周期, every 上年执行数 carried
    from the budget, and the year's own figures (assets, procurement): one entry each."""
    items = CommentedSeq()
    seen: set[str] = set()

    def add(place: str, reason: str, text: object = None) -> None:
        if place in seen:
            return
        seen.add(place)
        entry = {"位置": place, "原因": reason}
        if isinstance(text, str) and text.strip():
            entry["内容"] = text if len(text) <= 60 else text[:60] + "…"
        items.append(flow(entry))

    for key, reason in YEAR_FIGURES.items():
        if document.get(key):
            add(key, reason)
    for code, note in (document.get("科目说明") or {}).items():
        if isinstance(note, dict) and "上年执行数" in note:
            add(f"科目说明 → {code} → 上年执行数", f"填的是 {old_year} 年预算数，换成 {old_year} 年执行数")
    for place, value, parents in _texts(document, ()):
        if parents and parents[-1] == "上年":
            continue
        if _is_timing_indicator(value):
            add(place, "时效指标，核对时间是否为本年", _indicator_text(value))
        elif parents and parents[-1] == "实施周期":
            add(place, "实施周期，核对是否为本年", value)
        elif isinstance(value, str) and (YEAR.search(value) or DATE.search(value)):
            add(place, "含年份或日期，核对是否为本年", value)
    return items


def _texts(value: object, path: tuple) -> Iterator[tuple[str, object, tuple]]:
    """(readable place, value, path) of every text and every indicator row."""
    if _is_timing_indicator(value):
        yield _place(path), value, path
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("待复核",):
                continue
            yield from _texts(item, path + (str(key),))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, path + (_item_label(item, index),))
    elif isinstance(value, str):
        yield _place(path), value, path


def _item_label(item: object, index: int) -> str:
    if isinstance(item, dict):
        for key in ("名称", "标题", "单位名称", "单位"):
            if isinstance(item.get(key), str):
                return f"「{item[key]}」"
    return f"第{index + 1}项"


def _place(path: tuple) -> str:
    return " → ".join(str(p) for p in path)


def _is_timing_indicator(value: object) -> bool:
    if isinstance(value, list) and len(value) >= 5 and all(isinstance(v, str | int | float) for v in value):
        return str(value[1]) == "时效指标"
    return isinstance(value, dict) and value.get("二级指标") == "时效指标"


def _indicator_text(value: object) -> str:
    parts = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
    return " ".join(str(p) for p in parts if str(p).strip())


def default_target(path: Path, old_year: int, new_year: int) -> Path:
    """qinhuangdao-gxj-2023.yaml → qinhuangdao-gxj-2024.yaml; a name without the year gets it added."""
    stem = path.stem
    if str(old_year) in stem:
        return path.with_name(stem.replace(str(old_year), str(new_year)) + path.suffix)
    return path.with_name(f"{stem}-{new_year}{path.suffix}")
