"""Love lounge (爱情会客厅): the matches list, a conversation, sending, the poll, unmatch.

Members reach their (empty) list; there is no match 1 in this table's database, so
every conversation route is a 404 for them. Non-members meet the member gate.
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
    ("lounge.index", "GET"): _case("/lounge/", 200),
    ("lounge.conversation", "GET"): _case("/lounge/1", 404),
    ("lounge.mark_read", "POST"): _case("/lounge/1/read", 404, upto="1"),
    ("lounge.send", "POST"): _case("/lounge/1/messages", 404, body="你好"),
    ("lounge.messages_json", "GET"): _case("/lounge/1/messages.json", 404),
    ("lounge.unmatch", "GET"): _case("/lounge/1/unmatch", 404),
    ("lounge.unmatch", "POST"): _case("/lounge/1/unmatch", 404),
}
