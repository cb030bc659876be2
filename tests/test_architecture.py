"""The house is one-way: checked over every import, deferred ones too.

An AST walk (not an import of the modules), so an import hidden inside a function
counts as much as one at the top.
"""

from __future__ import annotations

import ast
import sys
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


# The layer below the features: shared concepts every feature may use, models included
# (the account, the audit log, notifications, relations between members). A feature
# reaches any other feature's data through that feature's queries or a registry.
BASE = ("accounts", "audit", "notifications", "relations")


def feature_packages() -> list[str]:
    return sorted(path.parent.name for path in (ROOT / "app").glob("*/feature.py"))


def feature_imports() -> dict[str, dict[str, set[str]]]:
    """For each feature package, the other feature packages it imports, with the
    modules imported (anywhere in any of its files)."""
    features = set(feature_packages())
    found: dict[str, dict[str, set[str]]] = {name: {} for name in features}
    for name in features:
        for path in python_files(f"app/{name}"):
            for module in imported_modules(path):
                parts = module.split(".")
                if parts[0] == "app" and len(parts) > 1 and parts[1] in features - {name}:
                    found[name].setdefault(parts[1], set()).add(module)
    return found


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (a path that comes back to its start), or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle_and_passes_a_chain():
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_every_feature_package_is_listed_once():
    from app.config import Config

    assert sorted(Config.FEATURES) == feature_packages()


def test_no_import_cycle_between_feature_packages():
    graph = {name: set(targets) for name, targets in feature_imports().items()}
    assert cycle_in(graph) is None


def test_verification_imports_neither_flask_nor_the_app():
    forbidden = ("flask", "flask_babel", "flask_login", "app", "sqlalchemy", "celery")
    assert offending(python_files("verification"), forbidden) == {}


def models_imports() -> set[str]:
    """``feature -> other`` for each feature importing a non-base feature's models."""
    return {
        f"{name} -> {target}"
        for name, targets in feature_imports().items()
        for target, modules in targets.items()
        if target not in BASE and any(m.split(".")[2:3] == ["models"] for m in modules)
    }


def test_no_feature_imports_another_features_models_but_the_base_layer():
    assert models_imports() == set()


def test_the_rules_see_a_models_import_and_a_cycle(tmp_path, monkeypatch):
    """The walk over feature packages finds what it must (on a tree made for it)."""
    for name, source in {
        "one": "from app.two.models import Thing\n",
        "two": "def f():\n    from app.one import queries\n",
        "accounts": "",
    }.items():
        package = tmp_path / "app" / name
        package.mkdir(parents=True)
        (package / "feature.py").write_text("")
        (package / "queries.py").write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert models_imports() == {"one -> two"}
    graph = {name: set(targets) for name, targets in feature_imports().items()}
    assert cycle_in(graph) == ["one", "two", "one"]


def config_reads() -> set[str]:
    """``file:line`` of each read of the app config in a feature package outside its
    ``settings.py`` (``current_app.config`` anywhere; ``app.config[...]``/``.get``)."""
    found = set()
    for name in feature_packages():
        for path in python_files(f"app/{name}"):
            if path.name == "settings.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == "config"
                    and isinstance(node.value, ast.Name)
                    and node.value.id in {"current_app", "app"}
                ):
                    found.add(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


# Where a feature hands the whole config on: a plug-in built with it (the SMS gateway).
CONFIG_HANDED_ON = {"app/accounts/sms.py"}


def test_features_read_their_settings_only_through_their_settings_class():
    """One settings pattern: each feature's ``settings.py`` reads the config (checked when
    the app is built); the rest of the feature asks ``Settings.current()``."""
    reads = {read for read in config_reads() if read.split(":")[0] not in CONFIG_HANDED_ON}
    assert reads == set()


def test_the_config_rule_sees_a_read(tmp_path, monkeypatch):
    package = tmp_path / "app" / "one"
    package.mkdir(parents=True)
    (package / "feature.py").write_text("")
    (package / "routes.py").write_text("from flask import current_app\nx = current_app.config\n")
    (package / "settings.py").write_text("def f(app):\n    return app.config['X']\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert config_reads() == {"app/one/routes.py:2"}


def test_every_feature_with_settings_declares_them_in_its_settings_module():
    from app.config import Config
    from app.features import declarations

    for feature in declarations(Config.FEATURES):
        if feature.settings is not None:
            assert feature.settings.__module__ == f"app.{feature.name}.settings"
        assert (ROOT / "app" / feature.name / "settings.py").exists() == (
            feature.settings is not None
        ), feature.name
