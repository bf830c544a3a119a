"""Checks of the nine tables: identities of SPEC §3 that typed inputs can break.

Identities that hold by construction (parents = Σ children, 收入总计 = 支出总计 when nothing is
typed twice) are asserted in the tests instead; here are the ones a department's typing can break.
Every problem points back at the typed value.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from .. import catalog
from ..ledger import Ledger, Line
from ..model import FISCAL_FUNDS
from ..money import format_text_amount
from ..problems import Problem, Severity, error, note, warning
from .registry import Context, check

ERROR, WARNING, NOTE = Severity.ERROR, Severity.WARNING, Severity.NOTE


@check(
    "科目",
    (ERROR, WARNING),
    "科目编码在目录中或给出了名称；类属于 30 个支出功能分类；输入的名称与目录一致",
    ("支出", "项目", "基本支出经济分类", "科目名称"),
)
def check_codes(ctx: Context) -> list[Problem]:
    """Every function/economic code must be known to the catalog or named in the input."""
    problems = []
    for i, item in enumerate(ctx.budget.expenditures):
        problems += _function_code_problems(ctx, item.code, ("支出", i, "科目"), has_name=bool(item.name))
    for i, project in enumerate(ctx.budget.projects):
        if project.code:
            problems += _function_code_problems(ctx, project.code, ("项目", i, "科目"), has_name=False)
    for i, line in enumerate(ctx.budget.economic_lines):
        path = ("基本支出经济分类", i, "科目")
        unknown = next((c for c in (line.code[:3], line.code) if ctx.ledger.economic_name(c) is None), None)
        if unknown is not None:
            problems.append(_unknown_code(unknown, "经济分类", path, line.code, ctx))
        if line.code[:3] not in ("301", "302", "303", "307", "309", "310", "311", "312", "313", "399"):
            problems.append(
                error(
                    "科目",
                    f"经济分类科目 {line.code} 的类 {line.code[:3]} 不是部门预算支出经济分类的类",
                    "检查编码是否输错。",
                    path,
                )
            )
    typed_names = [(code, name, ("科目名称", code)) for code, name in ctx.budget.code_names.items()]
    typed_names += [
        (item.code, item.name, ("支出", i, "名称")) for i, item in enumerate(ctx.budget.expenditures) if item.name
    ]
    typed_names += [
        (line.code, line.name, ("基本支出经济分类", i, "名称"))
        for i, line in enumerate(ctx.budget.economic_lines)
        if line.name
    ]
    used = {entry.code[:n] for entry in ctx.ledger.lines for n in (3, 5, 7)} | {
        e.code[:n] for e in ctx.ledger.economic for n in (3, 5)
    }
    for code, name in sorted(ctx.ledger.city_names.items()):
        codes = catalog.function_codes() if code.startswith("2") else catalog.economic_codes()
        known = codes.name(code, ctx.budget.year)
        if code in used and known and known != name:
            problems.append(
                warning(
                    "科目",
                    f"城市科目目录中科目 {code} 名为「{name}」，内置目录为「{known}」；表中将印「{name}」",
                    "确认城市目录（科目目录.csv）中的名称；如内置名称正确，请删除该行。",
                    (),
                )
            )
    for code, name, path in typed_names:
        codes = catalog.function_codes() if code.startswith("2") else catalog.economic_codes()
        known = codes.name(code, ctx.budget.year)
        if known and known != name:
            problems.append(
                warning(
                    "科目",
                    f"科目 {code} 在目录中名为「{known}」，输入写的是「{name}」；表中将印「{name}」",
                    "确认名称；如目录名称正确，请删除输入中的名称。",
                    path,
                )
            )
    return _unique(problems)


def _function_code_problems(ctx: Context, code: str, path, has_name: bool) -> list[Problem]:
    problems = []
    if catalog.class_number(code) is None:
        problems.append(
            error(
                "科目",
                f"功能分类科目 {code} 的类 {code[:3]} 不在《政府收支分类科目》支出功能分类的 30 个类中",
                "检查编码前三位是否输错。",
                path,
            )
        )
        return problems
    # one message per wrong code: the first level (款, then 项) the catalog does not know
    unknown = next(
        (
            part
            for part in (code[:3], code[:5], code)
            if ctx.ledger.function_name(part) is None and not (part == code and has_name)
        ),
        None,
    )
    if unknown is not None:
        problems.append(_unknown_code(unknown, "功能分类", path, code, ctx))
    return problems


def _unknown_code(code: str, kind: str, path, typed: str | None = None, ctx: Context | None = None) -> Problem:
    """A code the catalog lacks. A likely typo (a known code one or two keystrokes away) is
    suggested — and then the hint does not invite naming the typo, which would be published."""
    typed = typed or code
    likely = _likely_codes(typed, kind, ctx.budget.year if ctx else None)
    where = f"科目 {typed}" + (f" 的{'款' if len(code) == 5 else '类'} {code}" if code != typed else "")
    if likely:
        shown = "、".join(f"{c}（{n}）" for c, n in likely)
        return error("科目", f"{kind}{where} 不在目录中：是否想写 {shown}？", "改正编码。", path)
    return error(
        "科目",
        f"{kind}{where} 不在内置目录中，也没有给出名称",
        f"如编码无误，请在“科目名称”下加一行“{code}: 科目名称”（或在该行写“名称:”）；否则请更正编码。",
        path,
    )


def _likely_codes(code: str, kind: str, year: int | None) -> list[tuple[str, str]]:
    """Known codes of the same length one edit away: a digit changed, two digits swapped, or a digit
    dropped and another added (2101011 → 2101101)."""
    codes = catalog.function_codes() if kind == "功能分类" else catalog.economic_codes()
    known = [c for c in codes.codes() if len(c) == len(code) and c[:3] == code[:3]]

    def near(a: str, b: str) -> bool:
        different = [i for i in range(len(a)) if a[i] != b[i]]
        if len(different) == 1:
            return True
        if len(different) == 2 and different[1] == different[0] + 1:
            return a[different[0]] == b[different[1]] and a[different[1]] == b[different[0]]
        return any(a[:i] + a[i + 1 :] == b[:j] + b[j + 1 :] for i in range(len(a)) for j in range(len(b)))

    found = [(c, codes.name(c, year or 2025) or "") for c in known if c != code and near(code, c)]
    return found[:3]


@check("H4", (ERROR,), "财政拨款只能安排基本支出或项目支出", ("支出",))
def check_fiscal_kinds(ctx: Context) -> list[Problem]:
    """T5/T7/T8 show fiscal money only as 基本 or 项目 支出."""
    problems = []
    for line in ctx.ledger.lines:
        if line.fund in FISCAL_FUNDS and line.kind not in ("基本", "项目"):
            path = line.path[:-1] + ("类型",)
            problems.append(
                error(
                    "H4",
                    f"财政拨款（{line.fund}）只能安排基本支出或项目支出，这一行是「{line.kind}」",
                    "把类型改为基本或项目，或把资金来源改为单位资金等非财政资金。",
                    path,
                )
            )
    return problems


@check("X3", (ERROR,), "基本支出按经济分类合计 = 一般公共预算基本支出按功能分类合计", ("支出", "基本支出经济分类"))
def check_basic_economic(ctx: Context) -> list[Problem]:
    """X3: 基本支出表 合计 = 一般公共预算 基本支出 by function code (compared exactly)."""
    by_function = ctx.statement.exact["expense.basic.general_budget"]
    by_economic = ctx.statement.exact["economic.total"]
    if by_function == by_economic:
        return []
    difference = by_economic - by_function
    hint = "两者必须相等：核对“基本支出经济分类”各行与“支出”中资金为一般公共预算、类型为基本的各行。"
    message = (
        f"一般公共预算基本支出按功能分类合计 {_wan(ctx, by_function)} 万元，按经济分类合计 {_wan(ctx, by_economic)}"
        f" 万元，相差 {_wan(ctx, difference)} 万元"
    )
    if _within_leaf_rounding(ctx, difference):
        message += "；差额不超过各明细舍入误差之和，很可能是各明细从元四舍五入到万元造成的"
        hint = (
            "请改用预算系统导出的元金额：把“金额单位”改为“元”，并以元填写全部明细（每格由精确值四舍五入到 0.01"
            " 万元，两边即可对上）。"
        )
    return [error("X3", message, hint, ("基本支出经济分类",))]


@check(
    "X3b",
    (ERROR,),
    "基本支出经济分类写了功能科目时，每个功能科目的经济分类合计 = 该科目一般公共预算基本支出",
    ("支出", "基本支出经济分类"),
)
def check_basic_economic_by_function(ctx: Context) -> list[Problem]:
    """Where the economic lines name the 项 they are spent under (for the 单位 收支总表's 人员经费 /
    公用经费 by 类), each 项's economic lines add up to its 一般公共预算 基本 lines."""
    economic = ctx.ledger.economic
    if not economic or any(item.function_code is None for item in economic):
        return []
    by_economic: dict[str, Decimal] = {}
    for item in economic:
        code = item.function_code or ""
        by_economic[code] = by_economic.get(code, Decimal(0)) + item.amount
    by_function: dict[str, Decimal] = {}
    for line in ctx.ledger.lines:
        if line.kind == "基本" and line.fund == "一般公共预算":
            by_function[line.code] = by_function.get(line.code, Decimal(0)) + line.amount
    problems = []
    for code in sorted(set(by_economic) | set(by_function)):
        typed, spent = by_economic.get(code, Decimal(0)), by_function.get(code, Decimal(0))
        if typed != spent:
            problems.append(
                error(
                    "X3b",
                    f"功能科目 {code} 的基本支出经济分类合计 {_wan(ctx, typed)} 万元，"
                    f"而“支出”中该科目的一般公共预算基本支出为 {_wan(ctx, spent)} 万元",
                    "核对“基本支出经济分类”各行的 功能科目 与金额。",
                    ("基本支出经济分类",),
                )
            )
    return problems


