"""benchmarks/ stays outside the product: not installed, and imported by the product only
where the demo seeds its synthetic members (lazily, inside the function)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("app", "matching", "verification")
# The one product module allowed to use the generator: the demo, a development tool.
DEMO = Path("app/quickmatch/demo.py")


def _names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return []


def _imports_of_benchmarks(tree: ast.AST) -> list[ast.AST]:
    return [
        node
        for node in ast.walk(tree)
        if any(name.split(".")[0] == "benchmarks" for name in _names(node))
    ]


def test_benchmarks_is_not_an_installed_package() -> None:
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    include = setup["packages"]["find"]["include"]
    assert include == ["app*", "verification*", "matching*"]


def test_the_product_imports_benchmarks_only_in_the_demo_seed_and_lazily() -> None:
    offenders = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found = _imports_of_benchmarks(tree)
            relative = path.relative_to(ROOT)
            top_level = [node for node in found if node in tree.body]
            if found and (relative != DEMO or top_level):
                offenders.append(str(relative))
    assert offenders == []
