"""What other features may ask about the personal-data access log."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.privacy.models import PersonalDataAccess


def was_accessed(subject_id: int) -> bool:
    """Whether anyone's opening of the member's personal data is on record."""
    query = select(PersonalDataAccess.id).where(PersonalDataAccess.subject_id == subject_id)
    return db.session.scalar(query.limit(1)) is not None
