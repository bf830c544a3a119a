"""The slips a new user makes (issue 23), each reproduced from the user's side and now caught with
a located message or printed correctly."""

import openpyxl
from conftest import invoke
from test_new import fill
from test_statement import VALID

from budgetgen.analysis import analyse


def test_a_projects_money_typed_twice_is_an_error_at_both_places(tmp_path):
    text = VALID.replace(
        "  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n",
        "  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n  - {科目: 2150599, 类型: 项目, 金额: 1.00, 项目: 测试项目}\n",
    )
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "错误[重复]" in line]
    assert len(lines) == 2 and all("项目「测试项目」的钱计了两次" in line for line in lines)
    assert any(":12:" in line and "字段 支出[2]" in line for line in lines), lines
    assert any("字段 项目[1]" in line for line in lines), lines
    assert "多出 1.00 万元" in lines[0]


def test_the_double_entry_from_the_workbook_names_both_cells(tmp_path):
    target = tmp_path / "dept.xlsx"
    invoke("new", "某某局", "--xlsx", "-o", target)
    fill(
        target,
        [
            (2150501, None, "一般公共预算", "基本", 10),
            (2150599, "其他支出", "一般公共预算", "项目", 35, None, "数字化项目"),
        ],
        [(30101, None, 10)],
    )
    book = openpyxl.load_workbook(target)
    for column, value in enumerate(("数字化项目", 2150599, 35), start=1):
        book["项目"].cell(row=2, column=column, value=value)
    book.save(target)
    result = invoke("check", target)
    assert result.exit_code == 1
    assert "支出明细!A3" in result.output and "项目!A2" in result.output, result.output
    assert "项目「数字化项目」的钱计了两次" in result.output
    assert analyse(target).statement["expense.total"] > 0


