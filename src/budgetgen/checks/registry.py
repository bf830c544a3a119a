"""The check registry: the context every check receives, and the decorator that registers one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..problems import Problem, Severity

if TYPE_CHECKING:
    from ..ledger import Ledger
    from ..model import Budget
    from ..statement import Statement


@dataclass
class Context:
    budget: Budget
    ledger: Ledger
    statement: Statement
    narrative: bool = False  # the set composes the explanatory part
    needs: frozenset[str] = frozenset()  # inputs the set's sentences declare they need
    procurement_funds: frozenset[str] | None = None  # funds the set's procurement table has columns for
    parts: frozenset[str] = frozenset()  # the sections the set prints as parts of their own (Shanghai's)


@dataclass(frozen=True)
class CheckSpec:
    id: str
    severities: tuple[Severity, ...]
    description: str
    reads: tuple[str, ...]
    part: str  # "tables": the nine tables; "narrative": the explanatory part
    publish: bool  # a ready-to-publish warning, an error under --strict
    function: Callable[[Context], list[Problem]] = field(compare=False)

    def run(self, ctx: Context) -> list[Problem]:
        return [replace(p, check=self.id) for p in self.function(ctx)]


REGISTRY: dict[str, CheckSpec] = {}


def check(
    id: str,
    severities: tuple[Severity, ...],
    description: str,
    reads: tuple[str, ...],
    part: str = "tables",
    publish: bool = False,
):
    def register(function: Callable[[Context], list[Problem]]):
        if id in REGISTRY:
            raise ValueError(f"check id {id} registered twice")
        REGISTRY[id] = CheckSpec(id, severities, description, reads, part, publish, function)
        return function

    return register


def run_checks(ctx: Context, part: str) -> list[Problem]:
    return [p for spec in REGISTRY.values() if spec.part == part for p in spec.run(ctx)]


def strictly(problems: list[Problem]) -> list[Problem]:
    """`--strict`: the ready-to-publish warnings become errors."""
    return [
        replace(p, severity=Severity.ERROR, hint=f"{p.hint}（--strict：发布前须改正）")
        if p.severity is Severity.WARNING and p.check in REGISTRY and REGISTRY[p.check].publish
        else p
        for p in problems
    ]
