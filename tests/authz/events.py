"""Events (线下活动): the members' pages under /events and the matchmakers' pages under
/console/events.

There is no event 1 in this table's database, so every page of one event is a 404 for
those who pass the gate. Members (matchmakers and administrators are members too) reach
the list; non-members meet the member gate. The console is for matchmakers and
administrators only.
"""

from __future__ import annotations

from tests.authz import Case, signed_in_only

GATE = {"registered": 403, "verifying": 403}
MEMBERS = ("member", "matchmaker", "admin")
NOT_CONSOLE = {"registered": 403, "verifying": 403, "member": 403}


def members(path: str, outcome: int, **data: str) -> Case:
    return Case(path, signed_in_only(path, {**GATE, **dict.fromkeys(MEMBERS, outcome)}), data)


def console(path: str, outcome: int, **data: str) -> Case:
    expected = {**NOT_CONSOLE, "matchmaker": outcome, "admin": outcome}
    return Case(path, signed_in_only(path, expected), data)


TABLE: dict[tuple[str, str], Case] = {
    ("events.index", "GET"): members("/events/", 200),
    ("events.show", "GET"): members("/events/1", 404),
    ("events.ics", "GET"): members("/events/1.ics", 404),
    ("events.sign_up", "POST"): members("/events/1/signup", 404),
    ("events.cancel", "POST"): members("/events/1/cancel", 404),
    ("events.accept", "POST"): members("/events/1/offer/accept", 404),
    ("events.decline", "POST"): members("/events/1/offer/decline", 404),
    ("events.check_in", "POST"): members("/events/1/checkin", 404, code="123456"),
    ("events.choose", "GET"): members("/events/1/choose", 404),
    ("events.choose_post", "POST"): members("/events/1/choose", 404, picked="2"),
    ("events.console_list", "GET"): console("/console/events/", 200),
    ("events.console_new", "GET"): console("/console/events/new", 200),
    ("events.console_new", "POST"): console("/console/events/new", 400, title=""),
    ("events.console_event", "GET"): console("/console/events/1", 404),
    ("events.console_edit", "GET"): console("/console/events/1/edit", 404),
    ("events.console_edit", "POST"): console("/console/events/1/edit", 404),
    ("events.console_cancel", "POST"): console("/console/events/1/cancel", 404),
    ("events.console_checkin", "POST"): console(
        "/console/events/1/attendees/1/checkin", 404, present="1"
    ),
}
