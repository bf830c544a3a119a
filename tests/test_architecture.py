"""The design as a test: the layers of budgetgen and which way imports may cross them, and no import
cycles. Every import counts, those inside functions too (they are how heavy libraries load late,
and they would otherwise be a way round the layers). Each rule has a self-test with a planted
violation, so the guard itself cannot go blind."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "budgetgen"

# Lowest first. A module may import modules of its own layer and of the layers below it, never above.
LAYERS: list[tuple[str, set[str]]] = [
    # what knows nothing of budgets: messages, money arithmetic, safe reading, the neutral document
    (
        "foundation",
        {
            "problems",
            "money",
            "oserrors",
            "numbering",
            "sandbox",
            "loading",
            "document",
            "builders.package",
            "yamledit",
        },
    ),
    # what a department wrote (YAML or workbook) and its line items
    ("input", {"taxonomy", "catalog", "model", "validation", "ledger", "excel"}),
    ("statement", {"statement"}),  # every figure, computed and rounded once
    ("views", {"tables", "checks"}),  # the nine tables and the checks: views of the statement
    ("template set", {"settings", "theme", "wording", "fonts"}),  # wording and settings of a city's set
    ("composition", {"analysis", "narrative", "sections", "compose", "layout"}),  # statement + set → Document
    ("builders", {"builders"}),  # Document → bytes, one module per format
    ("orchestration", {"build", "batch", "summary", "starter", "nextyear", "diff", "checklist"}),
    ("interfaces", {"cli", "web", "__main__"}),
]
# Builders see the document, the set and the layout — never the input, the statement or the views:
# everything they print arrives in the Document.
BUILDERS_SEE = {"foundation", "template set", "builders"}
BUILDERS_ALSO = {"layout"}


def module_name(path: Path, root: Path) -> str:
    return ".".join(("budgetgen",) + path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def import_graph(root: Path = SOURCE) -> dict[str, set[str]]:
    """Each module of the package under `root` → the package modules it imports, anywhere in it."""
    graph = {}
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                targets.add(target)
                targets.update(f"{target}.{a.name}" for a in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("budgetgen"):
                targets.add(node.module)
                targets.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("budgetgen"))
        graph[module] = targets
    return {m: {t for t in ts if t in graph and t != m and t != "budgetgen"} for m, ts in graph.items()}


def layer_of(module: str) -> str:
    """The layer of a module: the longest listed name it is, or is inside."""
    short = module.removeprefix("budgetgen.")
    matches = [
        (len(name), layer) for layer, names in LAYERS for name in names if short == name or short.startswith(name + ".")
    ]
    if not matches:
        raise AssertionError(f"{module} belongs to no layer: add it to LAYERS in tests/test_architecture.py")
    return max(matches)[1]


def violations(graph: dict[str, set[str]]) -> list[str]:
    order = [layer for layer, _ in LAYERS]
    found = []
    for module, targets in sorted(graph.items()):
        if module == "budgetgen":
            continue
        mine = layer_of(module)
        for target in sorted(targets):
            theirs = layer_of(target)
            if order.index(theirs) > order.index(mine):
                found.append(f"{module} ({mine}) imports {target} ({theirs}), a layer above it")
            elif (
                mine == "builders"
                and theirs not in BUILDERS_SEE
                and target.removeprefix("budgetgen.") not in BUILDERS_ALSO
            ):
                found.append(f"{module} (builders) imports {target} ({theirs}): builders see only the Document")
    return found


def cycles(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    found: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                found.append(" → ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_every_module_has_a_layer():
    for module in import_graph():
        if module != "budgetgen":
            layer_of(module)


def test_no_import_crosses_the_layers_the_wrong_way():
    assert violations(import_graph()) == []


def test_no_import_cycles():
    assert cycles(import_graph()) == []


# ---------------------------------------------------------------- the guards catch what they guard


def planted_package(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the real package with some modules replaced by planted source."""
    root = tmp_path / "budgetgen"
    for path in SOURCE.rglob("*.py"):
        target = root / path.relative_to(SOURCE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text((root / name).read_text(encoding="utf-8") + text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "module, planted, expected",
    [
        (
            "statement.py",
            "\n\ndef _planted():\n    from .theme import load_theme\n",
            "budgetgen.statement (statement) imports budgetgen.theme",
        ),
        (
            "checks/tables.py",
            "\n\ndef _planted():\n    from ..wording import Wording\n",
            "budgetgen.checks.tables (views) imports budgetgen.wording",
        ),
        (
            "builders/docx.py",
            "\n\ndef _planted():\n    from ..statement import Statement\n",
            "builders see only the Document",
        ),
        ("builders/pdf.py", "\nfrom ..tables import Table\n", "builders see only the Document"),
        ("model.py", "\nimport budgetgen.cli.commands\n", "budgetgen.model (input) imports budgetgen.cli.commands"),
    ],
)
def test_the_layer_test_catches_a_planted_violation(tmp_path, module, planted, expected):
    graph = import_graph(planted_package(tmp_path, {module: planted}))
    assert any(expected in v for v in violations(graph)), violations(graph)


def test_the_cycle_test_catches_a_planted_function_level_cycle(tmp_path):
    graph = import_graph(
        planted_package(tmp_path, {"money.py": "\n\ndef _planted():\n    from .statement import Statement\n"})
    )
    assert any("budgetgen.money" in c and "budgetgen.statement" in c for c in cycles(graph))
