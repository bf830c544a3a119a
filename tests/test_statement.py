"""One statement of figures (issue 11): every amount computed once, in statement.py; tables and
sentences are views of it; checks are registered units; no module outside the statement sums or
rounds money (the layers and import cycles: test_architecture.py)."""

import ast
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REFERENCE_EXAMPLES, ROOT, invoke

from budgetgen.analysis import analyse
from budgetgen.build import document_for
from budgetgen.checks import REGISTRY, check, registry_table
from budgetgen.document import Paragraph
from budgetgen.problems import Severity

SOURCE = ROOT / "src" / "budgetgen"
SHIPPED_SETS = ("base", "hebei-city-2023", "xingtai-city-2022", "hebei-district-2025")


# ---------------------------------------------------------------- the registry


def test_check_ids_are_unique():
    with pytest.raises(ValueError):
        check("X3", (Severity.ERROR,), "again", ())(lambda ctx: [])
    assert len(REGISTRY) == len({spec.id for spec in REGISTRY.values()})


def test_check_list_prints_the_registry():
    result = invoke("check", "--list")
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.output.splitlines()] == list(REGISTRY)


def test_readme_check_table_is_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[
        readme.index("<!-- checks:begin -->") + len("<!-- checks:begin -->") : readme.index("<!-- checks:end -->")
    ]
    assert block.strip() == registry_table(), (
        "README's check table is stale: paste `python -c 'from budgetgen.checks import registry_table;"
        " print(registry_table())'`"
    )


VALID = """部门: {编码: "999", 名称: 测试局, 级次: 区}
预算年度: 2026
上年: {基本支出: 10.00, 项目支出: 1.00, 三公经费合计: 0}
增减原因: {基本支出: 主要为人员增加, 项目支出: 主要为项目增加}
职责与机构:
  职责: [负责测试]
  机构:
    - {单位名称: 测试局本级, 单位性质: 行政, 单位规格: 正科级, 经费保障形式: 财政拨款}
    - {单位名称: 测试中心, 单位性质: 事业, 单位规格: 正科级, 经费保障形式: 财政拨款}
支出:
  - {科目: 2150501, 类型: 基本, 金额: 10.00}
基本支出经济分类:
  - {科目: 30101, 金额: 10.00}
项目:
  - 名称: 测试项目
    科目: 2150599
    金额: 1.00
    绩效目标: [完成测试]
    绩效指标:
      - [产出指标, 数量指标, 数量, 描述, 1个, 依据]
      - [效益指标, 社会效益指标, 效益, 描述, 好, 依据]
      - [满意度指标, 服务对象满意度指标, 满意度, 描述, ≥90%, 依据]
说明: {主要项目: [测试项目]}
绩效: {总体绩效目标: [完成测试任务]}
科目名称: {2150599: 其他工业和信息产业监管支出}
"""
PROCUREMENT = (
    "政府采购:\n  - 单位: {unit}\n    来源:\n      - 名称: 日常公用经费\n        预算资金: 1.00\n        物品:\n   "
    "       - {{名称: 复印机, 目录序号: A02020100, 计量单位: 台, 数量: 1, 单价: {price}, 预留中小微企业份额:"
    " {share}, 固定资产: {asset}}}\n"
)

