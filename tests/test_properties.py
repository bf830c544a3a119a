"""Property-based tests: identities hold for any valid ledger; no mutated file crashes the CLI."""

import random
from decimal import Decimal

import pytest
from conftest import REFERENCE_EXAMPLES, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from identities import assert_identities, printed_tables, value

from budgetgen import catalog
from budgetgen.ledger import build_ledger
from budgetgen.model import FISCAL_FUNDS, FUNDS, Budget
from budgetgen.money import ZERO, to_wan
from budgetgen.statement import build_statement
from budgetgen.tables import build_tables
from budgetgen.theme import load_theme, search_dirs_for
from budgetgen.wording import table_specs

FUNCTION_CODES = [c for c in catalog.function_codes().codes() if len(c) == 7 and catalog.class_number(c)]
ECONOMIC_CODES = [c for c in catalog.economic_codes().codes() if len(c) == 5 and c[:3] in ("301", "302", "303", "310")]
THEMES = {name: load_theme(name, search_dirs_for(None)) for name in ("base", "hebei-city-2023")}

cents = st.integers(min_value=1, max_value=5_000_000).map(lambda n: Decimal(n) / 100)


def split(total_cents: int, parts: int, rnd: random.Random) -> list[int]:
    cuts = sorted(rnd.randint(0, total_cents) for _ in range(parts - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total_cents], strict=True)]


@st.composite
def budgets(draw, unit="万元"):
    rnd = random.Random(draw(st.integers(0, 2**32)))
    economic = draw(st.lists(st.tuples(st.sampled_from(ECONOMIC_CODES), cents), min_size=1, max_size=12))
    basic_cents = int(sum(a for _, a in economic) * 100)
    general_basic = [
        {"科目": draw(st.sampled_from(FUNCTION_CODES)), "类型": "基本", "金额": Decimal(part) / 100}
        for part in split(basic_cents, draw(st.integers(1, 5)), rnd)
        if part
    ]
    other_lines = []
    for _ in range(draw(st.integers(0, 15))):
        fund = draw(st.sampled_from(FUNDS))
        kind = draw(
            st.sampled_from(
                ("基本", "项目") if fund in FISCAL_FUNDS else ("基本", "项目", "经营", "上解上级", "对附属单位补助")
            )
        )
        if fund == "一般公共预算" and kind == "基本":
            kind = "项目"
        other_lines.append(
            {
                "科目": draw(st.sampled_from(FUNCTION_CODES)),
                "资金": fund,
                "类型": kind,
                "金额": draw(cents),
                "上年结转": draw(st.booleans()),
            }
        )
    three_public = {
        item: {fund: draw(cents) for fund in draw(st.lists(st.sampled_from(FISCAL_FUNDS), max_size=2, unique=True))}
        for item in draw(
            st.lists(
                st.sampled_from(
                    [
                        "教学科研人员因公出国（境）费",
                        "其他因公出国（境）费",
                        "公务用车购置费",
                        "公务用车运行维护费",
                        "公务接待费",
                    ]
                ),
                unique=True,
            )
        )
    }
    return {
        "部门": {"编码": "999", "名称": "测试局", "级次": "市"},
        "预算年度": draw(st.sampled_from([2022, 2023, 2025])),
        "金额单位": unit,
        "支出": general_basic + other_lines,
        "基本支出经济分类": [{"科目": c, "金额": a} for c, a in economic],
        "三公经费": three_public,
    }


def tables_of(data, theme_name):
    budget = Budget.model_validate(data, context={"unit": data["金额单位"]})
    ledger = build_ledger(budget)
    return ledger, printed_tables(build_tables(build_statement(budget, ledger), table_specs(THEMES[theme_name])))


@pytest.mark.slow
@settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=budgets(), theme=st.sampled_from(sorted(THEMES)))
def test_every_identity_holds_for_random_ledgers(data, theme):
    _, tables = tables_of(data, theme)
    assert_identities(tables)


@pytest.mark.slow
@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=budgets(unit="元"))
def test_yuan_input_prints_each_cell_rounded_from_its_exact_sum(data):
    ledger, tables = tables_of(data, "base")
    exact = {}
    for line in ledger.lines:
        for node in (line.code[:3], line.code[:5], line.code):
            exact[node] = exact.get(node, ZERO) + line.amount
    rows = {row.cells[0]: row for row in tables["支出总表"].rows}
    for code, amount in exact.items():
        if code in rows:
            assert value(rows[code].cells[2]) == to_wan(amount, "元")
    # a printed parent may differ from the sum of its printed children by at most 0.005 per child
    for code, row in rows.items():
        children = [r for c, r in rows.items() if c and c != code and c.startswith(code) and len(c) == len(code) + 2]
        if code and children:
            gap = abs(value(row.cells[2]) - sum((value(r.cells[2]) for r in children), ZERO))
            assert gap <= Decimal("0.005") * len(children) + Decimal("0.005")


