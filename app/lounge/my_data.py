"""The lounge's part of My data (我的数据): the conversations of the member's matches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select

from app.accounts.models import User
from app.extensions import db
from app.features import count_rows, exported
from app.lounge.models import Message
from app.relations.models import Match


class LoungeData:
    tables = ("lounge_message",)

    def summary(self, user: User) -> dict[str, Any]:
        return {"counts": {"messages_sent": count_rows(Message, Message.sender_id == user.id)}}

    def export(self, user: User) -> dict[str, Any]:
        """Every message of the member's conversations, both sides' (the member read
        them all); no key at all for a member who never matched."""
        matches = select(Match.id).where(
            or_(Match.user_a_id == user.id, Match.user_b_id == user.id)
        )
        match_ids = list(db.session.scalars(matches))
        if not match_ids:
            return {}
        query = select(Message).where(Message.match_id.in_(match_ids)).order_by(Message.id)
        return {"messages": [exported(message) for message in db.session.scalars(query)]}

    def erase(self, user: User) -> None:
        """Delete the messages the member sent. The partner's messages in the same
        conversation stay: they are the partner's data."""
        db.session.execute(delete(Message).where(Message.sender_id == user.id))
