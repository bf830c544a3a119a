"""The explanatory part (情况说明): sections composed from derived figures and the set's wording.

Sentences are Jinja templates of the template set, rendered in a sandbox as plain text with the
statement's figures; a department's own text is passed in as values, so whatever it contains
prints literally. Nothing here adds or rounds money: every amount is a statement figure. Each
section key of the set's `narrative.sections` has one builder here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from jinja2 import DictLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateRuntimeError

from .analysis import Analysis
from .document import Block, BodyRow, Cell, HeaderCell, Heading, Merge, Paragraph, TableBlock, TopLine
from .model import FISCAL_FUNDS, INDICATOR_LEVELS, Indicator
from .money import AMOUNT_STYLES, ZERO, format_amount, format_percent, format_sentence_amount, format_text_amount
from .numbering import number_label
from .problems import InputRejected, error
from .sandbox import BoundedSandbox, RenderLimit, render_bounded, time_limit
from .sections.glossary import glossary
from .statement import Change, Statement
from .theme import Theme
from .wording import fill, wording_values

SENTENCE_SECONDS = 2
SENTENCE_CHARS = 200_000

INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")


@dataclass(frozen=True)
class NumberStyle:
    """How sentences print numbers, from the set's `narrative.numbers`."""

    amounts: str = "two_decimals"
    zero: str = ""
    percent_decimals: int = 2
    increase: str = "增加"
    decrease: str = "减少"
    same: str = "持平"

    @classmethod
    def of(cls, theme: Theme) -> NumberStyle:
        settings = theme.get("narrative.numbers", {}) or {}
        words = settings.get("change_words", {}) or {}
        style = cls(
            amounts=str(settings.get("amounts", cls.amounts)),
            zero=str(settings.get("zero", "") or ""),
            percent_decimals=settings.get("percent_decimals", cls.percent_decimals),
            increase=str(words.get("increase", cls.increase)),
            decrease=str(words.get("decrease", cls.decrease)),
            same=str(words.get("same", cls.same)),
        )
        problems = []
        if style.amounts not in AMOUNT_STYLES:
            problems.append(
                error(
                    "模板",
                    f"{theme.where('narrative.numbers.amounts')} 的 narrative.numbers.amounts「{style.amounts}」"
                    "不是可用的样式",
                    "可选：two_decimals（25.00）、trimmed（25、28.7）。",
                )
            )
        if (
            isinstance(style.percent_decimals, bool)
            or not isinstance(style.percent_decimals, int)
            or not 0 <= style.percent_decimals <= 4
        ):
            problems.append(
                error(
                    "模板",
                    f"{theme.where('narrative.numbers.percent_decimals')} 的 narrative.numbers.percent_decimals 应为"
                    " 0 到 4 的整数",
                    "如 percent_decimals: 2。",
                )
            )
        if problems:
            raise InputRejected(problems)
        return style

    def amount(self, value, style: str | None = None) -> str:
        if value is None:
            value = ZERO
        if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
            raise TemplateRuntimeError(f"|wan 只能用于金额，这里是「{str(value)[:40]}」")
        return format_sentence_amount(Decimal(value), self._style(style, "wan"), self.zero)

    def change(self, value, style: str | None = None) -> str:
        if value is None:
            return ""
        change = self._change(value, "change")
        if change.delta == 0:
            return self.same
        return (
            f"{self.word(change)}{format_sentence_amount(change.amount, self._style(style, 'change'), self.zero)}万元"
        )

    def word(self, value) -> str:
        change = self._change(value, "change_word")
        return self.increase if change.delta > 0 else self.decrease if change.delta < 0 else self.same

    def percent(self, value, style: str | None = None) -> str:
        if value is None:
            return ""
        if isinstance(value, Change):
            value = value.rate
            if value is None:
                return ""
        if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
            raise TemplateRuntimeError(f"|percent 只能用于与上年的比较或比率，这里是「{str(value)[:40]}」")
        return format_percent(Decimal(value), self.percent_decimals, self._style(style, "percent"))

    def _style(self, style: str | None, name: str) -> str:
        if style is None:
            return self.amounts
        if style not in AMOUNT_STYLES:
            raise TemplateRuntimeError(f'|{name}("{str(style)[:20]}") 的样式应为 two_decimals 或 trimmed')
        return style

    @staticmethod
    def _change(value, name: str) -> Change:
        if not isinstance(value, Change):
            raise TemplateRuntimeError(f"|{name} 只能用于与上年的比较（如 change.total），这里是「{str(value)[:40]}」")
        return value


