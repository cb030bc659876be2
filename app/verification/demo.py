"""Demo data of verification beyond the demo accounts' applications (app/demo.py): the
administrator's review of the demo member's case, as their My data access log shows it
(a few minutes before the decision)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.demo import DEMO_MEMBER
from app.extensions import db
from app.privacy.operations import record_access
from app.privacy.queries import was_accessed
from app.verification.queries import first_case

ADMIN_PHONE = "+8613800000001"


def _user_id(phone: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.phone == phone))


def add_review_access_demo() -> int:
    """Log the administrator's review of the demo member's case once; returns how many
    entries were added. Flushes; the demo runner commits."""
    member_id, admin_id = _user_id(DEMO_MEMBER), _user_id(ADMIN_PHONE)
    if member_id is None or admin_id is None or was_accessed(member_id):
        return 0
    case = first_case(member_id)
    if case is None:
        return 0
    opened = (case.decided_at or case.created_at) - timedelta(minutes=3)
    record_access(admin_id, member_id, "verification review", at=opened)
    return 1
