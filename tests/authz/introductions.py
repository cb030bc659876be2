"""Introductions (红娘牵线): the members' pages and the console's.

There is no introduction 1 and no member 999999 in this table's database. Matchmakers
and administrators reach the console pages; only matchmakers propose (an empty form is
a 400), administrators read only (403)."""

from __future__ import annotations

from tests.authz import Case
from tests.authz.consult import console, members

TABLE: dict[tuple[str, str], Case] = {
    ("introductions.index", "GET"): members("/introductions/", 200),
    ("introductions.show", "GET"): members("/introductions/1", 404),
    ("introductions.answer", "POST"): members("/introductions/1/answer", 404, answer="accept"),
    ("introductions.console_list", "GET"): console("/console/introductions/", 200, 200),
    ("introductions.console_new", "GET"): console("/console/introductions/new", 200, 200),
    ("introductions.console_propose", "POST"): console("/console/introductions/new", 400, 403),
    ("introductions.console_member", "GET"): console(
        "/console/introductions/members/999999", 404, 404
    ),
}
