"""Validate loaded data against the input model; turn pydantic's errors into Chinese problems.

Pydantic reports a location as a tuple of keys and type tags (for unions); the tags are dropped by
walking the loaded data, so each problem points at the YAML key or value that caused it.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .loading import Loaded
from .model import Budget
from .problems import InputRejected, Path_, Problem, error


def parse_budget(loaded: Loaded) -> Budget:
    data = loaded.data
    if not isinstance(data, dict):
        raise InputRejected(
            [
                error(
                    "结构", "文件顶层应是“字段: 值”的形式（部门、预算年度、支出……）", "参照 examples/ 中的示例文件。"
                ).located(loaded.source.position(()))
            ]
        )
    unit = data.get("金额单位", "万元")
    try:
        return Budget.model_validate(data, context={"unit": unit if unit in ("万元", "元") else "万元"})
    except ValidationError as exc:
        raise InputRejected(_problems_from(exc, loaded)) from None


def _problems_from(exc: ValidationError, loaded: Loaded) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Path_, str]] = set()
    for item in exc.errors(include_url=False):
        path = data_path(loaded.data, item["loc"])
        path = _at_named_field(loaded.data, path, (item.get("ctx") or {}).get("field"))
        problem = _translate(item, path, loaded.data)
        key = (problem.path, problem.message)
        if key in seen:
            continue
        seen.add(key)
        prefer_key = item["type"] in ("extra_forbidden", "missing")
        position = loaded.source.position(problem.path, prefer_key=prefer_key)
        if position is not None and position.cell and item["type"] == "missing":
            problem = _in_workbook_terms(problem, position.cell)
        problems.append(problem.located(position))
    return _one_per_misspelling(_drop_union_noise(problems))


def _one_per_misspelling(problems: list[Problem]) -> list[Problem]:
    """A misspelt field (金颔) is also a missing one (金额): one message, with the suggestion."""
    missing = {(p.path[:-1], p.path[-1]): p for p in problems if p.message.startswith("缺少必填字段") and p.path}
    unknown = [p for p in problems if p.message.startswith("未知字段") and p.path]
    covered = set()
    for problem in unknown:
        parent, typed = problem.path[:-1], str(problem.path[-1])
        wanted = [name for (where, name) in missing if where == parent]
        close = difflib.get_close_matches(typed, [str(n) for n in wanted], n=1, cutoff=0.3)
        if close:
            covered.add((parent, close[0]))
    return [p for p in problems if not (p.message.startswith("缺少必填字段") and (p.path[:-1], p.path[-1]) in covered)]


def _in_workbook_terms(problem: Problem, cell: str) -> Problem:
    """For the fill-in workbook: the cell and the column to fill, never a YAML key to type."""
    from dataclasses import replace

    field = next((p for p in reversed(problem.path) if isinstance(p, str)), "")
    return replace(problem, message=f"“{field}”没有填写", hint=f"在 {cell}（“{field}”列）填写{field}。")


def data_path(data: Any, loc: tuple) -> Path_:
    """The part of a pydantic location that names real keys and list positions in the data."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _is_type_tag(part):
            path.append(part)  # a missing field: name it, though it has no value
            node = None
    return tuple(path)


def _at_named_field(data: Any, path: Path_, field: str | None) -> Path_:
    """A model-level check that names the field it is about (ctx["field"]) points at that value,
    not at the first line of the item holding it."""
    if field is None:
        return path
    node = data
    for part in path:
        node = node[part]
    return path + (field,) if isinstance(node, dict) and field in node else path


def _is_type_tag(part: str) -> bool:
    return any(ch in part for ch in "[]()") or part in ("str", "int", "list", "dict", "decimal", "bool")


