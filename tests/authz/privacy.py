"""My data (PIPL): open to every signed-in user, registered and verifying ones too.

Deleting with the table's empty form is a 400 (no password): nothing is deleted.
"""

from __future__ import annotations

from tests.authz import SIGNED_IN, Case, signed_in_only


def signed_in(outcome: int) -> dict[str, int]:
    return dict.fromkeys(SIGNED_IN, outcome)


TABLE: dict[tuple[str, str], Case] = {
    ("privacy.index", "GET"): Case("/me/data/", signed_in_only("/me/data/", signed_in(200))),
    ("privacy.export", "POST"): Case(
        "/me/data/export", signed_in_only("/me/data/export", signed_in(200))
    ),
    ("privacy.consent", "GET"): Case(
        "/me/data/consent", signed_in_only("/me/data/consent", signed_in(200))
    ),
    ("privacy.consent", "POST"): Case(
        "/me/data/consent",
        signed_in_only("/me/data/consent", signed_in(400)),
        data={"choice": "neither"},
    ),
    ("privacy.delete", "GET"): Case(
        "/me/data/delete", signed_in_only("/me/data/delete", signed_in(200))
    ),
    ("privacy.delete", "POST"): Case(
        "/me/data/delete", signed_in_only("/me/data/delete", signed_in(400))
    ),
}