# check id -> how to make it fire: (text to replace in VALID, replacement) pairs, and text to append
FIRING = {
    "科目": ([("科目: 2150501", "科目: 2150577")], ""),
    "H4": ([("类型: 基本, 金额: 10.00", "类型: 经营, 金额: 10.00")], ""),
    "X3": ([("{科目: 30101, 金额: 10.00}", "{科目: 30101, 金额: 9.00}")], ""),
    "节": ([], "模板: shanghai-putuo-2026\n"),
    "重复": (
        [
            (
                "  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n",
                "  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n"
                "  - {科目: 2150599, 类型: 项目, 金额: 1.00, 项目: 测试项目}\n",
            )
        ],
        "",
    ),
    "P6": ([("职责: [负责测试]", "职责: [请在此逐条填写部门的主要职责。]")], ""),
    "P7": (
        [
            (
                "上年: {基本支出: 10.00, 项目支出: 1.00, 三公经费合计: 0}",
                "上年: {基本支出: 0, 项目支出: 0, 三公经费合计: 0}",
            )
        ],
        "",
    ),
    "P8": ([], "待复核: [{位置: 说明 → 主要项目, 原因: 含年份或日期，核对是否为本年, 内容: 2025年项目}]\n"),
    "X3b": ([("{科目: 30101, 金额: 10.00}", "{科目: 30101, 功能科目: 2150599, 金额: 10.00}")], ""),
    "X16": (
        [
            (
                "{科目: 2150501, 类型: 基本, 金额: 10.00}",
                "{科目: 2150501, 类型: 基本, 金额: 10.00}\n  - {科目: 2150599, 类型: 项目, 金额: 1.00, 项目:"
                " 不存在的项目}",
            )
        ],
        "",
    ),
    "X10": (
        [("{科目: 30101, 金额: 10.00}", "{科目: 30101, 金额: 8.00}\n  - {科目: 30231, 金额: 2.00}")],
        "三公经费: {公务用车运行维护费: 1.00}\n",
    ),
    "X6": ([], "年终结转结余: {一般公共预算: 1.00}\n"),
    "申报": ([], "申报数: {收入总计: 99.00}\n"),
    "比上年": ([("上年: {基本支出: 10.00, 项目支出: 1.00, 三公经费合计: 0}\n", "")], ""),
    "说明": ([("说明: {主要项目: [测试项目]}", "说明: {主要项目: [不存在的项目]}")], ""),
    "采购": ([], PROCUREMENT.format(unit="别的单位", price="0.50", share="false", asset="false")),
    "X13": ([], PROCUREMENT.format(unit="测试局本级", price="0.50", share="0.80", asset="false")),
    "E13": ([], PROCUREMENT.format(unit="测试局本级", price="0.0036", share="false", asset="false")),
    "绩效": ([("      - [满意度指标, 服务对象满意度指标, 满意度, 描述, ≥90%, 依据]\n", "")], ""),
    "E16": ([("绩效目标: [完成测试]", "绩效目标: [目标内容1]")], ""),
    "X17": ([("    金额: 1.00\n", "    金额: 1.00\n    资金支出计划: [0.25, 0.50, 0.75, 0.90]\n")], ""),
    "成本指标": (
        [
            (
                "      - [产出指标, 数量指标, 数量, 描述, 1个, 依据]",
                "      - [产出指标, 成本指标, 成本, 描述, ≤5万元, 依据]",
            )
        ],
        "",
    ),
    "E8": (
        [
            (
                "      - [产出指标, 数量指标, 数量, 描述, 1个, 依据]",
                "      - [产出指标, 时效指标, 完成时间, 描述, 2020年底前, 依据]",
            )
        ],
        "",
    ),
    "E11": ([], "国有资产: {车辆: {数量: 1, 价值: 1000.00}}\n"),
    "E10": ([("    - {单位名称: 测试中心, 单位性质: 事业, 单位规格: 正科级, 经费保障形式: 财政拨款}\n", "")], ""),
    "E5": ([("绩效目标: [完成测试]", "绩效目标: [采购测试设备]")], ""),
    "P1": ([("  职责: [负责测试]\n", "")], ""),
    "P2": (
        [
            (
                "  机构:\n    - {单位名称: 测试局本级, 单位性质: 行政, 单位规格: 正科级, 经费保障形式: 财政拨款}\n "
                "   - {单位名称: 测试中心, 单位性质: 事业, 单位规格: 正科级, 经费保障形式: 财政拨款}\n",
                "",
            )
        ],
        "",
    ),
    "P3": ([("绩效: {总体绩效目标: [完成测试任务]}\n", "")], ""),
    "P4": ([("    绩效目标: [完成测试]\n", "")], ""),
    "P5": (
        [
            ("金额: 10.00}\n基本", "金额: 100000.00}\n基本"),
            ("{科目: 30101, 金额: 10.00}", "{科目: 30101, 金额: 100000.00}"),
        ],
        "",
    ),
    "E6": ([], PROCUREMENT.format(unit="测试局本级", price="0.50", share="false", asset="true")),
}


def department(tmp_path: Path, replacements=(), extra: str = "") -> Path:
    text = VALID
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "dept.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_the_valid_department_raises_nothing(tmp_path):
    analysis = analyse(department(tmp_path))
    assert analysis.problems == [], [p.render("dept") for p in analysis.problems]


def test_every_registered_check_has_a_firing_case():
    assert set(FIRING) == set(REGISTRY), "add a case to FIRING for every new check"


@pytest.mark.parametrize("check_id", sorted(FIRING))
def test_every_registered_check_fires(tmp_path, check_id):
    replacements, extra = FIRING[check_id]
    analysis = analyse(department(tmp_path, replacements, extra))
    fired = {p.check for p in analysis.problems}
    assert check_id in fired, (check_id, [p.render("dept") for p in analysis.problems])
    severities = {p.severity for p in analysis.problems if p.check == check_id}
    assert severities <= set(REGISTRY[check_id].severities)


# ---------------------------------------------------------------- money is computed in one place


MONEY_FUNCTIONS = {"total", "round_half_up", "to_wan"}