def _translate(item: dict, path: Path_, data: Any) -> Problem:
    kind = item["type"]
    field = next((p for p in reversed(path) if isinstance(p, str)), "")
    value = item.get("input")
    shown = _show(value)
    ctx = item.get("ctx") or {}
    if kind == "missing":
        return error("输入", f"缺少必填字段「{field}」", f"请在此处补上“{field}: …”。", path)
    if kind == "extra_forbidden":
        return _unknown_field(path, field)
    if kind == "literal_error":
        options = _options(ctx.get("expected", ""))
        return error("输入", f"「{field}」的值「{shown}」不是可选值", f"只能填写：{options}。", path)
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "decimal_max_places"):
        return error(
            "输入",
            f"「{field}」应为数字金额，这里写的是「{shown}」",
            "只写数字，如 12.50；不要带“万元”、逗号或空格。",
            path,
        )
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return error("输入", f"「{field}」应为整数，这里写的是「{shown}」", "只写半角数字，如 2023。", path)
    if kind in ("bool_parsing", "bool_type"):
        return error(
            "输入",
            f"「{field}」应为 true 或 false，这里写的是「{shown}」",
            "填写 true（是）或 false（否）；yes、是 等写法不被接受。",
            path,
        )
    if kind in ("string_type", "string_too_short"):
        return error("输入", f"「{field}」应填写文字，这里是「{shown}」", "填写非空的文字。", path)
    if kind == "string_too_long":
        return error(
            "输入",
            f"「{field}」太长（{len(str(value))} 个字符，最多 {ctx.get('max_length')} 个）",
            "检查是否把别的内容粘贴进了这一项。",
            path,
        )
    if kind == "finite_number":
        return error("输入", f"「{field}」应为有限的数字，这里写的是「{shown}」", "只写数字，如 12.50。", path)
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return error(
            "输入", f"「{field or '此处'}」应是一组“字段: 值”", "参照示例文件，在下一行缩进两个空格后逐项填写。", path
        )
    if kind == "list_type":
        return error(
            "输入", f"「{field}」应是列表，每条以“- ”开头", "参照示例文件，每条数据单独一行，以“- ”开头。", path
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return error("输入", f"「{field}」的值「{shown}」超出合理范围", "检查是否输错。", path)
    if kind == "negative_amount":
        return error("输入", item["msg"], "金额应为正数；如确为调减，请在该行加上“调整: true”。", path)
    if kind == "money_decimals":
        return error(
            "输入",
            item["msg"],
            "请四舍五入到两位小数（万元）；如需精确到元，请把“金额单位”改为“元”并以元填写全部金额。",
            path,
        )
    if kind in CUSTOM_ERROR_HINTS:
        return error("输入", item["msg"], CUSTOM_ERROR_HINTS[kind], path)
    return error("输入", f"「{field or '此处'}」的值「{shown}」不符合要求", "请对照示例文件检查该字段的写法。", path)


# Errors raised by the model's own validators (PydanticCustomError): their message is already
# Chinese; this adds what to do.
CUSTOM_ERROR_HINTS = {
    "budget_code": "科目编码只写数字，如 2150501；功能分类写到“项”（7 位），经济分类写到“款”（5 位）。",
    "project_money": "在项目下同时写“科目”和“金额”，或都不写并在“支出”的行中用“项目:”注明。",
    "money_type": "金额只写数字。",
    "indicator_shape": (
        '每行写 [一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值, 指标值确定依据]，没有的项写空字符串 ""。'
    ),
    "indicator_level": "一级指标为产出指标、效益指标或满意度指标，二级指标须属于该一级指标。",
    "purchase_source": "参照示例：来源写“项目: 项目名称”，或“名称: …”加“预算资金: …”。",
    "fullwidth_digits": "把全角数字改为半角（关闭输入法的全角模式后重新输入）。",
    "money_range": "检查是否多写了几位，或把元当作万元填写。",
}


def _unknown_field(path: Path_, field: str) -> Problem:
    allowed = allowed_fields(path[:-1])
    close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.3)
    suggestion = f"是否想写「{close[0]}」？" if close else ""
    listing = "、".join(allowed) if allowed else ""
    hint = suggestion + (f"此处可用的字段：{listing}。" if listing else "删除该字段。")
    return error("输入", f"未知字段「{field}」", hint, path)


def allowed_fields(path: Path_) -> list[str]:
    """The YAML keys valid at `path`, found by walking the model's annotations."""
    model: Any = Budget
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = next((f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            return []
        model = _model_in(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias for f in model.model_fields.values() if f.alias]
    return []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    if isinstance(annotation, types.UnionType):
        return None
    return None


def _options(expected: str) -> str:
    return expected.replace("' or '", "、").replace("', '", "、").strip("'")


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "（一组数据）"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _drop_union_noise(problems: list[Problem]) -> list[Problem]:
    """A union field (项目: 名称 or a list of names) fails once per branch; keep one per path."""
    kept: dict[Path_, Problem] = {}
    for problem in problems:
        kept.setdefault(problem.path, problem)
    return list(kept.values())
