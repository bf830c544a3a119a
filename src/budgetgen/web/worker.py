"""Checks and builds for the web page run in a child process with a time limit, so a hostile or
runaway file (a template looping for ever, a huge workbook) can never hang the server: when the
limit passes the child is killed and the page says so."""

from __future__ import annotations

import multiprocessing
import sys
import traceback
from typing import Any, Callable


class TimedOut(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"超过 {seconds:g} 秒仍未完成，已停止")
        self.seconds = seconds


class WorkerFailed(Exception):
    """The task raised something other than a refusal of the input (a bug in budgetgen): said in
    Chinese on the page, the traceback kept for the server's log."""

    def __init__(self, kind: str, details: str = "") -> None:
        super().__init__(f"budgetgen 内部错误（{kind}），请把该部门文件发给维护人员")
        self.details = details


def run_limited(function: Callable[..., Any], args: tuple, seconds: float) -> Any:
    """function(*args) in a forked child; its result, or TimedOut / WorkerFailed."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(sender, function, args), daemon=True)
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
        print(details, file=sys.stderr)
        raise WorkerFailed(kind, details)
    return value


def _run(sender, function, args) -> None:
    try:
        sender.send((True, function(*args)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never a traceback on the page
        sender.send((False, (type(exc).__name__, traceback.format_exc(limit=8))))
    finally:
        sender.close()
