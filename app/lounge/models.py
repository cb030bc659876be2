"""Love lounge (爱情会客厅): the messages of a match's private conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import BigId, UTCDateTime, utcnow
from app.extensions import db


class Message(db.Model):
    """One message in a match's conversation. ``read_at`` is when the receiver first
    saw it; ``flagged`` and ``flag_reasons`` are the fraud rules' verdict (the message
    is delivered anyway, with a warning to the receiver; administrators see the flag)."""

    __tablename__ = "lounge_message"
    __table_args__ = (Index("ix_lounge_message_match_id_id", "match_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("member_match.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flagged: Mapped[bool] = mapped_column(default=False, index=True)
    flag_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
