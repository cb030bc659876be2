"""Did you meet? (见面了吗): a while after a match has really chatted, each side is
asked in private whether they met and how it went.

A daily beat task (``quickmatch.ask_about_meetings``) finds the matches that are at
least ``QUICKMATCH_MEETING_AFTER_DAYS`` old, still open, with at least
``QUICKMATCH_MEETING_MIN_MESSAGES`` messages written by both sides, and never asked;
it writes an unanswered ``MeetingFeedback`` for each side and notifies each
(``did_you_meet``). A member answers on their own page, may change the answer later
("not yet" often becomes "yes"), and the other side never sees it. The answers feed
the matcher's history (``history.load_history``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.lounge.queries import chatted_matches
from app.notifications.models import notify
from app.quickmatch.models import MeetingAnswer, MeetingFeedback
from app.relations.models import Match
from app.relations.queries import apart

DID_YOU_MEET = "did_you_meet"  # the notification's kind


def due_matches(now: datetime, after_days: int, min_messages: int) -> list[Match]:
    """Open matches made at least ``after_days`` before ``now`` whose two sides have
    written ``min_messages`` messages between them (each at least one), not yet asked."""
    chatted = chatted_matches(min_messages)
    asked = select(MeetingFeedback.match_id)
    query = (
        select(Match)
        .where(
            Match.created_at <= now - timedelta(days=after_days),
            Match.ended_at.is_(None),
            Match.id.in_(chatted),
            Match.id.not_in(asked),
        )
        .order_by(Match.id)
    )
    return list(db.session.scalars(query))


def ask_due(now: datetime, after_days: int, min_messages: int) -> int:
    """Ask both sides of every due match (an unanswered row each, a notification each);
    returns how many matches were asked. Pairs kept apart since are skipped. Flushes;
    the task commits. A repeated run asks nobody twice (the rows mark who was asked)."""
    asked = 0
    for match in due_matches(now, after_days, min_messages):
        if apart(match.user_a_id, match.user_b_id):
            continue
        for member_id in (match.user_a_id, match.user_b_id):
            db.session.add(MeetingFeedback(match_id=match.id, member_id=member_id, asked_at=now))
            other_id = other_side(match, member_id)
            notify(member_id, DID_YOU_MEET, match_id=match.id, other_id=other_id)
        asked += 1
    db.session.flush()
    return asked


def question_for(member_id: int, match_id: int) -> MeetingFeedback | None:
    """The member's own question about the match, if they were asked (else None: the
    page is a 404, whoever's match it is)."""
    query = select(MeetingFeedback).where(
        MeetingFeedback.match_id == match_id, MeetingFeedback.member_id == member_id
    )
    return db.session.scalar(query)


def answer(
    question: MeetingFeedback, met: MeetingAnswer, rating: int | None, now: datetime | None = None
) -> MeetingFeedback:
    """Store (or change) the member's answer; a rating only with "yes". Flushes."""
    if rating is not None and (met is not MeetingAnswer.yes or not 1 <= rating <= 5):
        raise ValueError("a rating from 1 to 5, and only when they met")
    question.met, question.rating = met, rating
    question.answered_at = now or utcnow()
    db.session.flush()
    return question


def other_side(match: Match, member_id: int) -> int:
    return match.user_b_id if match.user_a_id == member_id else match.user_a_id
