"""Like or pass (喜欢 / 跳过) on today's suggestions, and the match a mutual like makes.

Rules:

- a member answers only a candidate on their own list for the day, and never one they
  are kept apart from (blocked either way, suspended, deleted): ``NotSuggested``;
- the first answer of the day stands: the same answer again (a replayed form, a double
  tap) or the other answer after it raises ``AlreadyAnswered`` and writes nothing. An
  answer from an earlier day (the pair shown again after the repeat window) is replaced:
  ``Reaction`` keeps one row per ordered pair, the latest;
- a like that meets the other's like makes one ``Match`` and notifies both
  (``new_match``, params ``match_id`` and ``other_id``).

The race: two members liking each other at the same moment. Under READ COMMITTED
neither would see the other's uncommitted like and no match would be made, so each
answer first takes an advisory lock on the pair (``app.locking``) and only then reads
the other side's answer. The unique constraint on the match, behind a savepoint, keeps
it to one whatever else makes matches.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.quickmatch.models import DailySuggestion, Reaction, ReactionKind
from app.relations.models import Match
from app.relations.operations import lock_pair, new_match, tell_both
from app.relations.queries import apart


class NotSuggested(Exception):
    """The candidate is not on the viewer's list for the day (or is kept apart)."""


class AlreadyAnswered(Exception):
    """The viewer already answered this candidate today; ``kind`` is that answer."""

    def __init__(self, kind: ReactionKind) -> None:
        super().__init__(kind.value)
        self.kind = kind


def react(viewer_id: int, candidate_id: int, kind: ReactionKind, day: date) -> Match | None:
    """Store the viewer's answer to a suggestion of ``day``; return the match a mutual
    like makes (None otherwise, also when the two were matched already). Raises
    ``NotSuggested`` or ``AlreadyAnswered`` and then writes nothing. Flushes; the caller
    commits (which ends the pair's lock)."""
    if not is_suggested(viewer_id, candidate_id, day):
        raise NotSuggested(candidate_id)
    if apart(viewer_id, candidate_id):
        raise NotSuggested(candidate_id)
    lock_pair(viewer_id, candidate_id)
    _store(viewer_id, candidate_id, kind, day)
    if kind is not ReactionKind.like or not _likes(candidate_id, viewer_id):
        return None
    match = new_match(viewer_id, candidate_id)
    if match is not None:
        tell_both(match)
    return match


def is_suggested(viewer_id: int, candidate_id: int, day: date) -> bool:
    """Whether the candidate is on the viewer's list for ``day``."""
    query = select(DailySuggestion.id).where(
        DailySuggestion.day == day,
        DailySuggestion.viewer_id == viewer_id,
        DailySuggestion.candidate_id == candidate_id,
    )
    return db.session.scalar(query) is not None


def _store(viewer_id: int, candidate_id: int, kind: ReactionKind, day: date) -> None:
    reaction = db.session.scalar(
        select(Reaction).where(Reaction.from_id == viewer_id, Reaction.to_id == candidate_id)
    )
    if reaction is not None and reaction.day >= day:
        raise AlreadyAnswered(reaction.kind)
    if reaction is None:
        db.session.add(Reaction(from_id=viewer_id, to_id=candidate_id, kind=kind, day=day))
    else:
        reaction.kind, reaction.day = kind, day
    db.session.flush()


def _likes(from_id: int, to_id: int) -> bool:
    query = select(Reaction.id).where(
        Reaction.from_id == from_id, Reaction.to_id == to_id, Reaction.kind == ReactionKind.like
    )
    return db.session.scalar(query) is not None
