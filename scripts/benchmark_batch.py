"""Batch against one process per department, side by side in one run (this machine is shared and
noisy, so only ratios measured together mean much).

    .venv/bin/python scripts/benchmark_batch.py [--departments 20] [--memory 100]

Prints: wall time of N `budgetgen build` processes one after another vs `budgetgen batch -j 2`, the
speed-up, CPU seconds per department in each, and each worker's peak memory (VmHWM) after its
first department and at the end of a run over `--memory` departments (flat = no growth).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BUDGETGEN = [sys.executable, "-m", "budgetgen"]


def make_city(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    made = []
    for i in range(count):
        example = EXAMPLES[i % len(EXAMPLES)]
        text = re.sub(
            r'编码: "(\d+)"',
            lambda m, i=i: f'编码: "{m.group(1)}{i:03d}"',
            example.read_text(encoding="utf-8"),
            count=1,
        )
        path = folder / f"dept-{i:03d}.yaml"
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    cpu, started = children_cpu(), time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)
    return time.perf_counter() - started, children_cpu() - cpu


def batch_command(source: Path, output: Path, engine: str) -> list[str]:
    return (
        BUDGETGEN
        + ["batch", str(source), "-o", str(output), "-j", "2", "--format", "pdf,docx", "--force", "--json"]
        + [
            "--engine",
            engine,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--memory", type=int, default=0, help="also run batch over this many departments for memory")
    parser.add_argument("--engines", default="weasyprint,typst", help="the PDF engines to run the batch with")
    args = parser.parse_args()
    engines = args.engines.split(",")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        files = make_city(work / "city", args.departments)
        n = len(files)
        cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
        print(f"{n} departments, pdf+docx, on {cores} cores")
        sequential_wall = sequential_cpu = 0.0
        for path in files:
            command = BUDGETGEN + ["build", str(path), "-o", str(work / "one-by-one"), "--format", "pdf,docx"]
            wall, cpu = timed(command + ["--engine", engines[0]])
            sequential_wall += wall
            sequential_cpu += cpu
        print(
            f"  one `budgetgen build --engine {engines[0]}` process each: {sequential_wall:6.1f} s wall,"
            f" {sequential_cpu / n:5.2f} s CPU per department"
        )
        for engine in engines:
            batch_wall, batch_cpu = timed(batch_command(work / "city", work / f"batch-{engine}", engine))
            print(
                f"  `budgetgen batch -j 2 --engine {engine}`: {batch_wall:6.1f} s wall,"
                f" {batch_cpu / n:5.2f} s CPU per department ({batch_cpu / sequential_cpu:.2f}× the processes')"
            )
            report_memory(work / f"batch-{engine}" / "汇总.json")
        if args.memory:
            make_city(work / "big", args.memory)
            for engine in engines:
                wall, _ = timed(batch_command(work / "big", work / f"big-{engine}", engine))
                print(f"{args.memory} departments by batch -j 2 --engine {engine}: {wall:.1f} s wall")
                report_memory(work / f"big-{engine}" / "汇总.json")


def report_memory(summary: Path) -> None:
    rows = json.loads(summary.read_text(encoding="utf-8"))["departments"]
    by_worker: dict[int, list[int]] = {}
    for row in rows:
        if "worker" in row:
            by_worker.setdefault(row["worker"]["pid"], []).append(row["worker"]["peak_kib"])
    for pid, peaks in sorted(by_worker.items()):
        # VmHWM never falls: its lowest reading is after the worker's first department, its highest at the end
        print(
            f"  worker {pid}: {len(peaks)} departments, peak memory {min(peaks) / 1024:.0f} MiB after the first,"
            f" {max(peaks) / 1024:.0f} MiB at the end"
        )


if __name__ == "__main__":
    main()
