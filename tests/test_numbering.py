"""Numbering of long lists: 100 and more items in every style (一百、一百零一、（一百）、100、…)."""

import pytest

from budgetgen.analysis import analyse
from budgetgen.build import document_for
from budgetgen.document import Heading, Paragraph, TableBlock
from budgetgen.numbering import STYLES, chinese_numeral, number_label

NUMERALS = {
    1: "一",
    10: "十",
    11: "十一",
    20: "二十",
    99: "九十九",
    100: "一百",
    101: "一百零一",
    110: "一百一十",
    111: "一百一十一",
    120: "一百二十",
    1000: "一千",
    1001: "一千零一",
    1010: "一千零一十",
    1100: "一千一百",
    10000: "一万",
    10001: "一万零一",
    12345: "一万二千三百四十五",
    100000: "十万",
}


@pytest.mark.parametrize("number, text", sorted(NUMERALS.items()))
def test_chinese_numerals(number, text):
    assert chinese_numeral(number) == text


@pytest.mark.parametrize("style", STYLES)
def test_every_style_numbers_120_items_distinctly(style):
    labels = [number_label(style, n) for n in range(1, 121)]
    if style != "none":
        assert len(set(labels)) == 120
    assert labels[99] in ("一百、", "（一百）", "100、", "100.", "（100）", "一百是", "")


N = 120


def department_with_long_lists(set_name: str) -> str:
    projects = "\n".join(
        f"  - {{名称: 项目{i}, 科目: 2150599, 金额: 1.00, 绩效目标: [目标{i}], 绩效指标: [[产出指标, 数量指标, 数量,"
        " 描述, 1个, 依据], [效益指标, 社会效益指标, 效益, 描述, 好, 依据], [满意度指标, 服务对象满意度指标, 满意度,"
        f" 描述, ≥90%, 依据]]}}"
        for i in range(1, N + 1)
    )
    duties = "\n".join(f"    - 职责第{i}条" for i in range(1, N + 1))
    goals = "\n".join(f"    - {{标题: 分项{i}, 绩效目标: 目标, 绩效指标: 指标}}" for i in range(1, N + 1))
    safeguards = "\n".join(f"    - {{标题: 措施{i}, 内容: [内容{i}]}}" for i in range(1, N + 1))
    return f"""部门: {{编码: "999", 名称: 测试局, 级次: 市}}
预算年度: 2025
模板: {set_name}
科目名称: {{2150599: 其他工业和信息产业支出}}
支出:
  - {{科目: 2150501, 类型: 基本, 金额: 10.00}}
基本支出经济分类:
  - {{科目: 30101, 金额: 10.00}}
项目:
{projects}
职责与机构:
  职责:
{duties}
  机构:
    - {{单位名称: 测试局本级, 单位性质: 行政, 单位规格: 正处（县）级, 经费保障形式: 财政拨款}}
上年: {{基本支出: 10.00, 项目支出: 120.00, 三公经费合计: 0}}
绩效:
  总体绩效目标: [总体目标]
  分项绩效目标:
{goals}
  工作保障措施:
{safeguards}
"""


def texts(document) -> list[str]:
    found = []
    for block in document.blocks:
        if isinstance(block, (Heading, Paragraph)):
            found.append(getattr(block, "lead", "") + block.text)
        elif isinstance(block, TableBlock):
            found.append(block.title)
    return found


@pytest.mark.parametrize("set_name", ["base", "hebei-city-2023", "xingtai-city-2022", "hebei-district-2025"])
def test_120_items_in_every_numbered_list(tmp_path, set_name):
    path = tmp_path / "long.yaml"
    path.write_text(department_with_long_lists(set_name), encoding="utf-8")
    analysis = analyse(path)
    document = document_for(analysis)
    found = texts(document)
    theme = analysis.theme
    for setting, item in (
        ("duties.duties_numbering", "职责第{n}条"),
        ("performance.item_numbering", "分项{n}"),
        ("performance.safeguard_numbering", "措施{n}"),
    ):
        style = theme.config.narrative.at(setting)
        for n in (99, 100, 101, 120):
            label = number_label(style, n)
            assert any(t.startswith(label + item.format(n=n)) for t in found), (setting, label + item.format(n=n))
    assert any(t.startswith("120、项目120") for t in found), "the 120th 绩效目标表"
