"""Verification cases for the administrators' console tests, made the way the app makes
them: ``open_case`` with the real protector, then the checks run in-process."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.verification import operations, runtime, tasks
from app.verification.models import Case, Check
from tests.factories import login_as, make_user
from verification.resident_id import check_character

NAME = "欧阳明月"


def id_number(birth: str = "19950612", sequence: str = "93", region: str = "330106") -> str:
    """A valid number; digits 15-16 (``sequence``) choose the stub departments' scenario."""
    body = f"{region}{birth}{sequence}1"
    return body + check_character(body)


def open_case(
    app: Flask,
    birth: str = "19950612",
    sequence: str = "93",
    name: str = NAME,
    dispatch: bool = True,
) -> int:
    """Open a case for a new applicant and (by default) run its checks; returns its id.

    Sequence ``93``: education answers ``review``, so the case goes to the queue.
    """
    applicant = make_user(app, "registered")
    with app.app_context():
        user = db.session.get(User, applicant.id)
        case = operations.open_case(
            user,
            name,
            id_number(birth, sequence),
            app.config["CONSENT_WORDING_VERSION"],
            runtime.protector(),
            runtime.policy(),
        )
        db.session.commit()
        case_id = case.id
    if dispatch:
        with app.app_context():
            tasks.dispatch_case.apply(args=[case_id])
    return case_id


def sign_in_admin(app: Flask, client: FlaskClient) -> User:
    """An administrator signed in on ``client``, reading English."""
    user = login_as(app, client, "admin")
    client.set_cookie("lang", "en")
    return user


def case_links(page: str) -> list[int]:
    """The ids of the cases a page links to, in page order."""
    return [int(found) for found in re.findall(r'href="/admin/cases/(\d+)"', page)]


def text(response) -> str:
    return response.get_data(as_text=True)


def set_created(app: Flask, case_id: int, when: datetime) -> None:
    with app.app_context():
        db.session.get(Case, case_id).created_at = when
        db.session.commit()


def set_check(app: Flask, case_id: int, department: str, state: str, reason: str | None) -> None:
    with app.app_context():
        check = db.session.scalar(
            select(Check).where(Check.case_id == case_id, Check.department == department)
        )
        check.state, check.reason, check.facts = state, reason, {}
        db.session.commit()


def load(app: Flask, model: type, ident: int):
    with app.app_context():
        found = db.session.get(model, ident)
        db.session.expunge(found)
        return found


def count(app: Flask, model: type, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))
