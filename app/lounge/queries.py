"""What other features may ask the love lounge (爱情会客厅) without reading its tables."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from app.extensions import db
from app.lounge.models import Message
from app.relations.models import Match


def chatted_matches(min_messages: int) -> Select:
    """The ids of matches whose two sides wrote at least ``min_messages`` messages
    between them, each side at least one (a subquery, for "did you meet?")."""
    return (
        select(Message.match_id)
        .group_by(Message.match_id)
        .having(func.count(Message.id) >= min_messages)
        .having(func.count(func.distinct(Message.sender_id)) == 2)  # both sides wrote
    )


def flagged_messages_to(member_id: int) -> list[Message]:
    """Messages the fraud rules flagged in the member's conversations, sent by the other
    side, oldest first."""
    matches = select(Match.id).where(
        (Match.user_a_id == member_id) | (Match.user_b_id == member_id)
    )
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.match_id.in_(matches), Message.flagged, Message.sender_id != member_id)
            .order_by(Message.id)
        )
    )
