"""Checks and builds for the web page run in a child process with a time and a memory limit, so a
hostile or runaway file (a template looping for ever, a huge workbook) can never hang the server or
exhaust the machine: when a limit passes the child is stopped and the page says so. At most one
child per core runs at once; further requests wait for a free slot (a page that fires many requests
at the server starts no more processes than that)."""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any


class TimedOut(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"超过 {seconds:g} 秒仍未完成，已停止")
        self.seconds = seconds


SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 1))
MEMORY_MIB = 3072  # address space of one check or build; a large department's PDF peaks near 1.5 GiB


class Busy(TimedOut):
    def __init__(self, seconds: float) -> None:
        Exception.__init__(self, f"服务器正忙，{seconds:g} 秒内没有空闲的处理进程，请稍后再试")
        self.seconds = seconds


class WorkerFailed(Exception):
    """The task raised something other than a refusal of the input (a bug in budgetgen): said in
    Chinese on the page, the traceback kept for the server's log."""

    def __init__(self, kind: str, details: str = "") -> None:
        super().__init__(f"budgetgen 内部错误（{kind}），请把该部门文件发给维护人员")
        self.details = details


class OutOfMemory(WorkerFailed):
    def __init__(self, memory_mib: int) -> None:
        Exception.__init__(self, f"内存用量超过 {memory_mib} MB 的上限，已停止：文件可能过大或有异常内容")
        self.details = ""


def run_limited(function: Callable[..., Any], args: tuple, seconds: float, memory_mib: int = MEMORY_MIB) -> Any:
    """function(*args) in a forked child; its result, or TimedOut / Busy / WorkerFailed."""
    if not SLOTS.acquire(timeout=seconds):
        raise Busy(seconds)
    try:
        return _in_child(function, args, seconds, memory_mib)
    finally:
        SLOTS.release()


def _in_child(function: Callable[..., Any], args: tuple, seconds: float, memory_mib: int) -> Any:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(sender, function, args, memory_mib), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise TimedOut(seconds)
        ok, value = receiver.recv()
    except EOFError:
        raise WorkerFailed("子进程意外退出") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if not ok:
        kind, details = value
        if kind == "MemoryError":
            raise OutOfMemory(memory_mib)
        print(details, file=sys.stderr)
        raise WorkerFailed(kind, details)
    return value


def _run(sender, function, args, memory_mib: int) -> None:
    limit = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        sender.send((True, function(*args)))
    except BaseException as exc:
        sender.send((False, (type(exc).__name__, traceback.format_exc(limit=8))))
    finally:
        sender.close()
