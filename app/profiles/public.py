"""The public card (名片): what other members may see of a member.

Photo, nickname, age (from the verified birth date), city, height, interest tags, bio
and one badge per department that confirmed a fact. Never the real name nor the ID
number, masked or not: a card is built from the profile, the case's birth date and
the departments' names only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import MemberProfile
from app.profiles.photos import photo_urls
from app.verification.queries import approved_identities, current_facts
from verification.departments import Department


@dataclass(frozen=True)
class Badge:
    """A department that confirmed a fact about the member, and what it confirmed."""

    department: str
    label: str


@dataclass(frozen=True)
class PublicCard:
    user_id: int
    nickname: str
    age: int | None
    city: str
    height_cm: int | None
    tags: tuple[str, ...]
    bio: str
    photo_url: str | None
    badges: tuple[Badge, ...]
    deleted: bool = False


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def degree_label(degree: str | None) -> str:
    labels = {
        "high_school": _("High school"),
        "associate": _("Associate degree"),
        "bachelor": _("Bachelor's degree"),
        "master": _("Master's degree"),
        "doctorate": _("Doctorate"),
    }
    return labels.get(degree or "", _("Degree"))


def badge_label(department: str, facts: dict | None) -> str:
    """The badge's words: which department confirmed what (no personal detail)."""
    if department == Department.public_security:
        return _("Identity verified (age and gender)")
    if department == Department.education:
        return _("Degree verified: %(degree)s", degree=degree_label((facts or {}).get("degree")))
    if department == Department.hr_social_security:
        return _("Employment verified")
    if department == Department.civil_affairs:
        return _("Marital status verified")
    if department == Department.justice:
        return _("No criminal record")
    if department == Department.development_reform:
        return _("Social credit checked")
    return _("Verified")


DEPARTMENT_ORDER = [
    Department.public_security,
    Department.education,
    Department.hr_social_security,
    Department.civil_affairs,
    Department.justice,
    Department.development_reform,
]


def deleted_card(user_id: int) -> PublicCard:
    return PublicCard(user_id, _("deleted user"), None, "", None, (), "", None, (), deleted=True)


def badges_of(user_ids: list[int]) -> dict[int, tuple[Badge, ...]]:
    """Each member's badges: one per department whose verified fact has not expired."""
    found: dict[int, dict[str, dict]] = {}
    for user_id, department, facts in current_facts(user_ids, utcnow()):
        found.setdefault(user_id, {})[department] = facts
    result = {}
    for user_id, departments in found.items():
        result[user_id] = tuple(
            Badge(str(department), badge_label(department, departments[str(department)]))
            for department in DEPARTMENT_ORDER
            if str(department) in departments
        )
    return result


def public_cards(user_ids: Iterable[int], day: date | None = None) -> dict[int, PublicCard]:
    """The cards of ``user_ids``; a deleted or unknown member gets a ``deleted`` card."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    day = day or date.today()
    identity = approved_identities()
    rows = db.session.execute(
        select(MemberProfile, identity.c.birth_date)
        .join(User, User.id == MemberProfile.user_id)
        .outerjoin(identity, identity.c.user_id == User.id)
        .where(MemberProfile.user_id.in_(ids), User.state != AccountState.deleted)
        .order_by(MemberProfile.user_id, identity.c.id)
    )
    badges = badges_of(ids)
    photos = photo_urls(ids)
    cards = {user_id: deleted_card(user_id) for user_id in ids}
    for profile, birth_date in rows:
        cards[profile.user_id] = PublicCard(
            user_id=profile.user_id,
            nickname=profile.nickname,
            age=age_on(birth_date, day),
            city=profile.city,
            height_cm=profile.height_cm,
            tags=tuple(tag for tag in profile.tags or [] if isinstance(tag, str)),
            bio=profile.bio or "",
            photo_url=photos.get(profile.user_id),
            badges=badges.get(profile.user_id, ()),
        )
    return cards


def public_card(user_id: int, day: date | None = None) -> PublicCard | None:
    """One member's card (a ``deleted`` card when the member is gone)."""
    return public_cards([user_id], day).get(user_id)


def nickname(user_id: int) -> str:
    """The member's public nickname ("deleted user" when gone); never a real name."""
    card = public_card(user_id)
    return card.nickname if card is not None else _("deleted user")


def other_nickname(params: dict) -> str:
    """The public nickname of the notification's other member (never a real name)."""
    other_id = params.get("other_id")
    return nickname(other_id) if isinstance(other_id, int) else _("deleted user")
