"""The matcher's history from the quick-match tables, in four queries."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import CompoundSelect, case, cast, literal, null, select, union_all

from app.db_types import UTCDateTime
from app.extensions import db
from app.quickmatch.models import (
    DailySuggestion,
    MeetingAnswer,
    MeetingFeedback,
    Reaction,
    ReactionKind,
)
from app.quickmatch.settings import Settings
from app.relations.models import Block, Match
from matching import History

# "Did you meet?": a meeting rated this well counts as a like of the other side, this
# badly as a pass (3 says nothing either way).
MET_LIKE_FROM, MET_PASS_UP_TO = 4, 2


def load_history(day: date, repeat_window_days: int) -> History:
    """What happened between members, as the matcher takes it: the pairs shown within
    ``repeat_window_days`` before ``day`` (and any shown on or after it), every like and
    pass (with the rated "did you meet?" answers, see ``answers``), block and match.
    Four queries, whatever the number of members."""
    since = day - timedelta(days=repeat_window_days)
    shown = db.session.execute(
        select(DailySuggestion.viewer_id, DailySuggestion.candidate_id, DailySuggestion.day).where(
            DailySuggestion.day > since
        )
    )
    zone = Settings.current().zone
    reactions = [
        (a, b, d if d is not None else answered_at.astimezone(zone).date(), kind)
        for a, b, d, kind, answered_at in db.session.execute(answers())
    ]
    blocks = db.session.execute(select(Block.blocker_id, Block.blocked_id))
    matches = db.session.execute(select(Match.user_a_id, Match.user_b_id))
    return History(
        shown=[(v, c, d) for v, c, d in shown],
        likes=[(a, b, d) for a, b, d, kind in reactions if kind is ReactionKind.like],
        passes=[(a, b, d) for a, b, d, kind in reactions if kind is ReactionKind.pass_],
        blocks=[(a, b) for a, b in blocks],
        matches=[(a, b) for a, b in matches],
    )


def answers() -> CompoundSelect:
    """Every reaction as (from, to, day, kind, NULL), and every rated meeting as (member,
    other side, NULL, like or pass, answered at): a meeting rated 4 or 5 counts as a like
    of the other side, 1 or 2 as a pass, on the day of the answer (the caller dates it
    in ``QUICKMATCH_TIMEZONE``); 3 says nothing either way. One query."""
    reactions = select(
        Reaction.from_id, Reaction.to_id, Reaction.day, Reaction.kind, cast(null(), UTCDateTime())
    )
    other = case(
        (Match.user_a_id == MeetingFeedback.member_id, Match.user_b_id), else_=Match.user_a_id
    )
    kind = case(
        (MeetingFeedback.rating >= MET_LIKE_FROM, literal(ReactionKind.like.value)),
        else_=literal(ReactionKind.pass_.value),
    )
    meetings = (
        select(MeetingFeedback.member_id, other, null(), kind, MeetingFeedback.answered_at)
        .join(Match, Match.id == MeetingFeedback.match_id)
        .where(
            MeetingFeedback.met == MeetingAnswer.yes,
            (MeetingFeedback.rating >= MET_LIKE_FROM) | (MeetingFeedback.rating <= MET_PASS_UP_TO),
        )
    )
    return union_all(reactions, meetings)


def was_suggested(member_id: int, other_id: int) -> bool:
    """``other_id`` was on the member's Today list, any day (an acquaintance check)."""
    query = select(DailySuggestion.id).where(
        DailySuggestion.viewer_id == member_id, DailySuggestion.candidate_id == other_id
    )
    return db.session.scalar(query.limit(1)) is not None
