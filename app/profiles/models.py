"""The member profile: self-description, questionnaire and partner preferences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from matching.types import Profile

MIN_AGE = 18
MAX_PHOTOS = 6


class MemberProfile(db.Model):
    """One member's profile (个人资料) and preferences (择偶要求).

    Preferences are hard requirements both ways: the matcher suggests a pair only when
    each meets the other's. Gender, birth date and education are not here: they come
    from verification (see ``app.profiles.loader``).
    """

    __tablename__ = "member_profile"
    __table_args__ = (
        CheckConstraint(f"age_min >= {MIN_AGE} AND age_min <= age_max", name="age_range"),
        CheckConstraint("wants_gender IN ('F', 'M')", name="wants_gender"),
        CheckConstraint("min_education BETWEEN 1 AND 5", name="min_education"),
        CheckConstraint(
            "height_min IS NULL OR height_max IS NULL OR height_min <= height_max",
            name="height_range",
        ),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    nickname: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(32))
    height_cm: Mapped[int | None] = mapped_column(SmallInteger)
    occupation: Mapped[str | None] = mapped_column(String(64))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    bio: Mapped[str] = mapped_column(Text, default="")
    # Values questionnaire: question key -> answer 1..5; importance: key -> 0..3.
    answers: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    answer_importance: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)

    # Preferences. wants_gender None: the other gender. cities empty: any city.
    wants_gender: Mapped[str | None] = mapped_column(String(1))
    age_min: Mapped[int] = mapped_column(SmallInteger, default=MIN_AGE)
    age_max: Mapped[int] = mapped_column(SmallInteger, default=60)
    cities: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_education: Mapped[int | None] = mapped_column(SmallInteger)  # 1 high school .. 5
    height_min: Mapped[int | None] = mapped_column(SmallInteger)
    height_max: Mapped[int | None] = mapped_column(SmallInteger)

    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<MemberProfile {self.user_id} {self.city}>"

    @classmethod
    def from_matching(cls, user_id: int, profile: Profile, nickname: str) -> MemberProfile:
        """A row holding what a ``matching.Profile`` says (demo data and tests)."""
        return cls(
            user_id=user_id,
            nickname=nickname,
            city=profile.city,
            height_cm=profile.height_cm,
            occupation=profile.occupation,
            tags=sorted(profile.tags),
            bio=profile.bio,
            answers=dict(profile.answers),
            answer_importance=dict(profile.answer_importance),
            wants_gender=profile.wants_gender or None,
            age_min=profile.age_min,
            age_max=profile.age_max,
            cities=sorted(profile.cities),
            min_education=profile.min_education,
            height_min=profile.height_min,
            height_max=profile.height_max,
        )


class MemberPhoto(db.Model):
    """One photo of a member, as we re-encoded it (never the uploaded bytes).

    ``token`` names the files under ``PHOTO_DIR`` (``<token>.jpg`` and
    ``<token>-thumb.jpg``) and the URLs that serve them; it is random, so a photo's
    address says nothing about its owner. The main photo is the one on the card.
    """

    __tablename__ = "member_photo"
    __table_args__ = (
        Index("ix_member_photo_user_main", "user_id", "is_main"),
        # At most six photos a member, enforced by the database on every engine.
        UniqueConstraint("user_id", "slot"),
        CheckConstraint(f"slot >= 0 AND slot < {MAX_PHOTOS}", name="slot_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    token: Mapped[str] = mapped_column(String(32), unique=True)
    slot: Mapped[int] = mapped_column(SmallInteger)  # 0..MAX_PHOTOS-1, one photo each
    width: Mapped[int] = mapped_column(SmallInteger)
    height: Mapped[int] = mapped_column(SmallInteger)
    is_main: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<MemberPhoto {self.id} of {self.user_id}>"
