"""The explanatory part (情况说明): sections composed from derived figures and the set's wording.

Sentences are Jinja templates of the template set, rendered in a sandbox as plain text with the
statement's figures; a department's own text is passed in as values, so whatever it contains
prints literally. Nothing here adds or rounds money: every amount is a statement figure. Each section key of the set's `narrative.sections` has one builder here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from typing import Callable

from jinja2 import DictLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateRuntimeError

from .analysis import Analysis
from .document import BodyRow, Block, HeaderCell, Heading, Merge, Paragraph, TableBlock, TopLine
from .model import INDICATOR_LEVELS, Indicator
from .money import ZERO, format_amount, format_text_amount
from .numbering import number_label
from .statement import Change, Statement
from .wording import fill, wording_values
from .problems import InputRejected, error
from .sandbox import BoundedSandbox, RenderLimit, render_bounded, time_limit
from .theme import Theme

SENTENCE_SECONDS = 2
SENTENCE_CHARS = 200_000

INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")


def _wan(value) -> str:
    if value is None:
        value = ZERO
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TemplateRuntimeError(f"|wan 只能用于金额，这里是「{str(value)[:40]}」")
    return format_text_amount(Decimal(value))


def _change(value: Change | None) -> str:
    if value is None:
        return ""
    if not isinstance(value, Change):
        raise TemplateRuntimeError(f"|change 只能用于与上年的比较（如 change.total），这里是「{str(value)[:40]}」")
    if value.word == "持平":
        return "持平"
    return f"{value.word}{format_text_amount(value.amount)}万元"


def _fullwidth(text: str) -> str:
    return str(text).replace("(", "（").replace(")", "）")


def _template_message(exc: Exception) -> str:
    if isinstance(exc, TemplateNotFound):
        return f"不能引用其他文件（{exc.name}）"
    if isinstance(exc, SecurityError):
        return f"不允许的操作（{exc}）"
    if isinstance(exc, (RenderLimit, TemplateRuntimeError)):
        return str(exc)
    if isinstance(exc, TemplateError):
        return _jinja_message(exc)
    return "运行出错"


def _jinja_message(exc: TemplateError) -> str:
    """Jinja's own messages are English; the common ones in Chinese, the rest by kind."""
    text = exc.message or ""
    if "is undefined" in text:
        return f"使用了不存在的变量（{text.split(' is undefined')[0]}）；可用的变量见 budgetgen templates show"
    if "has no attribute" in text:
        return f"变量没有这一项（{text}）"
    if "unexpected" in text or "expected" in text or "Encountered unknown tag" in text:
        return f"语法错误（{text}）：检查 {{{{ }}}} 和 {{% %}} 是否成对"
    return f"模板错误（{text}）"


