"""A department built to stress the layout: 200-character names, long project codes and amounts,
100 projects (the first with 49 indicator rows, so its table runs over pages), and a heading
directly before a landscape table (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "haigang-kgxj-2025.yaml"

LONG = (
    "关于推进全区工业企业数字化转型升级和中小企业专精特新发展及科技创新平台建设与科技成果转化应用示范"  # 46 characters
)


def long_text(length: int) -> str:
    return (LONG * (length // len(LONG) + 1))[:length]


def project(index: int, extra_rows: int = 0) -> str:
    many = "".join(
        f"  - [产出指标, 数量指标, 第{k}项数量, {long_text(40)}, {k}个, 年初工作计划]\n" for k in range(extra_rows)
    )
    return f"""- 名称: 第{index}号{long_text(196 - len(str(index)))}
  科目: 2060102
  金额: 156.88
  项目编码: 13030225P0000791000{index:03d}2M
  资金用途: {long_text(120)}
  资金支出计划: [39.22, 78.44, 117.66, 156.88]
  绩效目标:
  - {long_text(150)}
  绩效指标:
{many}  - [产出指标, 数量指标, {long_text(30)}, {long_text(60)}, 100000000个, 年初工作计划]
  - [产出指标, 成本指标, 成本费用总控制数, 实际支出金额控制在预算范围内, ≤156.88万元, 年初工作计划]
  - [效益指标, 社会效益指标, 推动企业高质量发展, {long_text(80)}, 较上年有所提高, 年初工作计划]
  - [满意度指标, 服务对象满意度指标, 服务对象满意度指标, 调查中满意人数占调查总人数比例, ≥95%, 年初工作计划]
"""


def stress_department(projects: int = 100) -> str:
    """The 2025 example with its projects replaced by `projects` long ones (its declared totals,
    which no longer hold, removed)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("  名称: 秦皇岛市海港区科技和工业信息化局", f"  名称: 秦皇岛市海港区{long_text(90)}局")
    head, rest = text.split("\n项目:\n", 1)
    sections = re.split(r"\n(?=[^\s#-][^:\n]*:)", rest)
    kept = [s for s in sections[1:] if not s.startswith("申报数:")]
    kept = [re.sub(r"  主要项目:\n(  - .*\n)+", f"  主要项目: [第1号{long_text(195)}]\n", s) for s in kept]
    body = "".join(project(i, 45 if i == 1 else 0) for i in range(1, projects + 1))
    return head + "\n项目:\n" + body + "".join("\n" + s for s in kept)
