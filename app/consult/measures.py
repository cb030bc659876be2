"""The three measures of a matchmaker's work (the article's): response rate, resolution
rate and mean satisfaction — one grouped query, no loop over requests in Python.

- response rate: the share of assigned requests whose first answer by the assigned
  matchmaker came within 24 h of the assignment. A request still unanswered and
  assigned less than 24 h ago is left out (it may yet be answered in time).
- resolution rate: resolved / assigned.
- satisfaction: the mean rating, and how many ratings it is the mean of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select

from app.accounts.models import Role, User
from app.consult.models import Consultation, ConsultationState
from app.db_types import utcnow
from app.extensions import db


@dataclass(frozen=True)
class Measures:
    matchmaker_id: int
    assigned: int
    answered_in_time: int
    counted_for_response: int  # assigned, minus the unanswered ones not yet 24 h old
    resolved: int
    ratings: int
    mean_rating: float | None

    @property
    def response_rate(self) -> float | None:
        if not self.counted_for_response:
            return None
        return self.answered_in_time / self.counted_for_response

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.assigned if self.assigned else None


def measures(
    matchmaker_ids: list[int] | None = None, now: datetime | None = None
) -> list[Measures]:
    """Measures of the given matchmakers (every current matchmaker when None), by id."""
    now = now or utcnow()
    c = Consultation
    assigned = c.assigned_at.is_not(None)
    in_time = and_(c.first_answer_at.is_not(None), c.first_answer_at <= c.answer_due_at)
    pending = and_(c.first_answer_at.is_(None), c.answer_due_at > now)
    query = (
        select(
            User.id,
            func.count(c.id).filter(assigned),
            func.coalesce(func.sum(case((in_time, 1), else_=0)), 0),
            func.count(c.id).filter(assigned, ~pending),
            func.count(c.id).filter(c.state == ConsultationState.resolved),
            func.count(c.rating),
            func.avg(c.rating),
        )
        .outerjoin(c, c.matchmaker_id == User.id)
        .group_by(User.id)
        .order_by(User.id)
    )
    if matchmaker_ids is None:
        query = query.where(User.role == Role.matchmaker)
    else:
        query = query.where(User.id.in_(matchmaker_ids))
    return [
        Measures(
            row[0],
            row[1],
            int(row[2]),
            row[3],
            row[4],
            row[5],
            float(row[6]) if row[6] is not None else None,
        )
        for row in db.session.execute(query)
    ]


def of_matchmaker(matchmaker_id: int, now: datetime | None = None) -> Measures:
    return measures([matchmaker_id], now)[0]
