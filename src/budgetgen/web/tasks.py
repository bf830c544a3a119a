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
from ..checklist import checklist_title, checklist_workbook, review_items
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


def review_checklist(path: str, shown_as: str, template_dirs: tuple[str, ...]) -> bytes:
    """The bureau's review checklist of the department, as an XLSX."""
    try:
        analysis = analyse(Path(path), tuple(Path(d) for d in template_dirs))
    except InputRejected as exc:
        items = review_items(None, exc.problems, shown_as)
        return checklist_workbook(items, checklist_title(Path(shown_as).stem, None), 2000)
    items = review_items(analysis, check_problems(analysis), shown_as)
    department, year = analysis.budget.department, analysis.budget.year
    return checklist_workbook(items, checklist_title(department.name, year), year)


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


def is_public_tables_file(path: str) -> bool:
    return is_public_tables(Path(path))


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


def import_workbook_as_yaml(path: str, shown_as: str, template: str | None, existing: str | None) -> dict:
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
    text = department_yaml(imported, template or imported.suggested_set or "base", unfilled=existing is None)
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
    department = result.analysis.budget.department
    return {
        "ok": True,
        "written": [p.name for p in result.written],
        "pages": result.pages,
        "seconds": result.seconds,
        "code": department.code,
        "name": department.name,
    }


def form_page(path: str, shown_as: str, template_dirs: tuple[str, ...], fields: list | None, save: bool) -> dict:
    """The department's forms, filled in (from the file, or as posted) with every problem beside
    its field; when saving, the file's new text too (only what changed rewritten)."""
    from .forms import as_dicts, parts_from_posted, parts_of, posted_fields, read_posted

    source = Path(path)
    if fields is None:
        data = load_input_data(source)
        parts = parts_of(data)
        fields = posted_fields(parts)
    else:
        parts = parts_from_posted(fields)
    try:
        loaded, posted = read_posted(source, fields)
    except InputRejected as exc:
        problems = [_at_field(p, shown_as, path, {}) for p in exc.problems]
        return {"parts": as_dicts(parts), "problems": problems, "text": None, "datalists": datalists(parts)}
    try:
        analysis = analyse(source, tuple(Path(d) for d in template_dirs), loaded=loaded)
        found = check_problems(analysis)
    except InputRejected as exc:
        found = exc.problems
    problems = [_at_field(p, shown_as, path, posted.cells) for p in found]
    text = None
    if save:
        from ..yamledit import merged_yaml

        original = source.read_bytes().decode("utf-8-sig", errors="replace") if source.is_file() else ""
        text = merged_yaml(original, loaded.data, _written_form)
    return {"parts": as_dicts(parts), "problems": problems, "text": text, "datalists": datalists(parts)}


def load_input_data(path: Path) -> dict:
    """The department as the forms show it: as the model reads it (defaults left out, so an
    unchanged field is posted back unchanged), or as written when the model refuses it."""
    from ..analysis import load_input
    from ..validation import parse_budget

    loaded = load_input(path)
    try:
        return parse_budget(loaded).model_dump(by_alias=True, exclude_unset=True)
    except InputRejected:
        return loaded.data if isinstance(loaded.data, dict) else {}


def _written_form(old: object, new: object) -> object:
    """The posted value in the short form the file wrote it in: a 三公 item's bare amount (read as
    一般公共预算's), an indicator's compact row [一级, 二级, 三级, 描述, 指标值, 依据]."""
    from ..model import Indicator
    from ..taxonomy import FISCAL_FUNDS

    if isinstance(new, dict) and list(new) == [FISCAL_FUNDS[0]] and not isinstance(old, dict | list):
        return new[FISCAL_FUNDS[0]]
    fields = [info.alias for info in Indicator.model_fields.values()]
    if isinstance(old, list) and old and isinstance(new, dict) and set(new) <= set(fields):
        row = [new.get(name, "") for name in fields]
        while len(row) > max(len(old), 5) and row[-1] == "":
            row.pop()
        return row
    return None


def _at_field(problem: Problem, shown_as: str, path: str, cells: dict) -> dict:
    shown = problem_data(problem, shown_as, path)
    cell = problem.position.cell if problem.position else None
    shown["input"] = cells.get(cell or "", "")
    shown["where"] = cell or shown["where"]
    return shown


