"""Settings a city writes instead of Jinja (issue 14): entry edits of lists, number styles,
snippets, the sentence variables and their listing, indicator order, short name and place, the
ready-to-publish checks and --strict."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, REFERENCE_EXAMPLES, invoke
from test_statement import VALID, department

from budgetgen.analysis import analyse
from budgetgen.build import document_for
from budgetgen.document import Paragraph, TableBlock
from budgetgen.money import format_percent, format_sentence_amount
from budgetgen.narrative import VARIABLES, Narrator, sentence_environment, variable_paths
from budgetgen.problems import InputRejected
from budgetgen.statement import Change
from budgetgen.theme import load_theme


def write_set(root: Path, name: str, text: str) -> tuple[Path, ...]:
    (root / name).mkdir(parents=True, exist_ok=True)
    (root / name / "theme.yaml").write_text(text, encoding="utf-8")
    return (root,)


def problems_of(root: Path, name: str) -> list[str]:
    with pytest.raises(InputRejected) as caught:
        load_theme(name, (root,))
    return [p.message for p in caught.value.problems]


# ---------------------------------------------------------------- entry edits


def test_entry_edits_change_remove_insert_and_move(tmp_path):
    dirs = write_set(
        tmp_path,
        "edits",
        "extends: hebei-city-2023\nnarrative:\n  sections:\n    glossary: {title: 名词解释说明}\n    other:"
        " {remove: true}\n    assets: {after: glossary}\n    extra: {title: 新的部分, before: duties}\n "
        " glossary:\n    事业收入: 新解释\n    新名词: {text: 新的, after: 事业收入}\n    上年结转: {remove: true}\n",
    )
    theme = load_theme("edits", dirs)
    sections = [(s.key, s.title) for s in theme.config.narrative.sections]
    assert sections[0] == ("extra", "新的部分")
    assert [k for k, _ in sections][-2:] == ["glossary", "assets"] and ("glossary", "名词解释说明") in sections
    assert "other" not in dict(sections)
    terms = [t for t, _ in theme.config.narrative.glossary]
    assert terms[1:3] == ["事业收入", "新名词"] and "上年结转" not in terms
    assert dict(theme.config.narrative.glossary)["事业收入"] == "新解释"
    parent = load_theme("hebei-city-2023", dirs)
    assert len(parent.config.narrative.sections) == 9, "the parent is untouched"


def test_entry_edits_refuse_typos_with_the_line_and_the_names_there_are(tmp_path):
    write_set(
        tmp_path,
        "typo",
        "extends: base\nnarrative:\n  sections:\n    glosary: {title: 名词}\n    oth: {remove: true}\n    other:"
        " {after: nowhere}\n  glossary:\n    不存在: {after: 事业收入}\n",
    )
    messages = problems_of(tmp_path, "typo")
    assert any("theme.yaml:4" in m and "「glosary」不在上级模板集的列表中" in m and "glossary" in m for m in messages)
    assert any("theme.yaml:5" in m and "要删除的「oth」" in m for m in messages)
    assert any("after 所指的「nowhere」不在列表中" in m for m in messages)
    assert any("「不存在」不在上级模板集的列表中，新增需写出解释" in m for m in messages)


def test_a_list_written_as_a_list_still_replaces_the_whole_list(tmp_path):
    dirs = write_set(tmp_path, "whole", "extends: base\nnarrative:\n  glossary:\n    - [唯一名词, 唯一解释]\n")
    assert load_theme("whole", dirs).config.narrative.glossary == (("唯一名词", "唯一解释"),)


# ---------------------------------------------------------------- numbers, snippets, variables


@pytest.mark.parametrize(
    "value, style, zero, printed",
    [
        ("25.00", "trimmed", "", "25"),
        ("28.70", "trimmed", "", "28.7"),
        ("0.00", "trimmed", "", "0"),
        ("0.00", "two_decimals", "0", "0"),
        ("0.00", "two_decimals", "", "0.00"),
        ("109.905", "trimmed", "", "109.91"),  # rounded once to the cent, then printed
        ("1500.10", "trimmed", "", "1500.1"),
    ],
)
def test_sentence_amount_styles(value, style, zero, printed):
    assert format_sentence_amount(Decimal(value), style, zero) == printed


def test_percent_is_rounded_once():
    assert format_percent(Decimal("0.12345"), 2) == "12.35%"
    assert format_percent(Decimal("0.125"), 1, "trimmed") == "12.5%"
    assert Change(Decimal("112.5"), Decimal("100")).rate == Decimal("0.125")
    assert Change(Decimal("5"), Decimal("0")).rate is None


def narrator_for(tmp_path, set_text: str, dept_text: str | None = None):
    dirs = write_set(tmp_path / "templates", "s", "extends: hebei-district-2025\n" + set_text)
    path = tmp_path / "d.yaml"
    source = dept_text or (EXAMPLES / "haigang-kgxj-2025.yaml").read_text(encoding="utf-8")
    path.write_text(source.replace("模板: hebei-district-2025", "模板: s"), encoding="utf-8")
    analysis = analyse(path, dirs)
    return Narrator(analysis, analysis.statement, sentence_environment(analysis.theme))


def test_change_words_percent_and_style_options(tmp_path):
    n = narrator_for(
        tmp_path,
        "narrative:\n  numbers: {amounts: trimmed, change_words: {increase: 增长, decrease: 下降, same: 持平}}\n",
    )
    change = n.context["change"]["total"]
    assert (
        n.render("{{ change.total|change_word }}{{ change.total|percent }}", "t")
        == f"{'增长' if change.delta > 0 else '下降'}{format_percent(change.rate)}"
    )
    assert n.render('{{ expense.total|wan }}|{{ expense.total|wan("two_decimals") }}', "t") == "724|724.00"
    with pytest.raises(InputRejected) as caught:
        n.render('{{ expense.total|wan("fancy") }}', "t")
    assert "two_decimals 或 trimmed" in caught.value.problems[0].message


def test_a_bad_number_style_is_refused_with_its_line(tmp_path):
    with pytest.raises(InputRejected) as caught:
        _ = narrator_for(tmp_path, "narrative:\n  numbers: {amounts: rounded}\n").context
    assert "theme.yaml:3" in caught.value.problems[0].message and "trimmed" in caught.value.problems[0].hint


def test_snippets_with_and_without_parameters(tmp_path):
    n = narrator_for(
        tmp_path,
        'narrative:\n  snippets:\n    本部门: "{{ short_name }}"\n    全称: "{{ 本部门 }}（{{ code }}）"\n   '
        ' 万元数: {params: [x], text: "{{ x|wan }}万元"}\n',
    )
    assert (
        n.render("{{ 全称 }}：{{ 万元数(expense.total) }}", "t")
        == "秦皇岛市海港区科技和工业信息化局（306）：724.00万元"
    )


def test_a_snippet_may_not_take_a_variables_name(tmp_path):
    with pytest.raises(InputRejected) as caught:
        _ = narrator_for(tmp_path, 'narrative:\n  snippets:\n    name: "x"\n').context
    assert "片段名「name」不可用" in caught.value.problems[0].message


def test_the_variable_table_and_the_context_have_the_same_paths():
    """`templates vars` cannot drift: every path of a real context is documented, and every
    documented path occurs in one of the examples."""
    seen = set()
    for example in REFERENCE_EXAMPLES.values():
        analysis = analyse(example)
        paths = set(
            variable_paths(Narrator(analysis, analysis.statement, sentence_environment(analysis.theme)).figures)
        )
        assert paths <= set(VARIABLES), paths - set(VARIABLES)
        seen |= paths
    assert set(VARIABLES) <= seen, set(VARIABLES) - seen


def test_templates_vars_lists_every_variable_with_an_example():
    result = invoke("templates", "vars", "hebei-city-2023")
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.splitlines() if line and not line.startswith("#")}
    assert set(VARIABLES) <= listed and {"|wan", "|percent", "|change"} <= listed
    assert re.search(r"^expense\.total\s+支出总计　示例：4212\.66$", result.output, re.M)


def test_templates_vars_shows_the_sets_snippets(tmp_path):
    write_set(tmp_path, "s", 'extends: base\nnarrative:\n  snippets:\n    本部门: "{{ place }}{{ short_name }}"\n')
    dept = tmp_path / "d.yaml"
    dept.write_text(
        (EXAMPLES / "haigang-kgxj-2025.yaml")
        .read_text(encoding="utf-8")
        .replace("  级次: 区\n", "  级次: 区\n  简称: 科工局\n  地区: 海港区\n"),
        encoding="utf-8",
    )
    result = invoke("templates", "vars", "s", "--dir", tmp_path, "--example", dept)
    assert re.search(r"^本部门\s+本模板集的片段　示例：海港区科工局$", result.output, re.M), result.output


# ---------------------------------------------------------------- short name, place, titles


def test_short_name_and_place_reach_titles_and_sentences(tmp_path):
    n = narrator_for(
        tmp_path,
        'document:\n  cover_subtitle: "{place}{short_name}{year}年部门预算"\n',
        (EXAMPLES / "haigang-kgxj-2025.yaml")
        .read_text(encoding="utf-8")
        .replace("  级次: 区\n", "  级次: 区\n  简称: 科工局\n  地区: 海港区\n"),
    )
    assert n.render("{{ place }}{{ short_name }}", "t") == "海港区科工局"
    cover = document_for(n.analysis).blocks[0]
    assert cover.subtitle == "海港区科工局2025年部门预算"


def test_short_name_defaults_to_the_full_name(tmp_path):
    n = narrator_for(tmp_path, "")
    assert n.render("{{ short_name }}|{{ place }}", "t") == "秦皇岛市海港区科技和工业信息化局|"


# ---------------------------------------------------------------- indicator order


def indicator_rows(document) -> list[list[str]]:
    table = next(b for b in document.blocks if isinstance(b, TableBlock) and b.anchor.endswith("-indicators"))
    return [[c.text for c in row.cells] for row in table.rows]


def test_indicators_print_as_typed_unless_the_set_asks_for_canonical(tmp_path):
    text = VALID.replace(
        "      - [产出指标, 数量指标, 数量, 描述, 1个, 依据]\n      - [效益指标, 社会效益指标, 效益, 描述, 好, 依据]\n",
        "      - [效益指标, 社会效益指标, 效益, 描述, 好, 依据]\n      - [产出指标, 数量指标, 数量, 描述, 1个, 依据]\n",
    )
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    assert [r[0] for r in indicator_rows(document_for(analyse(path)))] == ["效益指标", "产出指标", "满意度指标"]
    analysis = analyse(path)
    dirs = write_set(
        tmp_path / "t", "canonical", "extends: base\nnarrative:\n  performance:\n    indicator_order: canonical\n"
    )
    sorted_doc = document_for(replace(analysis, theme=load_theme("canonical", dirs)))
    assert [r[0] for r in indicator_rows(sorted_doc)] == ["产出指标", "效益指标", "满意度指标"]


# ---------------------------------------------------------------- E10 answered by the department


def test_no_subordinate_units_answers_e10_and_changes_the_sentence(tmp_path):
    one_unit = [("    - {单位名称: 测试中心, 单位性质: 事业, 单位规格: 正科级, 经费保障形式: 财政拨款}\n", "")]
    path = department(tmp_path, one_unit)
    assert "E10" in {p.check for p in analyse(path).problems}
    answered = department(tmp_path, one_unit + [("  职责: [负责测试]\n", "  职责: [负责测试]\n  无所属单位: true\n")])
    analysis = analyse(answered)
    assert "E10" not in {p.check for p in analysis.problems}
    text = "".join(b.text for b in document_for(analysis).blocks if isinstance(b, Paragraph))
    assert "测试局机关的收支包含在部门预算中" in text


# ---------------------------------------------------------------- ready to publish, --strict


def test_strict_check_fails_on_an_empty_duties_list(tmp_path):
    path = department(tmp_path, [("  职责: [负责测试]\n", "  职责: []\n")])
    relaxed = invoke("check", path)
    assert relaxed.exit_code == 0 and "警告[P1]" in relaxed.output
    strict = invoke("check", path, "--strict")
    assert strict.exit_code == 1 and "错误[P1]" in strict.output and "--strict" in strict.output
    refused = invoke("build", path, "--strict", "-o", tmp_path / "out", "--format", "html")
    assert refused.exit_code == 1 and not (tmp_path / "out").exists()


def yuan_typed_into_wan(path: Path, source: Path) -> Path:
    """The example with every amount written in 元 while the file still says 万元."""
    text = source.read_text(encoding="utf-8")
    text = re.sub(
        r"(金额|预算资金|单价|价值): (\d+\.\d+)", lambda m: f"{m.group(1)}: {Decimal(m.group(2)) * 10000:.2f}", text
    )
    path.write_text(re.sub(r"^申报数:\n(  .*\n)+", "", text, flags=re.M), encoding="utf-8")
    return path


def test_strict_check_fails_on_yuan_typed_into_a_wan_file(tmp_path):
    path = yuan_typed_into_wan(tmp_path / "yuan.yaml", EXAMPLES / "haigang-kgxj-2025.yaml")
    result = invoke("check", path, "--strict")
    assert result.exit_code == 1 and "错误[P5]" in result.output and "金额单位: 元" in result.output


def test_the_yuan_rule_is_silent_on_the_real_departments():
    for example in REFERENCE_EXAMPLES.values():
        assert "P5" not in {p.check for p in analyse(example).problems}


def test_the_fill_in_workbook_carries_short_name_and_place(tmp_path):
    import openpyxl

    target = tmp_path / "dept.xlsx"
    assert invoke("new", "某某区某某局", "--code", "9", "--xlsx", "-o", target).exit_code == 0
    book = openpyxl.load_workbook(target)
    sheet = book["部门"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1)}
    sheet.cell(row=rows["简称"], column=2, value="某局")
    sheet.cell(row=rows["地区"], column=2, value="某某区")
    book.save(target)
    department = analyse(target).budget.department
    assert (department.short_name, department.place) == ("某局", "某某区")


def test_remove_must_say_true_and_a_recursive_snippet_is_a_located_error(tmp_path):
    write_set(tmp_path, "odd", "extends: base\nnarrative:\n  sections:\n    other: {remove: yes}\n")
    assert any("theme.yaml:4" in m and "应写 remove: true" in m for m in problems_of(tmp_path, "odd"))
    with pytest.raises(InputRejected) as caught:
        narrator_for(tmp_path / "r", 'narrative:\n  snippets:\n    f: {params: [x], text: "{{ f(x) }}"}\n').render(
            "{{ f(1) }}", "intro"
        )
    assert "递归过深" in caught.value.problems[0].message


@pytest.mark.parametrize(
    "settings, message",
    [
        (
            "  收支总表:\n    income_rows:\n      四、财政专户管理资金收入: {remove: true}\n",
            "没有哪一行计入资金来源「财政专户」",
        ),
        (
            "  收支总表:\n    income_rows:\n      一、一般公共预算拨款收入: {funds: [一般公共预算, 政府性基金]}\n",
            "资金来源「政府性基金」列在了 2 行",
        ),
        (
            "  收支总表:\n    income_rows:\n      五、单位资金: {funds: [单位资金, 事业收入, 经营收入, 上级补助,"
            " 附属单位上缴, 其他]}\n",
            "资金来源「经营收入」不存在",
        ),
        (
            "  财政拨款收支总表:\n    income_rows:\n      三、国有资本经营预算拨款: {remove: true}\n",
            "没有哪一行计入资金来源「国有资本经营」",
        ),
    ],
)
def test_an_income_row_layout_that_would_hide_or_repeat_money_is_refused(tmp_path, settings, message):
    write_set(tmp_path / "templates", "rows", "extends: base\ntables:\n" + settings)
    path = tmp_path / "d.yaml"
    path.write_text(
        (EXAMPLES / "haigang-kgxj-2025.yaml")
        .read_text(encoding="utf-8")
        .replace("模板: hebei-district-2025", "模板: rows"),
        encoding="utf-8",
    )
    result = invoke("check", path)
    assert result.exit_code == 1 and message in result.output and "theme.yaml" in result.output