def money_operations(path: Path) -> list[str]:
    """Calls that add or round money: the money helpers, quantize, or sum() over amounts. One parse
    and one walk; a call's source text is cut from the lines only for the calls that need it."""
    source = path.read_text(encoding="utf-8")
    lines = [line.encode() for line in source.splitlines(keepends=True)]

    def segment(node: ast.expr) -> str:  # ast offsets count UTF-8 bytes
        assert node.end_lineno is not None and node.end_col_offset is not None
        if node.lineno == node.end_lineno:
            return lines[node.lineno - 1][node.col_offset : node.end_col_offset].decode()
        parts = [lines[node.lineno - 1][node.col_offset :], *lines[node.lineno : node.end_lineno - 1]]
        return b"".join([*parts, lines[node.end_lineno - 1][: node.end_col_offset]]).decode()

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("money"):
            found += [f"imports {a.name}" for a in node.names if a.name in MONEY_FUNCTIONS]
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in MONEY_FUNCTIONS | {"quantize"} or (
                name == "sum" and re.search(r"amount|price|value|money", segment(node))
            ):
                found.append(f"line {node.lineno}: {segment(node)[:60]}")
    return found


def test_no_module_outside_the_statement_sums_or_rounds_money():
    # The Excel importer works out typed leaves from a workbook's printed figures and checks the
    # workbook's own sums, and the formula evaluator computes what a cell's own formula says (a
    # workbook saved without results): input processing, before the statement; nothing is printed.
    allowed = {
        SOURCE / "statement.py",
        SOURCE / "money.py",
        SOURCE / "excel" / "importer.py",
        SOURCE / "excel" / "formulas.py",
    }
    offenders = {
        str(p.relative_to(SOURCE)): ops
        for p in sorted(SOURCE.rglob("*.py"))
        if p not in allowed and (ops := money_operations(p))
    }
    assert offenders == {}


def test_the_money_test_catches_a_sum_of_amounts(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from .money import total\nx = sum(r.amount for r in rows)\ny = sum(\n    r.price for r in rows\n)\n"
        "z = 单价.quantize(Decimal('0.01'))\nw = sum(len(r) for r in rows)\n",
        encoding="utf-8",
    )
    assert money_operations(sample) == [
        "imports total",
        "line 2: sum(r.amount for r in rows)",
        "line 3: sum(\n    r.price for r in rows\n)",
        "line 6: 单价.quantize(Decimal('0.01'))",
    ]


# ---------------------------------------------------------------- views of one statement


@pytest.mark.parametrize("ref", sorted(REFERENCE_EXAMPLES))
def test_tables_json_is_the_same_under_every_shipped_set(tmp_path, ref):
    text = REFERENCE_EXAMPLES[ref].read_text(encoding="utf-8")
    outputs = {}
    for name in SHIPPED_SETS:
        path = tmp_path / f"{name}.yaml"
        path.write_text(re.sub(r"^模板: .*$", f"模板: {name}", text, flags=re.M), encoding="utf-8")
        result = invoke("tables", path, "--json", "--neutral")
        assert result.exit_code == 0, result.output
        outputs[name] = [[row for row in table["rows"]] for table in json.loads(result.output)["tables"]]
    assert all(rows == outputs["base"] for rows in outputs.values())


YUAN_302 = """部门: {编码: "999", 名称: 测试局, 级次: 市}
预算年度: 2023
金额单位: 元
模板: hebei-city-2023
上年: {基本支出: 0, 项目支出: 0, 三公经费合计: 0}
支出:
  - {科目: 2150501, 类型: 基本, 金额: 100}
基本支出经济分类:
  - {科目: 30201, 金额: 50}
  - {科目: 30202, 金额: 50}
"""


def test_yuan_input_prints_one_302_figure_in_table_and_sentence(tmp_path):
    """The issue's contradiction: two 302 lines of 50 元 print 0.01 each and 0.01 together (the
    rounding of 100 元), in the 基本支出表 and in the 机关运行经费 sentence alike — never 0.02."""
    path = tmp_path / "yuan.yaml"
    path.write_text(YUAN_302, encoding="utf-8")
    analysis = analyse(path)
    table = analysis.tables["一般公共预算财政拨款基本支出表"]
    rows = {row.cells[0]: row.cells for row in table.rows}
    assert table.printed_value(rows["302"][2]) == Decimal("0.01") == analysis.statement["operating.goods"]
    text = "".join(b.text for b in document_for(analysis).blocks if isinstance(b, Paragraph))
    assert "机关运行经费共计安排0.01万元，主要商品和服务支出0.01万元" in text


