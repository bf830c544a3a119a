"""The install is exact: the lock covers pyproject, the environment holds exactly the lock, and CI
runs README's own two commands."""

import re
import sys
from importlib import metadata

from conftest import ROOT
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

sys.path.insert(0, str(ROOT / "scripts"))
import lock_inputs

LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def lock_pins() -> dict[str, list[tuple[str, str | None]]]:
    """name -> [(version, marker)]; a package may be pinned twice under exclusive markers."""
    pins: dict[str, list[tuple[str, str | None]]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins.setdefault(canonicalize_name(match.group(1)), []).append((match.group(2), match.group(3)))
    return pins


def pin_for_this_python(entries: list[tuple[str, str | None]]) -> str | None:
    from packaging.markers import Marker

    for version, marker in entries:
        if marker is None or Marker(marker).evaluate():
            return version
    return None


def test_lock_records_the_current_pyproject_requirements():
    header = re.search(r"^# pyproject-requirements-sha256: ([0-9a-f]{64})$", LOCK.read_text(encoding="utf-8"), re.M)
    assert header, "requirements.lock has no pyproject digest: regenerate it with scripts/lock.sh"
    assert header.group(1) == lock_inputs.digest(), (
        "pyproject.toml changed since the lock was made: run bash scripts/lock.sh"
    )


def test_every_declared_requirement_is_pinned_within_its_range():
    pins = lock_pins()
    environment = default_environment() | {"extra": ""}
    for group, requirements in lock_inputs.declared_requirements().items():
        for text in requirements:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{group}: {text} is not in requirements.lock"
            version = pin_for_this_python(pins[name])
            assert version is not None and requirement.specifier.contains(version, prereleases=True), (
                f"{group}: {text} vs locked {version}"
            )


def test_every_lock_entry_carries_hashes():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8"))
    entries = [b for b in blocks if PIN.match(b.splitlines()[0])]
    assert entries and all("--hash=sha256:" in b for b in entries)


def test_the_environment_holds_exactly_the_lock():
    assert sys.prefix != sys.base_prefix, "run the tests with .venv/bin/python (README), not a system Python"
    pins = {name: pin_for_this_python(entries) for name, entries in lock_pins().items()}
    wanted = {name: version for name, version in pins.items() if version is not None}
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    for name, version in wanted.items():
        assert installed.get(name) == version, f"{name}: installed {installed.get(name)}, locked {version}"
    extra = set(installed) - set(wanted) - {"budgetgen", "pip", "setuptools", "wheel"}
    assert not extra, f"installed but not in requirements.lock: {sorted(extra)}"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text[text.index("## 安装与使用") :]
    setup = setup[: setup.index("\n## ", 3)]
    return re.findall(r"```bash\n(.+?)\n```", setup)


def test_ci_runs_readme_commands_exactly():
    commands = readme_commands()
    assert len(commands) == 2, "README's set-up section holds exactly two commands"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands == [line for line in ci if line in commands], ".ci/run must run README's two commands, in order"
