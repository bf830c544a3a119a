"""The explanatory part (情况说明): sections composed from derived figures and the set's wording.

Sentences are Jinja templates of the template set, rendered in a sandbox as plain text with the
statement's figures; a department's own text is passed in as values, so whatever it contains
prints literally. Nothing here adds or rounds money: every amount is a statement figure. Each
section key of the set's `narrative.sections` has one builder here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Protocol

from jinja2 import DictLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateRuntimeError

from .model import FISCAL_FUNDS, Budget
from .money import AMOUNT_STYLES, ZERO, format_percent, format_sentence_amount
from .problems import InputRejected, error
from .sandbox import BoundedSandbox, RenderLimit, render_bounded, time_limit
from .statement import Change, Statement
from .taxonomy import THREE_PUBLIC_SENTENCE_NAMES
from .theme import Theme
from .wording import wording_values

SENTENCE_SECONDS = 2
SENTENCE_CHARS = 200_000


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
        """The set's number style (typed and checked at load)."""
        numbers = theme.config.narrative.numbers
        words = numbers.change_words
        return cls(numbers.amounts, numbers.zero, numbers.percent_decimals, words.increase, words.decrease, words.same)

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
        if change.word == "持平":
            return self.same
        return (
            f"{self.word(change)}{format_sentence_amount(change.amount, self._style(style, 'change'), self.zero)}万元"
        )

    def word(self, value) -> str:
        change = self._change(value, "change_word")
        return {"增加": self.increase, "减少": self.decrease}.get(change.word, self.same)

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
    guard_empty_lists(env)
    assert set(FILTERS) <= set(env.filters)
    return env


# Filters a sentence may pass a list through before joining it: an empty list stays the marked
# empty list, so `join` still knows which input it came from.
LIST_FILTERS = ("map", "select", "reject", "selectattr", "rejectattr", "sort", "unique", "list", "reverse")


def guard_empty_lists(env: BoundedSandbox) -> None:
    """A list printed empty (`{{ 列表 | join("、") }}` with nothing in it) leaves a hole in its
    sentence just as an empty text does: `join` turns it into the same marker, which the sentence
    check refuses with the input to fill (Narrator._no_empty_slot)."""
    for name in LIST_FILTERS:
        env.filters[name] = _keeping_empty(env.filters[name])
    env.filters["join"] = _keeping_empty(env.filters["join"], empty=lambda value: EmptyText(value.path))


def _keeping_empty(original, empty=None):
    passes_first = getattr(original, "jinja_pass_arg", None) is not None  # a context or environment first

    def wrapper(*args, **kwargs):
        value = args[1] if passes_first else args[0]
        if isinstance(value, EmptyList):
            return value if empty is None else empty(value)
        return original(*args, **kwargs)

    if passes_first:
        wrapper.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return wrapper


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
    "units.count": "机构设置中的单位数（输入“职责与机构 → 机构”）",
    "units.list[].name": "机构设置中的单位：名称",
    "units.list[].nature": "机构设置中的单位：性质（行政 / 事业 / 参公）",
    "units.by_nature.行政": "行政单位数（其他性质写法相同，如 units.by_nature['参公']）",
    "units.by_nature.参公": "参照公务员法管理的事业单位数",
    "units.by_nature.事业": "事业单位数",
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
    **{f"tp_changes.{name}": f"“三公”经费中{name}与上年比较" for name in THREE_PUBLIC_SENTENCE_NAMES},
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


# Inputs a sentence needs because it quotes them: the variable, and the input named in the checks'
# messages (checks/narrative.py NEEDS). `units_scope` prints 所属事业单位 unless the department says
# it has none, so a sentence quoting it needs the unit list to bear that out.
VARIABLE_INPUTS = {
    "main_projects": "主要项目",
    "operating.personnel_text": "人员经费主要包括",
    "operating.public_text": "公用经费主要包括",
    "units_scope": "所属事业单位",
}


