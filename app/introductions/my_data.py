"""Introductions' part of My data (我的数据): the matchmakers' introductions of the member."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, or_, select

from app.accounts.models import User
from app.extensions import db
from app.features import exported, json_ready
from app.introductions.models import Introduction


def _introduced(user: User) -> Any:
    return or_(Introduction.member_a_id == user.id, Introduction.member_b_id == user.id)


def _mine(introduction: Introduction, user: User) -> dict[str, Any]:
    """The introduction with the member's own answer only: the other's is theirs."""
    other = "b" if introduction.member_a_id == user.id else "a"
    row = exported(introduction, skip=(f"answer_{other}", f"answered_{other}_at"))
    row["my_answer"] = json_ready(introduction.answer_of(user.id))
    return row


class IntroductionData:
    tables = ("introduction",)

    def summary(self, user: User) -> dict[str, Any]:
        made = select(func.count()).select_from(Introduction).where(_introduced(user))
        return {"counts": {"introductions": db.session.scalar(made) or 0}}

    def export(self, user: User) -> dict[str, Any]:
        query = select(Introduction).where(_introduced(user)).order_by(Introduction.id)
        return {"introductions": [_mine(intro, user) for intro in db.session.scalars(query)]}

    def erase(self, user: User) -> None:
        """Delete the introductions of the member, on either side. Those the member
        made as a matchmaker stay: they are the two introduced members' records."""
        db.session.execute(delete(Introduction).where(_introduced(user)))
