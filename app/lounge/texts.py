"""Notification words of the love lounge: a new message, a match ended."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from app.notifications.texts import Shown
from app.profiles.public import other_nickname


def _new_message(params: dict) -> Shown:
    match_id = params.get("match_id")
    link = url_for("lounge.conversation", match_id=match_id) if isinstance(match_id, int) else None
    return Shown(
        _("%(name)s sent you a message in the love lounge.", name=other_nickname(params)),
        link=link,
        link_text=_("Read it"),
    )


def _match_ended(params: dict) -> Shown:
    return Shown(
        _("One of your matches has ended. The conversation is closed."),
        link=url_for("lounge.index"),
        link_text=_("Love lounge"),
    )


NOTIFICATIONS = {
    "new_message": _new_message,
    "match_ended": _match_ended,
}
