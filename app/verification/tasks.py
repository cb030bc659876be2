"""Celery tasks of the verification workflow. Thin, idempotent, and they re-read state.

``dispatch_case`` sends all checks of a case at once (并联); each ``run_check`` asks
one department and, when it leaves every check of its case final, decides the case.
``reconcile`` (beat) re-dispatches checks stuck past their deadline and decides cases
left undecided; ``recheck_expired_facts`` (beat) re-verifies members' facts.

Robustness on a real broker:

- Every task is acknowledged late: a worker killed mid-check loses nothing, the broker
  delivers the task again (on Redis after ``CELERY_VISIBILITY_TIMEOUT``).
- A task may therefore run twice, even at the same time. A final check is never
  answered again, and the decision runs under a lock on the case row and leaves a
  decided case alone, so duplicates are harmless. A re-delivered *running* check is
  asked again: its first worker may have died, and asking a department is read-only.
- ``DepartmentUnavailable`` is retried with exponential backoff
  (``VERIFICATION_RETRY_BACKOFF`` * 2**(n-1), at most ``VERIFICATION_RETRY_BACKOFF_MAX``)
  until ``VERIFICATION_MAX_ATTEMPTS``; then the check is an error and the case goes
  to review.
- Unless the department itself is down: every unavailable answer and time-out feeds
  its circuit breaker (``health``). While it is open the department's
  checks *wait* (no call, no attempt spent) and ``resume_department`` queues them
  again when it recovers (a trial check answers, or ``probes`` pings it);
  a check waiting past ``VERIFICATION_OUTAGE_PATIENCE`` goes to review (``reconcile``),
  and is retried by itself when the department recovers, unless an administrator
  decided the case meanwhile.
- A department call is bounded by ``VERIFICATION_CHECK_TIME_LIMIT`` on any pool (Celery
  enforces time limits only in prefork pools); past it the call counts as unavailable.
  Prefork pools also get Celery's soft limit and ``VERIFICATION_CHECK_HARD_TIME_LIMIT``.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.schedules import crontab

from app.db_types import utcnow
from app.extensions import db
from app.locking import lock_row
from app.periodic import periodic_task
from app.transactions import after_commit
from app.verification import duplicates, health, operations, outage, queries, runtime
from app.verification.models import Case, Check, CheckState
from app.verification.operations import Unavailable
from app.verification.settings import Settings
from verification.departments import (
    Answer,
    Applicant,
    Department,
    DepartmentError,
    DepartmentUnavailable,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


@shared_task(name="verification.dispatch_case", acks_late=True, ignore_result=True)
def dispatch_case(case_id: int) -> int:
    """Queue every queued check of a case at once; returns how many were queued."""
    check_ids = queries.queued_checks(case_id)
    db.session.rollback()
    for check_id in check_ids:
        queue_check(check_id)
    return len(check_ids)


def queue_check(check_id: int) -> None:
    """Send ``run_check`` with the configured time limits (used by prefork pools)."""
    settings = Settings.current()
    run_check.apply_async(
        (check_id,),
        soft_time_limit=settings.check_time_limit,
        time_limit=settings.check_hard_time_limit,
    )


# Retries are not Celery's ``autoretry_for``/``retry_backoff``: the backoff and the
# number of attempts are settings of the application (read per call), attempts are
# counted in the database (a re-delivered message must not start them again), and an
# open breaker makes the check wait instead of retrying. ``_unavailable`` retries.
@shared_task(
    bind=True,
    name="verification.run_check",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=None,  # bounded by VERIFICATION_MAX_ATTEMPTS, counted in the database
)
def run_check(self: Task, check_id: int) -> str | None:
    """Ask one department about one case, keep its conclusion, and decide the case when
    this was its last pending check. Commits; a call for a final check does nothing."""
    started = _start_attempt(check_id)
    if started is None:
        return None
    department, applicant = started
    try:
        answer = ask(department, applicant)
    except (DepartmentUnavailable, SoftTimeLimitExceeded) as error:
        return _unavailable(self, check_id, str(error) or "time limit")
    except DepartmentError as error:
        log.warning("department %s refused check %s: %s", department, check_id, error)
        return _finish(check_id, None, reason="department_error")
    return _finish(check_id, answer)


def _start_attempt(check_id: int) -> tuple[Department, Applicant] | None:
    check = lock_row(Check, check_id)
    if check is None or check.is_final or check.state is CheckState.waiting:
        db.session.rollback()  # a waiting check is resumed with a fresh message
        return None
    if not operations.admit_attempt(check, runtime.policy(), utcnow()):
        department = check.department
        db.session.commit()
        log.info("department %s is down: check %s waits for it", department, check_id)
        return None
    started = (check.department, runtime.applicant_for(check.case))
    db.session.commit()  # no connection or lock is held while the department answers
    return started


def ask(department: Department, applicant: Applicant) -> Answer:
    """Ask a department, waiting at most ``VERIFICATION_CHECK_TIME_LIMIT`` seconds.

    The call runs in a helper thread so the limit holds in every worker pool; a call
    given up on ends by itself (the HTTP adapter's read timeout, the stub's delay).
    Raises ``DepartmentUnavailable`` past the limit.
    """
    adapter = runtime.department(department)
    return bounded(lambda: adapter.check(applicant), str(department))


def bounded(call: Callable[[], T], who: str) -> T:
    """``call()`` in a helper thread, waited for at most ``VERIFICATION_CHECK_TIME_LIMIT``
    seconds; raises ``DepartmentUnavailable`` past it."""
    limit = Settings.current().check_time_limit
    outcome: list[T | Exception] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as error:  # handed to the waiting task below
            outcome.append(error)

    helper = threading.Thread(target=run, name=f"ask-{who}", daemon=True)
    helper.start()
    helper.join(limit)
    if not outcome:
        raise DepartmentUnavailable(f"{who} gave no answer within {limit:g} s")
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


def retry_countdown(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th unavailable answer: exponential, capped,
    with a little jitter so cases that hit the same outage don't retry in step."""
    settings = Settings.current()
    base, ceiling = settings.retry_backoff, settings.retry_backoff_max
    delay = min(base * 2 ** max(attempts - 1, 0), ceiling)
    return delay * random.uniform(0.8, 1.0)  # noqa: S311 - timing, not security


