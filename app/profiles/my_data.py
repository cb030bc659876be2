"""Profiles' part of My data (我的数据): the profile with its preferences, and the photos."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, select

from app.accounts.models import User
from app.extensions import db
from app.features import count_rows, exported
from app.profiles.models import MemberPhoto, MemberProfile
from app.profiles.photos import remove_files


class ProfileData:
    tables = ("member_profile", "member_photo")

    def summary(self, user: User) -> dict[str, Any]:
        return {
            "profile": db.session.get(MemberProfile, user.id),
            "counts": {"photos": count_rows(MemberPhoto, MemberPhoto.user_id == user.id)},
        }

    def export(self, user: User) -> dict[str, Any]:
        profile = db.session.get(MemberProfile, user.id)
        photos = select(MemberPhoto).where(MemberPhoto.user_id == user.id).order_by(MemberPhoto.id)
        return {
            "profile": exported(profile) if profile is not None else None,
            "photos": [exported(photo) for photo in db.session.scalars(photos)],
        }

    def names(self, user_ids: Collection[int]) -> dict[int, str]:
        """The nicknames of these accounts, for those with a profile (the access log
        names the staff who opened a member's data)."""
        query = select(MemberProfile.user_id, MemberProfile.nickname)
        rows = db.session.execute(query.where(MemberProfile.user_id.in_(user_ids)))
        return {user_id: nickname for user_id, nickname in rows}

    def erase(self, user: User) -> None:
        """Remove the photo files, then the photo rows and the profile. The files go
        first, while the rows still name them: should the transaction fail afterwards,
        the photos are gone rather than left as files no row names any more."""
        for photo in db.session.scalars(select(MemberPhoto).where(MemberPhoto.user_id == user.id)):
            remove_files(photo)
        db.session.execute(delete(MemberPhoto).where(MemberPhoto.user_id == user.id))
        db.session.execute(delete(MemberProfile).where(MemberProfile.user_id == user.id))