def test_x2_fund_tables_add_up_to_the_expenditure_table(reference):
    """X2: T3[c] = T5[c] + T7[c] + T8[c] + non-fiscal money, per code (合计)."""
    _, _, example = reference
    analysis = analyse(example)
    statement = analysis.statement
    for node in statement.expense.nodes:
        fiscal = sum((statement.fiscal[f].value(node.code) for f in statement.fiscal), Decimal(0))
        non_fiscal = sum(
            (
                entry.amount
                for entry in analysis.ledger.lines
                if entry.fund not in statement.fiscal and entry.code.startswith(node.code)
            ),
            Decimal(0),
        )
        assert node.values[0] == fiscal + non_fiscal, node.code


# ---------------------------------------------------------------- builders by registry


def test_every_builder_fails_loudly_on_an_unknown_block(tmp_path):
    from dataclasses import dataclass

    from budgetgen.builders import FORMATS, BuildOptions, builder_for

    @dataclass(frozen=True)
    class Chart:
        title: str

    analysis = analyse(REFERENCE_EXAMPLES["001"])
    document = document_for(analysis)
    document.blocks.append(Chart("未知的块"))
    for fmt in FORMATS:
        with pytest.raises(TypeError, match="Chart"):
            builder_for(fmt)(document, analysis.theme, BuildOptions())


def test_amount_cells_carry_their_statement_figure():
    from budgetgen.document import TableBlock

    analysis = analyse(REFERENCE_EXAMPLES["000"])
    t3 = next(b for b in document_for(analysis).blocks if isinstance(b, TableBlock) and b.title == "部门预算支出总表")
    total_row = t3.rows[0]
    assert [c.kind for c in total_row.cells[:4]] == ["number", "code", "text", "amount"]
    assert total_row.cells[3].value == analysis.statement["expense.total"] and total_row.cells[3].text == "4212.66"
    assert t3.rows[1].cells[1].kind == "code" and t3.rows[1].cells[1].text == "208"


@pytest.mark.slow
def test_html_and_docx_bytes_do_not_depend_on_the_machines_fonts(tmp_path):
    """Fonts are chosen from the set's lists, not by asking fontconfig, so a machine with no fonts
    at all produces the same HTML and the same DOCX, except the contents' page numbers, which come
    from a PDF layout that such a machine cannot make."""
    import os
    import subprocess
    import sys

    bare = tmp_path / "fonts.conf"
    bare.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>/nonexistent</dir></fontconfig>',
        encoding="utf-8",
    )
    outputs = {}
    for name, env in (("here", {}), ("bare", {"FONTCONFIG_FILE": str(bare)})):
        folder = tmp_path / name
        subprocess.run(
            [
                sys.executable,
                "-m",
                "budgetgen",
                "build",
                str(REFERENCE_EXAMPLES["004"]),
                "-o",
                str(folder),
                "--format",
                "html,docx",
            ],
            check=True,
            env={**os.environ, **env},
            capture_output=True,
        )
        outputs[name] = {p.name: _without_page_numbers(p) for p in folder.iterdir()}
    assert outputs["here"] == outputs["bare"]
    bare_list = subprocess.run(
        ["fc-list"], env={**os.environ, "FONTCONFIG_FILE": str(bare)}, capture_output=True, text=True
    ).stdout
    assert bare_list.strip() == "", "the bare configuration really has no fonts"


def _without_page_numbers(path: Path) -> dict:
    """A file's bytes, or a DOCX's parts with each contents entry's PAGEREF field taken out."""
    import zipfile

    if path.suffix != ".docx":
        return {"bytes": path.read_bytes()}
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document.xml"] = re.sub(rb"(<w:tab/></w:r>).*?(</w:hyperlink>)", rb"\1\2", parts["word/document.xml"])
    return parts


def test_a_missing_font_is_still_an_error_when_a_pdf_is_built(tmp_path, monkeypatch):
    from budgetgen import fonts

    monkeypatch.setattr(fonts, "installed_cjk_families", lambda: frozenset({"DejaVu Sans"}))
    result = invoke("build", REFERENCE_EXAMPLES["001"], "-o", tmp_path, "--format", "pdf")
    assert result.exit_code == 1 and "没有找到模板集" in result.output and not any(tmp_path.iterdir())


def test_every_figure_a_consumer_names_is_declared_once_in_the_statement():
    """One list of figures (statement.FIGURES: name, meaning, computation) serves the batch summary,
    the 申报 comparison and the web page; none names a figure the statement does not declare."""
    from budgetgen.batch import FIGURES as SUMMARY
    from budgetgen.checks.tables import DECLARED
    from budgetgen.statement import FIGURES, MEANINGS

    assert len(MEANINGS) == len(FIGURES), "a figure is declared twice"
    used = {name for _, name in SUMMARY} | set(DECLARED.values())
    assert used <= set(MEANINGS), used - set(MEANINGS)
