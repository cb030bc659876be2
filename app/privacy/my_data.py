"""Privacy's part of My data (我的数据): who opened the member's personal data."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, select

from app import features
from app.accounts.models import Role, User
from app.extensions import db
from app.privacy.models import PersonalDataAccess


def viewer_names(user_ids: Collection[int]) -> dict[int, str]:
    """How the features name these accounts to a member: the contributors that answer
    ``names`` (profiles: a nickname), the later in ``FEATURES`` winning."""
    names: dict[int, str] = {}
    if not user_ids:
        return names
    for _feature, contributor in features.registry().contributors():
        naming = getattr(contributor, "names", None)
        if naming is not None:
            names.update(naming(user_ids))
    return names


def access_log(user_id: int) -> list[dict[str, Any]]:
    """Who opened this member's personal data, newest first (only this member's)."""
    rows = db.session.execute(
        select(PersonalDataAccess, User.role)
        .join(User, User.id == PersonalDataAccess.viewer_id)
        .where(PersonalDataAccess.subject_id == user_id)
        .order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc())
    ).all()
    names = viewer_names({entry.viewer_id for entry, _role in rows})
    return [
        {
            "at": entry.at,
            "role": role.value if isinstance(role, Role) else str(role),
            "viewer": names.get(entry.viewer_id) or f"#{entry.viewer_id}",
            "purpose": entry.purpose,
        }
        for entry, role in rows
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
