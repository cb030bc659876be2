"""Check-in by code, the after-event mutual choice (活动后互选) and the calendar file."""

from __future__ import annotations

import time
from datetime import UTC, timedelta
from types import SimpleNamespace

import limits.storage.memory
import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.db_types import utcnow
from app.events.models import Pick, Signup
from app.extensions import db
from app.relations.models import Block, Match
from tests.burst import at_once, burst, statuses
from tests.events_helpers import (
    add_event,
    client_of,
    english,  # noqa: F401 - autouse
    kinds,
    members,
    move,
    organiser,
    text,
)


def seat(app, event: int, member: int, state: str = "confirmed", checked_in: bool = False):
    with app.app_context():
        db.session.add(
            Signup(
                event_id=event,
                member_id=member,
                state=state,
                checked_in_at=utcnow() if checked_in else None,
            )
        )
        db.session.commit()


def checked_in(app, event: int, member: int) -> bool:
    with app.app_context():
        query = select(Signup.checked_in_at).where(
            Signup.event_id == event, Signup.member_id == member
        )
        return db.session.scalar(query) is not None


@pytest.fixture
def running(app) -> int:
    """An event that started ten minutes ago (check-in open), code 482913."""
    event = add_event(app, organiser(app))
    move(app, event, utcnow() - timedelta(minutes=10))
    return event


def test_an_attendee_checks_in_with_the_code(app, running):
    (member,) = members(app, men=1)
    seat(app, running, member)
    client = client_of(app, member)
    assert "Check-in code" in text(client.get(f"/events/{running}"))
    response = client.post(f"/events/{running}/checkin", data={"code": " 482913 "})
    assert response.status_code == 302
    assert checked_in(app, running, member)
    assert "You are checked in." in text(client.get(f"/events/{running}"))


def test_a_wrong_code_is_a_400_and_checks_nobody_in(app, running):
    (member,) = members(app, men=1)
    seat(app, running, member)
    response = client_of(app, member).post(f"/events/{running}/checkin", data={"code": "111111"})
    assert response.status_code == 400
    assert "That is not the check-in code" in text(response)
    assert not checked_in(app, running, member)
    empty = client_of(app, member).post(f"/events/{running}/checkin", data={"code": ""})
    assert empty.status_code == 400
    assert "Enter the code shown at the venue." in text(empty)


@pytest.mark.parametrize("state", [None, "waitlisted", "cancelled"])
def test_check_in_without_a_confirmed_seat_is_a_403(app, running, state):
    (member,) = members(app, men=1)
    if state:
        seat(app, running, member, state)
    response = client_of(app, member).post(f"/events/{running}/checkin", data={"code": "482913"})
    assert response.status_code == 403
    assert "Only members with a confirmed seat can check in." in text(response)
    assert not checked_in(app, running, member)


def test_check_in_before_it_opens_is_refused(app):
    event = add_event(app, organiser(app))  # in two days
    (member,) = members(app, men=1)
    seat(app, event, member)
    response = client_of(app, member).post(f"/events/{event}/checkin", data={"code": "482913"})
    assert response.status_code == 409
    assert not checked_in(app, event, member)


@pytest.fixture
def ended(app) -> int:
    """An event that ended an hour ago (the choice is open)."""
    event = add_event(app, organiser(app), capacity=10)
    move(app, event, utcnow() - timedelta(hours=3))
    return event


def pick_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Pick))


def matches(app) -> list[tuple[int, int]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(Match.user_a_id, Match.user_b_id))]


def test_mutual_picks_make_one_match_and_open_the_love_lounge(app, ended):
    man, other, woman = members(app, men=2, women=1)
    for member in (man, woman, other):
        seat(app, ended, member, checked_in=True)
    her = client_of(app, woman)
    page = text(her.get(f"/events/{ended}/choose"))
    assert f"会员{man}" in page and f"会员{other}" in page and f"会员{woman}" not in page
    assert her.post(f"/events/{ended}/choose", data={"picked": [str(man)]}).status_code == 302
    assert matches(app) == []
    him = client_of(app, man)
    # Picks are private: his page does not say that she chose him.
    mine = text(him.get(f"/events/{ended}/choose"))
    assert "chosen" not in mine
    response = him.post(f"/events/{ended}/choose", data={"picked": [str(woman), str(other)]})
    assert response.status_code == 302
    assert "It&#39;s a match!" in text(him.get(response.headers["Location"]))
    assert matches(app) == [tuple(sorted((man, woman)))]
    assert kinds(app, man) == ["new_match"] and kinds(app, woman) == ["new_match"]
    assert kinds(app, other) == []
    with app.app_context():
        match_id = db.session.scalar(select(Match.id))
    assert him.get(f"/lounge/{match_id}").status_code == 200
    assert her.get(f"/lounge/{match_id}").status_code == 200


