"""Ready-to-publish checks: a document that would go out with an empty section, or with amounts
that cannot be in the unit the file declares. They warn; `--strict` makes them errors, so a city
can refuse to publish until they are answered."""

from __future__ import annotations

import re
from decimal import Decimal

from ..money import format_text_amount
from ..problems import Problem, Severity, warning
from .registry import Context, check

WARNING = Severity.WARNING

# 1 亿元 written in 万元. When 元 are typed into a 万元 file every line grows 10 000-fold, so a
# typical 30 万元 line reads as 300 000 万元. A department whose typical (median) line is 1 亿元 or
# more does not exist: the references' medians are 18.66, 76.86 and 440.00 万元, and even a large
# city bureau's budget is mostly lines of tens to hundreds of 万元.
YUAN_LIKE_MEDIAN = Decimal("10000")


@check("P1", (WARNING,), "职责为空：公开文件的“部门职责”将没有内容", ("职责与机构",), part="narrative", publish=True)
def check_duties_present(ctx: Context) -> list[Problem]:
    if not ctx.narrative or ctx.budget.duties.duties or ctx.budget.duties.intro:
        return []
    return [
        warning(
            "P1",
            "“职责与机构”下没有职责，公开文件的“部门职责”将是空的",
            "在“职责与机构”下写“职责: [第一条职责, …]”（每条一行，编号自动加）。",
            ("职责与机构",),
        )
    ]


@check("P2", (WARNING,), "机构为空：“部门机构设置情况”表将没有单位", ("职责与机构",), part="narrative", publish=True)
def check_units_present(ctx: Context) -> list[Problem]:
    if not ctx.narrative or ctx.budget.duties.units:
        return []
    return [
        warning(
            "P2",
            "“职责与机构”下没有机构，“部门机构设置情况”表将是空的",
            "在“机构”下列出本级及所属单位（单位名称、单位性质、单位规格、经费保障形式）。",
            ("职责与机构",),
        )
    ]


@check("P3", (WARNING,), "整体绩效目标为空", ("绩效",), part="narrative", publish=True)
def check_performance_present(ctx: Context) -> list[Problem]:
    performance = ctx.budget.performance
    if not ctx.narrative or performance.overall or performance.items:
        return []
    return [
        warning(
            "P3",
            "“绩效”下没有总体绩效目标，也没有分项绩效目标，“部门整体绩效目标”将是空的",
            "在“绩效”下写“总体绩效目标”和“分项绩效目标”。",
            ("绩效",),
        )
    ]


@check(
    "P4",
    (WARNING,),
    "有项目支出而没有项目，或项目没有绩效目标、绩效指标",
    ("项目", "支出"),
    part="narrative",
    publish=True,
)
def check_projects_present(ctx: Context) -> list[Problem]:
    if not ctx.narrative:
        return []
    projects = ctx.budget.projects
    if not projects and ctx.statement["expense.project"]:
        return [
            warning(
                "P4",
                "有项目支出，但“项目”为空，公开文件将没有项目绩效目标表",
                "在“项目”下列出各项目（名称、科目、金额、绩效目标、绩效指标）。",
                ("项目",),
            )
        ]
    problems = []
    for index, project in enumerate(projects):
        missing = [
            label for label, present in (("绩效目标", project.goals), ("绩效指标", project.indicators)) if not present
        ]
        if missing:
            problems.append(
                warning(
                    "P4",
                    f"项目「{project.name}」没有{'和'.join(missing)}，其绩效目标表将是空的",
                    f"在该项目下写{'、'.join(missing)}。",
                    ("项目", index),
                )
            )
    return problems


