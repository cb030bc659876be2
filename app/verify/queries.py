"""Reads for the applicant's pages: their cases, their checks, their verified facts."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from app.extensions import db
from verification.models import OPEN_CASE_STATES, Case, VerifiedFact


def latest_case(user_id: int) -> Case | None:
    return db.session.scalar(
        select(Case).where(Case.user_id == user_id).order_by(Case.id.desc()).limit(1)
    )


def open_case_id(user_id: int) -> int | None:
    return db.session.scalar(
        select(Case.id).where(Case.user_id == user_id, Case.state.in_(OPEN_CASE_STATES))
    )


def owned_case(case_id: int, user_id: int) -> Case:
    """The case, when ``user_id`` filed it; otherwise 404 (never 403: that would confirm
    that a case with this number exists)."""
    case = db.session.get(Case, case_id)
    if case is None or case.user_id != user_id:
        abort(404)
    return case


def verified_facts(user_id: int) -> list[VerifiedFact]:
    return list(
        db.session.scalars(
            select(VerifiedFact).where(VerifiedFact.user_id == user_id).order_by(VerifiedFact.id)
        )
    )


def case_of(facts: list[VerifiedFact]) -> Case | None:
    """The case behind the identity facts (age, gender), i.e. the one Public Security
    verified."""
    for fact in facts:
        if fact.department == "public_security":
            return db.session.get(Case, fact.case_id)
    return None