def test_someone_who_did_not_check_in_cannot_choose(app, ended):
    attendee, absent = members(app, men=1, women=1)
    seat(app, ended, attendee, checked_in=True)
    seat(app, ended, absent)  # had a seat, never checked in
    client = client_of(app, absent)
    assert client.get(f"/events/{ended}/choose").status_code == 403
    response = client.post(f"/events/{ended}/choose", data={"picked": [str(attendee)]})
    assert response.status_code == 403
    assert pick_count(app) == 0


def test_more_than_three_picks_is_a_400_and_writes_nothing(app, ended):
    picker, *others = members(app, men=2, women=3)
    for member in (picker, *others):
        seat(app, ended, member, checked_in=True)
    client = client_of(app, picker)
    response = client.post(f"/events/{ended}/choose", data={"picked": [str(o) for o in others]})
    assert response.status_code == 400
    assert "at most 3 people" in text(response)
    assert pick_count(app) == 0
    # Two now, then two more: four in all is refused too.
    client.post(f"/events/{ended}/choose", data={"picked": [str(o) for o in others[:2]]})
    again = client.post(f"/events/{ended}/choose", data={"picked": [str(o) for o in others[2:]]})
    assert again.status_code == 400
    assert pick_count(app) == 2


@pytest.mark.parametrize("whom", ["self", "absent", "garbage", "nobody"])
def test_picking_someone_not_on_offer_is_a_400(app, ended, whom):
    picker, attendee, absent = members(app, men=1, women=2)
    seat(app, ended, picker, checked_in=True)
    seat(app, ended, attendee, checked_in=True)
    seat(app, ended, absent)
    picked = {"self": [str(picker)], "absent": [str(absent)], "garbage": ["x1"], "nobody": []}
    response = client_of(app, picker).post(f"/events/{ended}/choose", data={"picked": picked[whom]})
    assert response.status_code == 400
    assert pick_count(app) == 0


def test_blocked_pairs_are_never_offered_nor_matched(app, ended):
    one, other = members(app, men=1, women=1)
    for member in (one, other):
        seat(app, ended, member, checked_in=True)
    with app.app_context():
        db.session.add(Block(blocker_id=other, blocked_id=one))
        db.session.commit()
    client = client_of(app, one)
    assert f"会员{other}" not in text(client.get(f"/events/{ended}/choose"))
    assert client.post(f"/events/{ended}/choose", data={"picked": [str(other)]}).status_code == 400
    assert pick_count(app) == 0 and matches(app) == []


def test_the_choice_closes_seven_days_after_the_end(app):
    event = add_event(app, organiser(app))
    move(app, event, utcnow() - timedelta(days=8))
    one, other = members(app, men=1, women=1)
    for member in (one, other):
        seat(app, event, member, checked_in=True)
    response = client_of(app, one).post(f"/events/{event}/choose", data={"picked": [str(other)]})
    assert response.status_code == 409
    assert pick_count(app) == 0