def test_an_untouched_starter_does_not_build_under_strict_naming_every_placeholder(tmp_path):
    target = tmp_path / "x.yaml"
    assert invoke("new", "某某档案局", "-o", target).exit_code == 0
    result = invoke("build", target, "--strict", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "「请在此逐条填写部门的主要职责。」是示例文字或占位符" in result.output
    assert "「请在此填写部门整体绩效目标。」是示例文字或占位符" in result.output
    assert "本年收入、支出都是 0" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert invoke("build", target, "-o", tmp_path / "draft").exit_code == 0, "without --strict a draft still builds"


def test_last_year_left_at_zero_is_named_before_it_prints_everything_as_an_increase(tmp_path):
    text = VALID.replace(
        "上年: {基本支出: 10.00, 项目支出: 1.00, 三公经费合计: 0}", "上年: {基本支出: 0, 项目支出: 0, 三公经费合计: 0}"
    )
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("check", path, "--strict")
    assert result.exit_code == 1 and "上年预算数全是 0" in result.output


def test_the_docx_asks_to_update_its_contents_on_opening(tmp_path):
    """Decision (issue 23, item 5): the contents' page numbers come from the PDF's layout and each
    program paginates a little differently (LibreOffice put xingtai's 六–九 one page off), so the
    document asks to update its fields when opened; the numbers a reader sees are then the ones
    of the layout in front of them."""
    import zipfile

    from conftest import REFERENCE_EXAMPLES

    out = tmp_path / "out"
    assert invoke("build", REFERENCE_EXAMPLES["004"], "-o", out, "--format", "docx").exit_code == 0
    docx = next(out.glob("*.docx"))
    settings = zipfile.ZipFile(docx).read("word/settings.xml").decode("utf-8")
    assert '<w:updateFields w:val="true"/>' in settings


def test_a_typo_in_a_code_gets_one_message_with_a_suggestion(tmp_path):
    text = VALID.replace("{科目: 2150501, 类型: 基本, 金额: 10.00}", "{科目: 2101011, 类型: 基本, 金额: 10.00}")
    text = text.replace("{科目: 30101, 金额: 10.00}", "{科目: 30101, 金额: 10.00}")
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("check", path)
    messages = [line for line in result.output.splitlines() if "错误[科目]" in line]
    assert len(messages) == 1, messages
    assert "是否想写 2101101（行政单位医疗）？" in messages[0]
    assert "科目名称" not in result.output.split("错误[科目]")[1].split("\n")[1], "the hint does not invite naming it"


def test_a_catalog_of_a_thousand_codes_imports_in_seconds_and_its_names_print(tmp_path):
    """A bureau's copy of the ministry's book, in its 类 | 款 | 项 layout (款/项 as two-digit parts,
    names indented): read into the city catalog; a department then needs no 科目名称 of its own."""
    import time

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["2026年政府收支分类科目"])
    sheet.append(["类", "款", "项", "科目名称"])
    count = 0
    for section in range(51, 100):
        sheet.append([None, f"{section:02d}", None, f"  示例款{section}"])
        count += 1
        for item in range(1, 21):
            sheet.append([None, None, f"{item:02d}", f"    示例项{section}-{item}"])
            count += 1
    sheet.insert_rows(3)
    sheet["A3"], sheet["D3"] = 213, "农林水支出"
    book.save(tmp_path / "科目.xlsx")
    started = time.monotonic()
    result = invoke("catalog", "import", tmp_path / "科目.xlsx", "--year", "2026", "--dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 10
    assert f"读入 {count + 1} 个科目" in result.output
    text = VALID.replace("预算年度: 2026", "预算年度: 2026").replace(
        "{科目: 2150501, 类型: 基本, 金额: 10.00}", "{科目: 2135301, 类型: 基本, 金额: 10.00}"
    )
    department = tmp_path / "dept.yaml"
    department.write_text(text.replace("科目: 2150599", "科目: 2135302"), encoding="utf-8")
    tables = invoke("tables", department)
    assert tables.exit_code == 0, tables.output
    assert "示例项53-1" in tables.output and "示例款53" in tables.output


def test_a_sentence_never_prints_an_empty_reason(tmp_path):
    """hebei-city-2023 says why 三公 changed; with a change and no reason it used to print
    “增减变化的主要原因是。” — now check names the sentence and the input to fill."""
    from conftest import EXAMPLES

    text = (EXAMPLES / "qinhuangdao-gxj-2023.yaml").read_text(encoding="utf-8")
    path = tmp_path / "dept.yaml"
    path.write_text(text.replace("  三公经费合计: 4.29", "  三公经费合计: 5.00"), encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "narrative.three_public.text 要印的文字是空的" in result.output
    assert "三公" in result.output.split("要印的文字是空的：")[1].split("\n")[0]
    assert "主要原因是。" not in result.output


def test_a_font_the_set_asks_for_and_the_machine_lacks_is_named_with_the_one_printed(tmp_path):
    """A city set asking for 仿宋 only, on a machine without it, used to get Noto Serif in the PDF
    silently while the DOCX named 仿宋."""
    import pytest

    from budgetgen.fonts import installed_cjk_families

    installed = installed_cjk_families()
    if installed is None or "仿宋" in installed or "FangSong" in installed:
        pytest.skip("needs fontconfig and a machine without 仿宋")
    sets = tmp_path / "templates" / "fs"
    sets.mkdir(parents=True)
    (sets / "theme.yaml").write_text(
        "extends: base\nfonts:\n  body: [仿宋, FangSong]\n  docx_body: 仿宋\n", encoding="utf-8"
    )
    path = tmp_path / "dept.yaml"
    path.write_text(VALID + "模板: fs\n", encoding="utf-8")
    checked = invoke("check", path)
    assert "正文和表格要用「仿宋」，本机没有安装，PDF 将用「Noto Serif CJK" in checked.output
    assert "DOCX 写的是「仿宋」" in checked.output and "字体：正文和表格「Noto Serif CJK" in checked.output
    strict = invoke("check", path, "--strict")
    assert strict.exit_code == 1 and "错误[字体]" in strict.output


def test_a_fullwidth_colon_is_named_as_such(tmp_path):
    path = tmp_path / "dept.yaml"
    path.write_text('部门: {编码: "1", 名称: 某局, 级次: 市}\n预算年度：2026\n', encoding="utf-8")
    result = invoke("check", path)
    assert "dept.yaml:2:1" in result.output and "用了全角的「：」，YAML 要半角的「:」" in result.output


def test_a_misspelt_field_is_one_message_with_the_suggestion(tmp_path):
    path = tmp_path / "dept.yaml"
    path.write_text(
        '部门: {编码: "1", 名称: 某局, 级次: 市}\n预算年度: 2026\n支出:\n  - {科目: 2150501, 类型: 基本, 金颔: 10}\n',
        encoding="utf-8",
    )
    result = invoke("check", path)
    assert (
        "共 1 个错误" in result.output and "未知字段「金颔」" in result.output and "是否想写「金额」" in result.output
    )


def test_a_single_line_in_yuan_in_a_wan_file_is_named_at_the_line(tmp_path):
    text = VALID.replace(
        "  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n",
        "  - {科目: 2150501, 类型: 基本, 金额: 10.00}\n  - {科目: 2150502, 类型: 基本, 金额: 352000}\n",
    )
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("check", path)
    assert "dept.yaml:12:" in result.output and "像是把元填进了万元的文件" in result.output
    assert "改为 35.20 万元" in result.output


def test_empty_sections_print_what_a_reference_prints_for_none(tmp_path):
    """No procurement: the set's “none” sentence and no “见下表” above an empty table; no bare
    headings over empty 分项绩效目标 and 工作保障措施; no “拟购置…0.00万元，已按要求列入政府采购预算”."""
    from budgetgen.build import document_for
    from budgetgen.document import Heading, Paragraph, TableBlock

    path = tmp_path / "dept.yaml"
    path.write_text(VALID + "国有资产:\n  车辆: {数量: 1, 价值: 20.00}\n", encoding="utf-8")
    document = document_for(analyse(path))
    texts = [b.text for b in document.blocks if isinstance(b, (Paragraph, Heading))]
    words = "".join(texts)
    assert "本部门2026年无政府采购预算。" in words and "具体内容见下表" not in words
    assert not any(isinstance(b, TableBlock) and b.anchor == "table-procurement" for b in document.blocks)
    assert "分项绩效目标" not in words and "工作保障措施" not in words
    assert "（一）总体绩效目标" in words
    assert "本年度无拟购置固定资产。" in words and "已按要求列入政府采购预算" not in words


def test_workbook_messages_name_the_cell_to_fill_never_a_yaml_key(tmp_path):
    target = tmp_path / "dept.xlsx"
    invoke("new", "某某局", "--xlsx", "-o", target)
    fill(
        target,
        [(2150501, None, "一般公共预算", "基本", None), (2150501, None, "一般公共预算", "基本", 5)],
        [(30101, None, 5)],
    )
    result = invoke("check", target)
    assert "支出明细!E2: 错误[输入] “金额”没有填写" in result.output
    assert "在 支出明细!E2（“金额”列）填写金额" in result.output
    assert "金额: …" not in result.output and "（字段" not in result.output


def test_a_fullwidth_comma_between_items_is_named_as_such(tmp_path):
    path = tmp_path / "dept.yaml"
    path.write_text(
        '部门: {编码: "1", 名称: 某局, 级次: 市}\n预算年度: 2026\n支出:\n  - {科目: 2150501，类型: 基本, 金额: 10}\n',
        encoding="utf-8",
    )
    result = invoke("check", path)
    assert "dept.yaml:4:1" in result.output and "用了全角的「，」，YAML 要半角的「,」" in result.output


def test_small_performance_tables_are_kept_whole_and_their_merges_uncut():
    """A 绩效目标表 that fits a page is printed whole with its title (no 一级指标 cell cut in two on
    the same page); a taller one flows on, and never leaves its title alone on a page."""
    from conftest import EXAMPLES

    from budgetgen.build import document_for
    from budgetgen.document import TableBlock

    document = document_for(analyse(EXAMPLES / "xingtai-gxj-2022.yaml"))
    tables = [b for b in document.blocks if isinstance(b, TableBlock) and not b.part_table]
    kept = [b for b in tables if b.keep_together]
    assert kept and len(kept) < len(tables), "small tables kept, tall ones flowing"
    for block in kept:
        labels = [block.rows[m.row].cells[0].text for m in block.merges if m.column == 0 and m.rowspan > 1]
        assert len(labels) == len(set(labels)), ("a 一级指标 cell split inside a kept table", block.anchor)


def test_a_value_in_fullwidth_quotes_is_named_before_it_prints_with_them(tmp_path):
    path = tmp_path / "dept.yaml"
    path.write_text(VALID.replace('编码: "999"', "编码: “999”"), encoding="utf-8")
    result = invoke("check", path)
    assert "「“999”」外面是全角引号，会连同引号原样印出" in result.output and "dept.yaml:1:" in result.output


def test_a_title_breaks_between_words_never_inside_one():
    from budgetgen.builders.html import _keep_last
    from budgetgen.layout import balanced_lines

    title = "秦皇岛市海港区科技和工业信息化局2025年部门预算信息公开情况说明"
    lines = balanced_lines(title, 60)
    assert lines == ["秦皇岛市海港区科技和工业信息化局", "2025年部门预算信息公开情况说明"]
    kept = str(_keep_last(title))
    assert '<span class="keep">信息公开情况说明</span>' in kept, "the kept tail does not start inside 公开"


def test_a_sentence_never_prints_an_empty_list(tmp_path):
    """The guard is general: a set's sentence that joins a list the department left empty is refused
    with the input to fill — whatever filters the list went through — never printed as “主要为。”."""
    sets = tmp_path / "templates" / "lists"
    sets.mkdir(parents=True)
    sentence = "项目支出{{ expense.project|wan }}万元，主要为{{ main_projects | map(attribute='name') | join('、') }}。"
    (sets / "theme.yaml").write_text(
        f'extends: base\nnarrative:\n  overview:\n    expense: "{sentence}"\n', encoding="utf-8"
    )
    path = tmp_path / "dept.yaml"
    path.write_text(VALID.replace("说明: {主要项目: [测试项目]}", "说明: {}") + "模板: lists\n", encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1, result.output
    assert "narrative.overview.expense 要印的文字是空的：主要项目" in result.output
    assert "“说明 → 主要项目”" in result.output and "主要为。" not in result.output
    guarded = sentence.replace("，主要为{{", "{% if main_projects %}，主要为{{").replace("}}。", "}}{% endif %}。")
    (sets / "theme.yaml").write_text(
        f'extends: base\nnarrative:\n  overview:\n    expense: "{guarded}"\n', encoding="utf-8"
    )
    assert invoke("check", path).exit_code == 0


def test_the_part_title_is_not_repeated_unless_the_set_prints_it_as_its_reference_does(tmp_path):
    from conftest import EXAMPLES

    from budgetgen.build import document_for
    from budgetgen.document import Paragraph

    def title_lines(path):
        return [
            b.text for b in document_for(analyse(path)).blocks if isinstance(b, Paragraph) and b.style == "title-line"
        ]

    path = tmp_path / "dept.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert title_lines(path) == [], "base prints the part title once"
    assert title_lines(EXAMPLES / "xingtai-gxj-2022.yaml") == [], "reference 004 prints it once"
    assert title_lines(EXAMPLES / "qinhuangdao-gxj-2023.yaml") == [
        "秦皇岛市工业和信息化局2023年部门预算信息公开情况说明"
    ]
