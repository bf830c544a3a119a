"""The shape of the department's input, read off the pydantic model: what a form, a grid or a
sheet of the complete workbook holds. The workbook (and anything else laid out from the model)
follows the model by construction, so a field added to the model appears without layout code."""

from __future__ import annotations

import types
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


@dataclass(frozen=True)
class Scalar:
    kind: str  # text, money, int, flag, flag_or_money
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lines:
    """A list of texts (or numbers): one cell, one item per line; or a column of form rows."""

    item: Scalar
    single_or_list: bool = False  # a text, or a list of texts when there are several (支出 → 项目)


@dataclass(frozen=True)
class Record:
    model: type[BaseModel]


@dataclass(frozen=True)
class Table:
    model: type[BaseModel]


@dataclass(frozen=True)
class Mapping:
    key: Scalar
    value: Any  # a node

    @property
    def closed(self) -> bool:
        """Keys from a fixed list (资金来源, “三公”分项): laid out like a record's fields."""
        return bool(self.key.choices)


Node = Scalar | Lines | Record | Table | Mapping


def node_of(annotation: Any) -> Node:
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [node_of(a) for a in get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return options[0]
        scalars = [o for o in options if isinstance(o, Scalar)]
        lines = [o for o in options if isinstance(o, Lines)]
        if scalars and lines:
            return Lines(scalars[0], single_or_list=True)
        if all(isinstance(o, Scalar) for o in options):
            kinds = {o.kind for o in scalars}
            return Scalar("flag_or_money") if kinds == {"flag", "money"} else scalars[0]
        return next(o for o in options if not isinstance(o, Scalar))  # a row given as a list or a record
    if origin is Literal:
        return Scalar("text", tuple(str(a) for a in get_args(annotation)))
    if origin is list:
        item = node_of(get_args(annotation)[0])
        return Table(item.model) if isinstance(item, Record) else Lines(item)  # type: ignore[arg-type]
    if origin is dict:
        key, value = get_args(annotation)
        key_node = node_of(key)
        assert isinstance(key_node, Scalar)
        return Mapping(key_node, node_of(value))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Record(annotation)
    if annotation is bool:
        return Scalar("flag")
    if annotation is int:
        return Scalar("int")
    if annotation is Decimal:
        return Scalar("money")
    return Scalar("text")


def _strip(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


@dataclass(frozen=True)
class Field_:
    alias: str
    node: Node
    description: str
    required: bool


def fields_of(model: type[BaseModel]) -> list[Field_]:
    return [
        Field_(info.alias or name, node_of(info.annotation), info.description or "", info.is_required())
        for name, info in model.model_fields.items()
    ]


KEY_FIELDS = ("名称", "单位名称", "标题", "单位", "项目", "位置")


def key_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields naming one record of a list (a project by 名称, a unit by 单位名称 …), in order of
    preference: a child sheet names its parent by the first that is filled in."""
    aliases = [f.alias for f in fields_of(model) if isinstance(f.node, Scalar) and f.node.kind == "text"]
    return tuple(k for k in KEY_FIELDS if k in aliases)
