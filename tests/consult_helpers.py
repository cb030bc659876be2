"""Helpers for the consultation and introduction tests: users, sign-in, rows."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.consult.models import Consultation, ConsultationState, Topic
from app.extensions import db
from app.notifications.models import Notification
from tests.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def english(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def sign_in(app: Flask, client: FlaskClient, user_id: int) -> None:
    with app.app_context():
        phone = db.session.get(User, user_id).phone
    response = client.post("/account/signin", data={"phone": phone, "password": PASSWORD})
    assert response.status_code == 302


def user_ids(app: Flask, kind: str, n: int) -> list[int]:
    return [make_user(app, kind).id for _ in range(n)]


def add_consultation(
    member_id: int,
    matchmaker_id: int | None = None,
    state: ConsultationState = ConsultationState.open,
    assigned_at: datetime | None = None,
    answer_due_at: datetime | None = None,
    first_answer_at: datetime | None = None,
    rating: int | None = None,
) -> Consultation:
    """A consultation row as it would be at some point of its life. Flushes."""
    consultation = Consultation(
        member_id=member_id,
        matchmaker_id=matchmaker_id,
        topic=Topic.chatting,
        body="不知道第一次聊天该说什么",
        state=state,
        assigned_at=assigned_at,
        answer_due_at=answer_due_at,
        first_answer_at=first_answer_at,
        rating=rating,
    )
    db.session.add(consultation)
    db.session.flush()
    return consultation


def notifications_of(app: Flask, user_id: int) -> list[tuple[str, dict]]:
    with app.app_context():
        rows = db.session.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        )
        return [(n.kind, dict(n.params)) for n in rows]
