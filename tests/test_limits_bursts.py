"""Per-member limits under bursts: 40 concurrent requests of one member (one client per
thread, released by a barrier) against small limits store no more than the limit, and
every other request gets a 429 with a clear message. On the in-memory limiter storage
(the tests' default) and on Redis (production's), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from app.consult.models import Consultation
from app.extensions import db
from app.lounge.models import Message
from app.safety.models import Report, ReportSource
from tests.burst import burst, statuses
from tests.factories import make_user
from tests.quickmatch_helpers import add_members, population
from tests.safety_helpers import make_match
from tests.test_today_page import sign_in

N = 40


def rows(app, query) -> int:
    with app.app_context():
        return db.session.scalar(query)


def assert_held(answers, stored: int, limit: int, message: str) -> None:
    """At most ``limit`` got through, each one stored; the others a clear 429."""
    found = statuses(answers)
    assert set(found) <= {302, 429}, found
    assert 1 <= found.get(302, 0) <= limit
    assert stored == found.get(302, 0)
    assert all(message in a.text for a in answers if a.status == 429)


def test_a_burst_of_messages_stores_no_more_than_the_send_limit(app_factory, limiter_storage):
    app = app_factory(RATELIMIT_LOUNGE_SEND="100 per minute;5 per day", **limiter_storage)
    one, two = add_members(app, population(30, seed=5)[:2])
    match_id = make_match(app, one, two)
    client = app.test_client()
    sign_in(app, client, one)

    def send(c, i):
        return c.post(f"/lounge/{match_id}/messages", data={"body": f"第{i}条"})

    answers = burst(app, client, send, N)
    stored = rows(app, select(func.count(Message.id)))
    assert_held(answers, stored, 5, "sending messages very fast")


def test_a_burst_of_reports_stores_no_more_than_the_report_limit(app_factory, limiter_storage):
    app = app_factory(RATELIMIT_REPORT="3 per day", **limiter_storage)
    me, *others = add_members(app, population(N + 1, seed=5))
    for other in others:
        make_match(app, me, other)
    client = app.test_client()
    sign_in(app, client, me)

    def report(c, i):
        return c.post(f"/safety/members/{others[i]}/report", data={"reason": "other"})

    answers = burst(app, client, report, N)
    query = select(func.count(Report.id)).where(Report.source != ReportSource.fraud_filter)
    assert_held(answers, rows(app, query), 3, "many reports today")


def test_a_burst_of_consultation_requests_stores_no_more_than_the_limit(
    app_factory, limiter_storage
):
    app = app_factory(RATELIMIT_CONSULTATION="3 per day", **limiter_storage)
    make_user(app, "matchmaker")
    member = make_user(app, "member").id
    client = app.test_client()
    sign_in(app, client, member)

    def ask(c, i):
        data = {"topic": "first_date", "body": f"第一次见面应该聊些什么呢？第{i}个问题"}
        return c.post("/consultations/new", data=data)

    answers = burst(app, client, ask, N)
    assert_held(answers, rows(app, select(func.count(Consultation.id))), 3, "many consultations")
