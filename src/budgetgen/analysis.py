"""One department file through load → validate → compute → check, as a pure function of its inputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import Context, run_checks
from .figures import Figures, derive
from .ledger import Ledger, build_ledger
from .loading import SourceMap, load_file
from .model import Budget
from .narrative_checks import NARRATIVE_CHECKS
from .problems import InputRejected, Problem, Severity, has_errors
from .tables import StandardTables, standard_tables
from .theme import Theme, load_theme, search_dirs_for
from .validation import parse_budget


@dataclass
class Analysis:
    path: Path
    source: SourceMap
    budget: Budget
    theme: Theme
    ledger: Ledger
    tables: StandardTables
    figures: Figures  # everything the explanatory part quotes
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


def analyse(path: Path, template_dirs: tuple[Path, ...] = ()) -> Analysis:
    """Raises InputRejected when the file cannot be read or does not fit the model."""
    loaded = load_file(path)
    budget = parse_budget(loaded)
    try:
        theme = load_theme(budget.template, search_dirs_for(path, template_dirs))
    except InputRejected as exc:
        raise InputRejected([p.located(loaded.source.position(("模板",))) for p in exc.problems])
    ledger = build_ledger(budget)
    tables = standard_tables(ledger, theme)
    figures = derive(budget, ledger, tables)
    context = Context(budget, ledger, theme, tables, figures)
    locate = lambda found: sorted((p.located(loaded.source.position(p.path)) for p in found), key=_order)  # noqa: E731
    table_problems = locate(run_checks(context))
    narrative_problems = []
    if not has_errors(table_problems):  # narrative figures assume the ledger is sound
        narrative_problems = locate(p for check in NARRATIVE_CHECKS for p in check(context))
    problems = sorted(table_problems + narrative_problems, key=_order)
    return Analysis(path, loaded.source, budget, theme, ledger, tables, figures, problems, table_problems)


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


def _order(problem: Problem) -> tuple:
    position = problem.position
    return (_SEVERITY_ORDER[problem.severity], position.line if position else 0, position.column if position else 0)
