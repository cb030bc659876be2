"""Who is related to whom: blocks (拉黑) and matches (配对), the facts many features
read. They live below the features, so quick match (which makes matches), the lounge
(which talks over them), safety (which blocks) and privacy all use one home."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class Block(db.Model):
    """One member blocked another (拉黑): the two are kept apart for good, both ways."""

    __tablename__ = "member_block"
    __table_args__ = (
        UniqueConstraint("blocker_id", "blocked_id"),
        CheckConstraint("blocker_id <> blocked_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Match(db.Model):
    """Two members who liked each other (配对成功), stored once with the lower id first."""

    __tablename__ = "member_match"
    __table_args__ = (
        UniqueConstraint("user_a_id", "user_b_id"),
        CheckConstraint("user_a_id < user_b_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_a_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    user_b_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Unmatched (解除配对): when, and by which side; the conversation is closed for both.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @classmethod
    def between(cls, one_id: int, other_id: int) -> Match:
        """The match of two members, their ids put in the stored order."""
        low, high = sorted((one_id, other_id))
        return cls(user_a_id=low, user_b_id=high)
