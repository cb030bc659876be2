"""Events' part of the home page's "what's new": the next event the member signed up
for (a seat, a place on the waitlist or a seat offered), its title as the label and its
start shown with the shared clock; one item, count 1. Reads the events' own tables."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from app.db_types import utcnow
from app.events.models import EventState, SignupState
from app.events.queries import my_events
from app.features import NewsItem


def next_event(member_id: int) -> tuple[Any, SignupState] | None:
    """The member's next event not yet begun that they signed up for, and their state."""
    now = utcnow()
    for event, state in my_events(member_id, now):
        if event.state is EventState.published and event.starts_at > now:
            return event, state
    return None


def news(user: Any) -> list[NewsItem]:
    found = next_event(user.id)
    if found is None:
        return []
    event, state = found
    words = {
        SignupState.confirmed: _("Your next event"),
        SignupState.waitlisted: _("Your next event (on the waitlist)"),
        SignupState.offered: _("Your next event: a seat is offered to you"),
    }
    return [
        NewsItem(
            key="event",
            label=event.title,
            count=1,
            url=url_for("events.show", event_id=event.id),
            icon="calendar",
            detail=words.get(state, _("Your next event")),
            when=event.starts_at,
        )
    ]
