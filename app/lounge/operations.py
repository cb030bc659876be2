"""The lounge's rules: who may read and write a conversation, sending, read state,
unmatching, and the snapshot a report keeps as evidence.

Operations flush; the view commits. A conversation belongs to the two members of its
match and to nobody else: for anyone else it does not exist (``NotFound``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from werkzeug.exceptions import NotFound

from app import clock
from app.accounts.models import AccountState, User
from app.extensions import db
from app.lounge import fraud
from app.lounge.models import Message
from app.notifications.models import Notification, notify
from app.relations.models import Match
from app.relations.queries import apart, kept_apart
from app.signals import message_flagged

NEW_MESSAGE = "new_message"  # notification kinds
MATCH_ENDED = "match_ended"
PAGE_SIZE = 30
PREVIEW_LENGTH = 60


class Closed(Exception):
    """The match was ended (unmatched): its conversation is read-only."""


class Apart(Exception):
    """The two members are kept apart (blocked, suspended): nothing may be sent."""


def partner_of(match: Match, member_id: int) -> int:
    return match.user_b_id if match.user_a_id == member_id else match.user_a_id


def _deleted(user_id: int) -> bool:
    return db.session.scalar(select(User.state).where(User.id == user_id)) in (
        None,
        AccountState.deleted,
    )


def visible(match: Match, member_id: int) -> bool:
    """May the member open this conversation? Its two members may, unless they are
    kept apart (a deleted partner leaves a read-only conversation behind)."""
    if member_id not in (match.user_a_id, match.user_b_id):
        return False
    partner_id = partner_of(match, member_id)
    return not apart(member_id, partner_id) or _deleted(partner_id)


def match_for(member_id: int, match_id: int) -> Match:
    """The member's match, or ``NotFound`` (someone else's, unknown or kept apart)."""
    match = db.session.get(Match, match_id)
    if match is None or not visible(match, member_id):
        raise NotFound()
    return match


def is_open(match: Match) -> bool:
    return (
        match.ended_at is None and not _deleted(match.user_a_id) and not _deleted(match.user_b_id)
    )


@dataclass(frozen=True)
class Entry:
    """One line of the matches list."""

    match: Match
    partner_id: int
    last: Message | None
    unread: int

    @property
    def activity(self) -> datetime:
        return self.last.created_at if self.last is not None else self.match.created_at


def preview(body: str) -> str:
    """The start of a message for the list, on one line."""
    flat = " ".join(body.split())
    return flat if len(flat) <= PREVIEW_LENGTH else flat[: PREVIEW_LENGTH - 1] + "…"


def matches_of(member_id: int) -> list[Entry]:
    """The member's open matches, partners kept apart left out (a deleted partner
    stays, shown as "deleted user"), with the last message and the unread count,
    newest activity first."""
    matches = list(
        db.session.scalars(
            select(Match).where(
                or_(Match.user_a_id == member_id, Match.user_b_id == member_id),
                Match.ended_at.is_(None),
            )
        )
    )
    hidden = kept_apart(member_id)
    matches = [
        m
        for m in matches
        if partner_of(m, member_id) not in hidden or _deleted(partner_of(m, member_id))
    ]
    ids = [m.id for m in matches]
    if not ids:
        return []
    last_ids = (
        select(func.max(Message.id)).where(Message.match_id.in_(ids)).group_by(Message.match_id)
    )
    last = {
        m.match_id: m for m in db.session.scalars(select(Message).where(Message.id.in_(last_ids)))
    }
    unread = dict(
        db.session.execute(
            select(Message.match_id, func.count(Message.id))
            .where(
                Message.match_id.in_(ids),
                Message.sender_id != member_id,
                Message.read_at.is_(None),
            )
            .group_by(Message.match_id)
        ).all()
    )
    entries = [
        Entry(m, partner_of(m, member_id), last.get(m.id), unread.get(m.id, 0)) for m in matches
    ]
    return sorted(entries, key=lambda e: (e.activity, e.match.id), reverse=True)


def page_of(
    match: Match, before: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[Message], bool]:
    """Up to ``limit`` messages before the ``before`` message id (the newest when
    None), oldest first, and whether there are earlier ones."""
    query = select(Message).where(Message.match_id == match.id)
    if before is not None:
        query = query.where(Message.id < before)
    rows = list(db.session.scalars(query.order_by(Message.id.desc()).limit(limit + 1)))
    return list(reversed(rows[:limit])), len(rows) > limit


def newer_than(match: Match, after: int, limit: int = 100) -> list[Message]:
    """The messages after the ``after`` message id, oldest first (the poll)."""
    query = (
        select(Message)
        .where(Message.match_id == match.id, Message.id > after)
        .order_by(Message.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _unread_from_partner(match: Match, reader_id: int):
    return (
        Message.match_id == match.id,
        Message.sender_id != reader_id,
        Message.read_at.is_(None),
    )


def mark_read(match: Match, reader_id: int, now: datetime, upto: int | None = None) -> int:
    """Mark the partner's unread messages read (those up to the ``upto`` message id, the
    last one the reader was shown; all when None); returns how many. The reader's
    notification about this conversation is marked read once nothing is left unread.
    Flushes."""
    query = update(Message).where(*_unread_from_partner(match, reader_id))
    if upto is not None:
        query = query.where(Message.id <= upto)
    result = db.session.execute(
        query.values(read_at=now).execution_options(synchronize_session=False)
    )
    left = db.session.scalar(
        select(func.count(Message.id)).where(*_unread_from_partner(match, reader_id))
    )
    if not left:
        for notification in _unread_notifications(reader_id, match.id):
            notification.read_at = now
    db.session.flush()
    return result.rowcount or 0


def last_read_id(messages: list[Message], sender_id: int) -> int | None:
    """The id of the sender's last message the partner has read (for "read")."""
    read = [m.id for m in messages if m.sender_id == sender_id and m.read_at is not None]
    return max(read) if read else None


