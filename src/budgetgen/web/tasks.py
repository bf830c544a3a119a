"""What the web page asks of the library, as functions of plain arguments returning plain data
(they run in a child process, see worker.py). No check or rendering of its own: the same analyse,
compose, builders and write_all as the command line."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..analysis import analyse
from ..batch import FIGURES
from ..build import check_problems
from ..problems import InputRejected, Problem, Severity, format_path

STATUS = {"ok": "可生成", "warnings": "有警告", "errors": "有错误"}


def problem_data(problem: Problem, file: str, real: str | None = None) -> dict:
    """A problem as the page shows it: located in `file`, the name the folder knows; where a
    message quotes the file's path on the server (`real`), it reads that name instead."""
    position = problem.position
    shown = (lambda text: text.replace(real, file)) if real else (lambda text: text)
    return {
        "severity": problem.severity.value,
        "check": problem.check,
        "where": f"{file}:{position}" if position else file,
        "line": position.line if position and position.cell is None else None,
        "cell": position.cell if position else None,
        "message": shown(problem.message),
        "hint": shown(problem.hint),
        "field": format_path(problem.path) if problem.path else "",
    }


def check_file(path: str, shown_as: str, template_dirs: tuple[str, ...], with_tables: bool = True) -> dict:
    """Status, main figures, every problem (located) and, when sound, the nine tables as printed."""
    try:
        analysis = analyse(Path(path), tuple(Path(d) for d in template_dirs))
    except InputRejected as exc:
        refused = {
            "status": STATUS["errors"],
            "problems": [problem_data(p, shown_as, path) for p in exc.problems],
            "figures": {},
            "tables": None,
            "name": "",
        }
        return refused | {"importable": with_tables and is_public_tables(Path(path))}
    problems = check_problems(analysis)
    errors = any(p.severity is Severity.ERROR for p in problems)
    warnings = any(p.severity is Severity.WARNING for p in problems)
    department = analysis.budget.department
    return {
        "status": STATUS["errors" if errors else "warnings" if warnings else "ok"],
        "name": department.name,
        "code": department.code,
        "year": analysis.budget.year,
        "figures": {label: str(analysis.statement[key]) for label, key in FIGURES} if analysis.tables_ok else {},
        "problems": [problem_data(p, shown_as, path) for p in problems],
        "tables": analysis.tables.to_json()["tables"] if with_tables and analysis.tables_ok else None,
    }


def check_text(text: str, suffix: str, folder: str, shown_as: str, template_dirs: tuple[str, ...]) -> dict:
    """Check an edited text without saving it: a temporary file beside the original, so the
    department's templates/ folder and city catalog are found as they would be."""
    handle, name = tempfile.mkstemp(prefix=".budgetgen-check.", suffix=suffix, dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        return check_file(name, shown_as, template_dirs, with_tables=False)
    finally:
        os.unlink(name)


def is_public_tables(path: Path) -> bool:
    """A readable workbook that is not a fill-in workbook: the budget system's export, to import."""
    from ..analysis import WORKBOOK_SUFFIXES
    from ..excel.fillin import is_fillin
    from ..excel.workbook import read_workbook

    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return False
    try:
        return not is_fillin(read_workbook(path))
    except InputRejected:
        return False


def import_workbook_as_yaml(path: str, shown_as: str, template: str, existing: str | None) -> dict:
    """`budgetgen import`: the export as department YAML text; with an existing YAML, only its
    numbers are replaced (`--into`), its texts and comments kept."""
    from ..excel.importer import import_workbook
    from ..excel.writer import department_yaml

    try:
        imported = import_workbook(Path(path))
    except InputRejected as exc:
        return {"ok": False, "problems": [problem_data(p, shown_as, path) for p in exc.problems]}
    problems = [problem_data(p, shown_as, path) for p in imported.problems]
    if any(p.severity is Severity.ERROR for p in imported.problems):
        return {"ok": False, "problems": problems}
    text = department_yaml(imported, template, unfilled=existing is None)
    if existing is not None:
        from ..excel.into import update_department

        try:
            text, moved = update_department(Path(existing), text)
        except InputRejected as exc:
            return {"ok": False, "problems": [problem_data(p, Path(existing).name, existing) for p in exc.problems]}
        problems += [problem_data(p, Path(existing).name, existing) for p in moved]
    confirm = sum(1 for line in imported.lines if line.confirm)
    return {"ok": True, "text": text, "problems": problems, "lines": len(imported.lines), "confirm": confirm}


def build_file(path: str, output: str, formats: tuple[str, ...], template_dirs: tuple[str, ...], shown_as: str) -> dict:
    """`budgetgen build`: every format or none, into the folder's output/."""
    from ..build import build

    try:
        result = build(Path(path), Path(output), formats, tuple(Path(d) for d in template_dirs))
    except InputRejected as exc:
        return {"ok": False, "problems": [problem_data(p, shown_as, path) for p in exc.problems]}
    return {"ok": True, "written": [p.name for p in result.written], "pages": result.pages, "seconds": result.seconds}