def _within_leaf_rounding(ctx: Context, difference: Decimal) -> bool:
    """万元 leaves each rounded from 元 can leave two totals apart by up to half a cent per leaf."""
    if ctx.ledger.unit != "万元":
        return False
    leaves = len([entry for entry in ctx.ledger.lines if entry.fund == "一般公共预算" and entry.kind == "基本"]) + len(
        ctx.ledger.economic
    )
    return abs(difference) <= Decimal("0.005") * leaves


@check(
    "X16",
    (ERROR, WARNING),
    "项目与项目支出对应：项目名称存在、每个项目有资金、注明项目的行为项目支出",
    ("项目", "支出"),
)
def check_projects(ctx: Context) -> list[Problem]:
    """Project money reconciles with the 项目支出 column: every project has money, every line names a real project."""
    problems = []
    names = [p.name for p in ctx.budget.projects]
    for i, name in enumerate(names):
        if names.index(name) != i:
            problems.append(
                error("X16", f"项目「{name}」写了两次", "合并为一个项目，或改用不同的名称。", ("项目", i, "名称"))
            )
    funded = {n for line in ctx.ledger.lines for n in line.projects}
    for line in ctx.ledger.lines:
        for name in line.projects:
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
                hint = f"是否指「{close[0]}」？" if close else "在“项目”中添加该项目，或更正名称。"
                problems.append(
                    error("X16", f"支出行注明的项目「{name}」不在“项目”列表中", hint, line.path[:-1] + ("项目",))
                )
        if line.projects and line.kind != "项目":
            problems.append(
                error(
                    "X16",
                    f"注明了项目的支出行类型应为“项目”，这里是「{line.kind}」",
                    "把类型改为项目，或删除“项目:”。",
                    line.path[:-1] + ("类型",),
                )
            )
    # With no money at all yet (next year's file before its export is imported) P7 says what to
    # fill; every project would otherwise be reported as unfunded too.
    for i, project in enumerate(ctx.budget.projects if ctx.ledger.lines else ()):
        if project.name not in funded:
            problems.append(
                error(
                    "X16",
                    f"项目「{project.name}」没有安排资金",
                    "在项目下写“科目”和“金额”，或在“支出”中相应的项目支出行加上“项目: 项目名称”。",
                    ("项目", i),
                )
            )
    unassigned = [entry for entry in ctx.ledger.lines if entry.kind == "项目" and not entry.projects]
    if unassigned and ctx.budget.projects:
        amount = ctx.statement["expense.project.unassigned"]
        for line in unassigned:
            problems.append(
                warning(
                    "X16",
                    f"项目支出 {_wan(ctx, line.amount)} 万元（科目 {line.code}）没有对应项目；未对应项目的项目支出共"
                    f" {format_text_amount(amount)} 万元",
                    "在该行加上“项目: 项目名称”，使项目预算与支出总表的项目支出一致。",
                    line.path[:-1],
                )
            )
    return problems


