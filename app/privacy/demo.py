"""Demo data for My data: the demo member's access log shows the administrator who
reviewed their real-name verification (a few minutes before the decision)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.demo import DEMO_MEMBER
from app.extensions import db
from app.privacy.models import PersonalDataAccess
from app.verification.models import Case

ADMIN_PHONE = "+8613800000001"


def _user_id(phone: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.phone == phone))


def add_privacy_demo() -> int:
    """Add the demo member's access-log entries once; returns how many were added."""
    member_id, admin_id = _user_id(DEMO_MEMBER), _user_id(ADMIN_PHONE)
    if member_id is None or admin_id is None:
        return 0
    if db.session.scalar(
        select(PersonalDataAccess.id).where(PersonalDataAccess.subject_id == member_id).limit(1)
    ):
        return 0
    case = db.session.scalar(select(Case).where(Case.user_id == member_id).order_by(Case.id))
    if case is None:
        return 0
    opened = (case.decided_at or case.created_at) - timedelta(minutes=3)
    db.session.add(
        PersonalDataAccess(
            viewer_id=admin_id, subject_id=member_id, at=opened, purpose="verification review"
        )
    )
    db.session.commit()
    return 1
