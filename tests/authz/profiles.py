"""Profiles: the member's own profile page, its edit form and the preferences.

The table's "member" has no profile: preferences ask it to fill in the profile first
(GET 200, POST 400).
"""

from __future__ import annotations

from tests.authz import Case, signed_in_only

GATE = {"registered": 403, "verifying": 403}
MEMBERS = ("member", "matchmaker", "admin")


def members(outcome: int) -> dict[str, int]:
    return {**GATE, **dict.fromkeys(MEMBERS, outcome)}


def _case(path: str, outcome: int, **data: str) -> Case:
    return Case(path, signed_in_only(path, members(outcome)), data=data)


TABLE: dict[tuple[str, str], Case] = {
    ("profiles.index", "GET"): _case("/profile/", 200),
    ("profiles.edit", "GET"): _case("/profile/edit", 200),
    ("profiles.edit", "POST"): _case("/profile/edit", 400, nickname=""),
    ("profiles.preferences", "GET"): _case("/profile/preferences", 200),
    ("profiles.preferences", "POST"): _case("/profile/preferences", 400, age_min="30"),
}
