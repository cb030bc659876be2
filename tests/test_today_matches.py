"""A mutual like makes exactly one match, both are notified; two members liking each
other at the same moment on PostgreSQL still make one."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.texts import show
from app.quickmatch import reactions
from app.quickmatch.models import Reaction, ReactionKind
from app.relations.models import Match
from tests.quickmatch_helpers import add_members, population
from tests.test_today_page import (
    counts,
    sign_in,
    suggest,
    today_of,
)


@pytest.fixture
def pair(app) -> tuple[int, int]:
    """Two members, each on the other's list for today."""
    one, other = add_members(app, population(40, seed=3)[:2])
    suggest(app, one, [other])
    suggest(app, other, [one])
    return one, other


def matches(app) -> list[tuple[int, int]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(Match.user_a_id, Match.user_b_id))]


def notifications(app) -> list[tuple[int, str, dict]]:
    with app.app_context():
        query = select(Notification.user_id, Notification.kind, Notification.params)
        return sorted(tuple(row) for row in db.session.execute(query.order_by(Notification.id)))


def test_a_like_back_makes_a_match_and_notifies_both(app, client, pair):
    one, other = pair
    with app.app_context():
        assert reactions.react(other, one, ReactionKind.like, today_of(app)) is None
        db.session.commit()
    sign_in(app, client, one)
    response = client.post(f"/today/{other}/like")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"It&#39;s a match! You and 会员{other} like each other." in page
    assert matches(app) == [tuple(sorted(pair))]
    with app.app_context():
        match_id = db.session.scalar(select(Match.id))
    assert response.headers["Location"] == f"/lounge/{match_id}"  # straight to the chat
    assert notifications(app) == sorted(
        [
            (one, "new_match", {"match_id": match_id, "other_id": other}),
            (other, "new_match", {"match_id": match_id, "other_id": one}),
        ]
    )


def test_the_new_match_notification_names_the_other_side_by_nickname(app, pair):
    one, other = pair
    day = today_of(app)
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        reactions.react(one, other, ReactionKind.like, day)
        match = reactions.react(other, one, ReactionKind.like, day)
        db.session.commit()
        note = db.session.scalar(select(Notification).where(Notification.user_id == one))
        shown = show(note)
        assert shown.link == f"/lounge/{match.id}"
    assert f"会员{other}" in shown.text


def test_a_like_and_a_pass_make_no_match(app, pair):
    one, other = pair
    day = today_of(app)
    with app.app_context():
        assert reactions.react(one, other, ReactionKind.like, day) is None
        assert reactions.react(other, one, ReactionKind.pass_, day) is None
        db.session.commit()
    assert matches(app) == []
    assert notifications(app) == []


def test_a_pair_matched_already_gets_no_second_match_nor_notifications(app, pair):
    one, other = pair
    day = today_of(app)
    with app.app_context():
        db.session.add(Match.between(one, other))  # made elsewhere (an event's mutual choice)
        reactions.react(one, other, ReactionKind.like, day)
        assert reactions.react(other, one, ReactionKind.like, day) is None
        db.session.commit()
    assert len(matches(app)) == 1
    assert notifications(app) == []


def test_an_answer_from_an_earlier_showing_is_replaced(app, pair):
    """Shown again after the repeat window: the new answer replaces the old one (one row
    per ordered pair)."""
    one, other = pair
    day = today_of(app)
    earlier = day - timedelta(days=40)
    suggest(app, one, [other], day=earlier)
    with app.app_context():
        reactions.react(one, other, ReactionKind.pass_, earlier)
        reactions.react(one, other, ReactionKind.like, day)
        db.session.commit()
        rows = db.session.execute(select(Reaction.kind, Reaction.day)).all()
    assert rows == [(ReactionKind.like, day)]


def test_the_same_answer_twice_raises_and_writes_nothing(app, pair):
    one, other = pair
    day = today_of(app)
    with app.app_context():
        reactions.react(one, other, ReactionKind.like, day)
        db.session.commit()
        with pytest.raises(reactions.AlreadyAnswered) as raised:
            reactions.react(one, other, ReactionKind.pass_, day)
        assert raised.value.kind is ReactionKind.like
        db.session.rollback()
    assert counts(app) == (1, 0, 0)


def test_not_on_the_list_raises(app, pair):
    one, other = pair
    with app.app_context(), pytest.raises(reactions.NotSuggested):
        reactions.react(one, other, ReactionKind.like, date(2020, 1, 1))


def skip_unless_postgresql(app) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the race needs two concurrent transactions (PostgreSQL)")


@pytest.mark.commits  # threads
def test_a_like_back_while_the_first_like_is_uncommitted_makes_one_match(app, pair):
    """The second like comes while the first is not committed yet. Without the pair's
    lock it would not see the first like under READ COMMITTED, and nobody would match."""
    skip_unless_postgresql(app)
    one, other = pair
    day = today_of(app)
    liked = threading.Event()
    made: dict[int, Match | None] = {}

    def like(viewer: int, candidate: int, hold: float) -> None:
        with app.app_context():
            made[viewer] = reactions.react(viewer, candidate, ReactionKind.like, day)
            liked.set()
            time.sleep(hold)  # still uncommitted
            db.session.commit()

    first = threading.Thread(target=like, args=(one, other, 1.0))
    first.start()
    assert liked.wait(10)
    second = threading.Thread(target=like, args=(other, one, 0))
    second.start()
    first.join(20)
    second.join(20)
    assert made[one] is None and made[other] is not None
    assert matches(app) == [tuple(sorted(pair))]
    assert sorted(user for user, kind, _ in notifications(app)) == sorted(pair)


@pytest.mark.commits  # threads
@pytest.mark.parametrize("attempt", range(3))
def test_two_members_liking_each_other_at_the_same_moment_make_one_match(app, pair, attempt):
    skip_unless_postgresql(app)
    one, other = pair
    day = today_of(app)
    start = threading.Barrier(2)

    def like(viewer: int, candidate: int) -> None:
        with app.app_context():
            start.wait(10)
            reactions.react(viewer, candidate, ReactionKind.like, day)
            db.session.commit()

    threads = [threading.Thread(target=like, args=args) for args in ((one, other), (other, one))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert matches(app) == [tuple(sorted(pair))]
    kinds = sorted((user, kind) for user, kind, _ in notifications(app))
    assert kinds == sorted([(one, "new_match"), (other, "new_match")])
