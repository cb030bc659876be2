"""Celery tasks of the verification workflow. Thin, idempotent, and they re-read state.

``dispatch_case`` sends all checks at once (并联); each ``run_check`` asks one
department, retrying transient failures with exponential backoff; the last check to
finish triggers ``decide_case``. ``reconcile`` (beat) re-dispatches checks stuck past
their deadline; ``recheck_expired_facts`` (beat) re-verifies members' facts.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from verification import operations, runtime
from verification.departments import Answer, DepartmentError, DepartmentUnavailable
from verification.models import Case, CaseState, Check, CheckState, VerifiedFact

log = logging.getLogger(__name__)

RETRY_BACKOFF_SECONDS = 2.0
RETRY_BACKOFF_MAX = 60.0


@shared_task(name="verification.dispatch_case", acks_late=True)
def dispatch_case(case_id: int) -> int:
    """Queue every pending check of a case at once; returns how many were queued."""
    check_ids = db.session.scalars(
        select(Check.id).where(Check.case_id == case_id, Check.state == CheckState.queued)
    ).all()
    for check_id in check_ids:
        run_check.delay(check_id)
    return len(check_ids)


@shared_task(
    bind=True,
    name="verification.run_check",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
    soft_time_limit=60,
    time_limit=90,
)
def run_check(self, check_id: int) -> str | None:
    """Ask one department about one case and keep its conclusion. Commits.

    A re-delivered or duplicate call for a final check does nothing.
    """
    check = db.session.get(Check, check_id, with_for_update=True)
    if check is None or check.is_final:
        db.session.rollback()
        return None
    policy = runtime.policy()
    operations.start_attempt(check, policy)
    applicant = runtime.applicant_for(check.case)
    department = check.department
    db.session.commit()
    try:
        answer = runtime.department(department).check(applicant)
    except DepartmentUnavailable as error:
        return _retry_or_give_up(self, check_id, policy.max_attempts, str(error))
    except DepartmentError as error:
        log.warning("department %s refused check %s: %s", department, check_id, error)
        return _finish(check_id, None, reason="department_error")
    return _finish(check_id, answer)


def _retry_or_give_up(task: Task, check_id: int, max_attempts: int, error: str) -> str | None:
    check = db.session.get(Check, check_id)
    if check is None or check.is_final:
        return None
    if check.attempts >= max_attempts:
        return _finish(check_id, None, reason="unavailable")
    countdown = min(RETRY_BACKOFF_SECONDS * 2 ** (check.attempts - 1), RETRY_BACKOFF_MAX)
    check.state = CheckState.queued
    check.deadline_at = utcnow() + runtime.policy().check_deadline
    db.session.commit()
    log.info(
        "department %s unavailable for check %s; retry in %.1fs",
        check.department,
        check_id,
        countdown,
    )
    raise task.retry(countdown=countdown, exc=DepartmentUnavailable(error))


def _finish(check_id: int, answer: Answer | None, reason: str | None = None) -> str:
    check = db.session.get(Check, check_id, with_for_update=True)
    if answer is not None:
        operations.record_answer(check, answer)
    else:
        operations.record_error(check, reason or "unavailable")
    state = check.state.value
    case_id = check.case_id
    db.session.commit()
    decide_case.delay(case_id)
    return state


@shared_task(name="verification.decide_case", acks_late=True)
def decide_case(case_id: int) -> str | None:
    """Decide a case once all its checks are final (idempotent). Commits."""
    case = db.session.get(Case, case_id, with_for_update=True)
    if case is None:
        return None
    decision = operations.decide(case, runtime.policy())
    db.session.commit()
    return decision


@shared_task(name="verification.reconcile", ignore_result=True)
def reconcile() -> int:
    """Re-dispatch checks stuck past their deadline (a lost worker, a lost message),
    and decide cases whose checks all finished but were never decided."""
    now = utcnow()
    stuck = db.session.scalars(
        select(Check).where(
            Check.state.in_((CheckState.queued, CheckState.running)),
            Check.deadline_at.is_not(None),
            Check.deadline_at < now,
        )
    ).all()
    for check in stuck:
        check.state = CheckState.queued
        check.deadline_at = now + runtime.policy().check_deadline
    undecided = db.session.scalars(select(Case.id).where(Case.state == CaseState.checking)).all()
    ids = [check.id for check in stuck]
    db.session.commit()
    for check_id in ids:
        run_check.delay(check_id)
    for case_id in undecided:
        decide_case.delay(case_id)
    return len(ids)


@shared_task(name="verification.recheck_expired_facts", ignore_result=True)
def recheck_expired_facts(limit: int = 500) -> int:
    """Re-verify members' facts past their expiry. Commits after each member."""
    facts = db.session.scalars(
        select(VerifiedFact).where(VerifiedFact.expires_at < utcnow()).limit(limit)
    ).all()
    done = 0
    for fact in facts:
        case = db.session.get(Case, fact.case_id)
        try:
            answer = runtime.department(fact.department).check(runtime.applicant_for(case))
        except (DepartmentUnavailable, DepartmentError):
            continue  # try again on the next run
        operations.recheck_answer(fact, answer, runtime.policy())
        db.session.commit()
        done += 1
    return done