def sentence_inputs(theme: Theme) -> frozenset[str]:
    """The inputs the sentences of the set's explanatory part quote (read off the sentences
    themselves, so rewriting a sentence changes what `check` asks for)."""
    settings = theme.config.narrative
    blocks = {entry.key for entry in settings.sections} | {entry.key for entry in settings.performance.parts}
    blocks = {"performance" if key in ("performance_overall", "special_funds", "projects") else key for key in blocks}
    sources = [settings.part_title, settings.title_line, settings.intro]
    sources += [text for key in blocks if hasattr(settings, key) for text in _texts(getattr(settings, key))]
    sources += [text for value in settings.snippets.values() for text in _texts(value)]
    env = sentence_environment()
    found = set()
    for source in sources:
        try:
            tree = env.parse(source)
        except TemplateError:
            continue  # reported where the sentence is rendered, with its place
        found |= {VARIABLE_INPUTS[path] for path in _quoted_paths(tree) if path in VARIABLE_INPUTS}
    return frozenset(found)


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    return []


def _quoted_paths(tree) -> set[str]:
    """`name` and `name.attr…` of every variable a template reads."""
    from jinja2 import nodes

    paths = set()
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        parts = []
        while isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        if isinstance(node, nodes.Name):
            parts.append(node.name)
            paths.add(".".join(reversed(parts)))
            paths.add(node.name)
    return paths


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


class Analysis(Protocol):
    """What the sentences read of an analysed department (analysis.Analysis has it)."""

    budget: Budget
    theme: Theme
    statement: Statement


class EmptyText(str):
    """An input text left empty: false in {% if %}, but printed it shows where it came from, so a
    sentence that prints it unguarded is caught (Narrator._no_empty_slot)."""

    path: str

    def __new__(cls, path: str) -> EmptyText:
        text = super().__new__(cls, "")
        text.path = path
        return text

    def __str__(self) -> str:
        return f"⟦{self.path}⟧"

    def __bool__(self) -> bool:
        return False


class EmptyList(list):
    """An input list left empty: false in {% if %} and iterates nothing, but joined or printed it
    shows where it came from, as EmptyText does."""

    path: str

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def __str__(self) -> str:
        return f"⟦{self.path}⟧"


EMPTY_SLOT = re.compile(r"⟦([^⟧]+)⟧")


# Input texts a sentence states as its content (a reason, what a cost covers): printed empty they
# leave a hole. Texts that are optional by design (地区, a prefix) are not marked.
CONTENT_TEXTS = ("reasons.", "operating.personnel_text", "operating.public_text")
INPUT_PATHS = {
    "reasons.basic": ("增减原因", "基本支出"),
    "reasons.project": ("增减原因", "项目支出"),
    "reasons.three_public": ("增减原因", "三公经费"),
    "reasons.fiscal": ("增减原因", "财政拨款"),
    "operating.personnel_text": ("说明", "人员经费主要包括"),
    "operating.public_text": ("说明", "公用经费主要包括"),
    "main_projects": ("说明", "主要项目"),
    "project_classes": ("项目",),
    "units.list": ("职责与机构", "机构"),
    "operating.goods_items": ("基本支出经济分类",),
    "operating.capital_items": ("基本支出经济分类",),
    "tp.changed_items": ("三公经费",),
}
INPUT_FIELDS = {path: " → ".join(place) for path, place in INPUT_PATHS.items()}


def mark_empty(values, path: str = ""):
    """The figures with each empty content text replaced by an EmptyText naming its place."""
    if isinstance(values, dict):
        return {k: mark_empty(v, f"{path}.{k}" if path else str(k)) for k, v in values.items()}
    if isinstance(values, str) and values == "" and path.startswith(CONTENT_TEXTS):
        return EmptyText(path)
    if isinstance(values, list | tuple) and not values and path:
        return EmptyList(path)
    return values


