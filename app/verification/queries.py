"""Reads of verification: the applicant's cases, checks and verified facts; the
administrators' review queue, a case's history, the audit log and its filter choices;
the workflow's checks to dispatch, stuck checks and undecided cases. Nothing here
writes, except the row lock of ``lock_case``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import Exists, Select, Subquery, and_, exists, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.extensions import db
from app.locking import lock_row
from app.verification.models import (
    OPEN_CASE_STATES,
    Case,
    CaseState,
    Check,
    CheckState,
    VerifiedFact,
)
from verification.departments import Department

# Audit actions that belong to a case's decision history (a view is not a decision).
DECISION_ACTIONS = ("verification.approve", "verification.reject")
SYSTEM = "system"


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


def review_queue(department: str = "", state: str = "") -> Select:
    """Cases waiting for an administrator, oldest first.

    ``state`` keeps cases with a check in that state (of ``department`` when given);
    ``department`` alone keeps cases where that department did not pass.
    """
    query = (
        select(Case)
        .where(Case.state == CaseState.review)
        .options(selectinload(Case.checks))
        .order_by(Case.created_at, Case.id)
    )
    if department or state:
        condition = Check.case_id == Case.id
        if department:
            condition &= Check.department == department
        if state:
            condition &= Check.state == state
        else:
            condition &= Check.state != CheckState.passed
        query = query.where(exists().where(condition))
    return query


def needing_attention(case: Case) -> list[Check]:
    """The checks of a case that did not pass: what the administrator has to look at."""
    return [check for check in case.checks if check.state is not CheckState.passed]


def lock_case(case_id: int) -> Case | None:
    """Load a case for a decision, locked until the request commits or rolls back: a
    second administrator deciding at the same moment waits, then reads the first one's
    decision."""
    return lock_row(Case, case_id)


def case_history(case_id: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.subject_type == "case",
                AuditEntry.subject_id == case_id,
                AuditEntry.action.in_(DECISION_ACTIONS),
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def audit_log(action: str = "", actor: str = "") -> Select:
    """Audit entries, newest first, optionally of one action and one actor (or the system)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if actor == SYSTEM:
        query = query.where(AuditEntry.actor_id.is_(None))
    elif actor:
        query = query.where(AuditEntry.actor_id == int(actor))
    return query


def logged_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by("action")))


def logged_actors() -> list[User]:
    """Everyone who appears as the actor of an audit entry."""
    actor_ids = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(actor_ids)).order_by(User.id)))


def users_by_id(ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}


# The workflow's reads (the tasks and the reconciler)

PENDING = (CheckState.queued, CheckState.running)  # the reconciler's to look after
UNFINISHED = (*PENDING, CheckState.waiting)  # a case with one of these is undecided


def queued_checks(case_id: int) -> list[int]:
    """The ids of a case's checks not yet sent to their department."""
    return list(
        db.session.scalars(
            select(Check.id).where(Check.case_id == case_id, Check.state == CheckState.queued)
        )
    )


def has_unfinished_checks(case_id: int) -> bool:
    return bool(db.session.scalar(select(_unfinished_check(case_id))))


def _unfinished_check(case_id: object) -> Exists:
    return exists().where(Check.case_id == case_id, Check.state.in_(UNFINISHED))


def stuck_checks(now: datetime, deadline: timedelta) -> list[int]:
    """Pending checks past their deadline (a lost worker, a lost message), and queued
    checks without one whose case is older than ``deadline`` (their dispatch was lost).
    Waiting checks are not stuck: their department's recovery resumes them."""
    return list(
        db.session.scalars(
            select(Check.id)
            .join(Check.case)
            .where(
                Check.state.in_(PENDING),
                or_(
                    Check.deadline_at < now,
                    and_(Check.deadline_at.is_(None), Case.created_at < now - deadline),
                ),
            )
        )
    )


def undecided_cases() -> list[int]:
    """Cases still checking though every check is final: their decision was lost."""
    return list(
        db.session.scalars(
            select(Case.id).where(Case.state == CaseState.checking, ~_unfinished_check(Case.id))
        )
    )


def expired_facts(now: datetime, limit: int) -> list[VerifiedFact]:
    """Verified facts past their expiry, due for a re-check."""
    return list(
        db.session.scalars(select(VerifiedFact).where(VerifiedFact.expires_at < now).limit(limit))
    )


# What other features read of a member's verification, without the tables: the
# approved identity (gender and birth date, parsed from the ID number) and the facts
# the departments confirmed.


def approved_identities() -> Subquery:
    """One row per approved case: ``id``, ``user_id``, ``gender``, ``birth_date`` (a
    subquery to join on ``user_id``)."""
    return (
        select(Case.id, Case.user_id, Case.gender, Case.birth_date)
        .where(Case.state == CaseState.approved)
        .subquery("approved_identity")
    )


def department_facts(department: Department) -> Subquery:
    """Each member's verified facts from one department: ``user_id``, ``facts``."""
    return (
        select(VerifiedFact.user_id, VerifiedFact.facts)
        .where(VerifiedFact.department == department)
        .subquery(f"{department}_facts")
    )


def current_facts(user_ids: Iterable[int], now: datetime) -> list[tuple[int, str, dict]]:
    """``(user_id, department, facts)`` of the facts not expired at ``now``, per member in
    the order they were verified."""
    rows = db.session.execute(
        select(VerifiedFact.user_id, VerifiedFact.department, VerifiedFact.facts)
        .where(VerifiedFact.user_id.in_(list(user_ids)), VerifiedFact.expires_at > now)
        .order_by(VerifiedFact.user_id, VerifiedFact.verified_at)
    )
    return [(user_id, str(department), facts or {}) for user_id, department, facts in rows]


def verified_gender(user_id: int) -> str | None:
    """The gender of the member's latest approved case, or None."""
    return db.session.scalar(
        select(Case.gender)
        .where(Case.user_id == user_id, Case.state == CaseState.approved)
        .order_by(Case.id.desc())
        .limit(1)
    )


def first_case(user_id: int) -> Case | None:
    """The member's first verification case (any state)."""
    return db.session.scalar(select(Case).where(Case.user_id == user_id).order_by(Case.id))