def _unavailable(task: Task, check_id: int, error: str) -> str | None:
    """The department did not answer: wait for its recovery, give up, or retry. Commits."""
    check = lock_row(Check, check_id)
    if check is None or check.is_final:
        db.session.rollback()
        return None
    policy, department = runtime.policy(), check.department
    outcome = operations.record_unavailable(check, error, policy, utcnow())
    if outcome is Unavailable.give_up:
        return _finish(check_id, None, reason=outage.UNAVAILABLE)
    if outcome is Unavailable.wait:
        db.session.commit()
        log.info("department %s is down (%s): check %s waits for it", department, error, check_id)
        return CheckState.waiting.value
    attempts, countdown = check.attempts, retry_countdown(check.attempts)
    operations.requeue(check, utcnow() + timedelta(seconds=countdown), policy)
    db.session.commit()
    log.info(
        "department %s unavailable for check %s (attempt %d): %s; retry in %.1fs",
        department,
        check_id,
        attempts,
        error,
        countdown,
    )
    if task.request.is_eager:
        # No broker (the embedded default): try again in-process at once. Celery would
        # propagate the ``Retry`` out of the eager call (task_eager_propagates).
        return run_check.apply((check_id,)).result
    raise task.retry(countdown=countdown, exc=DepartmentUnavailable(error))


