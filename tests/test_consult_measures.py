"""A matchmaker's measures from hand-built rows, exact figures: response rate (first
answer within 24 h of assignment; unanswered requests younger than 24 h left out),
resolution rate (resolved / assigned) and mean satisfaction with its count."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.consult import measures
from app.consult.models import ConsultationState
from app.db_types import utcnow
from app.extensions import db
from tests.consult_helpers import add_consultation, english, user_ids

__all__ = ["english"]

H = timedelta(hours=1)


def test_measures_are_exact(app):
    alice, bob, idle = user_ids(app, "matchmaker", 3)
    (member,) = user_ids(app, "member", 1)
    now = utcnow()
    with app.app_context():

        def row(who, assigned_ago, answered_after=None, state=ConsultationState.open, rating=None):
            assigned = now - assigned_ago
            add_consultation(
                member,
                who,
                state,
                assigned_at=assigned,
                answer_due_at=assigned + 24 * H,
                first_answer_at=assigned + answered_after if answered_after else None,
                rating=rating,
            )

        # Alice: 6 assigned.
        row(alice, 72 * H, 2 * H, ConsultationState.resolved, rating=5)  # in time
        row(alice, 72 * H, 24 * H, ConsultationState.resolved, rating=4)  # exactly 24 h: in
        row(alice, 72 * H, 30 * H, ConsultationState.resolved, rating=2)  # late
        row(alice, 48 * H)  # never answered, older than 24 h: counts as missed
        row(alice, 5 * H)  # unanswered but young: left out of the response rate
        row(alice, 3 * H, 1 * H)  # answered in time, still open
        # Bob: 2 assigned, one resolved without a rating.
        row(bob, 30 * H, 1 * H, ConsultationState.resolved)
        row(bob, 2 * H)
        # A waiting request belongs to nobody.
        add_consultation(member, None, ConsultationState.waiting)
        db.session.commit()

        by_id = {m.matchmaker_id: m for m in measures.measures(now=now)}
    a = by_id[alice]
    assert (a.assigned, a.answered_in_time, a.counted_for_response) == (6, 3, 5)
    assert a.response_rate == pytest.approx(3 / 5)
    assert (a.resolved, a.resolution_rate) == (3, pytest.approx(3 / 6))
    assert (a.ratings, a.mean_rating) == (3, pytest.approx(11 / 3))

    b = by_id[bob]
    assert (b.assigned, b.answered_in_time, b.counted_for_response) == (2, 1, 1)
    assert b.response_rate == 1.0
    assert b.resolution_rate == pytest.approx(0.5)
    assert (b.ratings, b.mean_rating) == (0, None)

    i = by_id[idle]
    assert (i.assigned, i.response_rate, i.resolution_rate, i.mean_rating) == (0, None, None, None)


def test_only_matchmakers_are_listed_and_one_can_be_asked_for(app):
    (matchmaker,) = user_ids(app, "matchmaker", 1)
    user_ids(app, "admin", 1)
    user_ids(app, "member", 1)
    with app.app_context():
        assert [m.matchmaker_id for m in measures.measures()] == [matchmaker]
        assert measures.of_matchmaker(matchmaker).assigned == 0


def test_the_pages_show_the_figures(app, client):
    from tests.consult_helpers import sign_in

    (matchmaker,) = user_ids(app, "matchmaker", 1)
    (admin,) = user_ids(app, "admin", 1)
    (member,) = user_ids(app, "member", 1)
    now = utcnow()
    with app.app_context():
        for answered, rating in ((H, 5), (30 * H, 2)):
            add_consultation(
                member,
                matchmaker,
                ConsultationState.resolved,
                assigned_at=now - 48 * H,
                answer_due_at=now - 24 * H,
                first_answer_at=now - 48 * H + answered,
                rating=rating,
            )
        db.session.commit()
    sign_in(app, client, matchmaker)
    page = client.get("/console/consultations/").get_data(as_text=True)
    assert "50%" in page and "100%" in page and "3.5 / 5" in page and "2 ratings" in page
    client.post("/account/signout")
    sign_in(app, client, admin)
    page = client.get("/admin/matchmakers").get_data(as_text=True)
    assert f'data-user="{matchmaker}"' in page
    assert "50%" in page and "3.5 / 5" in page
