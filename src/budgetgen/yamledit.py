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
    return representer.represent_scalar("tag:yaml.org,2002:float", f"{value:.2f}")


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