def sentence_environment() -> BoundedSandbox:
    # An empty loader: a sentence cannot include or import any file.
    env = BoundedSandbox(loader=DictLoader({}), undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(wan=_wan, change=_change, fullwidth=_fullwidth)
    return env


@dataclass
class Narrator:
    analysis: Analysis
    statement: Statement
    env: BoundedSandbox

    @property
    def theme(self) -> Theme:
        return self.analysis.theme

    def setting(self, key: str, default=None):
        return self.theme.get(f"narrative.{key}", default)

    def say(self, key: str, **extra) -> str:
        """Render the set's sentence `narrative.<key>` with the figures."""
        source = self.setting(key)
        if source is None:
            raise InputRejected([error("模板", f"模板集「{self.theme.name}」缺少句子 narrative.{key}", "在 theme.yaml 中补上，或继承 base。")])
        return self.render(source, key, **extra)

    def render(self, source: str, where: str, **extra) -> str:
        if not isinstance(source, str):
            source = "" if source is None else str(source)
        try:
            with time_limit(SENTENCE_SECONDS, f"句子 narrative.{where} "):
                template = self.env.from_string(source)
                return render_bounded(template, SENTENCE_CHARS, **self.context, **extra).strip()
        except (TemplateError, RenderLimit, TypeError, ValueError, ArithmeticError) as exc:
            raise InputRejected(
                [error("模板", f"{self.theme.where('narrative.' + where)} 的句子 narrative.{where} 有错误：{_template_message(exc)}", "对照 templates/base/theme.yaml 中的同名句子修改。")]
            ) from None

    @cached_property
    def context(self) -> dict:
        """Everything a sentence may quote, computed once for all the sentences."""
        budget, s = self.analysis.budget, self.statement
        department = budget.department
        change = s.changes
        tp_changes = [
            {"name": name, "change": change[f"three_public.{row}"]}
            for name, row in (("因公出国（境）费", "abroad"), ("公务用车购置费", "vehicles.purchase"), ("公务用车运行维护费", "vehicles.operation"), ("公务接待费", "reception"))
            if f"three_public.{row}" in change and change[f"three_public.{row}"].word != "持平"
        ]
        operating_items = [{"code": c, "name": n, "amount": a} for c, n, a in s.operating_items]
        return {
            **wording_values(budget),  # name, code, year, previous_year, level, unit: as titles have them
            "level_name": f"{department.level}级",
            "income": {"total": s["income.total"], "parts": self.income_parts()},
            "expense": {
                "total": s["expense.total"],
                "basic": s["expense.basic"],
                "project": s["expense.project"],
                "personnel": s["expense.personnel"],
                "public": s["expense.public"],
            },
            "project_classes": [{"name": name, "amount": amount} for name, amount in s.project_by_class],
            "main_projects": self.main_projects(),
            "change": {key: value for key, value in change.items() if "." not in key},
            "reasons": {
                "basic": budget.reasons.basic or "",
                "project": budget.reasons.project or "",
                "three_public": budget.reasons.three_public or "",
                "three_public_items": dict(budget.reasons.three_public_items),
            },
            "operating": {
                "total": s["expense.public"],
                "goods": s["operating.goods"],
                "capital": s["operating.capital"],
                "goods_items": [i for i in operating_items if i["code"].startswith("302")],
                "capital_items": [i for i in operating_items if i["code"].startswith("310")],
                "personnel_text": budget.narrative.operating_cost_personnel or "",
                "public_text": budget.narrative.operating_cost_public or "",
            },
            "tp": {
                "total": s["three_public.total"],
                "abroad": s["three_public.abroad"],
                "vehicles": s["three_public.vehicles"],
                "purchase": s["three_public.vehicles.purchase"],
                "operation": s["three_public.vehicles.operation"],
                "reception": s["three_public.reception"],
                "change": change.get("three_public.total"),
                "by_item": {
                    "因公出国（境）费": change.get("three_public.abroad"),
                    "公务用车购置及运维费": change.get("three_public.vehicles"),
                    "公务接待费": change.get("three_public.reception"),
                },
                "changed_items": tp_changes,
            },
            "procurement": {"total": s["procurement.total"]},
            "assets": {"total": s.figures.get("assets.total", ZERO), "purchases": s["procurement.fixed_assets"]},
        }

    def income_parts(self) -> list[dict]:
        parts = []
        for part in self.setting("overview.income_parts", []):
            if part.get("carried_over"):
                amount = self.statement["income.carried_in"]
            else:
                amount = self.statement.income_of(part.get("funds", []))
            parts.append({"label": part["label"], "amount": amount})
        if self.setting("overview.income_parts_nonzero_only", False):
            parts = [p for p in parts if p["amount"]]
        return parts

    def main_projects(self) -> list[dict]:
        listed = []
        for name in self.analysis.budget.narrative.main_projects:
            project = self.statement.projects.get(name)
            listed.append({"name": name, "amount": project.amount if project and project.amount is not None else ZERO})
        return listed

    # ------------------------------------------------------------ the part
    def blocks(self) -> list[Block]:
        blocks: list[Block] = [
            Heading(self.say("part_title"), 1, "part-narrative", new_page=True),
        ]
        title_line = self.say("title_line")
        if title_line:
            blocks.append(Paragraph(title_line, style="title-line"))
        blocks.append(Paragraph(self.say("intro")))
        style = self.setting("section_numbering", "chinese")
        for index, section in enumerate(self.setting("sections", []), start=1):
            builder = SECTION_BUILDERS.get(section["key"])
            if builder is None:
                raise InputRejected(
                    [error("模板", f"模板集「{self.theme.name}」的 narrative.sections 中有未知的部分「{section['key']}」", f"可用：{'、'.join(SECTION_BUILDERS)}。")]
                )
            title = f"{number_label(style, index)}{section['title']}"
            blocks.append(Heading(title, 2, f"section-{index}"))
            blocks += builder(self)
        return blocks


# ---------------------------------------------------------------- sections


def duties(n: Narrator) -> list[Block]:
    budget = n.analysis.budget
    part = budget.duties
    blocks: list[Block] = [Paragraph(n.say("duties.duties_label"), style="label")]
    blocks += [Paragraph(text, style="plain" if i == 0 and len(part.intro) > 1 else "body") for i, text in enumerate(part.intro)]
    style = n.setting("duties.duties_numbering", "paren_chinese")
    blocks += [Paragraph(f"{number_label(style, i)}{text}") for i, text in enumerate(part.duties, start=1)]
    blocks.append(Paragraph(n.say("duties.units_label"), style="label"))
    if part.organisation_text:
        blocks.append(Paragraph(part.organisation_text))
    rows = [BodyRow((u.name, u.nature, u.rank, u.funding)) for u in part.units]
    labels = ("单位名称", "单位性质", "单位规格", "经费保障形式")
    blocks.append(embedded_table("table-units", n.say("duties.units_table_title"), rows, (3, 1.2, 1.6, 2), ("left", "center", "center", "center"), _header_cells(labels)))
    return blocks


def overview(n: Narrator) -> list[Block]:
    style = n.setting("overview.subsection_numbering", "arabic_comma")
    blocks: list[Block] = [Paragraph(n.say("overview.lead"))]
    for index, key in enumerate(("income", "expense", "change"), start=1):
        blocks.append(Heading(f"{number_label(style, index)}{n.say(f'overview.{key}_title')}", 3, f"overview-{key}", in_contents=False))
        blocks.append(Paragraph(n.say(f"overview.{key}")))
    return blocks


def operating_costs(n: Narrator) -> list[Block]:
    return [Paragraph(n.say("operating_costs.text"))]


def three_public(n: Narrator) -> list[Block]:
    return [Paragraph(n.say("three_public.text"))]


def performance_overall(n: Narrator) -> list[Block]:
    """（一）总体绩效目标 （二）分项绩效目标 （三）工作保障措施."""
    perf = n.analysis.budget.performance
    style = n.setting("performance.subsection_numbering", "paren_chinese")
    titles = [n.say("performance.overall_title"), n.say("performance.items_title"), n.say("performance.safeguards_title")]
    blocks: list[Block] = []
    blocks.append(Heading(f"{number_label(style, 1)}{titles[0]}", 3, "performance-overall", in_contents=False))
    blocks += [Paragraph(text) for text in perf.overall]
    blocks.append(Heading(f"{number_label(style, 2)}{titles[1]}", 3, "performance-items", in_contents=False))
    blocks += goal_items(n)
    blocks.append(Heading(f"{number_label(style, 3)}{titles[2]}", 3, "performance-safeguards", in_contents=False))
    blocks += safeguards(n)
    return blocks


def goal_items(n: Narrator) -> list[Block]:
    perf = n.analysis.budget.performance
    item_style = n.setting("performance.item_numbering", "chinese")
    line_style = n.setting("performance.item_line_numbering", "arabic_comma")
    bold_labels = n.setting("performance.labels_bold", False)
    blocks: list[Block] = []
    for index, item in enumerate(perf.items, start=1):
        blocks.append(Paragraph(f"{number_label(item_style, index)}{item.title}", style="label"))
        if item.goal:
            blocks.append(_labelled(n.say("performance.goal_label"), item.goal, bold_labels))
        if item.measure:
            blocks.append(_labelled(n.say("performance.measure_label"), item.measure, bold_labels))
        blocks += [Paragraph(f"{number_label(line_style, i)}{line}") for i, line in enumerate(item.lines, start=1)]
    return blocks


def _labelled(label: str, text: str, bold: bool) -> Paragraph:
    return Paragraph(text, lead=label) if bold else Paragraph(label + text)


def safeguards(n: Narrator) -> list[Block]:
    perf = n.analysis.budget.performance
    style = n.setting("performance.safeguard_style", "inline")
    numbering = n.setting("performance.safeguard_numbering", "arabic_comma")
    separator = n.setting("performance.safeguard_separator", "：")
    blocks: list[Block] = []
    for index, item in enumerate(perf.safeguards, start=1):
        head = f"{number_label(numbering, index)}{item.title}"
        if style == "heading":
            blocks.append(Paragraph(head, style="label"))
            blocks += [Paragraph(text) for text in item.text]
        else:
            first, *rest = item.text or [""]
            blocks.append(Paragraph(f"{head}{separator}{first}"))
            blocks += [Paragraph(text) for text in rest]
    return blocks


def special_funds(n: Narrator) -> list[Block]:
    texts = n.analysis.budget.performance.special_funds
    return [Paragraph(t) for t in texts] if texts else [Paragraph(n.say("performance.special_funds_none"))]


def projects(n: Narrator) -> list[Block]:
    blocks: list[Block] = []
    layout = n.setting("performance.project_table", "simple")
    for index, project in enumerate(n.statement.projects.values(), start=1):
        title = n.render(n.setting("performance.project_title"), "performance.project_title", number=index, project=project.name)
        anchor = f"project-{index}"
        if layout == "with_budget":
            blocks.append(project_budget_block(n, project, title, anchor))
        else:
            blocks.append(project_goal_block(project, title, anchor))
        blocks.append(indicator_block(project.project.indicators, f"{anchor}-indicators"))
    return blocks


def project_goal_block(project, title: str, anchor: str) -> TableBlock:
    goals = "\n".join(f"{i}.{g}" for i, g in enumerate(project.project.goals, start=1))
    rows = (BodyRow(("绩效目标", goals, "", "", "", "")),)
    return embedded_table(anchor, title, rows, INDICATOR_WIDTHS, ("center", "left", "left", "left", "left", "left"), merges=(Merge(0, 1, 1, 5),))


INDICATOR_WIDTHS = (1.2, 1.4, 2.2, 2.6, 1.4, 2.2)


def project_budget_block(n: Narrator, project, title: str, anchor: str) -> TableBlock:
    """2025 header block: 项目编码, 预算规模及资金用途, 资金支出计划, 绩效目标 (SPEC §5)."""
    p = project.project
    plan = project.plan or ()
    periods = n.setting("performance.spending_plan_periods", ["3月底", "6月底", "10月底", "12月底"])
    goals = "\n".join(f"{i}.{g}" for i, g in enumerate(p.goals, start=1))
    amount = lambda v: format_amount(v) if v is not None else ""  # noqa: E731
    rows = (
        BodyRow(("项目编码", p.project_code or "", "", "项目名称", p.name, "", "")),
        BodyRow(("预算规模及资金用途", "预算数", amount(project.amount), "其中：财政资金", amount(project.fiscal), "其他资金", amount(project.other))),
        BodyRow(("", p.purpose or "", "", "", "", "", "")),
        BodyRow((n.say("performance.spending_plan_header"), periods[0], "", periods[1], "", periods[2], periods[3])),
        BodyRow(("", *(_plan_cells(plan)))),
        BodyRow(("绩效目标", goals, "", "", "", "", "")),
    )
    merges = (
        Merge(0, 1, 1, 2),
        Merge(0, 4, 1, 3),
        Merge(1, 0, 2, 1),
        Merge(2, 1, 1, 6, align="left"),
        Merge(3, 0, 2, 1),
        Merge(3, 1, 1, 2),
        Merge(3, 3, 1, 2),
        Merge(4, 1, 1, 2),
        Merge(4, 3, 1, 2),
        Merge(5, 1, 1, 6, align="left"),
    )
    widths = (1.6, 1.0, 1.0, 1.4, 1.6, 1.0, 1.4)
    return embedded_table(anchor, title, rows, widths, ("center",) * 7, merges=merges, top_line=TopLine("", "", "单位：万元"))


def _plan_cells(plan: tuple[Decimal, ...]) -> tuple[str, ...]:
    values = [format_amount(v) if v else "" for v in plan] + [""] * (4 - len(plan))
    return (values[0], "", values[1], "", values[2], values[3])


def indicator_block(indicators: list[Indicator], anchor: str) -> TableBlock:
    ordered = sorted(indicators, key=_canonical_order)
    rows = tuple(BodyRow((i.level1, i.level2, i.level3, i.description, i.value, i.basis)) for i in ordered)
    merges = []
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or ordered[index].level1 != ordered[start].level1:
            if index - start > 1:
                merges.append(Merge(start, 0, index - start, 1))
            start = index
    align = ("center", "center", "left", "left", "center", "left")
    return embedded_table(anchor, "", rows, INDICATOR_WIDTHS, align, _header_cells(INDICATOR_HEADER), merges=tuple(merges), continues=True)


def _canonical_order(indicator: Indicator) -> tuple[int, int]:
    """产出 → 效益 → 满意度; within each, the SPEC's 二级 order. Equal keys keep input order."""
    levels = list(INDICATOR_LEVELS)
    return levels.index(indicator.level1), INDICATOR_LEVELS[indicator.level1].index(indicator.level2)


def _header_cells(labels):
    return [HeaderCell(label, 0, i) for i, label in enumerate(labels)]


def embedded_table(anchor: str, title: str, rows, widths, align, header=(), header_rows: int | None = None, **options) -> TableBlock:
    """A table inside the explanatory part: a level-3 title, no 栏次 row, not listed in the contents."""
    settings = dict(top_line=None, new_page=False, title_level=3, in_contents=False)
    settings.update(options)
    return TableBlock(
        anchor=anchor,
        title=title,
        header=tuple(header),
        header_rows=(1 if header else 0) if header_rows is None else header_rows,
        column_count=len(widths),
        column_numbers=None,
        rows=tuple(rows),
        align=tuple(align),
        widths=tuple(widths),
        **settings,
    )


def performance(n: Narrator) -> list[Block]:
    """2022/2023 五、预算绩效信息: the parts the set lists, each with its title."""
    blocks: list[Block] = []
    for index, part in enumerate(n.setting("performance.parts", []), start=1):
        blocks.append(Heading(n.render(part["title"], "performance.parts"), 3, f"performance-part-{index}", in_contents=False))
        blocks += SECTION_BUILDERS[part["key"]](n)
    return blocks


def procurement(n: Narrator) -> list[Block]:
    blocks: list[Block] = []
    text = n.say("procurement.text")
    if text:
        blocks.append(Paragraph(text))
    blocks.append(procurement_table(n))
    return blocks


def procurement_table(n: Narrator) -> TableBlock:
    settings = n.setting("procurement")
    fund_columns = settings["fund_columns"]
    share_header = n.render(settings["share_header"], "procurement.share_header")
    header = [
        HeaderCell("政府采购项目来源", 0, 0, 1, 2),
        HeaderCell("项目名称", 1, 0),
        HeaderCell("预算资金", 1, 1),
        HeaderCell("采购物品名称", 0, 2, 2),
        HeaderCell("政府采购目录序号", 0, 3, 2),
        HeaderCell("计量单位", 0, 4, 2),
        HeaderCell("数量", 0, 5, 2),
        HeaderCell("单价", 0, 6, 2),
        HeaderCell("政府采购金额（当年部门预算安排资金）", 0, 7, 1, 1 + len(fund_columns)),
        HeaderCell("合计", 1, 7),
        *[HeaderCell(c["label"], 1, 8 + i) for i, c in enumerate(fund_columns)],
        HeaderCell(share_header, 0, 8 + len(fund_columns), 2),
    ]
    procurement = n.statement.procurement

    def money_row(label: str, unit: str | None, role: str) -> BodyRow:
        amounts = [procurement.amount(unit, c["funds"]) for c in fund_columns]
        return BodyRow((label, "", "", "", "", "", "", format_amount(procurement.amount(unit)), *map(format_amount, amounts), format_amount(procurement.share(unit))), role=role)

    body: list[BodyRow] = []
    purchases = procurement.rows
    if purchases:
        body.append(money_row("合计", None, "total"))
        for unit in procurement.units:
            body.append(money_row(f"{unit}小计", unit, "section"))
            for r in (r for r in purchases if r.unit == unit):
                amounts = [format_amount(r.amount) if r.item.fund in c["funds"] else "" for c in fund_columns]
                body.append(
                    BodyRow(
                        (
                            r.source,
                            format_amount(r.source_budget),
                            r.item.name,
                            r.item.catalogue,
                            r.item.unit,
                            _quantity(r.item.quantity),
                            format_text_amount(r.item.price),  # a nonzero price is never blank, even when it prints 0.00 (E13)
                            format_amount(r.amount),
                            *amounts,
                            format_amount(r.sme_amount),
                        )
                    )
                )
    top = TopLine(fill_page_top(n, "left"), "", "单位：万元")
    notes = [settings["footnote"]] + ([] if purchases else [settings["empty_note"]])
    widths = (2.2, 1.1, 1.8, 1.5, 0.9, 0.8, 0.9, 1.1) + (1.1,) * len(fund_columns) + (1.2,)
    align = ("left", "right", "left", "center", "center", "right", "right") + ("right",) * (2 + len(fund_columns))
    return embedded_table(
        "table-procurement",
        n.say("procurement.table_title"),
        body,
        widths,
        align,
        header,
        header_rows=2,
        top_line=top,
        new_page=True,
        orientation="landscape",
        notes_after=tuple(notes),
    )


def fill_page_top(n: Narrator, side: str) -> str:
    return fill(n.theme.require("page_top")[side], wording_values(n.analysis.budget))


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")


def assets(n: Narrator) -> list[Block]:
    settings = n.setting("assets")
    budget = n.analysis.budget
    assets_total = n.statement.figures.get("assets.total")
    rows = [BodyRow(("资产总额", settings.get("total_quantity", ""), format_amount(assets_total) if assets_total else ""), role="total")]
    for row in settings["rows"]:
        data = getattr(budget.assets, row["key"], None)
        quantity = _quantity(data.quantity) if data is not None and data.quantity is not None else ""
        value = format_amount(data.value) if data is not None and data.value is not None else ""
        rows.append(BodyRow((row["label"], quantity, value)))
    top = TopLine(fill_page_top(n, "left"), "", f"截止时间：{budget.year - 1}-12-31")
    labels = ("项目", "数量", n.say("assets.value_header"))
    table = embedded_table("table-assets", n.say("assets.table_title"), rows, (3, 1.2, 2), ("left", "center", "right"), _header_cells(labels), top_line=top)
    return [Paragraph(n.say("assets.text")), table]


def glossary(n: Narrator) -> list[Block]:
    style = n.setting("glossary_numbering", "arabic_comma")
    bold = n.setting("glossary_bold_terms", False)
    blocks: list[Block] = []
    for index, (term, definition) in enumerate(glossary_entries(n.theme), start=1):
        text = n.render(definition, "glossary")
        lead = f"{number_label(style, index)}{term}："
        blocks.append(Paragraph(text, lead=lead) if bold else Paragraph(lead + text))
    return blocks


def glossary_entries(theme: Theme) -> list[tuple[str, str]]:
    """The set's glossary with `glossary_changes` applied: a city rewrites, adds (at the end) or,
    with an empty definition, removes single terms without restating the whole list."""
    entries = dict((str(term), str(definition)) for term, definition in theme.get("narrative.glossary", []) or [])
    for term, definition in (theme.get("narrative.glossary_changes", {}) or {}).items():
        if definition in (None, ""):
            entries.pop(str(term), None)
        else:
            entries[str(term)] = str(definition)
    return list(entries.items())


def other(n: Narrator) -> list[Block]:
    texts = n.analysis.budget.narrative.other_matters
    return [Paragraph(t) for t in texts] if texts else [Paragraph(n.say("other_none"))]


SECTION_BUILDERS: dict[str, Callable[[Narrator], list[Block]]] = {
    "duties": duties,
    "overview": overview,
    "operating_costs": operating_costs,
    "three_public": three_public,
    "performance": performance,
    "performance_overall": performance_overall,
    "special_funds": special_funds,
    "projects": projects,
    "procurement": procurement,
    "assets": assets,
    "glossary": glossary,
    "other": other,
}


def narrative_blocks(analysis: Analysis) -> list[Block]:
    return Narrator(analysis, analysis.statement, sentence_environment()).blocks()
