"""Helpers for the safety tests: members who know each other (on a Today list or
matched), an administrator, and counts of what safety writes."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.lounge.models import Message
from app.notifications.models import Notification
from app.relations.models import Block, Match
from app.safety.models import Appeal, Report
from tests.factories import make_user
from tests.quickmatch_helpers import add_members, population

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def members(app: Flask, n: int = 3) -> list[int]:
    return add_members(app, population(30, seed=5)[:n])


def make_match(app: Flask, one: int, other: int) -> int:
    with app.app_context():
        match = Match.between(one, other)
        match.created_at = T0
        db.session.add(match)
        db.session.commit()
        return match.id


def write(
    app: Flask, match_id: int, sender_id: int, *bodies: str, flagged: bool = False
) -> list[int]:
    with app.app_context():
        ids = []
        for body in bodies:
            message = Message(
                match_id=match_id,
                sender_id=sender_id,
                body=body,
                flagged=flagged,
                flag_reasons=["money"] if flagged else [],
            )
            db.session.add(message)
            db.session.flush()
            ids.append(message.id)
        db.session.commit()
        return ids


def admin_id(app: Flask) -> int:
    return make_user(app, "admin").id


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def counts(app: Flask) -> dict[str, int]:
    """Rows of everything safety writes."""
    models = {
        "blocks": Block,
        "reports": Report,
        "appeals": Appeal,
        "notifications": Notification,
        "audit": AuditEntry,
    }
    return {name: count(app, model) for name, model in models.items()}


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def notes_of(app: Flask, user_id: int, kind: str) -> list[Notification]:
    with app.app_context():
        query = select(Notification).where(
            Notification.user_id == user_id, Notification.kind == kind
        )
        return list(db.session.scalars(query))
