"""Checks during a department outage: they wait instead of spending attempts, resume
when the department recovers, and go to review only after ``outage_patience``.

Operations flush; the task that calls them commits and queues the checks they return
only after that commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select, update

from app.audit.models import record as audit
from app.extensions import db
from app.locking import lock_row
from app.verification.health import DepartmentHealth
from app.verification.models import Case, CaseState, Check, CheckState
from verification.departments import Department
from verification.health import BreakerState
from verification.policy import Policy

UNAVAILABLE = "unavailable"
RETRY_BATCH = 200  # cases in review put back per run; the next recovery or probe does more


def wait(check: Check, now: datetime) -> None:
    """The department is down: the check waits, without a deadline (the reconciler
    leaves it alone); patience counts from its first wait. Flushes."""
    check.state = CheckState.waiting
    check.waiting_since = check.waiting_since or now
    check.deadline_at = None
    db.session.flush()


def resume_waiting(department: Department, now: datetime, policy: Policy) -> list[int]:
    """Queue again every check waiting for ``department``; returns their ids.

    One ``UPDATE … RETURNING``: two resumers at once can't both take a check, so none
    is dispatched twice. The deadline lets the reconciler re-dispatch a lost one.
    """
    resumed = db.session.scalars(
        update(Check)
        .where(Check.department == Department(department), Check.state == CheckState.waiting)
        .values(state=CheckState.queued, deadline_at=now + policy.check_deadline)
        .returning(Check.id),
        execution_options={"synchronize_session": False},
    ).all()
    return sorted(resumed)


def run_out_of_patience(now: datetime, policy: Policy) -> list[int]:
    """Checks waiting longer than ``outage_patience`` become errors (``unavailable``);
    returns their cases' ids, to be decided (they go to review). Flushes."""
    cutoff = now - policy.outage_patience
    case_ids = db.session.scalars(
        update(Check)
        .where(Check.state == CheckState.waiting, Check.waiting_since <= cutoff)
        .values(state=CheckState.error, reason=UNAVAILABLE, answered_at=now, deadline_at=None)
        .returning(Check.case_id),
        execution_options={"synchronize_session": False},
    ).all()
    return sorted(set(case_ids))


def retry_reviews(department: Department, now: datetime, policy: Policy) -> list[int]:
    """Put back to checking the cases in review only because a department was
    unavailable, one of them ``department``; returns the check ids to queue.

    A case an administrator decided is no longer in review and is left alone; each
    case is locked (as an administrator's decision locks it), so the two can't cross.
    Every unavailable check of the case starts again with fresh attempts. Flushes.
    """
    unavailable_here = exists().where(
        Check.case_id == Case.id,
        Check.department == Department(department),
        Check.state == CheckState.error,
        Check.reason == UNAVAILABLE,
    )
    candidates = db.session.scalars(
        select(Case.id)
        .where(Case.state == CaseState.review, unavailable_here)
        .order_by(Case.id)
        .limit(RETRY_BATCH)
    ).all()
    check_ids: list[int] = []
    for case_id in candidates:
        check_ids += _retry_case(case_id, now, policy, department)
    return check_ids


def _retry_case(case_id: int, now: datetime, policy: Policy, department: Department) -> list[int]:
    case = _lock_case(case_id)
    if case is None or case.state is not CaseState.review:
        return []
    blocked = [c for c in case.checks if c.state is not CheckState.passed]
    if not blocked or any(not _unavailable(c) for c in blocked):
        return []  # something else needs an administrator too
    for check in blocked:
        check.state, check.attempts, check.reason = CheckState.queued, 0, None
        check.answered_at, check.waiting_since = None, None
        check.deadline_at = now + policy.check_deadline
    case.state = CaseState.checking
    audit("verification.resumed", "case", case.id, department=Department(department).value)
    db.session.flush()
    return [check.id for check in blocked]


def _unavailable(check: Check) -> bool:
    return check.state is CheckState.error and check.reason == UNAVAILABLE


def _lock_case(case_id: int) -> Case | None:
    return lock_row(Case, case_id)


def stranded() -> list[Department]:
    """Departments with waiting checks whose breaker is closed (a resume that was
    lost, e.g. its worker died): the probe resumes them."""
    closed_or_missing = ~exists().where(
        DepartmentHealth.department == Check.department,
        DepartmentHealth.state != BreakerState.closed,
    )
    rows = db.session.scalars(
        select(Check.department)
        .where(Check.state == CheckState.waiting, closed_or_missing)
        .distinct()
    ).all()
    return sorted(rows)


def report() -> list[dict[str, object]]:
    """Per department: its breaker row (or ``None``: never failed), the checks waiting
    for it and the cases in review because it was unavailable. For administrators."""
    rows = {row.department: row for row in db.session.scalars(select(DepartmentHealth))}
    waiting = dict(
        db.session.execute(
            select(Check.department, func.count())
            .where(Check.state == CheckState.waiting)
            .group_by(Check.department)
        ).all()
    )
    in_review = dict(
        db.session.execute(
            select(Check.department, func.count(func.distinct(Check.case_id)))
            .join(Check.case)
            .where(
                Case.state == CaseState.review,
                Check.state == CheckState.error,
                Check.reason == UNAVAILABLE,
            )
            .group_by(Check.department)
        ).all()
    )
    return [
        {
            "department": department,
            "health": rows.get(department),
            "waiting": waiting.get(department, 0),
            "in_review": in_review.get(department, 0),
        }
        for department in Department
    ]
