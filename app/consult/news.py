"""Consultations' part of the home page's "what's new": replies waiting for the member.

Consultations keep no read state, so a reply counts as new while it is the latest word:
the member's open consultations (assigned, not resolved) whose newest message was
written by someone else (the matchmaker), i.e. a matchmaker's reply newer than the
member's own last message. Answering it, or the consultation being resolved, clears it.
Reads the consultations' own tables only.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.consult.models import Consultation, ConsultationMessage, ConsultationState
from app.extensions import db
from app.features import NewsItem


def replied(member_id: int) -> list[int]:
    """The ids of the member's open consultations whose latest message is a reply."""
    latest = (
        select(func.max(ConsultationMessage.id))
        .join(Consultation, Consultation.id == ConsultationMessage.consultation_id)
        .where(
            Consultation.member_id == member_id,
            Consultation.state == ConsultationState.open,
        )
        .group_by(ConsultationMessage.consultation_id)
    )
    query = (
        select(ConsultationMessage.consultation_id)
        .where(ConsultationMessage.id.in_(latest), ConsultationMessage.author_id != member_id)
        .order_by(ConsultationMessage.id.desc())
    )
    return list(db.session.scalars(query))


def news(user: Any) -> list[NewsItem]:
    waiting = replied(user.id)
    url = (
        url_for("consult.show", consultation_id=waiting[0])
        if len(waiting) == 1
        else url_for("consult.index")
    )
    return [
        NewsItem(
            key="consultations",
            label=_("A matchmaker replied to your question")
            if len(waiting) == 1
            else _("Matchmakers replied to %(num)d of your questions", num=len(waiting)),
            count=len(waiting),
            url=url,
            icon="users",
        )
    ]