def _finish(check_id: int, answer: Answer | None, reason: str = "unavailable") -> str | None:
    """Keep the answer (or the error), commit, and decide the case if this was its last
    unfinished check."""
    check = lock_row(Check, check_id)
    if check is None:
        db.session.rollback()
        return None
    recovered = operations.finish(check, answer, reason, runtime.policy(), utcnow())
    state, case_id, department = check.state.value, check.case_id, check.department
    if recovered:
        after_commit(resume_department.delay, str(department))
    db.session.commit()
    # Whichever check commits last sees every check final (each looks after its own
    # commit), so at least one decides; the lock in ``decide`` makes it exactly one.
    if not queries.has_unfinished_checks(case_id):
        decide(case_id)
    return state


@shared_task(name="verification.resume_department", acks_late=True, ignore_result=True)
def resume_department(department: str) -> int:
    """The department recovered: queue its waiting checks again, and the checks of
    cases in review only because it was unavailable (unless an administrator decided).
    Commits, then queues; returns how many checks were queued. Nothing while its
    breaker is not closed (it failed again: the next recovery resumes them)."""
    if health.is_down(Department(department)):
        db.session.rollback()
        return 0
    policy, now = runtime.policy(), utcnow()
    check_ids = outage.resume_waiting(Department(department), now, policy)
    check_ids += outage.retry_reviews(Department(department), now, policy)
    db.session.commit()
    for check_id in check_ids:
        queue_check(check_id)
    return len(check_ids)


@shared_task(name="verification.decide_case", acks_late=True, ignore_result=True)
def decide_case(case_id: int) -> str | None:
    """Decide a case once all its checks are final (idempotent). Commits."""
    return decide(case_id)


def decide(case_id: int) -> str | None:
    """Decide the case under a lock on its row; ``None`` if pending or already decided.

    The lock lasts until the commit, so a concurrent decision waits and then finds the
    case decided.
    """
    case = lock_row(Case, case_id)
    if case is None:
        db.session.rollback()
        return None
    decision = operations.decide(case, runtime.policy())
    if decision == duplicates.HELD:  # another account holds the ID number
        after_commit(tell_identity_holder.delay, case_id)
    db.session.commit()
    return decision


@shared_task(name="verification.tell_identity_holder", acks_late=True, ignore_result=True)
def tell_identity_holder(case_id: int) -> bool:
    """Text the holder of a held case's ID number that someone else applied with it."""
    return duplicates.tell_holder_by_sms(case_id)


@periodic_task(
    "verification-reconcile", every=60.0, name="verification.reconcile", ignore_result=True
)
def reconcile() -> int:
    """Re-dispatch checks stuck past their deadline (a lost worker, a lost message) and
    decide cases whose checks all finished but were never decided. Commits; returns how
    many checks were re-dispatched.

    A waiting check is left alone (its department's recovery resumes it) until it has
    waited ``outage_patience``: then it is an error and its case is decided (review).
    """
    now, policy = utcnow(), runtime.policy()
    outage.run_out_of_patience(now, policy)
    stuck = queries.stuck_checks(now, policy.check_deadline)
    operations.postpone(stuck, now + policy.check_deadline)
    for check_id in stuck:
        after_commit(queue_check, check_id)
    for case_id in queries.undecided_cases():
        after_commit(decide_case.delay, case_id)
    db.session.commit()
    return len(stuck)


@periodic_task(
    "verification-recheck-expired-facts",
    every=crontab(hour=2, minute=0),
    name="verification.recheck_expired_facts",
    ignore_result=True,
)
def recheck_expired_facts(limit: int = 500) -> int:
    """Re-verify members' facts past their expiry. Commits after each member."""
    done = 0
    for fact in queries.expired_facts(utcnow(), limit):
        if health.is_down(fact.department):
            continue  # its breaker is open: try again on the next run
        case = db.session.get(Case, fact.case_id)
        try:
            answer = ask(fact.department, runtime.applicant_for(case))
        except (DepartmentUnavailable, DepartmentError):
            continue  # try again on the next run
        operations.recheck_answer(fact, answer, runtime.policy())
        db.session.commit()
        done += 1
    return done
