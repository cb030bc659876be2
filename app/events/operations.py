"""Sign-ups, the waitlist and its offers (候补递补).

Every operation locks the event's row first (``lock_event``), then settles it: offers
past their window become ``expired`` and freed seats are offered to the next in line.
So two members racing for the last seat are served one after the other, and exactly
one gets it. Operations flush; the view (or task) commits. A refused request raises
``Refused`` (message and HTTP status) before writing anything the caller should keep:
the caller rolls back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.events.models import ACTIVE_STATES, Event, EventState, Signup, SignupState
from app.events.settings import Settings
from app.extensions import db
from app.locking import lock_row
from app.notifications.models import notify
from app.verification.queries import verified_gender

SEAT_OFFERED = "event_seat_offered"  # notification kinds
OFFER_EXPIRED = "event_offer_expired"


class NoSuchEvent(LookupError):
    """No event with this id."""


class Refused(Exception):
    """The request breaks a rule; ``message`` says which, ``status`` is the answer."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(str(message))
        self.message = message
        self.status = status


def offer_window() -> timedelta:
    return Settings.current().offer_window


def lock_event(event_id: int) -> Event:
    """The event, its row locked until the transaction ends. Raises ``NoSuchEvent``."""
    event = lock_row(Event, event_id)
    if event is None:
        raise NoSuchEvent(event_id)
    return event


def signups_of(event_id: int) -> list[Signup]:
    """Every sign-up of the event, in line order (who came first)."""
    query = (
        select(Signup)
        .where(Signup.event_id == event_id)
        .order_by(Signup.queued_at, Signup.id)
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(query))


def seats_held(rows: list[Signup], now: datetime, gender: str | None = None) -> int:
    return sum(1 for r in rows if r.holds_seat(now) and (gender is None or r.gender == gender))


def seats_left(event: Event, rows: list[Signup], now: datetime) -> int:
    return max(0, event.capacity - seats_held(rows, now))


def gender_full(event: Event, rows: list[Signup], gender: str | None, now: datetime) -> bool:
    """The per-gender cap is reached for ``gender`` (never for an unknown gender)."""
    if event.gender_cap is None or gender is None:
        return False
    return seats_held(rows, now, gender) >= event.gender_cap


def waitlist(rows: list[Signup]) -> list[Signup]:
    return [r for r in rows if r.state is SignupState.waitlisted]


def _params(event: Event) -> dict:
    return {"event_id": event.id, "title": event.title}


def settle(event: Event, now: datetime) -> list[Signup]:
    """Mark offers past their window ``expired`` (their members told), then offer freed
    seats to the next in line. Returns the event's sign-ups. The event must be locked."""
    rows = signups_of(event.id)
    for row in rows:
        if row.state is SignupState.offered and not row.offer_open(now):
            row.state = SignupState.expired
            notify(row.member_id, OFFER_EXPIRED, **_params(event))
    fill_seats(event, rows, now)
    db.session.flush()
    return rows


def fill_seats(event: Event, rows: list[Signup], now: datetime) -> list[Signup]:
    """Offer each free seat to the first waiting member it fits (the per-gender cap),
    with a notification and ``EVENTS_OFFER_HOURS`` to answer (never past the start)."""
    if event.state is not EventState.published or event.starts_at <= now:
        return []
    offered = []
    for row in waitlist(rows):
        if seats_left(event, rows, now) == 0:
            break
        if gender_full(event, rows, row.gender, now):
            continue
        row.state = SignupState.offered
        row.offer_expires_at = min(now + offer_window(), event.starts_at)
        until = row.offer_expires_at.isoformat()
        notify(row.member_id, SEAT_OFFERED, **_params(event), until=until)
        offered.append(row)
    return offered


def _mine(rows: list[Signup], member_id: int) -> Signup | None:
    return next((r for r in rows if r.member_id == member_id), None)


