"""Helpers for verification tests: valid resident ID numbers for each stub scenario
(digits 15-16, see verification/departments/README.md), and filling the application."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.verification import operations, runtime
from app.verification.models import Case
from verification.resident_id import check_character

ORDINARY = "12"  # every department passes
MARRIED = "92"  # civil_affairs fails: married
DEGREE_UNVERIFIED = "93"  # education: review
NAME = "张三丰"


def id_number(scenario: str = ORDINARY, birth: str = "19950612", gender: str = "1") -> str:
    """A valid 18-character number: region 330106, ``birth``, the scenario digits."""
    body = "330106" + birth + scenario + gender
    return body + check_character(body)


def born_years_ago(years: int) -> str:
    """The birth date (YYYYMMDD) of someone who turned ``years`` today or recently."""
    today = date.today()
    return date(today.year - years, today.month, min(today.day, 28)).strftime("%Y%m%d")


def form(name: str = NAME, number: str | None = None, **overrides: str) -> dict[str, str]:
    data = {
        "name": name,
        "id_number": id_number() if number is None else number,
        "consent_sensitive": "y",
        "consent_share": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def apply(client: FlaskClient, name: str = NAME, number: str | None = None, **overrides: str):
    return client.post("/verify/apply", data=form(name, number, **overrides))


def cases(app: Flask, user_id: int | None = None) -> list[Case]:
    with app.app_context():
        query = select(Case).order_by(Case.id)
        if user_id is not None:
            query = query.where(Case.user_id == user_id)
        found = list(db.session.scalars(query))
        for case in found:
            db.session.expunge(case)
        return found


def open_case_directly(app: Flask, user_id: int, scenario: str = ORDINARY) -> int:
    """A case left in ``checking``: created by the operation, no task dispatched."""
    with app.app_context():
        user = db.session.get(User, user_id)
        case = operations.open_case(
            user, NAME, id_number(scenario), "2026-11", runtime.protector(), runtime.policy()
        )
        db.session.commit()
        return case.id
