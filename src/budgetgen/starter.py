"""A new department's starter file: every section present, explained in Chinese comments, valid and
buildable as it stands (amounts zero until the department fills them in)."""

from __future__ import annotations

import json
from datetime import date

from .checks.publish import STARTER_TEXTS

STARTER = """# {name} {year} 年部门预算源数据。由 budgetgen new 生成：各部分都已列出，按注释填写后运行
#   budgetgen check 本文件      （逐项核对，列出需要修改的地方）
#   budgetgen build 本文件      （生成 PDF 和 DOCX）
# 金额只填明细：所有合计、小计和情况说明中的数字都由程序计算，不要重复填写。

部门:
  编码: {code}            # 部门编码，按文字写（前导 0 会保留）
  名称: {name_text}
  级次: {level}              # 市 / 区 / 县
  # 简称: 某某局            # 情况说明中称呼本部门的简称（可不写，默认用全称）
  # 地区: 某某市某某区      # 所在的市、区或县（模板集的句子引用时填写）
预算年度: {year}
金额单位: 万元            # 万元（两位小数）或 元（按预算系统导出的元填写，到分）
模板: {template}          # 模板集：budgetgen templates list 列出可用的

# 功能分类“项”级明细：每行 科目（7 位）× 资金 × 类型 × 金额。
# 资金：一般公共预算（默认）、政府性基金、国有资本经营、财政专户、单位资金、事业收入……
# 类型：基本、项目、经营、上解上级、对附属单位补助。由上年结转安排的加“上年结转: true”。
支出:
  - {{科目: 2150501, 类型: 基本, 金额: 0.00}}    # 示例行（行政运行）：改为本部门的科目和金额

# 一般公共预算基本支出按经济分类“款”（5 位）；合计须等于上面一般公共预算的基本支出。
# 301、303 为人员经费，302、310 等为公用经费。
基本支出经济分类:
  - {{科目: 30101, 金额: 0.00}}

# 财政拨款“三公”经费明细（只写数字即为一般公共预算）；合计自动计算。
三公经费:
  公务用车运行维护费: 0.00
  公务接待费: 0.00

# 项目：名称、科目、金额（计入项目支出），以及绩效目标表。
项目: []
#  - 名称: 某某项目
#    科目: 2150599
#    金额: 0.00
#    绩效目标: [……]
#    绩效指标:                # [一级, 二级, 三级, 描述, 指标值, 依据]，按批复的顺序
#      - [产出指标, 数量指标, ……, ……, ……, ……]

# 上年预算数（万元）：用于“比上年增减情况”和“三公”经费的比较。
上年:
  基本支出: 0.00
  项目支出: 0.00
  三公经费合计: 0.00
增减原因: {{}}             # 有增减时写原因，如 {{基本支出: 主要为人员增加, 项目支出: 主要为……}}

# 情况说明需要的文字。
职责与机构:
  职责:
    - {duty}
  机构:
    - {{单位名称: {unit_text}, 单位性质: 行政, 单位规格: 正处（县）级, 经费保障形式: 财政拨款}}
说明:
  主要项目: []            # 支出说明列举的项目（写项目名称）
绩效:
  总体绩效目标:
    - {goal}
  分项绩效目标: []
  工作保障措施: []
政府采购: []              # 按单位、来源、物品填写，合计自动计算
国有资产: {{}}             # 如 车辆: {{数量: 3, 价值: 43.99}}

# 从预算系统抄录的合计数（可选），只用于核对，例如：
# 申报数:
#   收入总计: 0.00
"""


def starter_yaml(name: str, code: str = "000", template: str = "base", year: int | None = None) -> str:
    level = "区" if "区" in name else "县" if "县" in name else "市"
    return STARTER.format(
        name=name,
        name_text=json.dumps(name, ensure_ascii=False),
        unit_text=json.dumps(f"{name}本级", ensure_ascii=False),
        code=json.dumps(code, ensure_ascii=False),
        level=level,
        year=year or date.today().year + 1,
        template=template,
        duty=STARTER_TEXTS[0],
        goal=STARTER_TEXTS[1],
    )


# The YAML starter's sample lines: in a workbook the empty rows are there to fill instead.
WORKBOOK_EMPTY = ("支出", "基本支出经济分类", "项目", "政府采购")


def starter_workbook(name: str, code: str = "000", template: str = "base", year: int | None = None) -> bytes:
    """The complete fill-in workbook of a new department: the starter's parts, ready to fill in."""
    from .excel.complete import department_workbook
    from .loading import load_bytes
    from .validation import parse_budget

    budget = parse_budget(load_bytes(starter_yaml(name, code, template, year).encode("utf-8"), "starter.yaml"))
    data = budget.model_dump(by_alias=True, exclude_none=True)
    for key in WORKBOOK_EMPTY:
        data.pop(key, None)
    return department_workbook(data, budget.year)
