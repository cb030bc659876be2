"""What the members' pages read: upcoming events, a member's own sign-ups, and one
event as the member sees it. Reads never write: an offer past its window is shown as
expired (``Signup.shown_state``) before the beat task has marked it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.events import attendance, operations
from app.events.models import Event, EventCategory, EventState, Signup, SignupState
from app.extensions import db


@dataclass(frozen=True)
class EventView:
    event: Event
    seats_left: int
    waiting: int  # members on the waitlist
    mine: Signup | None
    state: SignupState | None  # the member's state as it stands now
    position: int | None  # place on the waitlist, from 1
    can_sign_up: bool
    can_cancel: bool
    checkin_open: bool
    choice_open: bool  # the member checked in and the choice is open


def upcoming(
    now: datetime, city: str | None = None, category: EventCategory | None = None
) -> list[Event]:
    query = (
        select(Event)
        .where(Event.state == EventState.published, Event.starts_at > now)
        .order_by(Event.starts_at, Event.id)
    )
    if city:
        query = query.where(Event.city == city)
    if category:
        query = query.where(Event.category == category)
    return list(db.session.scalars(query))


def my_events(member_id: int, now: datetime) -> list[tuple[Event, SignupState]]:
    """The member's current sign-ups and the events they attended in the last week."""
    since = now - timedelta(days=attendance.CHOICE_DAYS)
    rows = db.session.execute(
        select(Event, Signup)
        .join(Signup, Signup.event_id == Event.id)
        .where(Signup.member_id == member_id, Event.ends_at > since)
        .order_by(Event.starts_at, Event.id)
    )
    result = []
    for event, signup in rows:
        state = signup.shown_state(now)
        if state in (SignupState.confirmed, SignupState.waitlisted, SignupState.offered):
            result.append((event, state))
    return result


def event_view(event: Event, member_id: int, now: datetime) -> EventView:
    rows = operations.signups_of(event.id)
    mine = next((r for r in rows if r.member_id == member_id), None)
    state = mine.shown_state(now) if mine is not None else None
    line = operations.waitlist(rows)
    position = next((i for i, r in enumerate(line, 1) if r.member_id == member_id), None)
    published = event.state is EventState.published
    active = state in (SignupState.confirmed, SignupState.waitlisted, SignupState.offered)
    open_for_signup = published and event.signup_deadline > now and event.starts_at > now
    can_cancel = (
        active
        and event.starts_at > now
        and (state is not SignupState.confirmed or event.cancel_deadline > now)
    )
    checked_in = mine is not None and mine.checked_in_at is not None
    return EventView(
        event=event,
        seats_left=operations.seats_left(event, rows, now),
        waiting=len(line),
        mine=mine,
        state=state,
        position=position,
        can_sign_up=open_for_signup and not active,
        can_cancel=bool(can_cancel),
        checkin_open=attendance.checkin_open(event, now),
        choice_open=checked_in
        and state is SignupState.confirmed
        and attendance.choice_open(event, now),
    )


def seated_together(member_id: int, other_id: int) -> bool:
    """Both had a confirmed seat at the same event (an acquaintance check)."""
    mine, theirs = aliased(Signup), aliased(Signup)
    same_event = (
        select(mine.id)
        .join(theirs, theirs.event_id == mine.event_id)
        .where(
            mine.member_id == member_id,
            theirs.member_id == other_id,
            mine.state == SignupState.confirmed,
            theirs.state == SignupState.confirmed,
        )
    )
    return db.session.scalar(same_event.limit(1)) is not None


def event_exists(event_id: int) -> bool:
    return db.session.get(Event, event_id) is not None


def next_lecture_id(now: datetime) -> int | None:
    """The soonest upcoming lecture (讲座), for the love school to link to."""
    query = (
        select(Event.id)
        .where(Event.category == EventCategory.lecture, Event.starts_at > now)
        .order_by(Event.starts_at)
        .limit(1)
    )
    return db.session.scalar(query)
