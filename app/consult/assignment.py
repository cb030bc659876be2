"""Fair assignment of consultations: the active matchmaker with the fewest open
requests; ties go to the one whose last assignment is longest ago (never assigned
first), then to the lowest id.

Two requests at the same moment must not both see the same "fewest": every assignment
first takes one advisory lock (``app.locking``), so the second reads the first's
assignment once it commits.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import case, func, select

from app.accounts.models import AccountState, Role, User
from app.consult.models import Consultation, ConsultationState
from app.db_types import utcnow
from app.extensions import db
from app.locking import Namespace, advisory_lock
from app.notifications.models import notify

ANSWER_WITHIN = timedelta(hours=24)


def lock_assignments() -> None:
    """Serialise assignments until the transaction ends."""
    advisory_lock(Namespace.consult_assignment)


def next_matchmaker(excluding: Collection[int] = ()) -> int | None:
    """The id of the matchmaker the next request goes to, or None when there is none.
    ``excluding``: never these (the asking member, when a matchmaker asks for help)."""
    open_count = func.count(Consultation.id).filter(Consultation.state == ConsultationState.open)
    last_assigned = func.max(Consultation.assigned_at)
    query = (
        select(User.id)
        .outerjoin(Consultation, Consultation.matchmaker_id == User.id)
        .where(User.role == Role.matchmaker, User.state == AccountState.member)
        .group_by(User.id)
        .order_by(
            open_count,
            case((last_assigned.is_(None), 0), else_=1),
            last_assigned,
            User.id,
        )
        .limit(1)
    )
    if excluding:
        query = query.where(User.id.not_in(list(excluding)))
    return db.session.scalar(query)


def assign(consultation: Consultation, matchmaker_id: int) -> None:
    """Give the request to ``matchmaker_id``: the 24 h answer clock starts again."""
    now = utcnow()
    consultation.matchmaker_id = matchmaker_id
    consultation.state = ConsultationState.open
    consultation.assigned_at = now
    consultation.answer_due_at = now + ANSWER_WITHIN
    consultation.first_answer_at = None
    db.session.flush()
    notify(matchmaker_id, "consultation_assigned", consultation_id=consultation.id)


def assign_waiting() -> int:
    """Assign waiting requests, oldest first, while a matchmaker is available; returns
    how many were assigned. Takes the lock; flushes; the caller commits."""
    lock_assignments()
    waiting = db.session.scalars(
        select(Consultation)
        .where(Consultation.state == ConsultationState.waiting)
        .order_by(Consultation.created_at, Consultation.id)
    ).all()
    assigned = 0
    for consultation in waiting:
        matchmaker_id = next_matchmaker(excluding=[consultation.member_id])
        if matchmaker_id is None:
            continue  # only the asker is a matchmaker: it waits for another
        assign(consultation, matchmaker_id)
        notify(consultation.member_id, "consultation_taken", consultation_id=consultation.id)
        assigned += 1
    return assigned


def has_waiting() -> bool:
    query = select(Consultation.id).where(Consultation.state == ConsultationState.waiting)
    return db.session.scalar(query.limit(1)) is not None