def double_entries(ledger: Ledger) -> list[tuple[Line, Line]]:
    """(支出 line, project line) pairs that count one project's money twice: the project carries its
    own 科目 and 金额, and a 支出 line names it as well."""
    own = [line for line in ledger.lines if line.path[0] == "项目"]
    typed = [line for line in ledger.lines if line.path[0] == "支出"]
    return [(line, mine) for mine in own for line in typed if mine.projects[0] in line.projects]


@check(
    "重复",
    (ERROR,),
    "同一笔项目资金不能既写在“支出”行（注明该项目）又写在项目自己的金额中",
    ("支出", "项目"),
)
def check_double_entry(ctx: Context) -> list[Problem]:
    problems = []
    for line, mine in double_entries(ctx.ledger):
        name = mine.projects[0]
        message = (
            f"项目「{name}」的钱计了两次：项目自己写了 {_wan(ctx, mine.amount)} 万元（科目 {mine.code}），"
            f"“支出”中科目 {line.code} 的一行又注明该项目、写了 {_wan(ctx, line.amount)} 万元；"
            f"支出总表、收入总计因此多出 {_wan(ctx, min(line.amount, mine.amount))} 万元"
        )
        hint = "同一笔钱只写一处：删去项目下的“科目”和“金额”（保留“支出”中的行），或删去“支出”中的这一行。"
        problems.append(error("重复", message, hint, line.path[:-1]))
        problems.append(error("重复", message, hint, mine.path[:-1]))
    return problems


