"""The house is one-way where it already is: checked over every import, deferred ones too.

An AST walk (not an import of the modules), so an import hidden inside a function
counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FEATURE_GUARDS = ("app.verify.guard", "app.console.guard", "app.review.guard")


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def offending(paths: list[Path], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad = {}
    for path in paths:
        hits = sorted(
            name
            for name in imported_modules(path)
            if any(name == f or name.startswith(f + ".") for f in forbidden)
        )
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    return bad


def test_the_walk_sees_deferred_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from flask import g\n    import app.models\n")
    assert imported_modules(module) == {"flask", "app.models"}


def test_matching_imports_neither_flask_nor_the_app():
    assert offending(python_files("matching"), ("flask", "flask_login", "app")) == {}


@pytest.mark.parametrize("package", ["app", "matching", "verification"])
def test_no_product_module_imports_the_benchmarks(package):
    allowed = {"app/quickmatch/demo.py"}  # the demo seed, inside its function
    bad = offending(python_files(package), ("benchmarks",))
    assert set(bad) <= allowed, bad


def test_features_guard_their_views_through_one_module():
    assert offending(python_files("app"), FEATURE_GUARDS) == {}
    assert not any((ROOT / (name.replace(".", "/") + ".py")).exists() for name in FEATURE_GUARDS)
