"""Consultations (红娘一对一): a member's request for help, its thread and its rating.

A request waits unassigned (``waiting``) until a matchmaker is available, is ``open``
while assigned, and ``resolved`` when the matchmaker closes it; the member then rates
it once. ``answer_due_at`` (assignment + 24 h) and ``first_answer_at`` (the assigned
matchmaker's first reply) are stored so the response rate is a plain comparison of two
columns in SQL on every engine; a reassignment starts both again.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db

TEXT_MIN = 10
TEXT_MAX = 2000
COMMENT_MAX = 500


class Topic(enum.StrEnum):
    getting_started = "getting_started"  # 入门
    profile = "profile"  # 资料
    chatting = "chatting"  # 聊天
    first_date = "first_date"  # 初次见面
    relationship = "relationship"  # 恋爱相处
    safety = "safety"  # 安全
    other = "other"


class ConsultationState(enum.StrEnum):
    waiting = "waiting"  # no matchmaker available yet
    open = "open"  # assigned, being answered
    resolved = "resolved"  # closed by the matchmaker


class Consultation(db.Model):
    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        # The assignment counts each matchmaker's open requests.
        Index("ix_consultation_matchmaker_id_state", "matchmaker_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    matchmaker_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    topic: Mapped[Topic] = mapped_column(str_enum(Topic))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[ConsultationState] = mapped_column(
        str_enum(ConsultationState), default=ConsultationState.waiting, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str | None] = mapped_column(String(COMMENT_MAX))
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConsultationMessage(db.Model):
    """One reply in a consultation's thread, by the member or the assigned matchmaker."""

    __tablename__ = "consultation_message"
    __table_args__ = (Index("ix_consultation_message_consultation_id_id", "consultation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
