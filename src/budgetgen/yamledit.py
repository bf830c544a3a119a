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


def merged_yaml(text: str, data: dict, written_form: Callable[[object, object], object] | None = None) -> str:
    """The department's YAML with `data` (the whole department, as a form posted it) written into
    it, touching only what changed: a top-level section whose content is unchanged keeps its text
    byte for byte; a changed one is rewritten in its own indentation, its comments kept.
    `written_form(old, new)`: the posted value in the short form the file writes it in (a bare
    amount, a compact row), or None — the caller knows the model's short forms."""
    global _WRITTEN
    _WRITTEN = written_form or (lambda old, new: None)
    preamble, blocks = _top_level_blocks(text)
    current = round_trip_yaml().load(text) if text.strip() else None
    current = current if isinstance(current, dict) else {}
    pieces = [preamble]
    for key, block in blocks:
        old = current.get(key)
        if _key_in(key, data) is None:
            if old in (None, "", [], {}):
                pieces.append(block)  # written empty, posted as nothing: the same
            continue  # emptied in the form: the section goes
        new = _as_written(old, data[_key_in(key, data)])
        if _same(old, new):
            pieces.append(block)
        else:
            pieces.append(_rewritten(block, key, new))
    written = {str(key) for key, _ in blocks}
    for key, value in data.items():
        if str(key) not in written:
            pieces.append(_dumped({key: value}, offset=2))
    return "".join(pieces)


def _top_level_blocks(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first key, and each top-level key with its text (the comment lines
    directly above it included)."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _is_key_line(line)]
    if not starts:
        return text, []
    bounds = []
    for start in starts:
        first = start
        while first > 0 and lines[first - 1].startswith("#") and (not bounds or first - 1 >= bounds[-1][1]):
            first -= 1
        bounds.append((first, start))
    preamble = "".join(lines[: bounds[0][0]])
    blocks = []
    for index, (first, start) in enumerate(bounds):
        end = bounds[index + 1][0] if index + 1 < len(bounds) else len(lines)
        key = lines[start].split(":", 1)[0].strip().strip("'\"")
        blocks.append((key, "".join(lines[first:end])))
    return preamble, blocks


def _is_key_line(line: str) -> bool:
    return bool(line) and not line[0].isspace() and line[0] not in "#-{[" and ":" in line


def _rewritten(block: str, key: str, new) -> str:
    """One top-level section merged with its new content, in the indentation it was written in."""
    from ruamel.yaml.util import load_yaml_guess_indent

    _, _, offset = load_yaml_guess_indent(block)
    yaml = _yaml_with_offset(offset if offset is not None else 2)
    document = yaml.load(block)
    if not isinstance(document, dict) or key not in document:
        return _dumped({key: new}, offset)
    document[key] = _merged(document[key], new)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    written = buffer.getvalue()
    return written if written.endswith("\n") else written + "\n"


def _yaml_with_offset(offset: int) -> YAML:
    yaml = round_trip_yaml()
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _dumped(data: dict, offset: int) -> str:
    buffer = io.StringIO()
    _yaml_with_offset(offset).dump(_readable(data, False), buffer)
    return buffer.getvalue()


def _merge_mapping(old, new: dict) -> None:
    for key in [k for k in old if _key_in(k, new) is None]:
        del old[key]
    for key, value in new.items():
        existing = _key_in(key, old)
        if existing is None:
            old[_readable(key, False)] = _readable(value, False)
        else:
            old[existing] = _merged(old[existing], value)


def _key_in(key, mapping):
    """The key of `mapping` equal to `key` as text (2150501 and "2150501" are the same code)."""
    return next((k for k in mapping if str(k) == str(key)), None)


_WRITTEN: Callable[[object, object], object] = lambda old, new: None  # noqa: E731


def _as_written(old, new):
    form = _WRITTEN(old, new)
    return new if form is None else form


def _merged(old, new):
    new = _as_written(old, new)
    if _same(old, new):
        return old
    if isinstance(old, dict) and isinstance(new, dict):
        _merge_mapping(old, new)
        return old
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, item in enumerate(new):
            old[index] = _merged(old[index], item)
        return old
    return _readable(new, isinstance(old, list))


def _same(old, new) -> bool:
    if isinstance(old, dict) and isinstance(new, dict):
        return (
            old.keys() == new.keys()
            and all(_same(old[k], new[k]) for k in old)
            or (
                len(old) == len(new)
                and all(_key_in(k, new) is not None and _same(old[k], new[_key_in(k, new)]) for k in old)
            )
        )
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, list | dict) or isinstance(new, list | dict):
        return False
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new or old == new
    if _number(old) is not None and _number(new) is not None:
        return _number(old) == _number(new)
    return str(old) == str(new)


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    return None
