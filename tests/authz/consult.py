"""Consultations (红娘一对一): the members' pages, the console's queue and thread, and
the administrators' People and Matchmakers pages.

There is no consultation 1 and no user 999999 in this table's database: members and
matchmakers get 404 on a request; administrators read the console but never write in
it (403 on a reply or a resolve); only administrators reach People and Matchmakers.
"""

from __future__ import annotations

from tests.authz import Case, administrators_only, signed_in_only

GATE = {"registered": 403, "verifying": 403}
MEMBERS = ("member", "matchmaker", "admin")


def members(path: str, outcome: int, **data: str) -> Case:
    return Case(path, signed_in_only(path, {**GATE, **dict.fromkeys(MEMBERS, outcome)}), data)


def console(path: str, matchmaker: int, admin: int, **data: str) -> Case:
    outcomes = {**GATE, "member": 403, "matchmaker": matchmaker, "admin": admin}
    return Case(path, signed_in_only(path, outcomes), data)


def admin(path: str, outcome: int, **data: str) -> Case:
    return Case(path, administrators_only(path, outcome), data)


TABLE: dict[tuple[str, str], Case] = {
    ("consult.index", "GET"): members("/consultations/", 200),
    ("consult.ask", "GET"): members("/consultations/new", 200),
    ("consult.ask", "POST"): members("/consultations/new", 400, topic="", body="短"),
    ("consult.show", "GET"): members("/consultations/1", 404),
    ("consult.reply", "POST"): members("/consultations/1/messages", 404, body="谢谢老师"),
    ("consult.rate", "POST"): members("/consultations/1/rating", 404, rating="5"),
    ("consult.console_list", "GET"): console("/console/consultations/", 200, 200),
    ("consult.console_show", "GET"): console("/console/consultations/1", 404, 404),
    ("consult.console_reply", "POST"): console(
        "/console/consultations/1/messages", 404, 403, body="您好"
    ),
    ("consult.console_resolve", "POST"): console("/console/consultations/1/resolve", 404, 403),
    ("consult.people", "GET"): admin("/admin/people", 200),
    ("consult.find_person", "POST"): admin("/admin/people", 200, phone="13900009999"),
    ("consult.person", "GET"): admin("/admin/people/999999", 404),
    ("consult.change_role", "POST"): admin(
        "/admin/people/999999/role", 404, action="grant", seen_role="member", reason="可靠的志愿者"
    ),
    ("consult.matchmakers", "GET"): admin("/admin/matchmakers", 200),
}
