"""Notifications' part of My data (我的数据): the member's inbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from app.accounts.models import User
from app.extensions import db
from app.features import count_rows, exported
from app.notifications.models import Notification


class NotificationData:
    tables = ("notification",)

    def summary(self, user: User) -> dict[str, Any]:
        inbox = count_rows(Notification, Notification.user_id == user.id)
        return {"counts": {"notifications": inbox}}

    def export(self, user: User) -> dict[str, Any]:
        inbox = select(Notification).where(Notification.user_id == user.id)
        return {
            "notifications": [
                exported(n) for n in db.session.scalars(inbox.order_by(Notification.id))
            ]
        }

    def erase(self, user: User) -> None:
        db.session.execute(delete(Notification).where(Notification.user_id == user.id))