def _local_meaning(ctx: Context, code: str) -> str | None:
    """The department's own name for a national economic code, where it means something else (an
    export numbering 302 款 locally); None where it is the national one or not named."""
    typed = ctx.ledger.custom_names.get(code)
    national = ctx.ledger.economic_national_name(code)
    if not typed or not national:
        return None
    same = lambda text: re.sub(r"[\s（）()]", "", text)  # noqa: E731
    return None if same(typed) == same(national) else typed


# 三公 row of the statement → (its name, the basic-expenditure economic code that pays for it, where it is typed)
THREE_PUBLIC_ECONOMIC = {
    "vehicles.operation": ("公务用车运行维护费", "30231", "公务用车运行维护费"),
    "reception": ("公务接待费", "30217", "公务接待费"),
    "vehicles.purchase": ("公务用车购置费", "31013", "公务用车购置费"),
    "abroad": ("因公出国（境）费", "30212", "其他因公出国（境）费"),
}


@check(
    "X10",
    (WARNING, NOTE),
    "“三公”经费不少于基本支出中 30231/30217/31013/30212 的金额",
    ("三公经费", "基本支出经济分类"),
)
def check_three_public(ctx: Context) -> list[Problem]:
    """X10: a 三公 item covers at least what the basic-expenditure economic lines spend on it."""
    statement = ctx.statement
    problems = []
    for row, (item, code, typed_at) in THREE_PUBLIC_ECONOMIC.items():
        local = _local_meaning(ctx, code)
        if local is not None:
            problems.append(
                note(
                    "X10",
                    f"科目 {code} 在本文件中名为「{local}」，"
                    f"不是全国科目的「{ctx.ledger.economic_national_name(code)}」（本地编号），未与“三公”经费中{item}核对",
                    "如该编码确是全国科目，删去“科目名称”中它的本地名称。",
                    ("科目名称", code),
                )
            )
            continue
        typed = statement.three_public(row)
        economic = statement.economic.value(code)
        path = ("三公经费", typed_at)
        codes = (code,)
        if typed < economic:
            problems.append(
                warning(
                    "X10",
                    f"“三公”经费中{item} {format_text_amount(typed)} 万元，少于基本支出经济分类 {'/'.join(codes)} 的"
                    f" {format_text_amount(economic)} 万元",
                    "“三公”经费应至少包含基本支出中的相应科目金额；核对两处填写。",
                    path,
                )
            )
        elif typed > economic:
            problems.append(
                note(
                    "X10",
                    f"“三公”经费中{item} {format_text_amount(typed)} 万元，多于基本支出经济分类 {'/'.join(codes)} 的"
                    f" {format_text_amount(economic)} 万元（差额应为项目支出安排）",
                    "如差额不是项目支出安排的，请核对。",
                    path,
                )
            )
    return problems


@check(
    "X6",
    (WARNING,),
    "填写了年终结转结余：收支总表按资金列示，收入总表按功能科目列示，不含这部分收入",
    ("年终结转结余",),
)
def check_year_end(ctx: Context) -> list[Problem]:
    if not any(ctx.ledger.year_end_balance.values()):
        return []
    return [
        warning(
            "X6",
            f"填写了年终结转结余 {format_text_amount(ctx.statement['expense.carried_out'])} 万元："
            "收支总表按资金列示，但收入总表按功能科目列示，其中不含这部分收入",
            "部门预算通常不安排年终结转结余；请确认该数。",
            ("年终结转结余",),
        )
    ]


