"""The lounge's part of the home page's "what's new": new matches and unread messages.

- New matches: the member's open matches (as the lounge lists them: partners kept apart
  left out) made in the last ``NEW_MATCH_DAYS`` days in which nobody has written yet:
  a match waiting for its first message.
- Unread messages: the partner's messages the member has not read yet, over every
  conversation of the lounge's list (the count the lounge shows).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import url_for
from flask_babel import ngettext

from app.db_types import utcnow
from app.features import NewsItem
from app.lounge.operations import matches_of

NEW_MATCH_DAYS = 7


def counts(member_id: int) -> tuple[int, int]:
    """``(new matches, unread messages)`` of the member."""
    since = utcnow() - timedelta(days=NEW_MATCH_DAYS)
    entries = matches_of(member_id)
    fresh = sum(1 for entry in entries if entry.last is None and entry.match.created_at >= since)
    return fresh, sum(entry.unread for entry in entries)


def news(user: Any) -> list[NewsItem]:
    fresh, unread = counts(user.id)
    return [
        NewsItem(
            key="matches",
            label=ngettext("%(num)d new match: say hello", "%(num)d new matches: say hello", fresh),
            count=fresh,
            url=url_for("lounge.index"),
            icon="heart-handshake",
        ),
        NewsItem(
            key="messages",
            label=ngettext("%(num)d unread message", "%(num)d unread messages", unread),
            count=unread,
            url=url_for("lounge.index"),
            icon="message-circle",
        ),
    ]
