"""A city's batch run started from the page: `run_batch` in a child process (it installs its own
signal handlers, which only a main thread may do), its progress read back over a pipe."""

from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class BatchState:
    running: bool = False
    total: int = 0
    done: list[dict] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    message: str = ""
    root: Path | None = None  # rows name files relative to it
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def snapshot(self) -> dict:
        with self.lock:
            counts = {s: sum(1 for r in self.done if r.get("status") == s) for s in ("已生成", "有警告", "有错误")}
            return {
                "running": self.running,
                "total": self.total,
                "finished": len(self.done),
                "counts": counts,
                "rows": [
                    {
                        "file": self._shown(r.get("file", "")),
                        "name": r.get("name", ""),
                        "status": r.get("status", ""),
                        "skipped": r.get("skipped", False),
                    }
                    for r in self.done
                ],
                "message": self.message,
                "seconds": round((self.finished or time.monotonic()) - self.started, 1) if self.started else 0,
            }

    def _shown(self, file: str) -> str:
        path = Path(file)
        return path.relative_to(self.root).as_posix() if self.root and path.is_relative_to(self.root) else path.name


def start_batch(
    state: BatchState,
    files: list[Path],
    output: Path,
    formats: tuple[str, ...],
    template_dirs: tuple[Path, ...],
    seconds_per_department: float,
) -> bool:
    """Start a run unless one is running; False if one is."""
    with state.lock:
        if state.running:
            return False
        state.running, state.total, state.done, state.message = True, len(files), [], ""
        state.root = output.parent
        state.started, state.finished = time.monotonic(), 0.0
    limit = 60 + seconds_per_department * max(1, len(files))
    threading.Thread(target=_follow, args=(state, files, output, formats, template_dirs, limit), daemon=True).start()
    return True


def _follow(state: BatchState, files, output, formats, template_dirs, limit: float) -> None:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # not a daemon: run_batch starts a pool of its own workers
    child = context.Process(target=_run, args=(sender, files, output, formats, template_dirs))
    child.start()
    sender.close()
    deadline = time.monotonic() + limit
    message = "已完成"
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receiver.poll(remaining):
                message = f"超过 {limit:.0f} 秒仍未完成，已停止"
                break
            kind, value = receiver.recv()
            if kind == "row":
                with state.lock:
                    state.done.append(value)
            else:
                message = value
                break
    except EOFError:
        message = "批量生成意外中止"
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        with state.lock:
            state.running, state.message, state.finished = False, message, time.monotonic()


def _run(sender, files, output, formats, template_dirs) -> None:
    from ..batch import end_with_parent, run_batch
    from ..summary import write_summary

    try:
        end_with_parent()  # a server that dies takes its batch with it
        run = run_batch(
            files, output, formats, template_dirs, on_done=lambda row: sender.send(("row", row)), base=output.parent
        )
        write_summary(output, run.rows, False)
        sender.send(("end", "已完成，汇总已写出"))
    except BaseException as exc:
        sender.send(("end", f"批量生成出错：{type(exc).__name__}"))
    finally:
        sender.close()
