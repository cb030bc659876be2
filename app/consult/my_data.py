"""Consultations' part of My data (我的数据): what the member asked the matchmakers,
with each thread."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from app.accounts.models import User
from app.consult.models import Consultation, ConsultationMessage
from app.extensions import db
from app.features import exported


def _asked_by(user: User) -> Any:
    return Consultation.member_id == user.id


class ConsultationData:
    tables = ("consultation", "consultation_message")

    def summary(self, user: User) -> dict[str, Any]:
        asked = select(func.count()).select_from(Consultation).where(_asked_by(user))
        return {"counts": {"consultations": db.session.scalar(asked) or 0}}

    def export(self, user: User) -> dict[str, Any]:
        consultations = []
        asked = select(Consultation).where(_asked_by(user)).order_by(Consultation.id)
        for consultation in db.session.scalars(asked):
            thread = (
                select(ConsultationMessage)
                .where(ConsultationMessage.consultation_id == consultation.id)
                .order_by(ConsultationMessage.id)
            )
            row = exported(consultation)
            row["messages"] = [exported(message) for message in db.session.scalars(thread)]
            consultations.append(row)
        return {"consultations": consultations}

    def erase(self, user: User) -> None:
        """Delete the member's consultations with their threads (the matchmaker's
        answers too: they were written for this member only). Those a matchmaker
        answered for other members stay: they are those members' records."""
        asked = select(Consultation.id).where(_asked_by(user))
        db.session.execute(
            delete(ConsultationMessage).where(ConsultationMessage.consultation_id.in_(asked))
        )
        db.session.execute(delete(Consultation).where(_asked_by(user)))
