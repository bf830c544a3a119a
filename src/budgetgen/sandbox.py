"""Jinja's sandbox with bounds: a city set's sentence or template cannot run for ever, fill memory
or recurse without end. One bad set then fails with a located message within seconds, and in a
batch only its own departments fail.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SEQUENCE = 1_000_000  # characters or items one expression may build ('x' * n, [0] * n)
MAX_EXPONENT = 64


class RenderLimit(Exception):
    """A template exceeded its time or output budget."""


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, (str, list, tuple))
                    and isinstance(count, int)
                    and len(sequence) * count > MAX_SEQUENCE
                ):
                    raise SecurityError(f"重复生成的内容太长（超过 {MAX_SEQUENCE} 个）")
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"幂运算的指数太大（超过 {MAX_EXPONENT}）")
        return super().call_binop(context, operator, left, right)


def render_bounded(template, limit_chars: int, **context: Any) -> str:
    """Render chunk by chunk, refusing output beyond `limit_chars`."""
    parts: list[str] = []
    size = 0
    try:
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > limit_chars:
                raise RenderLimit(f"生成的文字超过 {limit_chars} 个字符")
            parts.append(chunk)
    except RecursionError:
        raise TemplateRuntimeError("模板递归过深（宏调用了自身）") from None
    return "".join(parts)


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Interrupt the main thread after `seconds` (SIGALRM). Elsewhere (no SIGALRM, a worker thread)
    the caller's process-level limit applies instead."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise RenderLimit(f"{what}运行超过 {seconds:g} 秒（可能有过多的循环）")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    remaining, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if remaining:
            signal.setitimer(signal.ITIMER_REAL, remaining)
