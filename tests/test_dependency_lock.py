"""requirements.lock pins every dependency that pyproject.toml names, with hashes.

bin/setup installs from the lock (then the project with ``--no-deps``), so a dependency
added to pyproject.toml without refreshing the lock would be missing from a fresh
clone; this test says so first.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
# A requirement starts a line: "name==version", maybe "; markers", then " \" for hashes.
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(line) for line in names]


def entries() -> list[str]:
    """The lock's requirement entries, each with its continuation lines joined."""
    text = (ROOT / "requirements.lock").read_text().replace("\\\n", " ")
    return [line for line in text.splitlines() if line.strip() and not line.startswith(" ")]


def pins() -> dict[str, Version]:
    found = {}
    for entry in entries():
        if entry.lstrip().startswith("#"):
            continue
        match = PIN.match(entry)
        assert match is not None, f"not an exact pin: {entry[:80]}"
        found[canonicalize_name(match["name"])] = Version(match["version"])
    return found


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_every_declared_dependency_is_pinned_within_its_range(requirement):
    pinned = pins().get(canonicalize_name(requirement.name))
    assert pinned is not None, f"{requirement.name} is not in requirements.lock"
    assert requirement.specifier.contains(pinned, prereleases=True), (requirement, pinned)


def test_every_entry_is_an_exact_pin_with_hashes():
    requirements = [e for e in entries() if not e.lstrip().startswith("#")]
    assert len(requirements) == len(pins()) > len(declared())
    for entry in requirements:
        assert "--hash=sha256:" in entry, f"no hash: {entry[:80]}"


def test_the_extras_dependencies_are_pinned_too():
    # celery[redis] and Flask-Limiter[redis] bring the Redis client; psycopg[binary] its wheel.
    assert {"redis", "psycopg-binary", "kombu"} <= set(pins())


def test_bin_setup_installs_from_the_lock_and_the_project_without_dependencies():
    setup = (ROOT / "bin" / "setup").read_text()
    assert "-r requirements.lock" in setup
    assert "--no-deps" in setup and "-e ." in setup
    assert '-e ".[dev]"' not in setup  # the unpinned install is gone
    assert re.search(r"--upgrade pip \S*setuptools\S* wheel", setup)
