"""The organiser's side: create, edit and cancel events.

Rules that depend on the sign-ups live here (the form checks the shape): the seats
cannot go below the seats already taken, nor the per-gender cap below a gender's taken
seats. Members signed up are told when the time or the place changes and when the event
is cancelled. Every change is audit-logged. Operations flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from app.audit.models import record
from app.events import operations
from app.events.attendance import new_code
from app.events.models import ACTIVE_STATES, Event, EventState
from app.extensions import db
from app.notifications.models import notify

EVENT_CHANGED = "event_changed"  # notification kinds
EVENT_CANCELLED = "event_cancelled"
WATCHED = ("starts_at", "ends_at", "place", "city")  # changes members are told about


class FieldErrors(Exception):
    """Values the sign-ups rule out: ``{field name: [message]}``."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def create_event(organiser_id: int, values: dict[str, Any], now: datetime) -> Event:
    """A published event with a fresh check-in code. Flushes."""
    if values["starts_at"] <= now:
        raise FieldErrors({"starts_at": [str(_l("The start must be in the future."))]})
    event = Event(organiser_id=organiser_id, checkin_code=new_code(), **values)
    db.session.add(event)
    db.session.flush()
    record("event.created", "event", event.id, actor_id=organiser_id, title=event.title)
    return event


def _check_seats(event: Event, values: dict[str, Any], now: datetime) -> list:
    rows = operations.signups_of(event.id)
    errors: dict[str, list[str]] = {}
    taken = operations.seats_held(rows, now)
    if values["capacity"] < taken:
        errors["capacity"] = [
            str(_l("%(n)d seats are taken already: the seats cannot be fewer.", n=taken))
        ]
    cap = values["gender_cap"]
    most = max((operations.seats_held(rows, now, g) for g in ("M", "F")), default=0)
    if cap is not None and cap < most:
        errors["gender_cap"] = [str(_l("%(n)d seats of one gender are taken already.", n=most))]
    if errors:
        raise FieldErrors(errors)
    return rows


def update_event(event_id: int, values: dict[str, Any], actor_id: int, now: datetime) -> Event:
    """Change the event; members signed up hear of a new time or place, more seats go
    to the waitlist. Refused for a cancelled event. Flushes."""
    event = operations.lock_event(event_id)
    if event.state is EventState.cancelled:
        raise operations.Refused(_l("This event was cancelled and can no longer be changed."))
    rows = _check_seats(event, values, now)
    changed = [name for name in WATCHED if getattr(event, name) != values[name]]
    for name, value in values.items():
        setattr(event, name, value)
    db.session.flush()
    if changed:
        for row in rows:
            if row.state in ACTIVE_STATES:
                notify(row.member_id, EVENT_CHANGED, event_id=event.id, title=event.title)
    operations.settle(event, now)
    record("event.updated", "event", event.id, actor_id=actor_id, changed=sorted(values))
    return event


def cancel_event(event_id: int, actor_id: int, reason: str = "") -> Event:
    """Cancel the event and tell everyone signed up (seats, waitlist, offers). Flushes."""
    event = operations.lock_event(event_id)
    if event.state is EventState.cancelled:
        raise operations.Refused(_l("This event is cancelled already."))
    event.state = EventState.cancelled
    for row in operations.signups_of(event.id):
        if row.state in ACTIVE_STATES:
            notify(row.member_id, EVENT_CANCELLED, event_id=event.id, title=event.title)
    db.session.flush()
    record("event.cancelled", "event", event.id, actor_id=actor_id, reason=reason or None)
    return event
