"""Audit log entries (审计日志). Written in the same transaction as the action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    reason: Mapped[str | None] = mapped_column(String(1000))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(
    action: str,
    subject_type: str,
    subject_id: int,
    actor_id: int | None = None,
    reason: str | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry (``actor_id`` None: the system). Flushes; the caller commits."""
    entry = AuditEntry(
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        actor_id=actor_id,
        reason=reason,
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
