"""Consultation operations: ask, reply, resolve, rate. They flush; the view commits.

Who may do what: only the asking member and the assigned matchmaker write in a thread;
only the assigned matchmaker resolves; only the asking member rates, once, after the
request is resolved. Someone else's request is ``NotFound`` (a 404: its existence is
not told); a step at the wrong time is ``Conflict`` (a 409).
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.consult import assignment
from app.consult.models import (
    Consultation,
    ConsultationMessage,
    ConsultationState,
    Topic,
)
from app.consult.settings import Settings
from app.db_types import utcnow
from app.extensions import db
from app.locking import lock_row
from app.notifications.models import notify


class NotFound(Exception):
    """No such consultation for this user."""


class Conflict(Exception):
    """The consultation is not in a state that allows this step."""


class TooManyUnresolved(Conflict):
    """The member already has ``CONSULTATION_MAX_UNRESOLVED`` requests not yet resolved."""


def unresolved_count(member_id: int) -> int:
    """The member's requests waiting for a matchmaker or open."""
    return db.session.scalar(
        select(func.count(Consultation.id)).where(
            Consultation.member_id == member_id,
            Consultation.state != ConsultationState.resolved,
        )
    )


def ask(member_id: int, topic: Topic, body: str) -> Consultation:
    """Store a member's request and assign it fairly (or leave it waiting). Raises
    ``TooManyUnresolved`` (nothing written) when the member has as many unresolved
    requests as ``CONSULTATION_MAX_UNRESOLVED``; the assignment lock makes that count
    hold for concurrent requests too. Flushes."""
    assignment.lock_assignments()
    if unresolved_count(member_id) >= Settings.current().max_unresolved:
        raise TooManyUnresolved(member_id)
    consultation = Consultation(member_id=member_id, topic=topic, body=body)
    db.session.add(consultation)
    db.session.flush()
    assignment.assign_waiting()  # older waiting requests first, this one among them
    return consultation


def _load(consultation_id: int, for_update: bool) -> Consultation | None:
    if for_update:
        return lock_row(Consultation, consultation_id)
    return db.session.get(Consultation, consultation_id)


def of_member(consultation_id: int, member_id: int, for_update: bool = False) -> Consultation:
    """The member's own request (row-locked when ``for_update``), else ``NotFound``."""
    consultation = _load(consultation_id, for_update)
    if consultation is None or consultation.member_id != member_id:
        raise NotFound(consultation_id)
    return consultation


def of_matchmaker(
    consultation_id: int, matchmaker_id: int, for_update: bool = False
) -> Consultation:
    """A request assigned to this matchmaker (row-locked when ``for_update``)."""
    consultation = _load(consultation_id, for_update)
    if consultation is None or consultation.matchmaker_id != matchmaker_id:
        raise NotFound(consultation_id)
    return consultation


def thread(consultation_id: int) -> list[ConsultationMessage]:
    return list(
        db.session.scalars(
            select(ConsultationMessage)
            .where(ConsultationMessage.consultation_id == consultation_id)
            .order_by(ConsultationMessage.id)
        )
    )


def reply(consultation: Consultation, author_id: int, body: str) -> ConsultationMessage:
    """Add a reply by the member or the assigned matchmaker and notify the other side.
    A resolved request takes no more replies (``Conflict``)."""
    if consultation.state is ConsultationState.resolved:
        raise Conflict(consultation.id)
    message = ConsultationMessage(consultation_id=consultation.id, author_id=author_id, body=body)
    db.session.add(message)
    db.session.flush()
    by_matchmaker = author_id == consultation.matchmaker_id
    if by_matchmaker and consultation.first_answer_at is None:
        consultation.first_answer_at = message.created_at
    recipient = consultation.member_id if by_matchmaker else consultation.matchmaker_id
    if recipient is not None:
        side = "member" if by_matchmaker else "matchmaker"
        notify(recipient, "consultation_reply", consultation_id=consultation.id, to=side)
    db.session.flush()
    return message


def resolve(consultation: Consultation) -> None:
    """The matchmaker closes the request; the member is asked to rate it."""
    if consultation.state is not ConsultationState.open:
        raise Conflict(consultation.id)
    consultation.state = ConsultationState.resolved
    consultation.resolved_at = utcnow()
    notify(consultation.member_id, "consultation_resolved", consultation_id=consultation.id)
    db.session.flush()


def rate(consultation: Consultation, rating: int, comment: str | None) -> None:
    """The member's rating, 1-5, once, after the request was resolved."""
    if consultation.state is not ConsultationState.resolved or consultation.rating is not None:
        raise Conflict(consultation.id)
    consultation.rating = rating
    consultation.rating_comment = comment or None
    consultation.rated_at = utcnow()
    db.session.flush()
