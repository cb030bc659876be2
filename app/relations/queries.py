"""Who must not see or reach whom, and who knows whom: the rules every list of other
members applies.

A member is kept apart from another when either blocked the other, and from everyone
who is suspended or deleted the account or withdrew consent to matching (they are
hidden from all members). Today's cards, likes, the matches list, conversations and
message sending all ask here.

Whether a member knows another (may block, report or see them) is answered by the
features that bring members together: each declares its acquaintance check
(``Feature.acquaintances``: on a Today list, matched, at the same event, introduced);
this module asks them all and imports none.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from app import features
from app.accounts.models import AccountState, User
from app.extensions import db
from app.relations.models import Block, Match

HIDDEN_STATES = (AccountState.suspended, AccountState.deleted)


def hidden_members() -> set[int]:
    """Members nobody may see: suspended, deleted, or out of matching by their choice."""
    query = select(User.id).where(
        or_(User.state.in_(HIDDEN_STATES), User.consent_withdrawn_at.is_not(None))
    )
    return set(db.session.scalars(query))


def blocked_either_way(user_id: int) -> set[int]:
    """Members this member blocked or was blocked by."""
    blocked = select(Block.blocked_id).where(Block.blocker_id == user_id)
    blockers = select(Block.blocker_id).where(Block.blocked_id == user_id)
    return set(db.session.scalars(blocked.union(blockers)))


def kept_apart(user_id: int) -> set[int]:
    """Ids of the members ``user_id`` must not see or reach (never includes themself)."""
    return (blocked_either_way(user_id) | hidden_members()) - {user_id}


def apart(a_id: int, b_id: int) -> bool:
    """Whether a and b are kept apart: a block either way, or either is hidden."""
    if a_id == b_id:
        return False
    block = select(Block.id).where(
        or_(
            (Block.blocker_id == a_id) & (Block.blocked_id == b_id),
            (Block.blocker_id == b_id) & (Block.blocked_id == a_id),
        )
    )
    if db.session.scalar(block.limit(1)) is not None:
        return True
    hidden = select(User.id).where(
        User.id.in_((a_id, b_id)),
        or_(User.state.in_(HIDDEN_STATES), User.consent_withdrawn_at.is_not(None)),
    )
    return db.session.scalar(hidden.limit(1)) is not None


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    query = select(Block.id).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    return db.session.scalar(query) is not None


def matched(member_id: int, other_id: int) -> bool:
    """The two share a match, open or ended (an acquaintance check)."""
    low, high = sorted((member_id, other_id))
    query = select(Match.id).where(Match.user_a_id == low, Match.user_b_id == high)
    return db.session.scalar(query) is not None


def knows(member_id: int, other_id: int) -> bool:
    """Whether the member has met ``other_id`` here, by any feature's account of it."""
    if member_id == other_id:
        return False
    return any(check(member_id, other_id) for check in features.registry().acquaintances())