# 申报数 field → the statement figure it declares
DECLARED = {
    "income_total": "income.total",
    "income_this_year": "income.this_year",
    "carried_forward": "income.carried_in",
    "expenditure_total": "expense.total",
    "expenditure_this_year": "expense.this_year",
    "basic": "expense.basic",
    "project": "expense.project",
    "personnel": "expense.personnel",
    "public": "expense.public",
    "general_budget": "income.fund.一般公共预算",
    "gov_fund": "income.fund.政府性基金",
    "state_capital": "income.fund.国有资本经营",
    "three_public": "three_public.total",
}


@check(
    "申报",
    (ERROR, NOTE),
    "从预算系统抄录的合计数（申报数，含类/款科目合计）与计算值一致（舍入误差内为提示）",
    ("申报数",),
)
def check_declared(ctx: Context) -> list[Problem]:
    """Totals copied from the budget system (or imported from its workbook) against the computed ones."""
    declared = ctx.budget.declared
    typed_values = []
    for field_name, figure in DECLARED.items():
        typed = getattr(declared, field_name)
        if typed is not None:
            alias = type(declared).model_fields[field_name].alias
            typed_values.append((f"申报数「{alias}」", typed, ctx.statement.exact[figure], ("申报数", alias)))
    for code, typed in declared.code_totals.items():
        exact = ctx.statement.exact_codes.get(code, Decimal(0))
        typed_values.append((f"申报数「科目合计」中科目 {code} 为", typed, exact, ("申报数", "科目合计", code)))
    return [p for what, typed, exact, path in typed_values if (p := _compare_declared(ctx, what, typed, exact, path))]


def _compare_declared(ctx: Context, what: str, typed: Decimal, exact: Decimal, path) -> Problem | None:
    ledger = ctx.ledger
    if ctx.budget.declared.unit == "元" and ledger.unit == "元":
        if typed == exact:
            return None
        return error(
            "申报",
            f"{what}{format_text_amount(typed)} 元与按明细计算的 {format_text_amount(exact)} 元不符"
            f"（相差 {format_text_amount(typed - exact)} 元）",
            "核对明细行是否漏填、重填或填错，或更正申报数。",
            path,
        )
    typed_wan = typed / 10000 if ctx.budget.declared.unit == "元" else typed
    printed = ctx.statement.printed(exact)
    if typed_wan == printed:
        return None
    exact_wan = exact / 10000 if ledger.unit == "元" else exact
    if abs(typed_wan - exact_wan) <= _rounding_tolerance(ledger):
        return note(
            "申报",
            f"{what}{format_text_amount(typed_wan)} 万元与计算值 {format_text_amount(printed)} 万元相差"
            f" {format_text_amount(typed_wan - printed)} 万元，在舍入误差范围内",
            "文件印出计算值。",
            path,
        )
    doubled = sorted({mine.projects[0] for _, mine in double_entries(ledger)})
    hint = (
        f"很可能是项目「{'、'.join(doubled)}」的钱计了两次（见“重复”的错误）；改正后再核对。"
        if doubled
        else "核对明细行是否漏填、重填或填错，或更正申报数。"
    )
    return error(
        "申报",
        f"{what}{format_text_amount(typed_wan)} 万元与按明细计算的 {format_text_amount(printed)} 万元不符（相差"
        f" {format_text_amount(typed_wan - printed)} 万元）",
        hint,
        path,
    )


def _rounding_tolerance(ledger: Ledger) -> Decimal:
    """How far a budget system's rounded total may sit from ours without anything being wrong."""
    if ledger.unit == "元":
        return Decimal("0.005")
    leaves = len(ledger.lines) + len(ledger.economic)
    return max(Decimal("0.01"), Decimal("0.005") * leaves)


def _wan(ctx: Context, exact: Decimal) -> str:
    """One typed leaf as printed (a leaf is its own figure; rounding it is the statement's rule)."""
    return format_text_amount(ctx.statement.printed(exact))


def _unique(problems: list[Problem]) -> list[Problem]:
    seen = set()
    result = []
    for p in problems:
        key = (p.message, p.path)
        if key not in seen:
            seen.add(key)
            result.append(p)
    return result
