"""What other features may ask about members' profiles without reading the tables."""

from __future__ import annotations

from sqlalchemy import Select, Subquery, or_, select

from app.accounts.models import AccountState, Role, User
from app.extensions import db
from app.profiles.models import MemberProfile


def has_profile(user_id: int) -> bool:
    return db.session.get(MemberProfile, user_id) is not None


def profile_of(user_id: int) -> MemberProfile | None:
    """The member's whole profile (for a matchmaker's view of the member)."""
    return db.session.get(MemberProfile, user_id)


def members_matching(text: str, limit: int) -> list[int]:
    """Verified members (role member) whose nickname or city contains ``text``
    (case-insensitive), lowest id first; at most ``limit``."""
    pattern = f"%{text.strip()}%"
    query = (
        select(MemberProfile.user_id)
        .join(User, User.id == MemberProfile.user_id)
        .where(
            User.state == AccountState.member,
            User.role == Role.member,
            or_(MemberProfile.nickname.ilike(pattern), MemberProfile.city.ilike(pattern)),
        )
        .order_by(MemberProfile.user_id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def members_with_profile() -> Select:
    """``select`` of the ids of members who have a profile (to filter or join on)."""
    return select(MemberProfile.user_id)


def city_of(user_id: int) -> str | None:
    return db.session.scalar(select(MemberProfile.city).where(MemberProfile.user_id == user_id))


def profile_cities() -> Subquery:
    """Each member with a profile and their city: ``user_id``, ``city``."""
    return select(MemberProfile.user_id, MemberProfile.city).subquery("profile_city")
