"""Profiles: the member's own profile page, its edit forms, the preferences and photos.

The table's "member" has no profile: preferences and values ask it to fill in the
profile first (GET 200, POST 400). There is no photo 1 and no photo token "t0" in
this table's database: those routes are 404 for members.
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
    ("profiles.values", "GET"): _case("/profile/values", 200),
    ("profiles.values", "POST"): _case("/profile/values", 400, answer_kids="4"),
    ("profiles.photo_list", "GET"): _case("/profile/photos", 200),
    ("profiles.photo_upload", "POST"): _case("/profile/photos", 400),
    ("profiles.photo_delete", "POST"): _case("/profile/photos/1/delete", 404),
    ("profiles.photo_main", "POST"): _case("/profile/photos/1/main", 404),
    ("profiles.photo_file", "GET"): _case("/profile/photos/t0/thumb.jpg", 404),
    # 完善资料, the onboarding stepper: its steps save through the forms above.
    ("profiles.onboarding_start", "GET"): _case("/profile/welcome", 200),
    ("profiles.onboarding", "GET"): _case("/profile/welcome/values", 200),
    ("profiles.onboarding", "POST"): _case("/profile/welcome/profile", 400, nickname=""),
}