def _unread_notifications(user_id: int, match_id: int) -> list[Notification]:
    rows = db.session.scalars(
        select(Notification).where(
            Notification.user_id == user_id,
            Notification.kind == NEW_MESSAGE,
            Notification.read_at.is_(None),
        )
    )
    return [n for n in rows if (n.params or {}).get("match_id") == match_id]


def send(match: Match, sender_id: int, body: str, now: datetime) -> Message:
    """Write a message (already trimmed and checked for length), flagged by the fraud
    rules (a flagged one goes into the open fraud-filter report about the sender), and
    tell the partner (one unread notification per conversation). Raises
    ``Closed`` or ``Apart`` and writes nothing when the message may not be sent."""
    partner_id = partner_of(match, sender_id)
    if apart(sender_id, partner_id) and not _deleted(partner_id):
        raise Apart()
    if not is_open(match):
        raise Closed()
    reasons = fraud.assess(body)
    message = Message(
        match_id=match.id,
        sender_id=sender_id,
        body=body,
        created_at=now,
        flagged=bool(reasons),
        flag_reasons=reasons,
    )
    db.session.add(message)
    if not _unread_notifications(partner_id, match.id):
        notify(partner_id, NEW_MESSAGE, match_id=match.id, other_id=sender_id)
    db.session.flush()
    if message.flagged:
        # Flagged messages land in the administrators' reports queue (safety listens).
        message_flagged.send(sender_id=sender_id, partner_id=partner_id, message_id=message.id)
    return message


def unmatch(match: Match, member_id: int, now: datetime) -> None:
    """End the match (解除配对): the conversation becomes read-only for both and the
    partner gets a neutral notification. Raises ``Closed`` when already ended."""
    if match.ended_at is not None:
        raise Closed()
    match.ended_at = now
    match.ended_by_id = member_id
    notify(partner_of(match, member_id), MATCH_ENDED, match_id=match.id)
    db.session.flush()


def as_json(message: Message, viewer_id: int) -> dict[str, Any]:
    """A message for the poll; the fraud reasons only for the receiver's warning."""
    mine = message.sender_id == viewer_id
    return {
        "id": message.id,
        "mine": mine,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "shown": clock.when(message.created_at),  # as the page shows the others
        "warnings": [] if mine else list(message.flag_reasons or []),
    }


def conversation_snapshot(a_id: int, b_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """The last ``limit`` messages between two members (oldest first), for a report's
    evidence: id, sender_id, body, created_at (ISO), flagged. Empty when they never
    matched."""
    low, high = sorted((a_id, b_id))
    match_id = db.session.scalar(
        select(Match.id).where(and_(Match.user_a_id == low, Match.user_b_id == high))
    )
    if match_id is None:
        return []
    rows = db.session.scalars(
        select(Message).where(Message.match_id == match_id).order_by(Message.id.desc()).limit(limit)
    )
    return [
        {
            "id": m.id,
            "sender_id": m.sender_id,
            "body": m.body,
            "created_at": m.created_at.isoformat(),
            "flagged": m.flagged,
        }
        for m in reversed(list(rows))
    ]
