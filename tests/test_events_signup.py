"""Members and events: the list and its filters, sign-up, the waitlist, offers of freed
seats (accept, decline, expiry by the beat task and on every read and write), the
per-gender cap, every refused sign-up, and two members racing for the last seat."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db_types import utcnow
from app.events import operations
from app.events.models import Event, EventCategory, EventState, Signup
from app.events.tasks import expire_offers
from app.extensions import db
from tests.events_helpers import (
    add_event,
    client_of,
    english,  # noqa: F401 - autouse
    kinds,
    members,
    organiser,
    states,
    text,
)


def signup_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Signup))


def test_the_list_shows_upcoming_events_filtered_by_city_and_category(app):
    host = organiser(app)
    (member,) = members(app, men=1)
    add_event(app, host, title="西湖飞盘")
    add_event(app, host, title="宁波观影", city="宁波", category=EventCategory.film)
    add_event(app, host, title="过去的讲座", starts_at=utcnow() - timedelta(days=3))
    cancelled = add_event(app, host, title="取消的漫步")
    with app.app_context():
        db.session.get(Event, cancelled).state = EventState.cancelled
        db.session.commit()
    client = client_of(app, member)
    page = text(client.get("/events/"))
    assert "西湖飞盘" in page and "宁波观影" in page
    assert "过去的讲座" not in page and "取消的漫步" not in page
    by_city = text(client.get("/events/?city=宁波"))
    assert "宁波观影" in by_city and "西湖飞盘" not in by_city
    by_kind = text(client.get("/events/?category=frisbee&city="))
    assert "西湖飞盘" in by_kind and "宁波观影" not in by_kind


@pytest.mark.parametrize("query", ["city=北京", "category=karaoke", "city=%3Cscript%3E"])
def test_a_bad_filter_is_a_400_with_a_message(app, query):
    (member,) = members(app, men=1)
    add_event(app, organiser(app))
    response = client_of(app, member).get(f"/events/?{query}")
    assert response.status_code == 400
    assert "Not a valid choice" in text(response)


def test_sign_up_takes_a_seat_then_the_waitlist_when_full(app):
    event = add_event(app, organiser(app), capacity=2)
    one, two, three = members(app, men=3)
    for member in (one, two, three):
        assert client_of(app, member).post(f"/events/{event}/signup").status_code == 302
    assert states(app, event) == {one: "confirmed", two: "confirmed", three: "waitlisted"}
    page = text(client_of(app, three).get(f"/events/{event}"))
    assert "On the waitlist" in page and "number 1 in line" in page
    assert "0 / 2" in page and "1 waiting" in page


def test_a_double_sign_up_is_refused_and_writes_nothing(app):
    event = add_event(app, organiser(app))
    (member,) = members(app, women=1)
    client = client_of(app, member)
    client.post(f"/events/{event}/signup")
    response = client.post(f"/events/{event}/signup")
    assert response.status_code == 409
    assert "already signed up" in text(response)
    assert signup_count(app) == 1


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("past", "already taken place"),
        ("deadline", "Sign-up for this event has closed"),
        ("cancelled", "This event was cancelled"),
    ],
)
def test_sign_up_to_a_past_closed_or_cancelled_event_is_refused(app, when, message):
    now = utcnow()
    fields = {
        "past": {"starts_at": now - timedelta(hours=3)},
        "deadline": {"signup_deadline": now - timedelta(minutes=5)},
        "cancelled": {"state": EventState.cancelled},
    }[when]
    event = add_event(app, organiser(app), **fields)
    (member,) = members(app, men=1)
    response = client_of(app, member).post(f"/events/{event}/signup")
    assert response.status_code == 409
    assert message in text(response)
    assert signup_count(app) == 0


def test_a_cancellation_offers_the_seat_to_the_next_who_accepts(app):
    event = add_event(app, organiser(app), capacity=1)
    first, second, third = members(app, men=1, women=2)
    clients = {m: client_of(app, m) for m in (first, second, third)}
    for member in (first, second, third):
        clients[member].post(f"/events/{event}/signup")
    assert clients[first].post(f"/events/{event}/cancel").status_code == 302
    assert states(app, event) == {first: "cancelled", second: "offered", third: "waitlisted"}
    assert kinds(app, second) == ["event_seat_offered"]
    page = text(clients[second].get(f"/events/{event}"))
    assert "A seat is offered to you" in page and "Accept the seat" in page
    notice = text(clients[second].get("/notifications"))
    assert "A seat has become free at 西湖边飞盘局" in notice
    assert clients[second].post(f"/events/{event}/offer/accept").status_code == 302
    assert states(app, event)[second] == "confirmed"
    # The third still waits; nobody else was offered anything.
    assert kinds(app, third) == []


def test_declining_passes_the_seat_on(app):
    event = add_event(app, organiser(app), capacity=1)
    first, second, third = members(app, men=3)
    for member in (first, second, third):
        client_of(app, member).post(f"/events/{event}/signup")
    client_of(app, first).post(f"/events/{event}/cancel")
    assert client_of(app, second).post(f"/events/{event}/offer/decline").status_code == 302
    assert states(app, event) == {first: "cancelled", second: "declined", third: "offered"}


def test_a_late_accept_is_refused_before_the_task_runs_and_the_task_moves_the_offer_on(
    app_factory,
):
    app = app_factory(EVENTS_OFFER_HOURS=2)
    event = add_event(app, organiser(app), capacity=1)
    first, second, third = members(app, men=3)
    for member in (first, second, third):
        client_of(app, member).post(f"/events/{event}/signup")
    client_of(app, first).post(f"/events/{event}/cancel")
    with app.app_context():
        offer = db.session.scalar(select(Signup).where(Signup.member_id == second))
        window = offer.offer_expires_at - utcnow()
        assert timedelta(hours=2) - timedelta(minutes=1) < window <= timedelta(hours=2)
        offer.offer_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    late = client_of(app, second)
    assert "Offer ran out" in text(late.get(f"/events/{event}"))
    response = late.post(f"/events/{event}/offer/accept")
    assert response.status_code == 409
    assert "the offer has run out" in text(response)
    assert states(app, event)[second] == "offered"  # stored as is until the task runs
    with app.app_context():
        assert expire_offers.apply().get() == 1
    assert states(app, event) == {first: "cancelled", second: "expired", third: "offered"}
    assert kinds(app, second) == ["event_seat_offered", "event_offer_expired"]
    assert kinds(app, third) == ["event_seat_offered"]
    with app.app_context():
        assert expire_offers.apply().get() == 0  # nothing left: a repeat is harmless


def test_an_expired_offer_frees_its_seat_for_the_next_sign_up_even_before_the_task(app):
    event = add_event(app, organiser(app), capacity=1)
    first, second, newcomer = members(app, men=3)
    for member in (first, second):
        client_of(app, member).post(f"/events/{event}/signup")
    client_of(app, first).post(f"/events/{event}/cancel")
    with app.app_context():
        offer = db.session.scalar(select(Signup).where(Signup.member_id == second))
        offer.offer_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    client_of(app, newcomer).post(f"/events/{event}/signup")
    assert states(app, event) == {first: "cancelled", second: "expired", newcomer: "confirmed"}


def test_cancelling_after_the_deadline_is_refused(app):
    now = utcnow()
    event = add_event(app, organiser(app), cancel_deadline=now - timedelta(minutes=1))
    (member,) = members(app, men=1)
    with app.app_context():
        db.session.add(Signup(event_id=event, member_id=member, state="confirmed"))
        db.session.commit()
    response = client_of(app, member).post(f"/events/{event}/cancel")
    assert response.status_code == 409
    assert "cancellation deadline has passed" in text(response)
    assert states(app, event) == {member: "confirmed"}


def test_the_gender_cap_waitlists_one_gender_and_seats_the_other(app):
    event = add_event(app, organiser(app), capacity=3, gender_cap=1)
    man1, man2, woman = members(app, men=2, women=1)
    for member in (man1, man2, woman):
        client_of(app, member).post(f"/events/{event}/signup")
    assert states(app, event) == {man1: "confirmed", man2: "waitlisted", woman: "confirmed"}
    with app.app_context():
        genders = dict(db.session.execute(select(Signup.member_id, Signup.gender)).all())
    assert genders == {man1: "M", man2: "M", woman: "F"}


def test_a_freed_seat_skips_those_whose_gender_is_full(app):
    event = add_event(app, organiser(app), capacity=2, gender_cap=1)
    man1, man2, woman1, woman2 = members(app, men=2, women=2)
    for member in (man1, woman1, man2, woman2):
        client_of(app, member).post(f"/events/{event}/signup")
    assert states(app, event)[man2] == "waitlisted"
    client_of(app, woman1).post(f"/events/{event}/cancel")
    # man2 is first in line but men are full: the seat goes to woman2.
    assert states(app, event) == {
        man1: "confirmed",
        woman1: "cancelled",
        man2: "waitlisted",
        woman2: "offered",
    }


def test_expire_offers_is_on_beat_every_five_minutes(app):
    celery = app.extensions["celery"]
    entry = celery.conf.beat_schedule["events-expire-offers"]
    assert entry == {"task": "events.expire_offers", "schedule": 300.0}
    assert "events.expire_offers" in celery.tasks
    assert app.config["EVENTS_OFFER_HOURS"] == 24


def skip_unless_postgresql(app) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the race needs two concurrent transactions (PostgreSQL)")


@pytest.mark.commits  # threads
@pytest.mark.parametrize("attempt", range(3))
def test_two_members_racing_for_the_last_seat_one_gets_it(app, attempt):
    skip_unless_postgresql(app)
    event = add_event(app, organiser(app), capacity=1)
    one, other = members(app, men=1, women=1)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sign_up(member: int) -> None:
        try:
            with app.app_context():
                start.wait(10)
                operations.sign_up(event, member, utcnow())
                db.session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=sign_up, args=(m,)) for m in (one, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert sorted(states(app, event).values()) == ["confirmed", "waitlisted"]


@pytest.mark.commits  # threads
def test_without_the_lock_the_race_would_seat_both(app, monkeypatch):
    """The lock is what keeps it to one: both transactions read the seat as free while
    neither has written, and without it both would take it."""
    skip_unless_postgresql(app)
    event = add_event(app, organiser(app), capacity=1)
    one, other = members(app, men=1, women=1)
    read = threading.Barrier(2)
    original = operations.settle

    def slow_settle(ev, now):
        rows = original(ev, now)
        read.wait(10)  # both have read the sign-ups before either writes
        return rows

    monkeypatch.setattr(operations, "settle", slow_settle)
    monkeypatch.setattr(operations, "lock_event", lambda event_id: db.session.get(Event, event_id))

    def sign_up(member: int) -> None:
        with app.app_context():
            operations.sign_up(event, member, utcnow())
            db.session.commit()

    threads = [threading.Thread(target=sign_up, args=(m,)) for m in (one, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(states(app, event).values()) == ["confirmed", "confirmed"]
