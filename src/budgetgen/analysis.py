"""One department file through load → validate → ledger → statement → checks, as a pure function
of its inputs. The template set is loaded here for the composer; the statement and the checks
receive only what the set declares (the needs of its sentences, its procurement columns)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import catalog
from .checks import Context, run_checks, strictly
from .fonts import font_problems
from .ledger import Ledger, build_ledger
from .loading import Loaded, SourceMap, load_file
from .model import Budget
from .narrative import sentence_inputs
from .problems import InputRejected, Problem, Severity, error, has_errors, warning
from .sections import structure_problems
from .statement import Statement, build_statement
from .tables import PrintedTables, build_tables
from .theme import Theme, load_theme, search_dirs_for
from .validation import parse_budget
from .wording import table_specs


@dataclass
class Analysis:
    path: Path
    source: SourceMap
    budget: Budget
    theme: Theme
    ledger: Ledger
    statement: Statement  # every figure, computed and rounded once
    tables: PrintedTables  # the set's tables as it prints them (views of the statement)
    problems: list[Problem]  # everything found, ordered for reading
    table_problems: list[Problem]  # the subset that concerns the nine tables

    @property
    def ok(self) -> bool:
        """Nothing stops the whole disclosure from being built."""
        return not has_errors(self.problems)

    @property
    def tables_ok(self) -> bool:
        """The nine tables are sound, whatever the explanatory part still lacks."""
        return not has_errors(self.table_problems)


def analyse(
    path: Path, template_dirs: tuple[Path, ...] = (), strict: bool = False, loaded: Loaded | None = None
) -> Analysis:
    """Raises InputRejected when the file cannot be read or does not fit the model. `strict`: the
    ready-to-publish warnings count as errors. `loaded`: the department as already read from
    elsewhere (the web page's form), located there; `path` still finds its folder's sets and catalog."""
    loaded = loaded if loaded is not None else load_input(path)
    budget = parse_budget(loaded)
    try:
        theme = load_theme(budget.template, search_dirs_for(path, template_dirs))
    except InputRejected as exc:
        raise InputRejected([p.located(loaded.source.position(("模板",))) for p in exc.problems]) from None
    city, catalog_problems = catalog.city_names((path.parent, *theme.chain), budget.year)
    ledger = build_ledger(budget, city)
    statement = build_statement(budget, ledger)
    context = check_context(budget, ledger, statement, theme)
    locate = lambda found: sorted((p.located(loaded.source.position(p.path)) for p in found), key=_order)  # noqa: E731
    table_problems = locate(
        run_checks(context, "tables")
        + [warning("科目", message, "按内置目录的列格式修改该文件。") for message in catalog_problems]
    )
    narrative_problems = []
    if not has_errors(table_problems):  # narrative figures assume the ledger is sound
        narrative_problems = locate(run_checks(context, "narrative"))
    if strict:
        table_problems, narrative_problems = strictly(table_problems), strictly(narrative_problems)
    problems = sorted(table_problems + narrative_problems + font_problems(theme, strict) + loaded.problems, key=_order)
    specs = table_specs(theme)
    structure = structure_problems(theme)
    if structure:
        raise InputRejected(structure)
    tables = build_tables(statement, specs, budget)
    return Analysis(path, loaded.source, budget, theme, ledger, statement, tables, problems, table_problems)


WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".xlsm")


def load_input(path: Path):
    """A department file: YAML, or the fill-in workbook of `budgetgen new --xlsx`. A workbook that is
    an export of the published tables is not input: it is imported once into YAML."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from .excel.fillin import is_fillin, load_fillin
        from .excel.workbook import read_workbook

        sheets = read_workbook(path)  # refuses what is not a readable workbook, with its reason
        if is_fillin(sheets):
            return load_fillin(path, sheets)
        raise InputRejected(
            [
                error(
                    "工作簿",
                    f"{path} 不是填写用工作簿（没有“支出明细”工作表）",
                    f"如果这是预算系统导出的公开表，先导入：budgetgen import {path.name} -o 部门.yaml",
                )
            ],
            unreadable=True,
        )
    return load_file(path)


def check_context(budget: Budget, ledger: Ledger, statement: Statement, theme: Theme) -> Context:
    columns = theme.config.narrative.procurement.fund_columns
    return Context(
        budget,
        ledger,
        statement,
        # Hebei's explanatory part (and the checks of what its sentences need) only where the set prints it
        narrative=bool(theme.config.narrative.sections)
        and any(part.key == "narrative" for part in theme.config.document.parts),
        needs=sentence_inputs(theme),
        procurement_funds=frozenset(f for column in columns for f in column.funds) or None,
        parts=frozenset(part.key for part in theme.config.document.parts),
    )


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


def _order(problem: Problem) -> tuple:
    position = problem.position
    return (_SEVERITY_ORDER[problem.severity], position.line if position else 0, position.column if position else 0)
