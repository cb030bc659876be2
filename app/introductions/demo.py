"""Demo introduction: 王老师 introduces 思远 to a verified member of the other gender
in his city (or anywhere), waiting for both answers. Added once."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import AccountState, Role, User
from app.extensions import db
from app.introductions import operations
from app.introductions.models import Introduction
from app.profiles.queries import city_of, profile_cities
from app.verification.queries import approved_identities, verified_gender

WANG = "+8613800000002"
SIYUAN = "+8613800000011"
NOTE = (
    "思远你好！这位朋友和你一样喜欢户外和摄影，性格开朗，周末常去西湖边拍照。"
    "我觉得你们会很聊得来，不妨认识一下。"
)
TRIES = 30


def _candidates(member_id: int) -> list[int]:
    own = verified_gender(member_id)
    city = city_of(member_id)
    identity, profiles = approved_identities(), profile_cities()
    query = (
        select(User.id)
        .join(profiles, profiles.c.user_id == User.id)
        .join(identity, identity.c.user_id == User.id)
        .where(
            User.role == Role.member,
            User.state == AccountState.member,
            User.id != member_id,
            identity.c.gender != own,
        )
        .order_by((profiles.c.city == city).desc(), User.id.desc())
        .limit(TRIES)
    )
    return list(db.session.scalars(query))


def add_introductions_demo() -> int:
    """One pending introduction for 思远; returns how many were added. Commits."""
    query = select(User.phone, User.id).where(User.phone.in_((WANG, SIYUAN)))
    ids = {phone: user_id for phone, user_id in db.session.execute(query)}
    if len(ids) < 2 or db.session.scalar(select(Introduction.id).limit(1)) is not None:
        return 0
    for other in _candidates(ids[SIYUAN]):
        try:
            operations.propose(ids[WANG], ids[SIYUAN], other, NOTE)
        except operations.Refused:
            continue
        db.session.commit()
        return 1
    db.session.rollback()
    return 0
