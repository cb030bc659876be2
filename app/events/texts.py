"""Notification words of the events: seats offered and lost, changes, cancellations."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from app.notifications.texts import Shown


def _event_link(params: dict) -> str | None:
    event_id = params.get("event_id")
    return url_for("events.show", event_id=event_id) if isinstance(event_id, int) else None


def _event_title(params: dict) -> str:
    title = params.get("title")
    return title if isinstance(title, str) else _("an event")


def _event_seat_offered(params: dict) -> Shown:
    return Shown(
        _(
            "A seat has become free at %(title)s and is offered to you. Please accept or "
            "decline it in time, or it goes to the next in line.",
            title=_event_title(params),
        ),
        link=_event_link(params),
        link_text=_("Answer the offer"),
    )


def _event_offer_expired(params: dict) -> Shown:
    return Shown(
        _(
            "The seat offered to you at %(title)s was not taken in time and went to the "
            "next in line.",
            title=_event_title(params),
        ),
        link=_event_link(params),
        link_text=_("See the event"),
    )


def _event_changed(params: dict) -> Shown:
    return Shown(
        _("The time or place of %(title)s has changed.", title=_event_title(params)),
        link=_event_link(params),
        link_text=_("See the new details"),
    )


def _event_cancelled(params: dict) -> Shown:
    return Shown(
        _("%(title)s has been cancelled by the matchmaker.", title=_event_title(params)),
        link=_event_link(params),
        link_text=_("See the event"),
    )


NOTIFICATIONS = {
    "event_seat_offered": _event_seat_offered,
    "event_offer_expired": _event_offer_expired,
    "event_changed": _event_changed,
    "event_cancelled": _event_cancelled,
}