def _fullwidth(text: str) -> str:
    return str(text).replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class Filter:
    meaning: str
    example: str


# Every filter a sentence may use: what it does and how it is written (`budgetgen templates vars`).
FILTERS = {
    "wan": Filter(
        '金额按模板集的样式印出（narrative.numbers.amounts）；可临时指定 "two_decimals"（25.00）或 "trimmed"'
        "（25、28.7）",
        '{{ expense.total|wan }}万元　{{ tp.total|wan("trimmed") }}万元',
    ),
    "change": Filter(
        "与上年比较印成“增加x万元 / 减少x万元 / 持平”，词语取 narrative.numbers.change_words",
        "较上年{{ change.total|change }}",
    ),
    "change_word": Filter("只印增减的词（增加 / 减少 / 持平）", "{{ change.total|change_word }}"),
    "percent": Filter(
        "与上年比较的增减幅度（上年为 0 时为空），或一个比率，印成百分数",
        "{{ change.total|change_word }}{{ change.total|percent }}",
    ),
    "fullwidth": Filter("把半角括号换成全角括号", "{{ item.name|fullwidth }}"),
}


def sentence_environment(theme: Theme | None = None) -> BoundedSandbox:
    # An empty loader: a sentence cannot include or import any file.
    env = BoundedSandbox(
        loader=DictLoader({}), undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )
    numbers = NumberStyle.of(theme) if theme is not None else NumberStyle()
    env.filters.update(
        wan=numbers.amount,
        change=numbers.change,
        change_word=numbers.word,
        percent=numbers.percent,
        fullwidth=_fullwidth,
    )
    assert set(FILTERS) <= set(env.filters)
    return env


_JINJA_WORDS = {
    "and",
    "or",
    "not",
    "in",
    "is",
    "if",
    "else",
    "for",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
    "loop",
    "macro",
}


def _is_name(text: str) -> bool:
    return text.isidentifier() and text not in _JINJA_WORDS and not text.startswith("_")


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
        return f"使用了不存在的变量（{text.split(' is undefined')[0]}）；可用的变量见 budgetgen templates vars"
    if "has no attribute" in text:
        return f"变量没有这一项（{text}）"
    if "unexpected" in text or "expected" in text or "Encountered unknown tag" in text:
        return f"语法错误（{text}）：检查 {{{{ }}}} 和 {{% %}} 是否成对"
    return f"模板错误（{text}）"


