"""A set's structure is data: typed settings refused with located messages, and table kinds and
sections as registered units."""

from pathlib import Path

import pytest
from conftest import invoke

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "putuo-sfj-2026.yaml"


def checked_with(tmp_path: Path, settings: str):
    sets = tmp_path / "sets" / "city"
    sets.mkdir(parents=True)
    (sets / "theme.yaml").write_text("extends: shanghai-putuo-2026\n" + settings, encoding="utf-8")
    department = tmp_path / "dept.yaml"
    department.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("模板: shanghai-putuo-2026", "模板: city"), encoding="utf-8"
    )
    return invoke("check", department, "--templates", tmp_path / "sets")


@pytest.mark.parametrize(
    "settings, wanted",
    [
        (
            "document:\n  cover_subtitel: x\n",
            ["theme.yaml:3", "document.cover_subtitel 不是可用的设置", "cover_subtitle"],
        ),
        ("fontz: {body: [x]}\n", ["theme.yaml:2", "fontz 不是可用的设置", "fonts"]),
        ("tables:\n  收入总表:\n    kind: 收入总汇\n", ["theme.yaml:4", "种类「收入总汇」不存在", "收入总表"]),
        ("tables:\n  收入总表:\n    totl: last\n", ["theme.yaml:4", "tables.收入总表.totl 不是可用的设置", "total"]),
        ("tables:\n  收入总表:\n    numbers: {unit: 美元}\n", ["tables.收入总表.numbers.unit", "「美元」不是可选的值"]),
        ("page_top:\n  right: 单位：元\n", ["theme.yaml:3", "page_top.right「单位：元」写死了金额单位", "{unit_line}"]),
    ],
)
def test_a_mistaken_set_is_refused_at_its_line(tmp_path, settings, wanted):
    result = checked_with(tmp_path, settings)
    assert result.exit_code == 1, result.output
    for text in wanted:
        assert text in result.output, (text, result.output)


def test_a_set_listing_a_table_twice_or_an_unknown_part_is_refused(tmp_path):
    settings = (
        "document:\n  parts:\n    - {key: functons, title: 职能}\n    - {key: tables, tables: [收入总表, 收入总表]}\n"
    )
    result = checked_with(tmp_path, settings)
    assert result.exit_code == 1
    assert "表「收入总表」列了 2 次" in result.output


def test_a_new_table_kind_is_one_module_plus_one_registry_line():
    from budgetgen import sections, tables

    init = (ROOT / "src" / "budgetgen" / "tables" / "__init__.py").read_text(encoding="utf-8")
    for kind in tables.KINDS:
        module = kind.build.__module__.rsplit(".", 1)[1]
        assert (ROOT / "src" / "budgetgen" / "tables" / f"{module}.py").is_file()
        assert init.count(f"    {module}.KIND,\n") == 1  # the one registry line
    section_init = (ROOT / "src" / "budgetgen" / "sections" / "__init__.py").read_text(encoding="utf-8")
    for section in sections.SECTIONS.values():
        module = section.blocks.__module__.rsplit(".", 1)[1]
        assert section_init.count(f"        {module}.SECTION,\n") == 1
