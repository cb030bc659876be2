"""Verified members as the matcher's ``Profile``s, in one query.

A member counts when the account is a member (not suspended, not lapsed), has a
profile and an approved verification case. Gender and birth date come from that case
(parsed from the resident ID number), education from the verified education fact.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Row, Select, select

from app.accounts.models import AccountState, User
from app.extensions import db
from app.profiles.models import MemberProfile
from app.verification.queries import approved_identities, department_facts
from matching import Profile
from verification.departments import Department

log = logging.getLogger(__name__)

# The education department's ``degree`` fact -> the matcher's ordinal (0: unknown).
EDUCATION_LEVELS = {"high_school": 1, "associate": 2, "bachelor": 3, "master": 4, "doctorate": 5}


def verified_members() -> Select:
    """``select`` of the ids of verified members: the only ones quick match serves."""
    identity = approved_identities()
    return (
        select(User.id)
        .join(identity, identity.c.user_id == User.id)
        .where(User.state == AccountState.member, User.consent_withdrawn_at.is_(None))
    )


# Plain columns, not entities: 100,000 members load without filling the identity map.
PROFILE_COLUMNS = [
    column for name, column in MemberProfile.__table__.columns.items() if name != "updated_at"
]


def _profile_rows(user_ids: Iterable[int] | None) -> Select:
    identity, education = approved_identities(), department_facts(Department.education)
    query = (
        select(
            *PROFILE_COLUMNS,
            identity.c.gender,
            identity.c.birth_date,
            education.c.facts.label("education_facts"),
        )
        .join(User, User.id == MemberProfile.user_id)
        .join(identity, identity.c.user_id == User.id)
        .outerjoin(education, education.c.user_id == User.id)
        .where(User.state == AccountState.member, User.consent_withdrawn_at.is_(None))
        .order_by(MemberProfile.user_id, identity.c.id)
    )
    if user_ids is not None:
        query = query.where(MemberProfile.user_id.in_(list(user_ids)))
    return query


def load_profiles(user_ids: Iterable[int] | None = None) -> list[Profile]:
    """Every verified member with a profile (or those of ``user_ids``), ordered by id.

    One query, whatever the number of members. A row that cannot become a ``Profile``
    (malformed JSON written by hand, say) is logged and skipped; the rest go on.
    """
    profiles: dict[int, Profile] = {}
    for row in db.session.execute(_profile_rows(user_ids)):
        try:
            profiles[row.user_id] = to_profile(row)
        except (TypeError, ValueError, AttributeError) as error:
            log.warning("skipping the profile of member %s: %s", row.user_id, error)
    return list(profiles.values())


def to_profile(row: Row[Any]) -> Profile:
    """One row (profile columns, gender, birth date, education facts) as a ``Profile``."""
    degree = (row.education_facts or {}).get("degree")
    return Profile(
        id=row.user_id,
        gender=row.gender,
        birth_date=row.birth_date,
        city=row.city,
        height_cm=row.height_cm,
        education=EDUCATION_LEVELS.get(degree, 0),
        occupation=row.occupation,
        tags=frozenset(_strings(row.tags)),
        bio=row.bio or "",
        answers=_levels(row.answers),
        answer_importance=_levels(row.answer_importance),
        wants_gender=row.wants_gender or "",
        age_min=row.age_min,
        age_max=row.age_max,
        cities=frozenset(_strings(row.cities)),
        min_education=row.min_education,
        height_min=row.height_min,
        height_max=row.height_max,
    )


def _strings(values: object) -> Iterator[str]:
    if not isinstance(values, list):
        raise TypeError(f"expected a list of strings, got {type(values).__name__}")
    return (value for value in values if isinstance(value, str) and value)


def _levels(values: object) -> dict[str, int]:
    if not isinstance(values, dict):
        raise TypeError(f"expected an object of integers, got {type(values).__name__}")
    return {str(key): int(value) for key, value in values.items() if value is not None}
