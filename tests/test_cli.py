"""The command line as a finance officer uses it (typer's runner, like sqlite-utils' CLI tests)."""

import json

from conftest import REFERENCE_EXAMPLES, invoke


def test_check_passes_on_every_example():
    for example in REFERENCE_EXAMPLES.values():
        result = invoke("check", example)
        assert result.exit_code == 0, result.output
        assert "0 个错误" in result.output


def test_tables_json_shape():
    result = invoke("tables", REFERENCE_EXAMPLES["001"], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    titles = [t["title"] for t in data["tables"]]
    assert titles[6] == "部门预算政府性基金预算财政拨款支出表"
    income = data["tables"][1]
    assert income["columns"] == [
        "科目编码",
        "科目名称",
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
    ]
    assert income["rows"][0] == ["", "合计", "724.00", "431.00", "431.00", "", "", "", "", "", "", "293.00"]
    assert (
        data["tables"][6]["rows"] == [] and data["tables"][6]["note"] == "注：无政府性基金预算财政拨款预算，空表列示。"
    )


def test_tables_refuses_input_with_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        '部门: {编码: "9", 名称: 局, 级次: 市}\n预算年度: 2023\n支出:\n  - {科目: 2150501, 类型: 基本, 金额: 1.00}\n',
        encoding="utf-8",
    )
    result = invoke("tables", path, "--json")
    assert result.exit_code == 1
    assert "X3" in result.output


def test_examples_point_editors_at_the_schema():
    for example in REFERENCE_EXAMPLES.values():
        assert example.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schemas/budget.schema.json"
        )


def test_carried_over_project_fills_carry_forward_rows():
    result = invoke("tables", REFERENCE_EXAMPLES["001"], "--json")
    fiscal = json.loads(result.output)["tables"][3]["rows"]
    assert fiscal[32][:2] == ["年初财政拨款结转和结余", "293.00"]
    assert fiscal[33][:2] == ["一、一般公共预算拨款", "293.00"]
    assert fiscal[36] == ["收入总计", "724.00", "支出总计", "724.00", "724.00", "", ""]


def test_importing_the_command_line_leaves_the_garbage_collector_as_it_found_it():
    """The CLI pauses the collector while importing (cli/__init__.py); a program that imports it
    (the tests, a bureau's script) gets it back running, and one that had turned it off keeps it off."""
    import subprocess
    import sys

    program = "import gc{}\nimport budgetgen.cli\nprint(gc.isenabled())"
    for before, expected in (("", "True"), ("; gc.disable()", "False")):
        result = subprocess.run([sys.executable, "-c", program.format(before)], capture_output=True, text=True)
        assert result.stdout.strip() == expected, result.stderr
