"""Benchmark: both PDF engines and LibreOffice, side by side in one run.

For every example (and a department with 10× (--large) the projects of 001) it runs, as fresh processes the
way finance staff run them, interleaved (one run of each variant, then the next round) so that the
shared machine's noise falls on all of them alike:
- `budgetgen build --format pdf` with each engine;
- `--format docx` with each engine (the DOCX's contents numbered from that engine's layout);
- `--format pdf,docx` with each engine;
- `soffice --headless --convert-to pdf` of the DOCX budgetgen built (if LibreOffice is installed).
Each is measured by the OS (wait4): CPU seconds (user + system) and peak memory; medians of --runs.
The last columns are ratios within the same run: Typst's full build against LibreOffice's and
WeasyPrint's, and DOCX-only with Typst against DOCX-only with WeasyPrint.

Run: .venv/bin/python scripts/benchmark.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

BUDGETGEN = [sys.executable, "-m", "budgetgen"]
VARIANTS = {
    "pdf weasyprint": ("pdf", "weasyprint"),
    "pdf typst": ("pdf", "typst"),
    "docx weasyprint": ("docx", "weasyprint"),
    "docx typst": ("docx", "typst"),
    "pdf,docx weasyprint": ("pdf,docx", "weasyprint"),
    "pdf,docx typst": ("pdf,docx", "typst"),
}


# as on a user's machine, Python keeps the compiled modules (this machine's shell turns that off)
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measured(command: list[str], environment: dict[str, str] | None = None) -> tuple[float, float]:
    """CPU seconds and peak MiB of one process, as the OS counts them."""
    environment = ENVIRONMENT if environment is None else environment
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def times_the_projects(folder: Path, times: int) -> Path:
    """001 with `times` × its projects, each long (tests/stress.py)."""
    from stress import EXAMPLE, stress_department

    projects = times * len(re.findall(r"^- 名称:", EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE))
    path = folder / f"projects-x{times}.yaml"
    path.write_text(stress_department(projects), encoding="utf-8")
    return path


def pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large", type=int, default=10, help="also a department with this many times 001's projects")
    args = parser.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        examples = sorted((ROOT / "examples").glob("*.yaml")) + [times_the_projects(scratch, args.large)]
        for engine in ("weasyprint", "typst"):  # writes the compiled modules; not counted
            measured([*BUDGETGEN, "build", str(examples[0]), "-o", str(scratch / "warm"), "--engine", engine])
        columns = list(VARIANTS) + (["soffice docx→pdf"] if soffice else [])
        print("CPU seconds (peak MiB), medians of", args.runs, "interleaved runs")
        print(
            f"{'example':24} {'pages w/t':>10} "
            + " ".join(f"{c:>22}" for c in columns)
            + "   typst/LO  typst/wp  docx t/w"
        )
        for example in examples:
            out = scratch / example.stem
            samples: dict[str, list[tuple[float, float]]] = {c: [] for c in columns}
            for _ in range(args.runs):
                for name, (formats, engine) in VARIANTS.items():
                    target = out / name.replace(",", "+").replace(" ", "-")
                    command = [*BUDGETGEN, "build", str(example), "-o", str(target), "--format", formats]
                    samples[name].append(measured([*command, "--engine", engine]))
                if soffice:
                    docx = out / "pdf+docx-weasyprint" / f"{example.stem}.docx"
                    profile = (scratch / "lo-profile").as_uri()
                    convert = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
                    convert += ["--outdir", str(out / "lo"), str(docx)]
                    if not (scratch / "lo-profile").exists():
                        measured(convert)  # the first start creates the profile; not counted
                    samples["soffice docx→pdf"].append(measured(convert))
            cpu = {c: statistics.median(s[0] for s in samples[c]) for c in columns}
            memory = {c: max(s[1] for s in samples[c]) for c in columns}
            counted = "/".join(str(pages(out / f"pdf-{e}" / f"{example.stem}.pdf")) for e in ("weasyprint", "typst"))
            cells = " ".join(f"{f'{cpu[c]:.2f} ({memory[c]:.0f})':>22}" for c in columns)
            lo = f"{cpu['pdf,docx typst'] / cpu['soffice docx→pdf']:>9.2f}" if soffice else f"{'—':>9}"
            wp = cpu["pdf,docx typst"] / cpu["pdf,docx weasyprint"]
            docx_ratio = cpu["docx typst"] / cpu["docx weasyprint"]
            print(f"{example.stem:24} {counted:>10} {cells}  {lo} {wp:>9.2f} {docx_ratio:>9.2f}")


if __name__ == "__main__":
    main()
