"""An event as an iCalendar file (.ics), for the member's own calendar."""

from __future__ import annotations

from datetime import UTC

from flask import request
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from app.db_types import utcnow
from app.events.models import Event, EventState


def ics(event: Event, url: str) -> bytes:
    """One VEVENT: UID, DTSTART/DTEND in UTC, SUMMARY, LOCATION, DESCRIPTION, URL."""
    calendar = Calendar()
    calendar.add("prodid", "-//Queqiao//Events//ZH")
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{request.host.split(':')[0] or 'queqiao'}")
    entry.add("dtstamp", utcnow())
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    entry.add("location", f"{event.city} {event.place}")
    entry.add("description", event.description or "")
    entry.add("url", url)
    if event.state is EventState.cancelled:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    return calendar.to_ical()
