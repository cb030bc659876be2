"""The authorisation table's vocabulary, and the tables of the features.

``tests/test_authorisation.py`` holds the core routes; each feature adds a module here
with a ``TABLE`` of its own (same shape), merged into the one table the tests walk.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

ROLES = ["anonymous", "registered", "verifying", "member", "matchmaker", "admin"]
SIGNED_IN = ROLES[1:]
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}

HOME = (302, "/")
SIGN_IN_FOR_PASSWORD = (302, "/account/signin?next=%2Faccount%2Fpassword")

Outcome = int | tuple[int, str]  # a status, or a redirect status and its Location


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(ROLES, outcome)


def anonymous_and_signed_in(anonymous: Outcome, signed_in: Outcome) -> dict[str, Outcome]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in)}


def administrators_only(path: str, admin: Outcome) -> dict[str, Outcome]:
    """Anonymous visitors are sent to sign in (and back); other signed-in users get 403."""
    sign_in = (302, "/account/signin?next=" + path.replace("/", "%2F"))
    return {**anonymous_and_signed_in(sign_in, 403), "admin": admin}


@dataclass(frozen=True)
class Case:
    path: str
    expected: dict[str, Outcome]
    data: dict[str, str] = field(default_factory=dict)


def signed_in_only(path: str, signed_in: dict[str, Outcome]) -> dict[str, Outcome]:
    """Anonymous visitors are sent to sign in (and back); ``signed_in`` for the rest."""
    sign_in = (302, "/account/signin?next=" + path.replace("/", "%2F"))
    return {"anonymous": sign_in, **signed_in}


def feature_tables() -> dict[tuple[str, str], Case]:
    """Every ``TABLE`` of the modules in this package, merged (a key twice is an error)."""
    merged: dict[tuple[str, str], Case] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        table = importlib.import_module(f"{__name__}.{info.name}").TABLE
        for key, case in table.items():
            assert key not in merged, f"{key} is in two tables"
            merged[key] = case
    return merged
