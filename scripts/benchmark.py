"""Benchmark: build time of each example beside LibreOffice's conversion of the same DOCX.

For every example it measures (median of --runs):
- check: load + validate + compute + checks, in process;
- pdf / docx: rendering each format, in process (WeasyPrint and python-docx already imported);
  docx is writing the DOCX with the page numbers of the PDF built beside it, "docx alone" also
  lays out the PDF for those numbers (what `--format docx` costs);
- `budgetgen build --format pdf` as a fresh process, the way finance staff run it;
- `soffice --headless --convert-to pdf` of the DOCX we built, as a fresh process (if installed).

Run: python scripts/benchmark.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from pypdf import PdfReader

from budgetgen.analysis import analyse
from budgetgen.builders import BuildOptions
from budgetgen.builders.docx import build_docx, render_docx
from budgetgen.builders.pdf import render_pdf
from budgetgen.compose import compose

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(action, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    budgetgen = [sys.executable, "-m", "budgetgen.cli"]
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    render_pdf(compose(analyse(examples[0])), analyse(examples[0]).theme)  # warm imports and fonts
    header = (
        f"{'example':28} {'pages':>5} {'check':>8} {'pdf':>8} {'docx':>8} {'docx alone':>11}"
        f" {'build pdf,docx (process)':>25} {'soffice docx→pdf':>17}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for example in examples:
            analysis = analyse(example)
            document = compose(analysis)
            check = median_seconds(partial(analyse, example), args.runs)
            pdf_bytes = render_pdf(document, analysis.theme)
            pdf = median_seconds(partial(render_pdf, document, analysis.theme), args.runs)
            report: dict = {}
            render_pdf(document, analysis.theme, report=report)
            docx = median_seconds(partial(render_docx, document, analysis.theme, report["anchor_pages"]), args.runs)
            alone = median_seconds(partial(build_docx, document, analysis.theme, BuildOptions()), args.runs)
            process = median_seconds(
                partial(run, budgetgen + ["build", str(example), "-o", str(scratch), "--format", "pdf,docx"]), args.runs
            )
            pages = len(PdfReader(io.BytesIO(pdf_bytes)).pages)
            converted = "not installed"
            if soffice:
                docx_path = scratch / f"{example.stem}.docx"
                profile = (scratch / "lo-profile").as_uri()
                convert = [
                    soffice,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(scratch / "lo"),
                    str(docx_path),
                ]
                run(convert)  # first start creates the profile; not counted
                converted = f"{median_seconds(partial(run, convert), args.runs):.2f} s"
            print(
                f"{example.stem:28} {pages:>5} {check * 1000:>6.0f}ms {pdf:>7.2f}s {docx:>7.2f}s {alone:>10.2f}s"
                f" {process:>24.2f}s {converted:>17}"
            )


if __name__ == "__main__":
    main()
