"""The vocabulary of a department budget, stated once: the funds, the kinds of expenditure, the
income sources of the 收入总表, the fiscal fund of each 财政拨款支出表, and the “三公” tree. The
input model's literals, the statement's figures, the table kinds' columns and the Excel reader's
read specs are all made from these.
"""

from __future__ import annotations

from dataclasses import dataclass

FISCAL_FUNDS = ("一般公共预算", "政府性基金", "国有资本经营")
NON_FISCAL_FUNDS = ("财政专户", "单位资金", "事业收入", "事业单位经营收入", "上级补助", "附属单位上缴", "其他")
FUNDS = FISCAL_FUNDS + NON_FISCAL_FUNDS

# 支出总表 columns in printed order: the short form the YAML uses, and the printed label.
KIND_LABELS = {
    "基本": "基本支出",
    "项目": "项目支出",
    "经营": "经营支出",
    "上解上级": "上解上级支出",
    "对附属单位补助": "对附属单位补助支出",
}
KINDS = tuple(KIND_LABELS)

# 收入总表 columns after 合计 and 小计, and the source each fund's income is printed under.
INCOME_SOURCES = (
    "财政拨款收入",
    "财政专户收入",
    "事业收入",
    "经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
)
FUND_TO_INCOME_SOURCE = {
    **dict.fromkeys(FISCAL_FUNDS, "财政拨款收入"),
    "财政专户": "财政专户收入",
    "事业收入": "事业收入",
    "事业单位经营收入": "经营收入",
    "上级补助": "上级补助收入",
    "附属单位上缴": "附属单位上缴收入",
    "其他": "其他收入",
    "单位资金": "其他收入",  # undivided 单位资金 has no column of its own in the 收入总表
}

# The fiscal fund of each 财政拨款支出表, by its national key.
FUND_TABLES = {
    "一般公共预算财政拨款支出表": "一般公共预算",
    "政府性基金预算财政拨款支出表": "政府性基金",
    "国有资本经营预算财政拨款支出表": "国有资本经营",
}


@dataclass(frozen=True)
class ThreePublicRow:
    """One row of the “三公” tree: its stable key, the name a template set uses for it, the typed
    leaves it adds up, last year's items it compares with (last year is typed with 因公出国 as one
    figure), and the words an export's row label carries (for a leaf)."""

    key: str
    name: str
    leaves: tuple[str, ...]
    prior: tuple[str, ...] = ()
    export_words: str = ""


THREE_PUBLIC_ITEMS = (
    "教学科研人员因公出国（境）费",
    "其他因公出国（境）费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
)
PRIOR_THREE_PUBLIC_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
_ABROAD, _VEHICLES = THREE_PUBLIC_ITEMS[0:2], THREE_PUBLIC_ITEMS[2:4]
THREE_PUBLIC_TREE = (
    ThreePublicRow("total", "合计", THREE_PUBLIC_ITEMS, PRIOR_THREE_PUBLIC_ITEMS),
    ThreePublicRow("subtotal", "小计", THREE_PUBLIC_ITEMS),  # printed as a second row with 合计's figure
    ThreePublicRow("abroad", "因公出国", _ABROAD, ("因公出国（境）费",)),
    ThreePublicRow("abroad.research", "教学科研人员因公出国（境）费", _ABROAD[:1], (), "教学科研人员因公出国"),
    ThreePublicRow("abroad.other", "其他因公出国（境）费", _ABROAD[1:], (), "其他因公出国"),
    ThreePublicRow("vehicles", "公务用车", _VEHICLES, ("公务用车购置费", "公务用车运行维护费")),
    ThreePublicRow("vehicles.purchase", "公务用车购置费", _VEHICLES[:1], ("公务用车购置费",), "公务用车购置费"),
    ThreePublicRow(
        "vehicles.operation", "公务用车运行维护费", _VEHICLES[1:], ("公务用车运行维护费",), "公务用车运行维护费"
    ),
    ThreePublicRow("reception", "公务接待费", THREE_PUBLIC_ITEMS[4:], ("公务接待费",), "公务接待费"),
)
THREE_PUBLIC_BY_KEY = {row.key: row for row in THREE_PUBLIC_TREE}
# The words sentences use for the items they compare with last year (tp_changes, reasons).
THREE_PUBLIC_SENTENCE_NAMES = {
    "因公出国（境）费": "abroad",
    "公务用车购置及运维费": "vehicles",
    "公务用车购置费": "vehicles.purchase",
    "公务用车运行维护费": "vehicles.operation",
    "公务接待费": "reception",
}
