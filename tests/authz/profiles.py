"""Profiles: the member's own profile page and its edit form."""

from __future__ import annotations

from tests.authz import Case, signed_in_only

GATE = {"registered": 403, "verifying": 403}
MEMBERS = ("member", "matchmaker", "admin")


def members(outcome: int) -> dict[str, int]:
    return {**GATE, **dict.fromkeys(MEMBERS, outcome)}


TABLE: dict[tuple[str, str], Case] = {
    ("profiles.index", "GET"): Case("/profile/", signed_in_only("/profile/", members(200))),
    ("profiles.edit", "GET"): Case("/profile/edit", signed_in_only("/profile/edit", members(200))),
    ("profiles.edit", "POST"): Case(
        "/profile/edit", signed_in_only("/profile/edit", members(400)), data={"nickname": ""}
    ),
}