def datalists(parts) -> dict[str, list[tuple[str, str]]]:
    """Suggestions for code fields (the catalog, by code and name) and for the fields naming a
    parent item (the names in the parent list)."""
    from ..catalog import economic_codes, function_codes

    lists = {
        "codes-function": [(c, function_codes().name(c, 9999) or "") for c in function_codes().codes() if len(c) == 7],
        "codes-economic": [(c, economic_codes().name(c, 9999) or "") for c in economic_codes().codes() if len(c) == 5],
    }
    from ..model import INDICATOR_LEVELS

    lists["indicator-level2"] = [(name, level1) for level1, names in INDICATOR_LEVELS.items() for name in names]
    for part in parts:
        if part.kind == "grid" and part.rows:
            key = next((i for i, h in enumerate(part.headers) if h in ("名称", "单位", "标题", "单位名称")), None)
            if key is not None:
                lists[f"names-{part.name}"] = [(row[key].value, "") for row in part.rows if row[key].value]
    return lists


def new_department_text(source: str, name: str, template: str, file: str, folder: str) -> dict:
    """A new department's YAML text and file name: the starter (empty), a filled-in workbook
    converted, next year from last year's department, or the budget system's export imported."""
    from ..build import name_problem

    try:
        if source == "previous":
            from ..nextyear import default_target, next_year

            made = next_year(Path(file))
            target = default_target(Path(file), made.old_year, made.year).relative_to(Path(folder)).as_posix()
            note = f"已由 {Path(file).name} 开始 {made.year} 年度：{made.flagged} 处内容列在“待复核”中，请逐条核对"
            return {"ok": True, "text": made.text, "file": target, "note": note}
        if source == "workbook":
            from ..excel.fillin import fillin_yaml, is_fillin
            from ..excel.workbook import read_workbook

            if not is_fillin(read_workbook(Path(file))):
                return _refusal("这个工作簿不是 budgetgen 的填写用工作簿：预算系统的导出表请选“从预算系统导出的公开表”")
            text = fillin_yaml(Path(file))
            stem = name or _department_name(text) or Path(file).stem
            return {"ok": True, "text": text, "file": f"{stem}.yaml", "note": "已由填写用工作簿新建"}
        if source == "export":
            result = import_workbook_as_yaml(file, Path(file).name, template, None)
            if not result["ok"]:
                return result
            stem = name or _department_name(result["text"]) or Path(file).stem.split(".")[0]
            return {
                "ok": True,
                "text": result["text"],
                "file": f"{stem}.yaml",
                "note": f"已由导出表导入：{result['lines']} 行支出",
            }
        if not name or (problem := name_problem(name)):
            return _refusal(f"部门名称「{name[:40]}」{problem or '为空'}")
        from ..starter import starter_yaml

        return {
            "ok": True,
            "text": starter_yaml(name, "000", template),
            "file": f"{name}.yaml",
            "note": "已新建，请逐项填写",
        }
    except InputRejected as exc:
        return {
            "ok": False,
            "problems": [problem_data(p, Path(file).name if file else name, file) for p in exc.problems],
        }


def _refusal(message: str) -> dict:
    return {"ok": False, "problems": [{"where": "", "message": message, "severity": "错误"}]}


def _department_name(text: str) -> str | None:
    from ..loading import load_bytes

    data = load_bytes(text.encode("utf-8"), "new.yaml").data
    name = (data.get("部门") or {}).get("名称") if isinstance(data, dict) else None
    return str(name) if name and str(name) != "待填写" else None


def version_differences(old: str, new: str, template_dirs: tuple[str, ...]) -> dict:
    """What changed between a saved version and the file (figures and texts), or the lines that
    differ when either does not read as a department."""
    import difflib

    from ..diff import differences

    dirs = tuple(Path(d) for d in template_dirs)
    try:
        found = differences(analyse(Path(old), dirs), analyse(Path(new), dirs))
        return {
            "figures": [
                {
                    "label": c.label,
                    "old": str(c.old) if c.old is not None else "—",
                    "new": str(c.new) if c.new is not None else "—",
                }
                for c in found.figures
            ],
            "texts": [{"place": c.place, "old": c.old or "（无）", "new": c.new or "（无）"} for c in found.texts],
            "lines": None,
        }
    except InputRejected:
        before = Path(old).read_text(encoding="utf-8", errors="replace").splitlines()
        after = Path(new).read_text(encoding="utf-8", errors="replace").splitlines()
        return {
            "figures": [],
            "texts": [],
            "lines": list(difflib.unified_diff(before, after, "此版本", "现在", lineterm=""))[:2000],
        }
