"""Check-in (签到) and the after-event mutual choice (活动后互选).

Check-in: an attendee with a seat enters the code shown at the venue while check-in is
open (an hour before the start until the end), or the organiser ticks the list.

Mutual choice: from the end of the event until ``CHOICE_DAYS`` later, each checked-in
attendee privately picks up to ``MAX_PICKS`` other checked-in attendees. Members kept
apart (a block either way, suspended, deleted) are never offered. A pick both ways makes
a match (the love lounge opens for the two, both notified). Picks are added, never
taken back, and never shown to the picked member.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.events.models import CODE_LENGTH, MAX_PICKS, Event, EventState, Pick, Signup, SignupState
from app.events.operations import Refused, lock_event
from app.extensions import db
from app.relations.models import Match
from app.relations.operations import make_match
from app.relations.queries import apart

CHECKIN_OPENS_BEFORE = timedelta(hours=1)
CHOICE_DAYS = 7
TOO_MANY_GUESSES = _l(
    "Too many check-in attempts. Please wait a few minutes and try again, or ask the "
    "matchmaker to check you in."
)


@dataclass(frozen=True)
class Guesses:
    """The event's budget of wrong codes: ``allowed`` before a code is compared (False
    once the budget is spent), ``wrong`` to count one. Both run under the event's lock,
    so concurrent guesses at one event are counted one after the other."""

    allowed: Callable[[], bool] = lambda: True
    wrong: Callable[[], object] = lambda: None


def new_code() -> str:
    """A random check-in code of digits, easy to read out at the venue."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def checkin_open(event: Event, now: datetime) -> bool:
    return (
        event.state is EventState.published
        and event.starts_at - CHECKIN_OPENS_BEFORE <= now < event.ends_at
    )


def choice_open(event: Event, now: datetime) -> bool:
    return event.state is EventState.published and event.ends_at <= now < event.ends_at + timedelta(
        days=CHOICE_DAYS
    )


def _signup(event_id: int, member_id: int) -> Signup | None:
    query = select(Signup).where(Signup.event_id == event_id, Signup.member_id == member_id)
    return db.session.scalar(query)


def check_in(
    event_id: int, member_id: int, code: str, now: datetime, guesses: Guesses = Guesses()
) -> Signup:
    """Check the member in with the venue's code. Refused when check-in is not open
    (409), the member has no confirmed seat (403), the event's ``guesses`` are spent
    (429: even the right code waits) or the code is wrong (400, counted as a wrong
    guess). Checking in twice is harmless. Flushes."""
    event = lock_event(event_id)
    if not checkin_open(event, now):
        raise Refused(_l("Check-in is open from an hour before the start until the end."))
    mine = _signup(event.id, member_id)
    if mine is None or mine.shown_state(now) is not SignupState.confirmed:
        raise Refused(_l("Only members with a confirmed seat can check in."), 403)
    if not guesses.allowed():
        raise Refused(TOO_MANY_GUESSES, 429)
    if not secrets.compare_digest(code.strip(), event.checkin_code):
        guesses.wrong()
        raise Refused(_l("That is not the check-in code. Ask the matchmaker for it."), 400)
    if mine.checked_in_at is None:
        mine.checked_in_at = now
    db.session.flush()
    return mine


def mark_attendance(event: Event, signup_id: int, present: bool, now: datetime) -> Signup:
    """The organiser ticks (or unticks) an attendee with a confirmed seat. Flushes."""
    signup = db.session.get(Signup, signup_id)
    if signup is None or signup.event_id != event.id:
        raise Refused(_l("This person is not signed up for this event."), 404)
    if signup.state is not SignupState.confirmed:
        raise Refused(_l("Only attendees with a confirmed seat can be checked in."))
    if event.state is not EventState.published or now < event.starts_at - CHECKIN_OPENS_BEFORE:
        raise Refused(_l("Check-in opens an hour before the start."))
    signup.checked_in_at = (signup.checked_in_at or now) if present else None
    db.session.flush()
    return signup


def attendees(event_id: int) -> set[int]:
    """The members who checked in."""
    query = select(Signup.member_id).where(
        Signup.event_id == event_id,
        Signup.state == SignupState.confirmed,
        Signup.checked_in_at.is_not(None),
    )
    return set(db.session.scalars(query))


def candidates(event_id: int, picker_id: int) -> list[int]:
    """Whom the picker may choose: the other attendees not kept apart from them."""
    others = sorted(attendees(event_id) - {picker_id})
    return [other for other in others if not apart(picker_id, other)]


def picks_of(event_id: int, picker_id: int) -> set[int]:
    query = select(Pick.picked_id).where(Pick.event_id == event_id, Pick.picker_id == picker_id)
    return set(db.session.scalars(query))


def pick(event_id: int, picker_id: int, picked_ids: list[int], now: datetime) -> list[Match]:
    """Add the picker's choices; returns the matches they make. Refused for a member who
    did not check in (403), outside the choice window (409), for someone not on offer or
    more than ``MAX_PICKS`` in all (400). The event's lock serialises two attendees
    picking each other at the same moment, so their match is made once. Flushes."""
    event = lock_event(event_id)
    if picker_id not in attendees(event.id):
        raise Refused(_l("Only attendees who checked in can choose."), 403)
    if not choice_open(event, now):
        raise Refused(_l("The choice is open for seven days after the event ends."))
    already = picks_of(event.id, picker_id)
    new = set(picked_ids) - already
    if not new:
        raise Refused(_l("Choose at least one person."), 400)
    if not new <= set(candidates(event.id, picker_id)):
        raise Refused(_l("You can only choose other attendees of this event."), 400)
    if len(already) + len(new) > MAX_PICKS:
        raise Refused(_l("You can choose at most %(n)d people.", n=MAX_PICKS), 400)
    matches = []
    for picked_id in sorted(new):
        db.session.add(Pick(event_id=event.id, picker_id=picker_id, picked_id=picked_id))
        if picker_id in picks_of(event.id, picked_id):
            match = make_match(picker_id, picked_id)
            if match is not None:
                matches.append(match)
    db.session.flush()
    return matches
