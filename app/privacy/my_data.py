"""Privacy's part of My data (我的数据): who opened the member's personal data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from app.accounts.models import Role, User
from app.extensions import db
from app.privacy.models import PersonalDataAccess


def access_log(user_id: int) -> list[dict[str, Any]]:
    """Who opened this member's personal data, newest first (only this member's)."""
    from app.profiles.models import MemberProfile  # the viewer's nickname, when they have one

    rows = db.session.execute(
        select(PersonalDataAccess, User.role, MemberProfile.nickname)
        .join(User, User.id == PersonalDataAccess.viewer_id)
        .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
        .where(PersonalDataAccess.subject_id == user_id)
        .order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc())
    ).all()
    return [
        {
            "at": entry.at,
            "role": role.value if isinstance(role, Role) else str(role),
            "viewer": nickname or f"#{entry.viewer_id}",
            "purpose": entry.purpose,
        }
        for entry, role, nickname in rows
    ]


class AccessLogData:
    tables = ("personal_data_access",)

    def summary(self, user: User) -> dict[str, Any]:
        return {"access_log": access_log(user.id)}

    def export(self, user: User) -> dict[str, Any]:
        return {
            "access_log": [
                {**entry, "at": entry["at"].isoformat()} for entry in access_log(user.id)
            ]
        }

    def erase(self, user: User) -> None:
        """Delete the openings of the member's data. Those the member made as a
        matchmaker or an administrator stay: they are the other member's record."""
        db.session.execute(
            delete(PersonalDataAccess).where(PersonalDataAccess.subject_id == user.id)
        )
