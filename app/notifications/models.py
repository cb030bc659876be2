"""In-app notifications. The text is rendered from ``kind`` and ``params`` at display
time, so it appears in the reader's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class Notification(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def notify(user_id: int, kind: str, **params: Any) -> Notification:
    """Queue a notification for ``user_id``. Flushes; the caller commits."""
    notification = Notification(user_id=user_id, kind=kind, params=params)
    db.session.add(notification)
    db.session.flush()
    return notification
