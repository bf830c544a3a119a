"""Today's build against the code of an earlier commit, side by side in one run.

An issue's target such as "DOCX-only ≤ 0.3× today's" is about the code when the issue was filed;
this checks that commit out in a temporary git worktree and runs both as fresh processes with this
environment's packages, interleaved (one run of each, then the next round) so that the shared
machine's noise falls on both alike. CPU seconds (user + system, children included) by wait4,
medians of --runs.

    .venv/bin/python scripts/benchmark_baseline.py --commit 1de5bd3 --format docx [--engine typst]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import ENVIRONMENT, measured  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commit", required=True, help="the earlier code, e.g. the commit before an issue's work")
    parser.add_argument("--format", default="docx")
    parser.add_argument("--engine", default=None, help="today's PDF engine (the earlier code may have had none)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        worktree = scratch / "then"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.commit], check=True)
        try:
            compare(scratch, worktree, args)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], check=True)


def compare(scratch: Path, worktree: Path, args: argparse.Namespace) -> None:
    then_env = dict(ENVIRONMENT, PYTHONPATH=str(worktree / "src"))  # before the venv's editable src
    engine = ["--engine", args.engine] if args.engine else []
    print(f"--format {args.format}: commit {args.commit} against today{' (' + args.engine + ')' if engine else ''}")
    print(f"CPU seconds, medians of {args.runs} interleaved runs")
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        build = [sys.executable, "-m", "budgetgen", "build", str(example), "--format", args.format, "-o"]
        then_command, now_command = [*build, str(scratch / "then-out")], [*build, str(scratch / "now-out"), *engine]
        measured(then_command, then_env)  # each writes its compiled modules first; not counted
        measured(now_command)
        then, now = [], []
        for _ in range(args.runs):
            then.append(measured(then_command, then_env)[0])
            now.append(measured(now_command)[0])
        a, b = statistics.median(then), statistics.median(now)
        print(f"{example.stem:24} then {a:6.2f}   now {b:6.2f}   now/then {b / a:5.2f}", flush=True)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
