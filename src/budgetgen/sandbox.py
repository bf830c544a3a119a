"""Jinja's sandbox with bounds: a city set's sentence or template cannot run for ever, fill memory
or recurse without end. One bad set then fails with a located message within seconds, and in a
batch only its own departments fail.
"""

from __future__ import annotations

import hashlib
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from types import CodeType
from typing import Any

from jinja2 import Template
from jinja2.bccache import BytecodeCache, FileSystemBytecodeCache
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SEQUENCE = 1_000_000  # characters or items one expression may build ('x' * n, [0] * n)
MAX_EXPONENT = 64


class RenderLimit(Exception):
    """A template exceeded its time or output budget."""


MAX_REMEMBERED = 4096  # compiled sentences kept in a process (a web server or a batch worker)
_compiled_code: dict[tuple[str, str], CodeType] = {}


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def compiled(self, source: str) -> Template:
        """`from_string`, with the compiling remembered — in this process, and across processes in
        Jinja's bytecode cache (as Python keeps its .pyc files): compiling a set's sixty sentences
        was most of composing a document. Keyed by the source and by what shapes the generated
        code (this class and its intercepted operators), so a changed sentence compiles afresh."""
        shape = self._code_shape
        key = (shape, source)
        code = _compiled_code.get(key)
        if code is None:
            code = self._compile_through_cache(shape, source)
            if len(_compiled_code) >= MAX_REMEMBERED:
                _compiled_code.clear()
            _compiled_code[key] = code
        return self.template_class.from_code(self, code, self.make_globals(None), None)

    @property
    def _code_shape(self) -> str:
        """What shapes the code Jinja generates from a source (read each time: an overlay of this
        environment copies its attributes and may change the syntax)."""
        options = (
            self.block_start_string,
            self.variable_start_string,
            self.comment_start_string,
            self.line_statement_prefix,
            self.trim_blocks,
            self.lstrip_blocks,
            self.autoescape,
            self.keep_trailing_newline,
            self.newline_sequence,
            sorted(self.intercepted_binops),
            sorted(self.intercepted_unops),
            type(self).__module__,
            type(self).__qualname__,
        )
        return repr(options)

    def _compile_through_cache(self, shape: str, source: str) -> CodeType:
        cache = bytecode_cache()
        if cache is None:
            return self._code(source)
        name = "budgetgen:" + hashlib.sha256(f"{shape}\0{source}".encode()).hexdigest()
        try:
            bucket = cache.get_bucket(self, name, None, source)
        except Exception:  # an unreadable or foreign cache file: compile as if there were none
            return self._code(source)
        if bucket.code is None:
            bucket.code = self._code(source)
            try:
                cache.set_bucket(bucket)
            except OSError:  # a full or read-only disk: the next run compiles again
                pass
        return bucket.code

    def _code(self, source: str) -> CodeType:
        code = self.compile(source)
        assert isinstance(code, CodeType)
        return code

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


@cache
def bytecode_cache() -> BytecodeCache | None:
    """Jinja's cache of compiled templates in the temporary folder (a folder of the user's own, which
    Jinja checks on POSIX); none where it cannot be made."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


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