def _open_for_signup(event: Event, now: datetime) -> None:
    if event.state is EventState.cancelled:
        raise Refused(_l("This event was cancelled."))
    if event.starts_at <= now:
        raise Refused(_l("This event has already taken place."))
    if event.signup_deadline <= now:
        raise Refused(_l("Sign-up for this event has closed."))


def sign_up(event_id: int, member_id: int, now: datetime) -> Signup:
    """Give the member a seat, or a place on the waitlist when the event is full or
    their gender's cap is reached. Refused when the event is cancelled, past or closed
    for sign-up, or the member is signed up already. Flushes."""
    event = lock_event(event_id)
    _open_for_signup(event, now)
    rows = settle(event, now)
    mine = _mine(rows, member_id)
    if mine is not None and mine.state in ACTIVE_STATES:
        raise Refused(_l("You are already signed up for this event."))
    gender = verified_gender(member_id)
    free = seats_left(event, rows, now) > 0 and not gender_full(event, rows, gender, now)
    state = SignupState.confirmed if free else SignupState.waitlisted
    if mine is None:
        mine = Signup(event_id=event.id, member_id=member_id)
        db.session.add(mine)
    mine.state, mine.gender, mine.queued_at = state, gender, now
    mine.offer_expires_at = mine.checked_in_at = None
    db.session.flush()
    return mine


def cancel(event_id: int, member_id: int, now: datetime) -> Signup:
    """Give up a seat (before the cancellation deadline) or leave the waitlist; a freed
    seat is offered to the next in line. Flushes."""
    event = lock_event(event_id)
    rows = settle(event, now)
    mine = _mine(rows, member_id)
    if mine is None or mine.state not in ACTIVE_STATES:
        raise Refused(_l("You are not signed up for this event."))
    if event.starts_at <= now:
        raise Refused(_l("This event has already started."))
    if mine.state is SignupState.confirmed and event.cancel_deadline <= now:
        raise Refused(_l("The cancellation deadline has passed. Please tell the matchmaker."))
    offered = mine.state is SignupState.offered
    mine.state = SignupState.declined if offered else SignupState.cancelled
    mine.offer_expires_at = None
    fill_seats(event, rows, now)
    db.session.flush()
    return mine


def _open_offer(event_id: int, member_id: int, now: datetime) -> tuple[Event, list, Signup]:
    event = lock_event(event_id)
    rows = signups_of(event.id)
    mine = _mine(rows, member_id)
    if mine is None or mine.state is not SignupState.offered:
        raise Refused(_l("There is no seat offered to you for this event."))
    if not mine.offer_open(now) or event.state is not EventState.published:
        raise Refused(_l("Sorry, the offer has run out: the seat went to the next in line."))
    return event, rows, mine


def accept(event_id: int, member_id: int, now: datetime) -> Signup:
    """Take the offered seat while the offer is open; a late answer is refused (409)
    even before the beat task has marked the offer expired. Flushes."""
    _event, _rows, mine = _open_offer(event_id, member_id, now)
    mine.state = SignupState.confirmed
    mine.offer_expires_at = None
    db.session.flush()
    return mine


def decline(event_id: int, member_id: int, now: datetime) -> Signup:
    """Turn the offered seat down: it goes to the next in line. Flushes."""
    event, rows, mine = _open_offer(event_id, member_id, now)
    mine.state = SignupState.declined
    mine.offer_expires_at = None
    fill_seats(event, rows, now)
    db.session.flush()
    return mine


def events_with_expired_offers(now: datetime) -> list[int]:
    """Ids of the events holding an offer past its window (still stored as offered)."""
    query = (
        select(Signup.event_id)
        .where(Signup.state == SignupState.offered, Signup.offer_expires_at <= now)
        .distinct()
    )
    return sorted(db.session.scalars(query))


def settle_event(event_id: int, now: datetime) -> None:
    """Lock and settle one event (see ``settle``). Flushes; the caller commits."""
    settle(lock_event(event_id), now)
