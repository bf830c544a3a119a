"""What changed between two versions of a department (or between this year and last): the figures
as the statement computes them — totals, each 类, the “三公” rows, each project — and every text,
old beside new. Read by `budgetgen diff` and by the web page's version history."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .analysis import Analysis
from .money import ZERO, format_text_amount
from .statement import MEANINGS

# The statement figures a reader of the disclosure compares, in the order the document prints them.
COMPARED = (
    "income.total",
    "expense.total",
    "expense.basic",
    "expense.project",
    "expense.personnel",
    "expense.public",
    "fiscal.income",
    "fiscal.spent",
    "three_public.total",
    "three_public.abroad",
    "three_public.vehicles.purchase",
    "three_public.vehicles.operation",
    "three_public.reception",
    "procurement.total",
    "assets.total",
)
LABELS = {**MEANINGS, "procurement.total": "政府采购预算合计", "assets.total": "资产总额"}
# Sections of numbers (compared through the statement) and of bookkeeping (待复核): not texts.
NOT_TEXTS = ("支出", "基本支出经济分类", "三公经费", "年终结转结余", "申报数", "上年", "待复核")


@dataclass(frozen=True)
class FigureChange:
    label: str
    old: Decimal | None
    new: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.new or ZERO) - (self.old or ZERO)


@dataclass(frozen=True)
class TextChange:
    place: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Differences:
    figures: tuple[FigureChange, ...]
    texts: tuple[TextChange, ...]

    def __bool__(self) -> bool:
        return bool(self.figures or self.texts)


def differences(old: Analysis, new: Analysis) -> Differences:
    old_figures, new_figures = compared_figures(old), compared_figures(new)
    figures = tuple(
        FigureChange(label, old_figures.get(label), new_figures.get(label))
        for label in dict.fromkeys([*old_figures, *new_figures])
        if old_figures.get(label) != new_figures.get(label)
    )
    old_texts, new_texts = dict(texts_of(old)), dict(texts_of(new))
    texts = tuple(
        TextChange(place, old_texts.get(place), new_texts.get(place))
        for place in dict.fromkeys([*old_texts, *new_texts])
        if old_texts.get(place) != new_texts.get(place)
    )
    return Differences(figures, texts)


def compared_figures(analysis: Analysis) -> dict[str, Decimal]:
    """label → amount in 万元 as printed: the totals, each 类, each project."""
    statement = analysis.statement
    found = {LABELS.get(name, name): statement.figures[name] for name in COMPARED if name in statement.figures}
    for code, exact in statement.exact_codes.items():
        if len(code) == 3 and code.startswith("2"):
            name = analysis.ledger.function_name(code) or ""
            found[f"{code} {name}".strip()] = statement.printed(exact)
    for name, project in statement.projects.items():
        if project.amount is not None:
            found[f"项目「{name}」"] = project.amount
    return found


def texts_of(analysis: Analysis) -> Iterator[tuple[str, str]]:
    """(place, text) of every text the department wrote, numbers sections aside."""
    data = analysis.budget.model_dump(by_alias=True, exclude_defaults=True)
    for key, value in data.items():
        if key not in NOT_TEXTS:
            yield from _texts(value, (key,))


def _texts(value: object, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("科目", "功能科目"):  # codes go with the money they carry
                yield from _texts(item, path + (str(key),))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, path + (_item_label(item, index),))
    elif isinstance(value, str):
        yield " → ".join(path), value


def _item_label(item: object, index: int) -> str:
    if isinstance(item, dict):
        for key in ("名称", "标题", "单位名称", "单位"):
            if isinstance(item.get(key), str):
                return f"「{item[key]}」"
    return f"第{index + 1}项"


def render(found: Differences, old_name: str, new_name: str) -> str:
    if not found:
        return f"{old_name} 与 {new_name} 的数字和文字相同。"
    lines = [f"旧：{old_name}", f"新：{new_name}", ""]
    if found.figures:
        lines.append(f"数字（万元，按计算值）：{len(found.figures)} 处不同")
        for change in found.figures:
            old = "—" if change.old is None else format_text_amount(change.old)
            new = "—" if change.new is None else format_text_amount(change.new)
            word = "增加" if change.delta > 0 else "减少"
            lines.append(f"  {change.label}：{old} → {new}（{word} {format_text_amount(abs(change.delta))}）")
        lines.append("")
    if found.texts:
        lines.append(f"文字：{len(found.texts)} 处不同")
        for change in found.texts:
            lines.append(f"  {change.place}")
            lines.append(f"    旧：{change.old if change.old is not None else '（无）'}")
            lines.append(f"    新：{change.new if change.new is not None else '（无）'}")
    return "\n".join(lines).rstrip() + "\n"
