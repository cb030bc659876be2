"""Safety: block, the blocked list, unblock, report, the report's confirmation, the
appeals (signed in, and through the SMS link), and the administrators' reports queue.

There is no member 1 that anyone knows, no report 1 and no appeal 1 in this table's
database: members get 404 on every page about someone or something; non-members meet
the member gate; only administrators reach the console. The SMS link page needs no
sign-in, and a made-up token is a 404 for everyone.
"""

from __future__ import annotations

from tests.authz import Case, administrators_only, everyone, signed_in_only

GATE = {"registered": 403, "verifying": 403}
MEMBERS = ("member", "matchmaker", "admin")


def members(outcome: int) -> dict[str, int]:
    return {**GATE, **dict.fromkeys(MEMBERS, outcome)}


def _case(path: str, outcome: int, **data: str) -> Case:
    return Case(path, signed_in_only(path, members(outcome)), data=data)


def _admin(path: str, outcome: int, **data: str) -> Case:
    return Case(path, administrators_only(path, outcome), data=data)


DECISION = {"decision": "warn", "reason": "Asked for money twice"}

TABLE: dict[tuple[str, str], Case] = {
    ("safety.block", "GET"): _case("/safety/members/1/block", 404),
    ("safety.block", "POST"): _case("/safety/members/1/block", 404),
    ("safety.blocked", "GET"): _case("/safety/blocked", 200),
    ("safety.unblock", "POST"): _case("/safety/blocked/1/unblock", 404),
    ("safety.report", "GET"): _case("/safety/members/1/report", 404),
    ("safety.report", "POST"): _case("/safety/members/1/report", 404, reason="harassment"),
    ("safety.report_sent", "GET"): _case("/safety/reports/1/sent", 404),
    ("safety.appeal", "GET"): _case("/safety/decisions/1/appeal", 404),
    ("safety.appeal", "POST"): _case(
        "/safety/decisions/1/appeal", 404, text="This was a misunderstanding."
    ),
    ("safety.appeal_by_link", "GET"): Case("/safety/appeal/not-a-token", everyone(404)),
    ("safety.appeal_by_link", "POST"): Case(
        "/safety/appeal/not-a-token", everyone(404), data={"text": "Please look again."}
    ),
    ("safety.queue", "GET"): _admin("/admin/reports", 200),
    ("safety.report_review", "GET"): _admin("/admin/reports/1", 404),
    ("safety.decide", "POST"): _admin("/admin/reports/1/decision", 404, **DECISION),
    ("safety.decide_appeal", "POST"): _admin(
        "/admin/appeals/1/decision", 404, decision="uphold", reason="The messages show it"
    ),
}
