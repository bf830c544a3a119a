"""Checks as registered units (Beancount-style plain functions): each has a unique id, the
severities it reports, a one-line Chinese description and the inputs it reads, and is registered
here by its decorator. A new check is one function in tables.py, narrative.py or publish.py.

Checks read the statement and the input, never the template set: what the set's sentences need
reaches them as `needs`, read off the sentences themselves (narrative.sentence_inputs).
"""

from __future__ import annotations

from .registry import REGISTRY, CheckSpec, Context, check, run_checks, strictly


def registry_table() -> str:
    """README's check table, generated from the registry."""
    lines = ["| 编号 | 检查 | 级别 | 读取 |", "|---|---|---|---|"]
    for spec in REGISTRY.values():
        severities = " / ".join(s.value for s in spec.severities) + ("（--strict 时为错误）" if spec.publish else "")
        lines.append(f"| {spec.id} | {spec.description} | {severities} | {'、'.join(spec.reads)} |")
    return "\n".join(lines)


# Importing registers the checks, in this order (the nine tables' checks first): one import a line,
# so sorting the imports cannot reorder the registry.
from . import tables  # noqa: E402,F401,I001 - registration order
from . import narrative  # noqa: E402,F401 - registration order
from . import publish  # noqa: E402,F401 - registration order

__all__ = ["REGISTRY", "CheckSpec", "Context", "check", "run_checks", "registry_table", "strictly"]
