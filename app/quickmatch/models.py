"""Quick match (每日速配): the day's suggestions, reactions and "did you meet?" answers.

With the blocks and matches of ``app.relations`` these tables are the matcher's history:
a pair shown within the repeat window, a blocked pair and a matched pair are never
suggested again.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    SmallInteger,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import BigId, UTCDateTime, str_enum, utcnow
from app.extensions import db


class DailySuggestion(db.Model):
    """One candidate on one member's list for one day (今日推荐), ranked from 1."""

    __tablename__ = "daily_suggestion"
    __table_args__ = (UniqueConstraint("day", "viewer_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date]
    viewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    rank: Mapped[int] = mapped_column(SmallInteger)
    score: Mapped[float] = mapped_column(Float)
    # Why this candidate: structured {"code": ..., "params": {...}} when the matcher
    # gives them (the page words them in the reader's language), else plain strings.
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DailyList(db.Model):
    """That one member's list for one day is written (今日名单), and how long it is.

    One row for every member a run lists, an empty list included: a member nobody fits
    today has a row of size 0, so neither the page nor a re-run computes it again.
    """

    __tablename__ = "daily_list"
    __table_args__ = (
        UniqueConstraint("day", "member_id"),
        CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date]
    member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    size: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReactionKind(enum.StrEnum):
    like = "like"  # 喜欢
    pass_ = "pass"  # noqa: S105 - 跳过, not a password


class Reaction(db.Model):
    """A member's answer to a suggestion; one per ordered pair, the latest wins."""

    __tablename__ = "reaction"
    __table_args__ = (
        UniqueConstraint("from_id", "to_id"),
        CheckConstraint("from_id <> to_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    to_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[ReactionKind] = mapped_column(str_enum(ReactionKind))
    day: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MeetingAnswer(enum.StrEnum):
    yes = "yes"  # 见过了
    not_yet = "not_yet"  # 还没有
    no = "no"  # 不打算见


class MeetingFeedback(db.Model):
    """Did you meet? (见面了吗): one member's private answer about one match.

    The row is written when the member is asked (``met`` empty) and filled when they
    answer; it is never shown to the other side. A "met" with a rating of 4 or 5
    counts as a like for the matcher, 1 or 2 as a pass (``history.load_history``).
    """

    __tablename__ = "meeting_feedback"
    __table_args__ = (
        UniqueConstraint("match_id", "member_id"),
        CheckConstraint(
            "rating IS NULL OR (met = 'yes' AND rating BETWEEN 1 AND 5)", name="rating_when_met"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("member_match.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    met: Mapped[MeetingAnswer | None] = mapped_column(str_enum(MeetingAnswer))
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
