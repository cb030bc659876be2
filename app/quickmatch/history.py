"""The matcher's history from the quick-match tables, in four queries."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.quickmatch.models import Block, DailySuggestion, Match, Reaction, ReactionKind
from matching import History


def load_history(day: date, repeat_window_days: int) -> History:
    """What happened between members, as the matcher takes it: the pairs shown within
    ``repeat_window_days`` before ``day`` (and any shown on or after it), every like,
    pass, block and match. Four queries, whatever the number of members."""
    since = day - timedelta(days=repeat_window_days)
    shown = db.session.execute(
        select(DailySuggestion.viewer_id, DailySuggestion.candidate_id, DailySuggestion.day).where(
            DailySuggestion.day > since
        )
    )
    reactions = db.session.execute(
        select(Reaction.from_id, Reaction.to_id, Reaction.day, Reaction.kind)
    ).all()
    blocks = db.session.execute(select(Block.blocker_id, Block.blocked_id))
    matches = db.session.execute(select(Match.user_a_id, Match.user_b_id))
    return History(
        shown=[(v, c, d) for v, c, d in shown],
        likes=[(a, b, d) for a, b, d, kind in reactions if kind is ReactionKind.like],
        passes=[(a, b, d) for a, b, d, kind in reactions if kind is ReactionKind.pass_],
        blocks=[(a, b) for a, b in blocks],
        matches=[(a, b) for a, b in matches],
    )