# Every variable a sentence may use, by its dotted path ([] marks the items of a list): what it
# means. `budgetgen templates vars` lists these with example values taken from a real context, and a
# test holds this table and the context built below to the same set of paths.
VARIABLES = {
    "fiscal.total": "财政拨款支出（三种财政拨款资金合计）",
    "fiscal.income": "财政拨款收入",
    "fiscal.change": "财政拨款支出与上年比较（输入“上年 → 财政拨款”时）",
    "fiscal.funds.一般公共预算.amount": "一般公共预算拨款支出",
    "fiscal.funds.一般公共预算.change": "一般公共预算拨款支出与上年比较",
    "fiscal.funds.政府性基金.amount": "政府性基金拨款支出",
    "fiscal.funds.政府性基金.change": "政府性基金拨款支出与上年比较",
    "fiscal.funds.国有资本经营.amount": "国有资本经营预算拨款支出",
    "fiscal.funds.国有资本经营.change": "国有资本经营预算拨款支出与上年比较",
    "income_other": "其他收入（其他、单位资金、上级补助、附属单位上缴、财政专户）",
    **{
        f"income_sources.{name}": f"收入总表合计行的“{name}”"
        for name in (
            "合计",
            "小计",
            "财政拨款收入",
            "财政专户收入",
            "事业收入",
            "经营收入",
            "上级补助收入",
            "附属单位上缴收入",
            "其他收入",
            "上年结转",
        )
    },
    "reasons.fiscal": "财政拨款收支增减的主要原因（输入“增减原因 → 财政拨款”）",
    **{
        f"tp_changes.{name}": f"“三公”经费中{name}与上年比较"
        for name in ("因公出国（境）费", "公务用车购置及运维费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
    },
    "name": "部门全称",
    "short_name": "部门简称（输入“部门 → 简称”；不写时为全称）",
    "place": "部门所在的市、区或县（输入“部门 → 地区”）",
    "code": "部门编码",
    "year": "预算年度",
    "previous_year": "上一年度",
    "level": "部门级次：市 / 区 / 县",
    "level_name": "级次的说法：市级 / 区级 / 县级",
    "unit": "金额单位（万元）",
    "units_scope": "“机关及所属事业单位”，部门写了“无所属单位: true”时为“机关”",
    "income.total": "收入总计",
    "income.parts[].label": "收入说明列举的各项：名称（narrative.overview.income_parts）",
    "income.parts[].amount": "收入说明列举的各项：金额",
    "expense.total": "支出总计",
    "expense.basic": "基本支出",
    "expense.project": "项目支出",
    "expense.personnel": "基本支出中的人员经费",
    "expense.public": "基本支出中的公用经费",
    "project_classes[].name": "项目支出按功能分类的类：名称",
    "project_classes[].amount": "项目支出按功能分类的类：金额",
    "main_projects[].name": "输入“说明 → 主要项目”列出的项目：名称",
    "main_projects[].amount": "主要项目：金额",
    "change.total": "支出总计与上年比较（用 |change 或 |percent；没有上年数时不存在）",
    "change.basic": "基本支出与上年比较",
    "change.project": "项目支出与上年比较",
    "change.personnel": "人员经费与上年比较（输入了上年人员经费时）",
    "change.public": "公用经费与上年比较（输入了上年公用经费时）",
    "reasons.basic": "基本支出增减原因（输入“增减原因”）",
    "reasons.project": "项目支出增减原因",
    "reasons.three_public": "“三公”经费增减原因",
    "reasons.three_public_items": "“三公”各项的增减原因（名称 → 文字）",
    "operating.total": "机关运行经费（即公用经费）",
    "operating.goods": "机关运行经费中的商品和服务支出",
    "operating.capital": "机关运行经费中的资本性支出",
    "operating.goods_items[].code": "商品和服务支出的各款：经济分类科目编码",
    "operating.goods_items[].name": "商品和服务支出的各款：名称",
    "operating.goods_items[].amount": "商品和服务支出的各款：金额",
    "operating.capital_items[].code": "资本性支出的各款：科目编码",
    "operating.capital_items[].name": "资本性支出的各款：名称",
    "operating.capital_items[].amount": "资本性支出的各款：金额",
    "operating.personnel_text": "输入“说明 → 人员经费主要包括”的文字",
    "operating.public_text": "输入“说明 → 公用经费主要包括”的文字",
    "tp.total": "“三公”经费合计",
    "tp.abroad": "因公出国（境）费",
    "tp.vehicles": "公务用车购置及运维费",
    "tp.purchase": "公务用车购置费",
    "tp.operation": "公务用车运行维护费",
    "tp.reception": "公务接待费",
    "tp.change": "“三公”经费合计与上年比较（输入了上年“三公”经费时）",
    "tp.by_item.因公出国（境）费": "因公出国（境）费与上年比较",
    "tp.by_item.公务用车购置及运维费": "公务用车购置及运维费与上年比较",
    "tp.by_item.公务接待费": "公务接待费与上年比较",
    "tp.changed_items[].name": "与上年相比有增减的“三公”各项：名称",
    "tp.changed_items[].change": "与上年相比有增减的“三公”各项：比较",
    "procurement.total": "政府采购预算合计",
    "assets.total": "上年末固定资产总额",
    "assets.purchases": "本年拟购置固定资产（政府采购中的固定资产）",
}
# Variables only one sentence has, besides the above.
SENTENCE_VARIABLES = {
    "performance.project_title": {"number": "项目的序号", "project": "项目名称"},
}


def variable_paths(values, prefix: str = "") -> dict[str, object]:
    """The dotted path of every leaf of a sentence context, lists marked []: their first item stands
    for all (an empty list contributes no path)."""
    found: dict[str, object] = {}
    if isinstance(values, dict) and prefix != "reasons.three_public_items":  # that one is a name → text mapping
        for key, value in values.items():
            found.update(variable_paths(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(values, list):
        if values and isinstance(values[0], dict):
            found.update(variable_paths(values[0], prefix + "[]"))
        elif values:
            found[prefix] = values
    else:
        found[prefix] = values
    return found


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
            raise InputRejected(
                [
                    error(
                        "模板",
                        f"模板集「{self.theme.name}」缺少句子 narrative.{key}",
                        "在 theme.yaml 中补上，或继承 base。",
                    )
                ]
            )
        return self.render(source, key, **extra)

    def render(self, source: str, where: str, **extra) -> str:
        return self._render(source, where, {**self.context, **extra})

    def _render(self, source, where: str, values: dict) -> str:
        if not isinstance(source, str):
            source = "" if source is None else str(source)
        try:
            with time_limit(SENTENCE_SECONDS, f"句子 narrative.{where} "):
                template = self.env.from_string(self.snippet_macros + source)
                return render_bounded(template, SENTENCE_CHARS, **values).strip()
        except (TemplateError, RenderLimit, TypeError, ValueError, ArithmeticError) as exc:
            raise InputRejected(
                [
                    error(
                        "模板",
                        f"{self.theme.where('narrative.' + where)} 的句子 narrative.{where} 有错误："
                        f"{_template_message(exc)}",
                        "对照 templates/base/theme.yaml 中的同名句子修改。",
                    )
                ]
            ) from None

    # ------------------------------------------------------------ snippets
    @cached_property
    def snippets(self) -> dict:
        """The set's snippets, checked once."""
        settings = self.setting("snippets", {}) or {}
        problems = []
        for name, value in settings.items():
            where = self.theme.where(f"narrative.snippets.{name}")
            params = value.get("params", []) if isinstance(value, dict) else []
            if not _is_name(str(name)) or str(name) in self.figures:
                problems.append(
                    error(
                        "模板",
                        f"{where} 的片段名「{name}」不可用",
                        "片段名只能由汉字、字母、数字和 _ 组成（不以数字开头），也不能与已有变量同名（见 budgetgen"
                        " templates vars）。",
                    )
                )
            elif isinstance(value, dict) and (
                not isinstance(value.get("text"), str)
                or not isinstance(params, list)
                or not all(_is_name(str(p)) for p in params)
            ):
                problems.append(
                    error(
                        "模板",
                        f"{where} 的片段「{name}」应写成文字，或“{{params: [参数, …], text: 文字}}”",
                        "参数名只能由汉字、字母、数字和 _ 组成。",
                    )
                )
        if problems:
            raise InputRejected(problems)
        return settings

    @cached_property
    def snippet_macros(self) -> str:
        """Snippets with parameters, as macros every sentence of the set can call: 名称(参数)."""
        return "".join(
            f"{{% macro {name}({', '.join(map(str, value.get('params', [])))}) %}}{value['text']}{{% endmacro %}}"
            for name, value in self.snippets.items()
            if isinstance(value, dict) and value.get("params")
        )

    @cached_property
    def context(self) -> dict:
        """The figures, then each snippet without parameters rendered once (in the order written,
        so a snippet may use those above it)."""
        values = dict(self.figures)
        for name, value in self.snippets.items():
            if isinstance(value, dict) and value.get("params"):
                continue
            text = value.get("text", "") if isinstance(value, dict) else value
            values[str(name)] = self._render(text, f"snippets.{name}", values)
        return values

    @cached_property
    def figures(self) -> dict:
        """Everything a sentence may quote, computed once for all the sentences."""
        budget, s = self.analysis.budget, self.statement
        department = budget.department
        change = s.changes
        tp_changes = [
            {"name": name, "change": change[f"three_public.{row}"]}
            for name, row in (
                ("因公出国（境）费", "abroad"),
                ("公务用车购置费", "vehicles.purchase"),
                ("公务用车运行维护费", "vehicles.operation"),
                ("公务接待费", "reception"),
            )
            if f"three_public.{row}" in change and change[f"three_public.{row}"].word != "持平"
        ]
        operating_items = [{"code": c, "name": n, "amount": a} for c, n, a in s.operating_items]
        return {
            **wording_values(budget),  # name, code, year, previous_year, level, unit: as titles have them
            "level_name": f"{department.level}级",
            "units_scope": "机关" if budget.duties.no_subordinate_units else "机关及所属事业单位",
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
                "fiscal": budget.reasons.fiscal or "",
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
            "income_other": s.income_of(("其他", "单位资金", "上级补助", "附属单位上缴", "财政专户")),
            "income_sources": dict(zip(s.income.columns, (s.printed(v) for v in s.income.total_exact), strict=True))
            if s.income.total_exact
            else {},
            "fiscal": {
                "total": s["fiscal.spent"],
                "income": s["fiscal.income"],
                "change": change.get("fiscal"),
                "funds": {
                    fund: {"amount": s[f"fiscal.{fund}.spent"], "change": change.get(f"fiscal.{fund}")}
                    for fund in FISCAL_FUNDS
                },
            },
            "tp_changes": {
                name: change.get(f"three_public.{row}")
                for name, row in (
                    ("因公出国（境）费", "abroad"),
                    ("公务用车购置及运维费", "vehicles"),
                    ("公务用车购置费", "vehicles.purchase"),
                    ("公务用车运行维护费", "vehicles.operation"),
                    ("公务接待费", "reception"),
                )
            },
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
                    [
                        error(
                            "模板",
                            f"模板集「{self.theme.name}」的 narrative.sections 中有未知的部分「{section['key']}」",
                            f"可用：{'、'.join(SECTION_BUILDERS)}。",
                        )
                    ]
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
    blocks += [
        Paragraph(text, style="plain" if i == 0 and len(part.intro) > 1 else "body")
        for i, text in enumerate(part.intro)
    ]
    style = n.setting("duties.duties_numbering", "paren_chinese")
    blocks += [Paragraph(f"{number_label(style, i)}{text}") for i, text in enumerate(part.duties, start=1)]
    blocks.append(Paragraph(n.say("duties.units_label"), style="label"))
    if part.organisation_text:
        blocks.append(Paragraph(part.organisation_text))
    rows = [BodyRow((u.name, u.nature, u.rank, u.funding)) for u in part.units]
    labels = ("单位名称", "单位性质", "单位规格", "经费保障形式")
    blocks.append(
        embedded_table(
            "table-units",
            n.say("duties.units_table_title"),
            rows,
            (3, 1.2, 1.6, 2),
            ("left", "center", "center", "center"),
            _header_cells(labels),
        )
    )
    return blocks


def overview(n: Narrator) -> list[Block]:
    style = n.setting("overview.subsection_numbering", "arabic_comma")
    blocks: list[Block] = [Paragraph(n.say("overview.lead"))]
    for index, key in enumerate(("income", "expense", "change"), start=1):
        blocks.append(
            Heading(
                f"{number_label(style, index)}{n.say(f'overview.{key}_title')}", 3, f"overview-{key}", in_contents=False
            )
        )
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
    titles = [
        n.say("performance.overall_title"),
        n.say("performance.items_title"),
        n.say("performance.safeguards_title"),
    ]
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
    if texts:
        return [Paragraph(t) for t in texts]
    none = n.say("performance.special_funds_none")
    return [Paragraph(none)] if none else []


def projects(n: Narrator) -> list[Block]:
    blocks: list[Block] = []
    layout = n.setting("performance.project_table", "simple")
    for index, project in enumerate(n.statement.projects.values(), start=1):
        title = n.render(
            n.setting("performance.project_title"), "performance.project_title", number=index, project=project.name
        )
        anchor = f"project-{index}"
        if layout == "with_budget":
            blocks.append(project_budget_block(n, project, title, anchor))
        else:
            blocks.append(project_goal_block(project, title, anchor))
        blocks.append(
            indicator_block(
                project.project.indicators,
                f"{anchor}-indicators",
                canonical=n.setting("performance.indicator_order", "typed") == "canonical",
            )
        )
    return blocks


def project_goal_block(project, title: str, anchor: str) -> TableBlock:
    goals = "\n".join(f"{i}.{g}" for i, g in enumerate(project.project.goals, start=1))
    rows = (BodyRow(("绩效目标", goals, "", "", "", "")),)
    return embedded_table(
        anchor,
        title,
        rows,
        INDICATOR_WIDTHS,
        ("center", "left", "left", "left", "left", "left"),
        merges=(Merge(0, 1, 1, 5),),
    )


INDICATOR_WIDTHS = (1.2, 1.4, 2.2, 2.6, 1.4, 2.2)


def project_budget_block(n: Narrator, project, title: str, anchor: str) -> TableBlock:
    """2025 header block: 项目编码, 预算规模及资金用途, 资金支出计划, 绩效目标 (SPEC §5)."""
    p = project.project
    plan = project.plan or ()
    periods = n.setting("performance.spending_plan_periods", ["3月底", "6月底", "10月底", "12月底"])
    goals = "\n".join(f"{i}.{g}" for i, g in enumerate(p.goals, start=1))
    amount = lambda v: Cell(format_amount(v) if v is not None else "", "amount", v)  # noqa: E731
    rows = (
        BodyRow(("项目编码", Cell(p.project_code or "", "code"), "", "项目名称", p.name, "", "")),
        BodyRow(
            (
                "预算规模及资金用途",
                "预算数",
                amount(project.amount),
                "其中：财政资金",
                amount(project.fiscal),
                "其他资金",
                amount(project.other),
            )
        ),
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
    return embedded_table(
        anchor, title, rows, widths, ("center",) * 7, merges=merges, top_line=TopLine("", "", "单位：万元")
    )


def _plan_cells(plan: tuple[Decimal, ...]) -> tuple[Cell, ...]:
    values = [Cell(format_amount(v), "amount", v) if v else Cell("") for v in plan] + [Cell("")] * (4 - len(plan))
    return (values[0], "", values[1], "", values[2], values[3])


def indicator_block(indicators: list[Indicator], anchor: str, canonical: bool = False) -> TableBlock:
    """Rows in the order typed (the approved order, SPEC §5), or sorted when the set asks for it.
    Consecutive rows of one 一级指标 share a merged cell (layout.fit_columns splits one too tall
    to keep on a page)."""
    ordered = sorted(indicators, key=_canonical_order) if canonical else list(indicators)
    rows = tuple(BodyRow((i.level1, i.level2, i.level3, i.description, i.value, i.basis)) for i in ordered)
    merges = []
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or ordered[index].level1 != ordered[start].level1:
            if index - start > 1:
                merges.append(Merge(start, 0, index - start, 1))
            start = index
    align = ("center", "center", "left", "left", "center", "left")
    return embedded_table(
        anchor, "", rows, INDICATOR_WIDTHS, align, _header_cells(INDICATOR_HEADER), merges=tuple(merges), continues=True
    )


def _canonical_order(indicator: Indicator) -> tuple[int, int]:
    """产出 → 效益 → 满意度; within each, the SPEC's 二级 order. Equal keys keep input order."""
    levels = list(INDICATOR_LEVELS)
    return levels.index(indicator.level1), INDICATOR_LEVELS[indicator.level1].index(indicator.level2)


def _header_cells(labels):
    return [HeaderCell(label, 0, i) for i, label in enumerate(labels)]


def embedded_table(
    anchor: str, title: str, rows, widths, align, header=(), header_rows: int | None = None, **options
) -> TableBlock:
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
        blocks.append(
            Heading(n.render(part["title"], "performance.parts"), 3, f"performance-part-{index}", in_contents=False)
        )
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
        return BodyRow(
            (
                label,
                "",
                "",
                "",
                "",
                "",
                "",
                format_amount(procurement.amount(unit)),
                *map(format_amount, amounts),
                format_amount(procurement.share(unit)),
            ),
            role=role,
        )

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
                            format_text_amount(
                                r.item.price
                            ),  # a nonzero price is never blank, even when it prints 0.00 (E13)
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
    rows = [
        BodyRow(
            ("资产总额", settings.get("total_quantity", ""), format_amount(assets_total) if assets_total else ""),
            role="total",
        )
    ]
    for row in settings["rows"]:
        data = getattr(budget.assets, row["key"], None)
        quantity = _quantity(data.quantity) if data is not None and data.quantity is not None else ""
        value = format_amount(data.value) if data is not None and data.value is not None else ""
        rows.append(BodyRow((row["label"], quantity, value)))
    top = TopLine(fill_page_top(n, "left"), "", f"截止时间：{budget.year - 1}-12-31")
    labels = ("项目", "数量", n.say("assets.value_header"))
    table = embedded_table(
        "table-assets",
        n.say("assets.table_title"),
        rows,
        (3, 1.2, 2),
        ("left", "center", "right"),
        _header_cells(labels),
        top_line=top,
    )
    return [Paragraph(n.say("assets.text")), table]


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


@dataclass(frozen=True)
class VariableRow:
    path: str
    meaning: str
    example: str


def describe_variables(analysis: Analysis) -> list[VariableRow]:
    """Every variable, snippet and filter a sentence of the analysis' set can use, with the value it
    has for that department (`budgetgen templates vars`)."""
    narrator = Narrator(analysis, analysis.statement, sentence_environment(analysis.theme))
    numbers = NumberStyle.of(analysis.theme)
    values = variable_paths(narrator.figures)
    rows = [VariableRow(path, meaning, _example(values.get(path), numbers)) for path, meaning in VARIABLES.items()]
    for key, extra in SENTENCE_VARIABLES.items():
        rows += [VariableRow(name, f"{meaning}（只用于 narrative.{key}）", "") for name, meaning in extra.items()]
    for name, value in narrator.snippets.items():
        if isinstance(value, dict) and value.get("params"):
            rows.append(VariableRow(f"{name}({', '.join(map(str, value['params']))})", "本模板集的片段（带参数）", ""))
        else:
            rows.append(VariableRow(str(name), "本模板集的片段", narrator.context[str(name)]))
    rows += [VariableRow(f"|{name}", f.meaning, f.example) for name, f in FILTERS.items()]
    return rows


def _example(value, numbers: NumberStyle) -> str:
    if value is None:
        return "（本部门没有）"
    if isinstance(value, Change):
        return numbers.change(value)
    if isinstance(value, Decimal):
        return numbers.amount(value)
    if isinstance(value, dict):
        return "、".join(f"{k}：{v}" for k, v in value.items()) or "（空）"
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value) if value != "" else "（空）"


def narrative_blocks(analysis: Analysis) -> list[Block]:
    return Narrator(analysis, analysis.statement, sentence_environment(analysis.theme)).blocks()


def section_blocks(analysis: Analysis, part, label: str, number: int) -> list[Block]:
    """A registered section standing as a part of the document: its heading as printed (the
    part's `heading`, else its numbered title), its contents entry, then its blocks."""
    from .sections import SECTIONS
    from .theme import did_you_mean

    section = SECTIONS.get(part.key)
    if section is None:
        raise InputRejected(
            [
                error(
                    "模板",
                    f"{analysis.theme.where('document.parts')} 的 document.parts 中有未知的部分「{part.key}」"
                    f"{did_you_mean(part.key, [*SECTIONS, 'tables', 'narrative'])}",
                    f"可用：tables、narrative、{'、'.join(SECTIONS)}（见 budgetgen templates sections）。",
                )
            ]
        )
    n = Narrator(analysis, analysis.statement, sentence_environment(analysis.theme))
    title = f"{label}{n.render(part.title, 'document.parts')}"
    printed = n.render(part.heading, "document.parts") if part.heading else title
    heading = Heading(printed, 1, f"part-{part.key}", new_page=True, contents_text=title)
    return [heading, *section.blocks(n)]
