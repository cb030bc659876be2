"""Introductions (红娘牵线): one matchmaker's proposal of two members to each other.

The pair is stored once, lower id first (like ``Match``). Each member's answer is
private: the other side never learns a decline. ``pending`` until both accepted
(``matched``, with the match) or one declined (``closed``). One pending introduction
per pair at a time (a partial unique index).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db

NOTE_MIN = 10
NOTE_MAX = 1000
PENDING_SQL = text("state = 'pending'")


class IntroductionState(enum.StrEnum):
    pending = "pending"
    matched = "matched"  # both accepted: a match was made
    closed = "closed"  # one declined (or the two can no longer meet)


class Answer(enum.StrEnum):
    accepted = "accepted"
    declined = "declined"


class Introduction(db.Model):
    __tablename__ = "introduction"
    __table_args__ = (
        CheckConstraint("member_a_id < member_b_id", name="ordered_pair"),
        Index(
            "uq_introduction_pending_pair",
            "member_a_id",
            "member_b_id",
            unique=True,
            sqlite_where=PENDING_SQL,
            postgresql_where=PENDING_SQL,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    matchmaker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    member_a_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    member_b_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    note: Mapped[str] = mapped_column(Text)
    state: Mapped[IntroductionState] = mapped_column(
        str_enum(IntroductionState), default=IntroductionState.pending
    )
    answer_a: Mapped[Answer | None] = mapped_column(str_enum(Answer))
    answer_b: Mapped[Answer | None] = mapped_column(str_enum(Answer))
    answered_a_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_b_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    match_id: Mapped[int | None] = mapped_column(ForeignKey("member_match.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def side(self, member_id: int) -> str | None:
        """ "a" or "b" for a member of the pair, else None."""
        if member_id == self.member_a_id:
            return "a"
        if member_id == self.member_b_id:
            return "b"
        return None

    def other(self, member_id: int) -> int:
        return self.member_b_id if member_id == self.member_a_id else self.member_a_id

    def answer_of(self, member_id: int) -> Answer | None:
        return self.answer_a if self.side(member_id) == "a" else self.answer_b
