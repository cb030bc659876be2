"""Notification operations. They flush; the request commits."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Notification

LIST_LIMIT = 100


def newest_first(user_id: int, limit: int = LIST_LIMIT) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of ``user_id`` as read; returns how many. Flushes."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.flush()
    return result.rowcount
