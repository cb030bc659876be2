"""Safety (安全): reports about members (举报), the administrators' decisions on them,
and the appeals (申诉) of the members acted on.

A report is made by a member or by the fraud filter (``reporter_id`` None). An
administrator decides it once: dismissed, warned or suspended, with a statement of
reasons the member acted on reads. That member may appeal the decision once.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db

NOTE_MAX = 1000
STATEMENT_MIN = 5
STATEMENT_MAX = 1000
APPEAL_MIN = 10
APPEAL_MAX = 2000


class ReportReason(enum.StrEnum):
    fraud_or_money = "fraud_or_money"  # 诈骗、要钱
    harassment = "harassment"  # 骚扰
    fake_profile = "fake_profile"  # 虚假资料
    inappropriate_content = "inappropriate_content"  # 不当内容
    underage_or_married = "underage_or_married"  # 未成年或已婚
    other = "other"


class ReportSource(enum.StrEnum):
    member = "member"
    fraud_filter = "fraud_filter"  # the lounge's fraud rules flagged a message


class ReportState(enum.StrEnum):
    open = "open"
    dismissed = "dismissed"
    warned = "warned"  # 警告
    suspended = "suspended"  # 封禁

    @property
    def acted_on(self) -> bool:
        """The reported member was warned or suspended: they can appeal."""
        return self in (ReportState.warned, ReportState.suspended)


class AppealState(enum.StrEnum):
    open = "open"
    upheld = "upheld"  # the decision stands
    overturned = "overturned"  # the decision is reversed


OPEN_SQL = text("state = 'open'")
OPEN_FRAUD_SQL = text("state = 'open' AND source = 'fraud_filter'")


class Report(db.Model):
    """A report about a member. ``evidence`` keeps what the administrator judges:
    ``{"conversations": [{"with_id": id, "messages": [...]}], "flagged_message_ids": [...]}``
    (the conversation as it was when the report was made)."""

    __tablename__ = "safety_report"
    __table_args__ = (
        # The queue: open reports, oldest first.
        Index("ix_safety_report_state_created_at", "state", "created_at"),
        # One open report per reporter and reported member: a double submit stores one.
        Index(
            "uq_safety_report_open_per_reporter",
            "reporter_id",
            "reported_id",
            unique=True,
            sqlite_where=OPEN_SQL,
            postgresql_where=OPEN_SQL,
        ),
        # One open fraud-filter report per member: flagged messages gather in it.
        Index(
            "uq_safety_report_open_fraud_filter",
            "reported_id",
            unique=True,
            sqlite_where=OPEN_FRAUD_SQL,
            postgresql_where=OPEN_FRAUD_SQL,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reported_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[ReportSource] = mapped_column(str_enum(ReportSource))
    state: Mapped[ReportState] = mapped_column(str_enum(ReportState), default=ReportState.open)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(String(STATEMENT_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Appeal(db.Model):
    """The appeal of the member acted on by a report's decision: one per decision."""

    __tablename__ = "safety_appeal"
    __table_args__ = (Index("ix_safety_appeal_state_created_at", "state", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("safety_report.id"), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[AppealState] = mapped_column(str_enum(AppealState), default=AppealState.open)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(String(STATEMENT_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
