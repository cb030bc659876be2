"""Making a match (配对成功): from a mutual like on Today, an event's mutual choice or an
introduction both accepted. One place, so every way two members get matched locks the
pair the same way and tells both sides the same way. Flushes; the caller commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.locking import Namespace, advisory_lock
from app.notifications.models import notify
from app.relations.models import Match

NEW_MATCH = "new_match"  # the notification's kind


def lock_pair(one_id: int, other_id: int) -> None:
    """Serialise what two members do to each other until the transaction ends (the lock
    is the pair's, whichever of the two acts)."""
    advisory_lock(Namespace.quickmatch_pair, *sorted((one_id, other_id)))


def new_match(one_id: int, other_id: int) -> Match | None:
    """The pair's new match, or None when they are matched already. The caller holds the
    pair's lock and notifies."""
    match = Match.between(one_id, other_id)
    query = select(Match.id).where(
        Match.user_a_id == match.user_a_id, Match.user_b_id == match.user_b_id
    )
    if db.session.scalar(query) is not None:
        return None
    try:
        with db.session.begin_nested():
            db.session.add(match)
    except IntegrityError:  # made at this moment by another path (an event's mutual choice)
        return None
    return match


def tell_both(match: Match) -> None:
    """Notify both members of their new match."""
    notify(match.user_a_id, NEW_MATCH, match_id=match.id, other_id=match.user_b_id)
    notify(match.user_b_id, NEW_MATCH, match_id=match.id, other_id=match.user_a_id)


def make_match(one_id: int, other_id: int) -> Match | None:
    """Match two members: the new match, both notified (``new_match``), or None when
    they are matched already. Locks the pair first. Flushes; the caller commits."""
    lock_pair(one_id, other_id)
    match = new_match(one_id, other_id)
    if match is not None:
        tell_both(match)
    return match
