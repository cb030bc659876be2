"""Events' part of My data (我的数据): the member's sign-ups and picks after events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_

from app.accounts.models import User
from app.events.models import Pick, Signup
from app.extensions import db
from app.features import count_rows, exported_rows


class EventData:
    # Events themselves refer to their organiser, a matchmaker: see ``erase``.
    tables = ("event", "event_signup", "event_pick")

    def summary(self, user: User) -> dict[str, Any]:
        return {
            "counts": {
                "event_signups": count_rows(Signup, Signup.member_id == user.id),
                "event_picks": count_rows(Pick, Pick.picker_id == user.id),
            }
        }

    def export(self, user: User) -> dict[str, Any]:
        """The member's sign-ups and their own picks; never who picked the member."""
        return {
            "event_signups": exported_rows(Signup, Signup.member_id == user.id),
            "event_picks": exported_rows(Pick, Pick.picker_id == user.id),
        }

    def erase(self, user: User) -> None:
        """Delete the sign-ups and the picks either way. The events an organiser ran
        stay: they are the attendees' history, and name the organiser by account
        only (a deleted user)."""
        db.session.execute(delete(Signup).where(Signup.member_id == user.id))
        db.session.execute(
            delete(Pick).where(or_(Pick.picker_id == user.id, Pick.picked_id == user.id))
        )
