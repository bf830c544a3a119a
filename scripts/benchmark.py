"""Benchmark: time each stage for every example (median of several runs).

Run: python scripts/benchmark.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from budgetgen.analysis import analyse

ROOT = Path(__file__).resolve().parents[1]


def timed(action, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    analyse(ROOT / "examples" / "haigang-kgxj-2025.yaml")  # warm caches (catalog, templates)
    print(f"{'example':32} {'check (load+compute+checks)':>28}")
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        seconds = timed(lambda: analyse(example), args.runs)
        print(f"{example.name:32} {seconds * 1000:>25.1f} ms")


if __name__ == "__main__":
    main()
