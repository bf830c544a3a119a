"""Update an existing department file from a new export: the number sections are replaced, the
narrative and every comment stay (ruamel.yaml round trip).

Money typed on a project (科目 + 金额) would be counted twice once the export's 支出 lines are in,
so it moves onto the imported line that carries exactly that money (which then names the project);
a project whose money matches no single line is reported, and its amount kept out.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from ..loading import load_bytes, read_limited
from ..problems import InputRejected, Problem, error, warning
from ..yamledit import edit_top_level, round_trip_yaml

NUMBER_SECTIONS = ("预算年度", "金额单位", "科目名称", "支出", "基本支出经济分类", "三公经费", "申报数")


def update_department(existing: Path, imported_text: str) -> tuple[str, list[Problem]]:
    raw = read_limited(existing)
    loaded = load_bytes(raw, str(existing))  # encoding, duplicate keys, syntax: located, in Chinese
    if not isinstance(loaded.data, dict):
        raise InputRejected(
            [
                error(
                    "输入",
                    f"{existing} 不是部门文件（顶层应是“部门:”“预算年度:”等字段）",
                    "用 --into 指定要更新的部门 YAML；新部门用 -o 另写一个文件。",
                )
            ],
            unreadable=True,
        )
    problems: list[Problem] = []

    def replace_numbers(document: CommentedMap) -> None:
        links = _project_links(document.get("支出"))
        fresh = round_trip_yaml().load(imported_text)
        department = document.get("部门")
        if isinstance(department, CommentedMap):
            for key in ("编码", "名称"):
                if fresh["部门"].get(key) not in (None, "待填写"):
                    department[key] = fresh["部门"][key]
        for key in NUMBER_SECTIONS:
            if key in fresh:
                document[key] = fresh[key]
            elif key in document and key not in ("预算年度", "金额单位"):
                del document[key]
        problems.extend(_restore_project_links(document.get("支出") or [], links))
        problems.extend(_move_project_money(document))

    text = edit_top_level(raw.decode("utf-8-sig"), replace_numbers, NUMBER_SECTIONS)
    return text, problems


def _line_key(line) -> tuple[str, str, str]:
    return str(line.get("科目")), str(line.get("资金") or "一般公共预算"), str(line.get("类型") or "")


def _project_links(lines) -> list[tuple[tuple[str, str, str], Decimal, object]]:
    """The existing file's 支出 lines that name their projects: (科目, 资金, 类型), amount, 项目."""
    links = []
    for line in lines or []:
        if isinstance(line, CommentedMap) and line.get("项目") and "金额" in line:
            links.append((_line_key(line), Decimal(str(line["金额"])), line["项目"]))
    return links


def _restore_project_links(lines: list, links: list) -> list[Problem]:
    """The imported lines get back the 项目 links the department wrote: a line with the same 科目,
    资金, 类型 and amount names the same projects; a line carrying exactly the sum of several linked
    lines of its kind is split back into them. A link that finds no line is reported."""
    remaining = list(links)
    for line in [line for line in lines if "项目" not in line]:
        same = [link for link in remaining if link[0] == _line_key(line) and link[1] == Decimal(str(line["金额"]))]
        if same:
            line["项目"] = same[0][2]
            remaining.remove(same[0])
    for line in [line for line in lines if "项目" not in line]:
        group = [link for link in remaining if link[0] == _line_key(line)]
        if len(group) > 1 and sum((link[1] for link in group), Decimal(0)) == Decimal(str(line["金额"])):
            index = lines.index(line)
            lines.pop(index)
            for offset, (_, amount, projects) in enumerate(group):
                split = CommentedMap(line)
                split.fa.set_flow_style()
                split["金额"] = amount
                split["项目"] = projects
                lines.insert(index + offset, split)
                remaining.remove((group[offset][0], amount, projects))
    return [
        warning(
            "导入",
            f"原文件中科目 {key[0]}（{key[1]}，{key[2]}）{amount} 的支出行属于项目「{_names(projects)}」，"
            "导入的支出中没有金额相同的一行",
            "核对新导出的该科目金额；如项目仍由这笔资金安排，在相应的支出行上加“项目: 项目名称”。",
        )
        for key, amount, projects in remaining
    ]


def _names(projects) -> str:
    return "、".join(str(p) for p in projects) if isinstance(projects, list) else str(projects)


def _move_project_money(document) -> list[Problem]:
    """Projects' typed money moves onto the imported lines: a line carrying exactly one project's
    amount names it; a line carrying exactly the sum of several projects of its code is split into
    one line per project (their own typed amounts). Anything else is reported."""
    problems = []
    lines = document.get("支出") or []
    by_code: dict[str, list] = {}
    for project in document.get("项目") or []:
        if isinstance(project, CommentedMap) and "金额" in project and "科目" in project:
            by_code.setdefault(str(project["科目"]), []).append(project)
    for code, projects in by_code.items():
        candidates = [
            line
            for line in lines
            if str(line.get("科目")) == code and line.get("类型") == "项目" and "项目" not in line
        ]
        remaining = list(projects)
        for project in projects:
            match = [line for line in candidates if Decimal(str(line["金额"])) == Decimal(str(project["金额"]))]
            if len(match) == 1:
                match[0]["项目"] = project["名称"]
                candidates.remove(match[0])
                remaining.remove(project)
        together = sum((Decimal(str(p["金额"])) for p in remaining), Decimal(0))
        shared = [line for line in candidates if Decimal(str(line["金额"])) == together]
        if remaining and len(shared) == 1:
            line = shared[0]
            index = lines.index(line)
            lines.pop(index)
            for offset, project in enumerate(remaining):
                split = CommentedMap(line)
                split.fa.set_flow_style()
                split["金额"] = project["金额"]
                split["项目"] = project["名称"]
                lines.insert(index + offset, split)
            remaining = []
        for project in remaining:
            problems.append(
                warning(
                    "导入",
                    f"项目「{project['名称']}」的资金（科目 {code}，{project['金额']}）"
                    "在导入的支出行中没有完全对应的一行",
                    "在相应的支出行上加“项目: 项目名称”；项目下的科目和金额已移除，以免重复计算。",
                )
            )
        for project in projects:
            del project["科目"]
            del project["金额"]
    return problems
