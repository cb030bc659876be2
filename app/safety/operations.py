"""What a member does for their safety: block (拉黑), unblock, report (举报); and the
fraud filter's automatic report when the lounge flags a message.

Operations flush; the view commits. A member may block or report only a member they
know: one who was on their Today list or shares a match with them (ended or not).
Anyone else does not exist for them (``NotFound``), so ids cannot be probed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from app.accounts.models import AccountState, User
from app.audit.models import record as audit
from app.extensions import db
from app.locking import lock_rows
from app.lounge.operations import conversation_snapshot
from app.relations.models import Block, Match
from app.relations.queries import has_blocked, knows
from app.safety.models import Report, ReportReason, ReportSource, ReportState


class AlreadyBlocked(Exception):
    """The member has blocked this member already."""


class AlreadyReported(Exception):
    """The member's earlier report about this member is still open."""


def known_member(member_id: int, other_id: int) -> User:
    """The member ``other_id`` as ``member_id`` may see them, or ``NotFound``."""
    other = db.session.get(User, other_id)
    if other is None or other.state is AccountState.deleted or not knows(member_id, other_id):
        raise NotFound()
    return other


def _end_open_match(one_id: int, other_id: int, by_id: int | None, now: datetime) -> None:
    low, high = sorted((one_id, other_id))
    match = db.session.scalar(
        select(Match).where(
            Match.user_a_id == low, Match.user_b_id == high, Match.ended_at.is_(None)
        )
    )
    if match is not None:
        match.ended_at = now
        match.ended_by_id = by_id


def block(blocker_id: int, blocked_id: int, now: datetime) -> Block:
    """Block a member: the two are kept apart both ways from now on, and an open match
    between them ends (its conversation closes for both). Silent: the blocked member is
    not told. Audited. Raises ``AlreadyBlocked`` and writes nothing on a repeat."""
    if has_blocked(blocker_id, blocked_id):
        raise AlreadyBlocked()
    row = Block(blocker_id=blocker_id, blocked_id=blocked_id, created_at=now)
    db.session.add(row)
    _end_open_match(blocker_id, blocked_id, blocker_id, now)
    db.session.flush()
    audit("block.created", "user", blocked_id, actor_id=blocker_id)
    return row


def unblock(blocker_id: int, blocked_id: int) -> None:
    """Remove the member's block (``NotFound`` when there is none). An ended match stays
    ended. Audited."""
    row = db.session.scalar(
        select(Block).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    )
    if row is None:
        raise NotFound()
    db.session.delete(row)
    db.session.flush()
    audit("block.removed", "user", blocked_id, actor_id=blocker_id)


def blocked_by(member_id: int) -> list[Block]:
    """The member's blocks, newest first."""
    return list(
        db.session.scalars(
            select(Block)
            .where(Block.blocker_id == member_id)
            .order_by(Block.created_at.desc(), Block.id.desc())
        )
    )


def open_report(reporter_id: int, reported_id: int) -> Report | None:
    return db.session.scalar(
        select(Report).where(
            Report.reporter_id == reporter_id,
            Report.reported_id == reported_id,
            Report.state == ReportState.open,
        )
    )


def report(
    reporter_id: int,
    reported_id: int,
    reason: ReportReason,
    note: str | None,
    also_block: bool,
    now: datetime,
) -> Report:
    """File a member's report with the conversation between the two as evidence, and
    block too when asked (an existing block is kept). Audited. Raises
    ``AlreadyReported`` and writes nothing while an earlier report is open."""
    if open_report(reporter_id, reported_id) is not None:
        raise AlreadyReported()
    evidence = {
        "conversations": [
            {"with_id": reporter_id, "messages": conversation_snapshot(reporter_id, reported_id)}
        ],
        "flagged_message_ids": [],
    }
    row = Report(
        reporter_id=reporter_id,
        reported_id=reported_id,
        reason=reason,
        note=note or None,
        evidence=evidence,
        source=ReportSource.member,
        created_at=now,
    )
    db.session.add(row)
    db.session.flush()
    audit("report.created", "report", row.id, actor_id=reporter_id, reported_id=reported_id)
    if also_block and not has_blocked(reporter_id, reported_id):
        block(reporter_id, reported_id, now)
    return row


def _with_conversation(
    evidence: dict[str, Any], partner_id: int, messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    others = [c for c in evidence.get("conversations", []) if c.get("with_id") != partner_id]
    return [*others, {"with_id": partner_id, "messages": messages}]


def record_flagged_message(sender_id: int, partner_id: int, message_id: int) -> Report:
    """Put a message the fraud rules flagged into the open fraud-filter report about its
    sender (a new one when none is open), with the conversation as it is now. Flushes."""
    open_report = select(Report).where(
        Report.reported_id == sender_id,
        Report.source == ReportSource.fraud_filter,
        Report.state == ReportState.open,
    )
    row = db.session.scalar(lock_rows(open_report))
    if row is None:
        row = Report(
            reporter_id=None,
            reported_id=sender_id,
            reason=ReportReason.fraud_or_money,
            evidence={"conversations": [], "flagged_message_ids": []},
            source=ReportSource.fraud_filter,
        )
        try:
            with db.session.begin_nested():  # one open report per member (unique index)
                db.session.add(row)
        except IntegrityError:  # a concurrent flagged message opened it first
            row = db.session.scalar(lock_rows(open_report))
    evidence = dict(row.evidence or {})
    flagged = [*evidence.get("flagged_message_ids", []), message_id]
    conversations = _with_conversation(
        evidence, partner_id, conversation_snapshot(sender_id, partner_id)
    )
    # A new dict, so the JSON column sees the change.
    row.evidence = {"conversations": conversations, "flagged_message_ids": flagged}
    db.session.flush()
    return row


def file_flagged_message(_sender: object, **facts: int) -> None:
    """Receiver of the lounge's ``message_flagged`` signal (connected in the feature's
    ``init_app``): the flagged message goes into the fraud-filter report."""
    record_flagged_message(facts["sender_id"], facts["partner_id"], facts["message_id"])
