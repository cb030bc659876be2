"""Notification words of quick match: a new match, "did you meet?"."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from app.notifications.texts import Shown
from app.profiles.public import other_nickname
from app.quickmatch.routes import conversation_url


def _new_match(params: dict) -> Shown:
    match_id = params.get("match_id")
    return Shown(
        _("It's a match: you and %(name)s like each other.", name=other_nickname(params)),
        link=conversation_url(match_id) if isinstance(match_id, int) else None,
        link_text=_("Say hello"),
    )


def _did_you_meet(params: dict) -> Shown:
    match_id = params.get("match_id")
    link = url_for("quickmatch.meeting", match_id=match_id) if isinstance(match_id, int) else None
    return Shown(
        _(
            "You have been chatting with %(name)s for a while. Did you meet? Only you see "
            "your answer.",
            name=other_nickname(params),
        ),
        link=link,
        link_text=_("Tell us privately"),
    )


NOTIFICATIONS = {
    "new_match": _new_match,
    "did_you_meet": _did_you_meet,
}
