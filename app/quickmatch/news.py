"""Quick match's part of the home page's "what's new": today's suggestions left to
answer, and the people who liked the member and are still waiting for an answer.

Reads quick match's own tables (and the base layer's who-is-kept-apart) only.

- Suggestions left: today's list (``DailySuggestion`` for the day in
  ``QUICKMATCH_TIMEZONE``) less the candidates the member has answered since that day
  and those kept apart (blocked either way, suspended, deleted), as the Today page.
- Liked you: distinct members whose like reached the member and whom the member has
  never answered (no like or pass from the member to them, any day), kept-apart ones
  left out. A like the member answered with a like is a match (the lounge's news).
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.extensions import db
from app.features import NewsItem
from app.quickmatch.models import DailySuggestion, Reaction, ReactionKind
from app.quickmatch.settings import Settings
from app.relations.queries import kept_apart


def suggestions_left(member_id: int) -> int:
    day = Settings.current().today()
    listed = set(
        db.session.scalars(
            select(DailySuggestion.candidate_id).where(
                DailySuggestion.day == day, DailySuggestion.viewer_id == member_id
            )
        )
    )
    if not listed:
        return 0
    answered = set(
        db.session.scalars(
            select(Reaction.to_id).where(Reaction.from_id == member_id, Reaction.day >= day)
        )
    )
    return len(listed - answered - kept_apart(member_id))


def waiting_likes(member_id: int) -> int:
    likers = set(
        db.session.scalars(
            select(Reaction.from_id).where(
                Reaction.to_id == member_id, Reaction.kind == ReactionKind.like
            )
        )
    )
    if not likers:
        return 0
    answered = set(db.session.scalars(select(Reaction.to_id).where(Reaction.from_id == member_id)))
    return len(likers - answered - kept_apart(member_id))


def news(user: Any) -> list[NewsItem]:
    left = suggestions_left(user.id)
    likes = waiting_likes(user.id)
    return [
        NewsItem(
            key="suggestions",
            label=ngettext("%(num)d suggestion left today", "%(num)d suggestions left today", left),
            count=left,
            url=url_for("quickmatch.index"),
            icon="sparkles",
        ),
        NewsItem(
            key="likes",
            label=ngettext("%(num)d person liked you", "%(num)d people liked you", likes),
            count=likes,
            url=url_for("quickmatch.index"),
            icon="heart",
            detail=_("Like them back from your Today page and it is a match."),
        ),
    ]
