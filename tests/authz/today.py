"""Today (每日速配): the day's list, like and pass, "did you meet?".

Members reach the list (the table's members have no profile: the page asks for one);
there is no suggestion or match 1 in this table's database, so answering a stranger
and opening another match's question are 404s. Non-members meet the member gate.
"""

from __future__ import annotations

from tests.authz import Case, signed_in_only

GATE = {"registered": 403, "verifying": 403}
MEMBERS = ("member", "matchmaker", "admin")


def members(outcome: int) -> dict[str, int]:
    return {**GATE, **dict.fromkeys(MEMBERS, outcome)}


TABLE: dict[tuple[str, str], Case] = {
    ("quickmatch.index", "GET"): Case("/today/", signed_in_only("/today/", members(200))),
    ("quickmatch.like", "POST"): Case(
        "/today/1/like", signed_in_only("/today/1/like", members(404))
    ),
    ("quickmatch.pass", "POST"): Case(
        "/today/1/pass", signed_in_only("/today/1/pass", members(404))
    ),
    ("quickmatch.meeting", "GET"): Case(
        "/today/meetings/1", signed_in_only("/today/meetings/1", members(404))
    ),
    ("quickmatch.meeting", "POST"): Case(
        "/today/meetings/1",
        signed_in_only("/today/meetings/1", members(404)),
        data={"met": "yes", "rating": "5"},
    ),
}
