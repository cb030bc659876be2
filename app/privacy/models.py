"""Who opened a member's personal data, when and why (PIPL access log)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

PURPOSE_MAX = 200


class PersonalDataAccess(db.Model):
    """One opening of a member's personal data by a matchmaker or an administrator.

    The member sees these entries on "My data"; nobody else's views are shown to them.
    """

    __tablename__ = "personal_data_access"
    __table_args__ = (Index("ix_personal_data_access_subject_id_at", "subject_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    purpose: Mapped[str] = mapped_column(String(PURPOSE_MAX))