@dataclass
class Narrator:
    analysis: Analysis
    statement: Statement
    env: BoundedSandbox
    sections: dict = field(default_factory=dict)  # the registered sections, for a section made of others

    @property
    def theme(self) -> Theme:
        return self.analysis.theme

    def setting(self, key: str):
        """A typed setting by its place under `narrative` (the set was parsed at load)."""
        return self.theme.config.narrative.at(key)

    def say(self, key: str, **extra) -> str:
        """Render the set's sentence `narrative.<key>` with the figures."""
        source = self.setting(key)
        if source is None:  # pragma: no cover - the typed settings require every sentence
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
                template = self.env.compiled(source)
                text = render_bounded(template, SENTENCE_CHARS, **values, **self._macros(values)).strip()
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
        return self._no_empty_slot(text, where)

    def _no_empty_slot(self, text: str, where: str) -> str:
        """A sentence never prints an empty input: an empty text the sentence quotes without an
        {% if %} around it would leave "主要原因是。" — refused, naming the input to fill."""
        slots = EMPTY_SLOT.findall(text)
        if not slots:
            return text
        if not self.statement.exact["income.total"]:
            # No money yet (a starter, next year's file before its export is imported): P7 names the
            # numbers to fill first; a reason for a change against nothing would mislead.
            return EMPTY_SLOT.sub("", text)
        slots = list(dict.fromkeys(slots))
        meanings = "、".join(
            VARIABLES.get(path) or VARIABLE_INPUTS.get(path) or INPUT_FIELDS.get(path, path) for path in slots
        )
        fields = "、".join(f"“{INPUT_FIELDS[p]}”" for p in slots if p in INPUT_FIELDS) or "它"
        raise InputRejected(
            [
                error(
                    "说明",
                    f"{self.theme.where('narrative.' + where)} 的句子 narrative.{where} 要印的文字是空的：{meanings}",
                    f"在部门文件中填写{fields}；"
                    "如这段文字本可以没有，请在句子中用 {% if 变量 %}…{% endif %} 包起它。",
                    next((INPUT_PATHS[p] for p in slots if p in INPUT_PATHS), ()),
                )
            ]
        )

    # ------------------------------------------------------------ snippets
    @cached_property
    def snippets(self) -> dict:
        """The set's snippets, checked once."""
        settings = self.setting("snippets")
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
    def _macro_template(self):
        """The snippets with parameters, compiled once (not once per sentence: they are most of
        what compiling a sentence would cost)."""
        return self.env.compiled(self.snippet_macros) if self.snippet_macros else None

    def _macros(self, values: dict) -> dict:
        """The snippet macros, seeing the same figures as the sentence that calls them."""
        template = self._macro_template
        if template is None:
            return {}
        module = template.make_module(values)
        return {name: getattr(module, name) for name in self.snippets if hasattr(module, str(name))}

    @cached_property
    def context(self) -> dict:
        """The figures, then each snippet without parameters rendered once (in the order written,
        so a snippet may use those above it)."""
        values = mark_empty(dict(self.figures))
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
            for name, row in THREE_PUBLIC_SENTENCE_NAMES.items()
            if row != "vehicles"  # the reason lists the items, not their 公务用车 parent
            and f"three_public.{row}" in change
            and change[f"three_public.{row}"].word != "持平"
        ]
        operating_items = [{"code": c, "name": n, "amount": a} for c, n, a in s.operating_items]
        return {
            **wording_values(budget),  # name, code, year, previous_year, level, unit: as titles have them
            "level_name": f"{department.level}级",
            "units": {
                "count": len(budget.duties.units),
                "list": [{"name": u.name, "nature": u.nature} for u in budget.duties.units],
                "by_nature": {
                    nature: [u.nature for u in budget.duties.units].count(nature)
                    for nature in dict.fromkeys(("行政", "参公", "事业", *(u.nature for u in budget.duties.units)))
                },
            },
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
                name: change.get(f"three_public.{row}") for name, row in THREE_PUBLIC_SENTENCE_NAMES.items()
            },
            "assets": {"total": s.figures.get("assets.total", ZERO), "purchases": s["procurement.fixed_assets"]},
        }

    def income_parts(self) -> list[dict]:
        parts = []
        for part in self.setting("overview.income_parts"):
            if part.carried_over:
                amount = self.statement["income.carried_in"]
            else:
                amount = self.statement.income_of(part.funds)
            parts.append({"label": part.label, "amount": amount})
        if self.setting("overview.income_parts_nonzero_only"):
            parts = [p for p in parts if p["amount"]]
        return parts

    def main_projects(self) -> list[dict]:
        listed = []
        for name in self.analysis.budget.narrative.main_projects:
            project = self.statement.projects.get(name)
            listed.append({"name": name, "amount": project.amount if project and project.amount is not None else ZERO})
        return listed


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