EXAMPLE_TEXTS = {ref: path.read_text(encoding="utf-8") for ref, path in REFERENCE_EXAMPLES.items()}


@st.composite
def mutated_files(draw):
    text = EXAMPLE_TEXTS[draw(st.sampled_from(sorted(EXAMPLE_TEXTS)))]
    lines = text.split("\n")
    kind = draw(st.sampled_from(["delete", "swap", "number", "bytes", "truncate", "duplicate", "indent"]))
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i : i + draw(st.integers(1, 5))]
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "number":
        lines[i] = lines[i].replace(
            next((c for c in lines[i] if c.isdigit()), "x"),
            draw(st.sampled_from(["-", "9999999999.999", "abc", "", "1e9", ".inf", "null", "[]", "{"])),
            1,
        )
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "indent":
        lines[i] = draw(st.sampled_from(["\t", "   ", " "])) + lines[i]
    raw = "\n".join(lines).encode("utf-8")
    if kind == "bytes":
        position = draw(st.integers(0, len(raw)))
        raw = raw[:position] + draw(st.binary(min_size=1, max_size=8)) + raw[position:]
    elif kind == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(raw=mutated_files())
def test_mutated_examples_never_crash_the_cli(raw, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "dept.yaml"
    path.write_bytes(raw)
    result = invoke("check", path)
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "内部错误" not in result.output


def _sentences_and_tables(data, theme_name):
    """The analysis of a random ledger with a set's wording, and three of its sentences."""
    from budgetgen.analysis import Analysis
    from budgetgen.narrative import Narrator, sentence_environment

    budget = Budget.model_validate(data, context={"unit": data["金额单位"]})
    ledger = build_ledger(budget)
    statement = build_statement(budget, ledger)
    theme = THEMES[theme_name]
    tables = printed_tables(build_tables(statement, table_specs(theme)))
    analysis = Analysis(None, None, budget, theme, ledger, statement, tables, [], [])
    narrator = Narrator(analysis, statement, sentence_environment())
    sentences = {key: narrator.say(key) for key in ("operating_costs.text", "overview.income", "three_public.text")}
    return statement, tables, sentences


def wan(amount) -> str:
    return f"{amount:.2f}万元"


@pytest.mark.slow
@settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=budgets(unit="元"))
def test_sentences_and_tables_print_the_same_statement_figures(data):
    """For random 元 ledgers (each figure rounded from its exact sum): every amount a sentence names
    is the statement figure, and the table cell showing the same quantity prints that figure too."""
    statement, tables, sentences = _sentences_and_tables(data, "hebei-city-2023")
    t6 = {row.cells[0]: row.cells for row in tables["一般公共预算财政拨款基本支出表"].rows}
    goods, public = statement["operating.goods"], statement["expense.public"]
    assert (
        f"机关运行经费共计安排{wan(public)}，主要商品和服务支出{wan(goods)}，资本性支出{wan(statement['operating.capital'])}"
        in sentences["operating_costs.text"]
    )
    assert value(t6.get("302", (None,) * 3)[2]) == goods and value(t6[""][4]) == public
    for code, name, amount in statement.operating_items:
        if code.startswith("302"):
            assert f"{name.replace('(', '（').replace(')', '）')}{wan(amount)}" in sentences["operating_costs.text"]
            assert value(t6[code][2]) == amount
    t1 = [row.cells for row in tables["收支总表"].rows]
    assert (
        f"预算收入{wan(statement['income.total'])}" in sentences["overview.income"]
        and value(t1[33][1]) == statement["income.total"]
    )
    for label, amount in zip(
        ("一般公共预算收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入"),
        (t1[0][1], t1[1][1], t1[2][1]),
        strict=True,
    ):
        if value(amount):
            assert f"{label}{wan(amount)}" in sentences["overview.income"]
    t9 = [row.cells for row in tables["三公经费支出表"].rows]
    assert (
        f"预算安排{wan(value(t9[1][1]))}，其中因公出国（境）费{wan(value(t9[2][1]))}；公务用车购置及运维费{wan(value(t9[5][1]))}"
        in sentences["three_public.text"]
    )
    assert value(t9[1][1]) == statement["three_public.total"]
