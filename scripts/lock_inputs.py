"""What the lock must cover, read from pyproject.toml (shared by scripts/lock.sh and the tests).

`requirements`: the build backend's requirements, one a line (pyproject's own dependencies and
extras are read by the lock tool itself). `digest`: a hash of every requirement pyproject states,
recorded in requirements.lock so that a test notices when pyproject changes and the lock does not.
"""

from __future__ import annotations

import hashlib
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def declared_requirements(pyproject: Path = PYPROJECT) -> dict[str, list[str]]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    groups = {"dependencies": list(data["project"].get("dependencies", []))}
    for extra, requirements in sorted(data["project"].get("optional-dependencies", {}).items()):
        groups[f"extra:{extra}"] = list(requirements)
    groups["build-system"] = list(data["build-system"].get("requires", []))
    return groups


def digest(pyproject: Path = PYPROJECT) -> str:
    text = "\n".join(
        f"{group}={requirement}"
        for group, items in declared_requirements(pyproject).items()
        for requirement in sorted(items)
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


if __name__ == "__main__":
    if sys.argv[1:] == ["requirements"]:
        print("\n".join(declared_requirements()["build-system"]))
    elif sys.argv[1:] == ["digest"]:
        print(digest())
    else:
        sys.exit("usage: lock_inputs.py requirements|digest")
