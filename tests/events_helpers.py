"""Helpers for the events tests: members of a known gender, an event straight into the
database (times relative to now), sign-ins, and reads of what was stored."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.db_types import utcnow
from app.events.models import Event, EventCategory, Signup
from app.extensions import db
from app.notifications.models import Notification
from tests.factories import make_user
from tests.quickmatch_helpers import add_members, population
from tests.test_today_page import sign_in


@pytest.fixture(autouse=True)
def english(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def members(app: Flask, men: int = 0, women: int = 0, seed: int = 11) -> list[int]:
    """Verified members with profiles: ``men`` men first, then ``women`` women."""
    people = population(80, seed=seed)
    chosen = [p for p in people if p.gender == "M"][:men] + [p for p in people if p.gender == "F"][
        :women
    ]
    return add_members(app, chosen)


def organiser(app: Flask) -> int:
    return make_user(app, "matchmaker").id


def add_event(app: Flask, organiser_id: int, **fields: object) -> int:
    """A published event starting in two days (sign-up and cancellation open until a
    day before), capacity 2, in 杭州."""
    now = utcnow()
    starts = fields.pop("starts_at", now + timedelta(days=2))
    values = {
        "title": "西湖边飞盘局",
        "category": EventCategory.frisbee,
        "city": "杭州",
        "place": "西湖文化广场草坪",
        "description": "新手友好，带上水和防晒。",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": 2,
        "signup_deadline": starts - timedelta(days=1),
        "cancel_deadline": starts - timedelta(days=1),
        "checkin_code": "482913",
        **fields,
    }
    with app.app_context():
        event = Event(organiser_id=organiser_id, **values)
        db.session.add(event)
        db.session.commit()
        return event.id


def move(app: Flask, event_id: int, starts_at: datetime, hours: float = 2) -> None:
    """Move the event in time (deadlines a minute before the start)."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.starts_at = starts_at
        event.ends_at = starts_at + timedelta(hours=hours)
        event.signup_deadline = event.cancel_deadline = starts_at - timedelta(minutes=1)
        db.session.commit()


def client_of(app: Flask, user_id: int) -> FlaskClient:
    client = app.test_client()
    sign_in(app, client, user_id)
    return client


def states(app: Flask, event_id: int) -> dict[int, str]:
    with app.app_context():
        rows = db.session.scalars(select(Signup).where(Signup.event_id == event_id))
        return {row.member_id: row.state.value for row in rows}


def kinds(app: Flask, user_id: int) -> list[str]:
    with app.app_context():
        query = select(Notification.kind).where(Notification.user_id == user_id)
        return list(db.session.scalars(query.order_by(Notification.id)))


def text(response) -> str:
    return response.get_data(as_text=True)
