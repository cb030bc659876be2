"""The relations' part of My data (我的数据): the member's matches and blocks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, func, or_, select

from app.extensions import db
from app.features import exported
from app.relations.models import Block, Match


def _matches_of(user_id: int) -> Select:
    return select(Match).where(or_(Match.user_a_id == user_id, Match.user_b_id == user_id))


class RelationsData:
    tables = ("member_match", "member_block")

    def summary(self, user: Any) -> dict[str, Any]:
        count = select(func.count()).select_from(_matches_of(user.id).subquery())
        return {"counts": {"matches": db.session.scalar(count) or 0}}

    def export(self, user: Any) -> dict[str, Any]:
        """The member's matches, open and ended. Blocks are not listed: the member
        manages them on the safety page, and who blocked the member stays unsaid."""
        query = _matches_of(user.id).order_by(Match.id)
        return {"matches": [exported(match) for match in db.session.scalars(query)]}

    def erase(self, user: Any) -> None:
        """Delete the member's blocks, both ways. The match rows stay: the other side's
        history shows "deleted user" (the conversation is the other side's too)."""
        db.session.execute(
            delete(Block).where(or_(Block.blocker_id == user.id, Block.blocked_id == user.id))
        )
