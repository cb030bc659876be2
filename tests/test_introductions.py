"""Introductions: the matchmaker searches verified members, opens one's details (in the
access log), and proposes a pair with a note; refused for the same member twice,
oneself, a blocked pair, a matched pair and a pending pair. Each member answers
privately; both accepting makes one match with ``new_match``; a decline is never shown
to the other; strangers get 404."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.introductions import operations
from app.introductions.models import Answer, Introduction, IntroductionState
from app.privacy.models import PersonalDataAccess
from app.relations.models import Block, Match
from tests.consult_helpers import english, notifications_of, sign_in, user_ids
from tests.quickmatch_helpers import add_members, population

__all__ = ["english"]

NOTE = "你们都喜欢徒步和摄影，住得也近，不妨认识一下。"


@pytest.fixture
def people(app):
    """A matchmaker and three verified members with profiles."""
    (matchmaker,) = user_ids(app, "matchmaker", 1)
    members = add_members(app, population(30, seed=11)[:3])
    return matchmaker, members


def propose(client, a: int, b: int, note: str = NOTE):
    return client.post("/console/introductions/new", data={"a": a, "b": b, "note": note})


def introductions(app) -> list[Introduction]:
    with app.app_context():
        rows = db.session.scalars(select(Introduction).order_by(Introduction.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def matches(app) -> list[tuple[int, int]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(Match.user_a_id, Match.user_b_id))]


def test_search_details_and_proposal(app, client, people):
    matchmaker, (a, b, _c) = people
    sign_in(app, client, matchmaker)
    page = client.get("/console/introductions/new", query_string={"q": f"会员{a}"})
    assert page.status_code == 200
    assert f'data-user="{a}"' in page.get_data(as_text=True)
    # Choosing both shows the note form.
    page = client.get("/console/introductions/new", query_string={"a": a, "b": b})
    assert 'name="note"' in page.get_data(as_text=True)
    # Opening one's details is recorded in their access log.
    assert client.get(f"/console/introductions/members/{a}").status_code == 200
    with app.app_context():
        logged = db.session.execute(
            select(
                PersonalDataAccess.viewer_id,
                PersonalDataAccess.subject_id,
                PersonalDataAccess.purpose,
            )
        ).all()
    assert [tuple(r) for r in logged] == [(matchmaker, a, "introduction")]

    assert propose(client, b, a).status_code == 302
    (intro,) = introductions(app)
    assert (intro.member_a_id, intro.member_b_id, intro.matchmaker_id) == (
        min(a, b),
        max(a, b),
        matchmaker,
    )
    assert intro.state is IntroductionState.pending
    for member in (a, b):
        assert ("introduction_proposed", {"introduction_id": intro.id}) in notifications_of(
            app, member
        )
    listing = client.get("/console/introductions/").get_data(as_text=True)
    assert "Waiting for answers" in listing and "0 of 2 answered" in listing


def test_refusals(app, client, people):
    matchmaker, (a, b, c) = people
    (registered,) = user_ids(app, "registered", 1)
    sign_in(app, client, matchmaker)
    assert propose(client, a, a).status_code == 400  # the same member twice
    assert propose(client, matchmaker, a).status_code == 400  # oneself
    assert propose(client, a, registered).status_code == 400  # not verified
    assert propose(client, a, b, note="太短").status_code == 400
    with app.app_context():
        db.session.add(Block(blocker_id=a, blocked_id=c))
        db.session.add(Match.between(b, c))
        db.session.commit()
    response = propose(client, c, a)
    assert response.status_code == 409
    assert "cannot be introduced" in response.get_data(as_text=True)
    assert propose(client, b, c).status_code == 409  # already matched
    assert propose(client, a, b).status_code == 302
    response = propose(client, b, a)  # a pending introduction of the same pair
    assert response.status_code == 409
    assert "already have an introduction" in response.get_data(as_text=True)
    assert len(introductions(app)) == 1


def test_administrators_do_not_propose(app, client, people):
    _matchmaker, (a, b, _c) = people
    (admin,) = user_ids(app, "admin", 1)
    sign_in(app, client, admin)
    assert propose(client, a, b).status_code == 403
    assert introductions(app) == []


def answer(app, member: int, iid: int, choice: str):
    client = app.test_client()
    sign_in(app, client, member)
    return client, client.post(f"/introductions/{iid}/answer", data={"answer": choice})


def proposed(app, matchmaker: int, a: int, b: int) -> int:
    with app.app_context():
        intro = operations.propose(matchmaker, a, b, NOTE)
        db.session.commit()
        return intro.id


def test_both_accepting_makes_one_match(app, people):
    matchmaker, (a, b, _c) = people
    iid = proposed(app, matchmaker, a, b)
    client_a, response = answer(app, a, iid, "accept")
    assert response.status_code == 302
    assert matches(app) == []
    page = client_a.get(f"/introductions/{iid}").get_data(as_text=True)
    assert NOTE in page and f"会员{b}" in page and "You said yes" in page
    _client_b, response = answer(app, b, iid, "accept")
    assert matches(app) == [(min(a, b), max(a, b))]
    (intro,) = introductions(app)
    assert intro.state is IntroductionState.matched and intro.match_id is not None
    for member, other in ((a, b), (b, a)):
        assert ("new_match", {"match_id": intro.match_id, "other_id": other}) in notifications_of(
            app, member
        )
    assert "You both said yes" in client_a.get(f"/introductions/{iid}").get_data(as_text=True)
    # An answer stands.
    _, response = answer(app, a, iid, "decline")
    assert response.status_code == 409


def test_a_decline_is_private(app, people):
    matchmaker, (a, b, _c) = people
    iid = proposed(app, matchmaker, a, b)
    client_a, _ = answer(app, a, iid, "accept")
    before = client_a.get(f"/introductions/{iid}").get_data(as_text=True)
    _, response = answer(app, b, iid, "decline")
    assert response.status_code == 302
    (intro,) = introductions(app)
    assert (intro.state, intro.answer_a if a < b else intro.answer_b) == (
        IntroductionState.closed,
        Answer.accepted,
    )
    after = client_a.get(f"/introductions/{iid}").get_data(as_text=True)
    status = 'data-testid="introduction-status"'
    assert (
        before[before.index(status) :].split("</div>")[0]
        == after[after.index(status) :].split("</div>")[0]
    )
    assert "declin" not in after.lower()
    assert matches(app) == []
    kinds_a = [kind for kind, _ in notifications_of(app, a)]
    assert kinds_a == ["introduction_proposed"]
    matchmaker_client = app.test_client()
    sign_in(app, matchmaker_client, matchmaker)
    assert "Closed without a match" in matchmaker_client.get("/console/introductions/").get_data(
        as_text=True
    )


def test_only_the_two_members_answer(app, people):
    matchmaker, (a, b, c) = people
    iid = proposed(app, matchmaker, a, b)
    client_c, response = answer(app, c, iid, "accept")
    assert response.status_code == 404
    assert client_c.get(f"/introductions/{iid}").status_code == 404
    _, response = answer(app, a, iid, "maybe")
    assert response.status_code == 400
    (intro,) = introductions(app)
    assert (intro.answer_a, intro.answer_b) == (None, None)


@pytest.mark.commits  # threads
def test_two_acceptances_at_the_same_moment_make_one_match(app, people):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the race needs two concurrent transactions (PostgreSQL)")
    matchmaker, (a, b, _c) = people
    iid = proposed(app, matchmaker, a, b)
    start = threading.Barrier(2)

    def accept(member: int) -> None:
        with app.app_context():
            start.wait(10)
            operations.answer(iid, member, True)
            db.session.commit()

    threads = [threading.Thread(target=accept, args=(m,)) for m in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert matches(app) == [(min(a, b), max(a, b))]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Match)) == 1
    (intro,) = introductions(app)
    assert intro.state is IntroductionState.matched


@pytest.mark.parametrize("odd", ["99999999999999999999", "2147483648", "-3", "0"])
def test_a_chosen_member_id_no_column_holds_is_ignored(app, client, people, odd):
    matchmaker, (a, _b, _c) = people
    sign_in(app, client, matchmaker)
    page = client.get("/console/introductions/new", query_string={"a": odd, "b": a})
    assert page.status_code == 200  # was "integer out of range", a 500 on PostgreSQL
    assert 'name="note"' not in page.get_data(as_text=True)
