"""Matchmakers and their events: create, edit (with the seat rules), cancel, the list
(own events; administrators see all) and the attendee list with check-in ticks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.events.models import Event, EventState, Signup
from app.extensions import db
from tests.events_helpers import (
    add_event,
    english,  # noqa: F401 - autouse
    kinds,
    members,
    move,
    states,
    text,
)
from tests.factories import login_as


def local(moment: datetime) -> str:
    """As a datetime-local input sends it, in Asia/Shanghai."""
    return (
        moment.astimezone(UTC)
        .replace(tzinfo=None)
        .__add__(timedelta(hours=8))
        .strftime("%Y-%m-%dT%H:%M")
    )


def form(**changes: str) -> dict[str, str]:
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=5)
    data = {
        "title": "周末剧本杀：民国谜案",
        "category": "murder_mystery",
        "city": "宁波",
        "place": "鼓楼沿 3 号二楼",
        "description": "六人本，新手友好。",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=4)),
        "capacity": "6",
        "gender_cap": "3",
        "signup_deadline": local(start - timedelta(days=1)),
        "cancel_deadline": local(start - timedelta(days=2)),
    }
    data.update(changes)
    return data


def event_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Event))


def test_a_matchmaker_creates_an_event_stored_in_utc_with_a_code(app, client):
    host = login_as(app, client, "matchmaker")
    data = form()
    response = client.post("/console/events/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event))
        assert event.organiser_id == host.id and event.capacity == 6 and event.gender_cap == 3
        assert local(event.starts_at) == data["starts_at"]  # 8 hours ahead of UTC
        assert event.starts_at.tzinfo is not None
        assert event.checkin_code.isdigit() and len(event.checkin_code) == 6
        code = event.checkin_code
        assert db.session.scalar(select(AuditEntry.action)) == "event.created"
    page = text(client.get(response.headers["Location"]))
    assert code in page and "周末剧本杀" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "start"}, "ends_at", "The end must be after the start."),
        ({"signup_deadline": "after"}, "signup_deadline", "Sign-up must close no later"),
        ({"cancel_deadline": "after"}, "cancel_deadline", "cancellation deadline must be no"),
        ({"gender_cap": "7"}, "gender_cap", "cannot exceed the seats in all"),
        ({"capacity": "0"}, "capacity", "Between 1 and 500 seats."),
        ({"title": ""}, "title", "Enter a title."),
        ({"category": "karaoke"}, "category", "Not a valid choice"),
        ({"starts_at": "tomorrow"}, "starts_at", "Not a valid datetime value"),
        ({"starts_at": "past"}, "starts_at", "The start must be in the future."),
    ],
)
def test_bad_event_input_is_a_400_with_field_messages(app, client, changes, field, message):
    login_as(app, client, "matchmaker")
    data = form()
    for name, value in changes.items():
        if value == "start":
            value = data["starts_at"]
        elif value == "after":
            value = local(utcnow() + timedelta(days=6))
        elif value == "past":
            past = utcnow() - timedelta(days=1)
            data["ends_at"] = local(past + timedelta(hours=1))
            data["signup_deadline"] = data["cancel_deadline"] = local(past - timedelta(hours=1))
            value = local(past)
        data[name] = value
    response = client.post("/console/events/new", data=data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert f'id="{field}-error"' in page
    assert event_count(app) == 0


def test_capacity_below_the_taken_seats_is_refused(app, client):
    host = login_as(app, client, "matchmaker")
    event = add_event(app, host.id, capacity=3)
    signed = members(app, men=3)
    with app.app_context():
        for member in signed:
            db.session.add(Signup(event_id=event, member_id=member, state="confirmed", gender="M"))
        db.session.commit()
    data = form(capacity="2", gender_cap="")
    response = client.post(f"/console/events/{event}/edit", data=data)
    assert response.status_code == 400
    assert "3 seats are taken already" in text(response)
    capped = client.post(f"/console/events/{event}/edit", data=form(capacity="3", gender_cap="2"))
    assert capped.status_code == 400
    assert "3 seats of one gender are taken already" in text(capped)
    with app.app_context():
        stored = db.session.get(Event, event)
        assert (stored.capacity, stored.gender_cap, stored.title) == (3, None, "西湖边飞盘局")


def test_editing_time_or_place_tells_those_signed_up_and_more_seats_go_to_the_waitlist(app, client):
    host = login_as(app, client, "matchmaker")
    event = add_event(app, host.id, capacity=1)
    seated, waiting = members(app, men=2)
    with app.app_context():
        db.session.add(Signup(event_id=event, member_id=seated, state="confirmed"))
        db.session.add(Signup(event_id=event, member_id=waiting, state="waitlisted"))
        db.session.commit()
    page = text(client.get(f"/console/events/{event}/edit"))
    assert "西湖文化广场草坪" in page
    response = client.post(
        f"/console/events/{event}/edit",
        data=form(capacity="2", gender_cap="", place="钱江新城市民中心"),
    )
    assert response.status_code == 302
    assert states(app, event) == {seated: "confirmed", waiting: "offered"}
    assert kinds(app, seated) == ["event_changed"]
    assert kinds(app, waiting) == ["event_changed", "event_seat_offered"]


def test_an_edit_that_changes_neither_time_nor_place_tells_nobody(app, client):
    host = login_as(app, client, "matchmaker")
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=5)
    event = add_event(app, host.id, starts_at=start, place="鼓楼沿 3 号二楼", city="宁波")
    (member,) = members(app, men=1)
    with app.app_context():
        db.session.add(Signup(event_id=event, member_id=member, state="confirmed"))
        db.session.commit()
    data = form(title="新标题")
    data["ends_at"] = local(start + timedelta(hours=2))
    assert client.post(f"/console/events/{event}/edit", data=data).status_code == 302
    assert kinds(app, member) == []


def test_cancelling_tells_everyone_signed_up_and_closes_sign_up(app, client):
    host = login_as(app, client, "matchmaker")
    event = add_event(app, host.id, capacity=1)
    seated, waiting, newcomer = members(app, men=3)
    with app.app_context():
        db.session.add(Signup(event_id=event, member_id=seated, state="confirmed"))
        db.session.add(Signup(event_id=event, member_id=waiting, state="waitlisted"))
        db.session.commit()
    assert client.post(f"/console/events/{event}/cancel").status_code == 302
    assert kinds(app, seated) == ["event_cancelled"] and kinds(app, waiting) == ["event_cancelled"]
    with app.app_context():
        assert db.session.get(Event, event).state is EventState.cancelled
    again = client.post(f"/console/events/{event}/cancel")
    assert again.status_code == 409
    from tests.events_helpers import client_of

    refused = client_of(app, newcomer).post(f"/events/{event}/signup")
    assert refused.status_code == 409


def test_a_matchmaker_sees_only_own_events_and_an_administrator_sees_all(app, client):
    host = login_as(app, client, "matchmaker")
    other_client = app.test_client()
    other = login_as(app, other_client, "matchmaker")
    mine = add_event(app, host.id, title="我的城市漫步")
    theirs = add_event(app, other.id, title="别人的观影")
    page = text(client.get("/console/events/"))
    assert "我的城市漫步" in page and "别人的观影" not in page
    assert client.get(f"/console/events/{theirs}").status_code == 403
    assert client.post(f"/console/events/{theirs}/cancel").status_code == 403
    assert client.get(f"/console/events/{theirs}/edit").status_code == 403
    admin = app.test_client()
    login_as(app, admin, "admin")
    everything = text(admin.get("/console/events/"))
    assert "我的城市漫步" in everything and "别人的观影" in everything
    assert admin.get(f"/console/events/{mine}").status_code == 200


def test_the_attendee_list_shows_nicknames_and_ticks_check_in(app, client):
    host = login_as(app, client, "matchmaker")
    event = add_event(app, host.id)
    seated, waiting = members(app, men=2)
    with app.app_context():
        yes = Signup(event_id=event, member_id=seated, state="confirmed")
        db.session.add_all([yes, Signup(event_id=event, member_id=waiting, state="waitlisted")])
        db.session.commit()
        signup_id, waiting_id = yes.id, waiting
    page = text(client.get(f"/console/events/{event}"))
    assert f"会员{seated}" in page and f"会员{waiting}" in page and "+86" not in page
    early = client.post(f"/console/events/{event}/attendees/{signup_id}/checkin")
    assert early.status_code == 409  # check-in opens an hour before the start
    move(app, event, utcnow() - timedelta(minutes=10))
    tick = client.post(
        f"/console/events/{event}/attendees/{signup_id}/checkin", data={"present": "1"}
    )
    assert tick.status_code == 302
    with app.app_context():
        assert db.session.get(Signup, signup_id).checked_in_at is not None
        other = db.session.scalar(select(Signup.id).where(Signup.member_id == waiting_id))
    assert "checked in" in text(client.get(f"/console/events/{event}"))
    refused = client.post(f"/console/events/{event}/attendees/{other}/checkin")
    assert refused.status_code == 409  # not a confirmed seat
    untick = client.post(
        f"/console/events/{event}/attendees/{signup_id}/checkin", data={"present": "0"}
    )
    assert untick.status_code == 302
    with app.app_context():
        assert db.session.get(Signup, signup_id).checked_in_at is None
