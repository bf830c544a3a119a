"""Edits of a department's own YAML that keep what the department wrote: comments, order, quoting
and flow style (ruamel.yaml's round trip), including the comment above a section that follows one
replaced or removed — which ruamel keeps at the end of the section before it and would lose."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap


def round_trip_yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _represent_amount)
    return yaml


def _represent_amount(representer, value: Decimal):
    text = format(value, "f")  # exact: a unit price keeps its 0.0036
    whole, _, decimals = text.partition(".")
    text = f"{whole}.{decimals.ljust(2, '0')}"  # amounts read with two decimals: 26.60, 0.00
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def flow(mapping: dict) -> CommentedMap:
    result = CommentedMap(mapping)
    result.fa.set_flow_style()
    return result


def comments_above_keys(text: str) -> dict[str, list[str]]:
    """The comment lines directly above each top-level key, as written."""
    found: dict[str, list[str]] = {}
    pending: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            pending.append(line[1:].removeprefix(" "))
        elif not line.strip():
            continue
        elif not line[0].isspace() and ":" in line and not line.startswith("-"):
            found[line.split(":", 1)[0].strip().strip('"')] = pending
            pending = []
        else:
            pending = []
    return found


def edit_top_level(text: str, edit: Callable[[CommentedMap], None], touched: tuple[str, ...]) -> str:
    """The YAML text after `edit` changed the document; the comment above every key that follows
    one of the `touched` (replaced or removed) sections is put back above its key."""
    yaml = round_trip_yaml()
    document = yaml.load(text)
    above = comments_above_keys(text)
    order = list(document.keys())
    edit(document)
    for previous, key in zip(order, order[1:], strict=False):
        if previous in touched and key in document and above.get(key):
            document.yaml_set_comment_before_after_key(key, before="\n".join(above[key]), indent=0)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def plain_yaml(data: dict, header: str = "") -> str:
    """A department's data as the YAML a person would write: small records inside lists on one
    line (`- {科目: 2150501, 类型: 基本, 金额: 10.00}`), codes unquoted, amounts exact."""
    yaml = round_trip_yaml()
    document = _readable(data, in_list=False)
    if header:
        document.yaml_set_start_comment(header)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def _readable(value, in_list: bool):
    if isinstance(value, dict):
        mapping = CommentedMap((_readable(k, False), _readable(v, False)) for k, v in value.items())
        if in_list and all(not isinstance(v, dict | list) or not v for v in value.values()):
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        return [_readable(item, True) for item in value]
    if (
        isinstance(value, str)
        and value.isascii()
        and value.isdigit()
        and not value.startswith("0")
        and len(value) <= 15
    ):
        return int(value)
    return value