@check("P5", (WARNING,), "“金额单位: 万元”的文件中，多数明细金额像是以元填写的", ("金额单位", "支出"), publish=True)
def check_yuan_in_wan(ctx: Context) -> list[Problem]:
    budget = ctx.budget
    if budget.unit != "万元":
        return []
    amounts = sorted(line.amount for line in ctx.ledger.lines if line.amount)  # 支出 lines and projects' own
    if not amounts:
        return []
    median = amounts[len(amounts) // 2]
    if median < YUAN_LIKE_MEDIAN:
        return _yuan_like_lines(ctx, median)
    return [
        warning(
            "P5",
            f"金额单位为万元，但一半以上的支出明细不少于 1 亿元（中间值 {format_text_amount(median)} 万元，合计"
            f" {format_text_amount(ctx.statement['expense.total'])} 万元），像是把元填进了万元的文件",
            "如金额是从预算系统按元导出的，写“金额单位: 元”（程序换算为万元）；否则核对金额。",
            ("金额单位",),
        )
    ]


def _yuan_like_lines(ctx: Context, median: Decimal) -> list[Problem]:
    """One line typed in 元 among 万元 lines: ten thousand times the department's typical line and
    at least 1 亿元 — located at the line, not only as a difference of totals elsewhere."""
    found = []
    for line in ctx.ledger.lines:
        if line.amount >= YUAN_LIKE_MEDIAN and median and line.amount >= median * 1000:
            found.append(
                warning(
                    "P5",
                    f"这一行 {format_text_amount(line.amount)} 万元，"
                    f"是本部门明细中间值 {format_text_amount(median)} 万元的 {int(line.amount / median)} 倍，"
                    "像是把元填进了万元的文件",
                    f"如这一行是按元抄的，改为 {format_text_amount(line.amount / 10000)} 万元；否则核对金额。",
                    line.path,
                )
            )
    return found


# The sample wording of `budgetgen new` (starter.py writes these very strings): left in, it would be
# published as the department's own text.
STARTER_TEXTS = ("请在此逐条填写部门的主要职责。", "请在此填写部门整体绩效目标。")
PLACEHOLDER_WORDS = re.compile(r"请在此|请填写|待填写|目标内容\s*\d*|指标内容\s*\d*|XXX|xxx|＊＊|\*\*\*|……")


def _texts(value, path: tuple = ()):
    """Every text of the input, with its place (the YAML's own keys)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, path + (key,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _texts(item, path + (index,))


@check("P6", (WARNING,), "输入中留有示例文字或占位符（如“请在此…”“XXX”“……”）", ("全部文字",), publish=True)
def check_placeholders(ctx: Context) -> list[Problem]:
    found = []
    data = ctx.budget.model_dump(by_alias=True, exclude_defaults=True)
    for path, text in _texts(data):
        if len(text) >= 2 and text[0] in "“‘" and text[-1] in "”’":
            found.append(
                warning(
                    "P6",
                    f"「{text[:30]}」外面是全角引号，会连同引号原样印出",
                    "YAML 的引号要用半角的 \" 或 '（关闭输入法的全角标点后重新输入），或去掉引号。",
                    path,
                )
            )
            continue
        if path and path[0] in ("部门", "模板", "科目名称", "项目", "待复核"):
            continue  # 项目's goals and indicators: E16 names their placeholders
        match = PLACEHOLDER_WORDS.search(text)
        if text in STARTER_TEXTS or match:
            shown = text if len(text) <= 30 else text[:30] + "…"
            found.append(
                warning(
                    "P6",
                    f"「{shown}」是示例文字或占位符（{match.group(0) if match else '示例'}），会原样印进公开文件",
                    "改写为本部门的实际内容，或删去这一项。",
                    path,
                )
            )
    return found


@check(
    "P7",
    (WARNING,),
    "本年没有预算，或上年数全为零而本年有预算（比较会把全部预算印成增加）",
    ("支出", "上年"),
    publish=True,
)
def check_zero_budget(ctx: Context) -> list[Problem]:
    statement, prior = ctx.statement, ctx.budget.prior_year
    if not statement.exact["income.total"]:
        return [
            warning(
                "P7",
                "本部门本年收入、支出都是 0：公开文件的各表将全是空的",
                "在“支出”中填写本部门各科目的金额（示例行的 0.00 改为实际金额）。",
                ("支出",),
            )
        ]
    typed = [v for v in (prior.basic, prior.project, prior.total, prior.three_public_total) if v is not None]
    typed += list((prior.three_public or {}).values()) + list((prior.fiscal or {}).values())
    if typed and not any(typed):
        return [
            warning(
                "P7",
                "上年预算数全是 0，而本年有预算：比上年增减将把本年全部预算印成“增加”",
                "在“上年”中填写上年预算数（万元）；确实没有上年预算时删去“上年”。",
                ("上年",),
            )
        ]
    return []


@check(
    "P8",
    (WARNING,),
    "开始下一年度时标出的内容（年份、日期、上年数字）还没有核对",
    ("待复核",),
    publish=True,
)
def check_review_items(ctx: Context) -> list[Problem]:
    return [
        warning(
            "P8",
            f"待复核：{item.place}（{item.reason}）" + (f"：「{_short(item.text)}」" if item.text else ""),
            f"核对 {item.place}，需要时改为本年的内容；核对后删去“待复核”中的这一条。",
            ("待复核", index),
        )
        for index, item in enumerate(ctx.budget.review)
    ]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
