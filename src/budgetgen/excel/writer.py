"""Imported numbers → the text of a department YAML: every number once, the workbook's totals as
declared figures, lines the tables cannot determine marked for confirmation, and the parts a
workbook cannot give (duties, 绩效, procurement) as commented sections to fill in."""

from __future__ import annotations

import json
from decimal import Decimal

from .importer import Imported

UNFILLED = """
# ---------------------------------------------------------------------------
# 以下各部分工作簿中没有，请按 examples/ 中的示例填写（去掉行首的“# ”）。
# 上年:                 # 上年预算数（万元），用于“比上年增减情况”
#   基本支出: 0.00
#   项目支出: 0.00
#   三公经费合计: 0.00
# 增减原因:
#   基本支出: 主要为……
#   项目支出: 主要为……
# 职责与机构:
#   职责: [……]
#   机构:
#     - {单位名称: …本级, 单位性质: 行政, 单位规格: 正处（县）级, 经费保障形式: 财政拨款}
# 项目:                 # 项目的绩效目标；项目金额已在“支出”中（类型：项目）
#   - 名称: ……
#     绩效目标: [……]
#     绩效指标:
#       - [产出指标, 数量指标, ……, ……, ……, ……]
# 绩效:
#   总体绩效目标: [……]
# 政府采购: []
# 国有资产:
#   车辆: {数量: 0, 价值: 0.00}
"""


def _text(value: str) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def _amount(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _level(name: str) -> str:
    return "区" if "区" in name else "县" if "县" in name else "市"


def department_yaml(imported: Imported, template: str = "base", unfilled: bool = True) -> str:
    lines = [
        f"# 由 budgetgen import 从 {imported.source.name} 生成：数字来自工作簿，每个只写一次；",
        "# 工作簿印出的合计数记在“申报数”中，budgetgen check 逐一与计算值核对。",
        "部门:",
        f"  编码: {_text(imported.code or '待填写')}",
        f"  名称: {_text(imported.name or '待填写')}",
        f"  级次: {_level(imported.name)}   # 请确认：由部门名称推断（市 / 区 / 县）",
        f"预算年度: {imported.year or 2000}" + ("" if imported.year else "   # 请填写预算年度"),
        f"金额单位: {imported.unit}",
        f"模板: {template}   # 本地的模板集，如 hebei-city-2023（budgetgen templates list）",
    ]
    if imported.code_names:
        lines.append("科目名称:   # 内置目录中没有的科目，名称取自工作簿")
        lines += [f"  {_text(code)}: {_text(name)}" for code, name in sorted(imported.code_names.items())]
    lines.append("支出:")
    for line in imported.lines:
        fields = [
            f"科目: {_text(line.code)}",
            f"资金: {line.fund}",
            f"类型: {line.kind}",
            f"金额: {_amount(line.amount)}",
        ]
        if line.carried_over:
            fields.append("上年结转: true")
        lines.append("  - {" + ", ".join(fields) + "}" + (f"   # {line.confirm}" if line.confirm else ""))
    if not imported.lines:
        lines[-1] = "支出: []"
    if imported.economic:
        lines.append("基本支出经济分类:")
        for code, amount, category in imported.economic:
            extra = f", 经费类别: {category}" if category else ""
            lines.append(f"  - {{科目: {_text(code)}, 金额: {_amount(amount)}{extra}}}")
    if imported.three_public:
        lines.append("三公经费:")
        for item, by_fund in imported.three_public.items():
            if set(by_fund) == {"一般公共预算"}:
                lines.append(f"  {item}: {_amount(by_fund['一般公共预算'])}")
            else:
                lines.append(f"  {item}: {{" + ", ".join(f"{fund}: {_amount(v)}" for fund, v in by_fund.items()) + "}")
    if imported.declared or imported.declared_codes:
        lines.append("申报数:   # 工作簿中印出的合计数，只用于核对")
        if imported.unit == "元":
            lines.append("  单位: 元")
        lines += [f"  {name}: {_amount(value)}" for name, value in imported.declared.items()]
        if imported.declared_codes:
            lines.append("  科目合计:")
            lines += [f"    {_text(code)}: {_amount(value)}" for code, value in sorted(imported.declared_codes.items())]
    return "\n".join(lines) + "\n" + (UNFILLED if unfilled else "")