def test_the_event_as_an_ics_file(app):
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    event = add_event(app, organiser(app), starts_at=start, title="城市漫步：南宋御街")
    (member,) = members(app, men=1)
    response = client_of(app, member).get(f"/events/{event}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["UID"]).startswith(f"event-{event}@")
    assert entry.decoded("DTSTART") == start
    assert entry.decoded("DTSTART").tzinfo is not None
    assert entry.decoded("DTSTART").utcoffset() == timedelta(0)
    assert entry.decoded("DTEND") == (start + timedelta(hours=2)).astimezone(UTC)
    assert str(entry["SUMMARY"]) == "城市漫步：南宋御街"
    assert str(entry["LOCATION"]) == "杭州 西湖文化广场草坪"
    assert "新手友好" in str(entry["DESCRIPTION"])
    assert str(entry["URL"]).endswith(f"/events/{event}")


# --- guessing the code -------------------------------------------------------------------


@pytest.fixture
def later(monkeypatch):
    """Move the in-memory limiter's clock on by the given seconds (a window passes)."""
    clock = {"offset": 0.0}
    real = time.time
    monkeypatch.setattr(
        limits.storage.memory, "time", SimpleNamespace(time=lambda: real() + clock["offset"])
    )

    def advance(seconds: float) -> None:
        clock["offset"] += seconds

    return advance


WRONG = "111111"
RIGHT = "482913"


def guess(client, event: int, code: str):
    return client.post(f"/events/{event}/checkin", data={"code": code})


def test_wrong_codes_are_limited_per_member_and_event_even_the_right_one_waits(app_factory, later):
    app = app_factory(RATELIMIT_CHECKIN="5 per 10 minutes")
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    event = add_event(app, organiser(app))
    move(app, event, utcnow() - timedelta(minutes=10))
    other_event = add_event(app, organiser(app))
    move(app, other_event, utcnow() - timedelta(minutes=5))
    (member,) = members(app, men=1)
    seat(app, event, member)
    seat(app, other_event, member)
    client = client_of(app, member)
    assert [guess(client, event, WRONG).status_code for _ in range(5)] == [400] * 5
    limited = guess(client, event, RIGHT)
    assert limited.status_code == 429
    assert "Too many check-in attempts" in text(limited)
    assert not checked_in(app, event, member)
    assert guess(client, other_event, RIGHT).status_code == 302  # another event: its own count
    later(9 * 60)
    assert guess(client, event, RIGHT).status_code == 429
    later(61)
    assert guess(client, event, RIGHT).status_code == 302
    assert checked_in(app, event, member)


def test_a_hundred_wrong_codes_in_a_row_are_cut_short(app, running):
    (member,) = members(app, men=1)
    seat(app, running, member)
    client = client_of(app, member)
    answers = [guess(client, running, f"{n:06d}").status_code for n in range(100)]
    assert answers[:5] == [400] * 5 and set(answers[5:]) == {429}
    assert not checked_in(app, running, member)


def test_wrong_codes_are_limited_per_event_for_all_members_together(app_factory, later):
    app = app_factory(RATELIMIT_CHECKIN_EVENT="3 per 10 minutes")
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    event = add_event(app, organiser(app), capacity=10)
    move(app, event, utcnow() - timedelta(minutes=10))
    people = members(app, men=3, women=3)
    for person in people:
        seat(app, event, person)
    clients = [client_of(app, person) for person in people]
    assert [guess(c, event, WRONG).status_code for c in clients[:3]] == [400] * 3
    limited = guess(clients[3], event, RIGHT)  # one who never guessed wrong
    assert limited.status_code == 429 and "Too many check-in attempts" in text(limited)
    assert not checked_in(app, event, people[3])
    later(601)
    assert guess(clients[3], event, RIGHT).status_code == 302


@pytest.mark.commits  # threads
def test_a_burst_of_guesses_by_one_member_gets_no_more_than_the_limit(app, running):
    (member,) = members(app, men=1)
    seat(app, running, member)
    answers = burst(app, client_of(app, member), lambda c, i: guess(c, running, f"{i:06d}"))
    found = statuses(answers)
    assert set(found) <= {400, 429} and 1 <= found.get(400, 0) <= 5
    assert not checked_in(app, running, member)


def test_a_burst_of_guesses_at_one_event_gets_no_more_than_its_limit(app_factory):
    app = app_factory(RATELIMIT_CHECKIN_EVENT="3 per 10 minutes")
    event = add_event(app, organiser(app), capacity=10)
    move(app, event, utcnow() - timedelta(minutes=10))
    people = members(app, men=5, women=5)
    for person in people:
        seat(app, event, person)
    clients = [client_of(app, person) for person in people]
    answers = at_once(clients, lambda c, i: guess(c, event, f"{i:06d}"))
    assert statuses(answers) == {400: 3, 429: 7}
