"""A notification's words, rendered from its ``kind`` and ``params`` in the reader's
language at display time, by the feature that declared the kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app import features
from app.notifications.models import Notification


@dataclass
class Shown:
    text: str
    details: list[str] = field(default_factory=list)
    link: str | None = None
    link_text: str | None = None


def show(notification: Notification) -> Shown:
    """The notification in the reader's language, worded by the feature that declared
    its kind (``Feature.notifications``); a generic line for an unknown kind."""
    render = features.registry().notification_kinds().get(notification.kind)
    if render is None:
        return Shown(_("You have a new notification."))
    return render(dict(notification.params or {}))
