"""The verification workflow end to end on a real Redis broker and real worker processes.

Each test opens a case as the application does (operation, commit, then
``dispatch_case.delay``) and polls the database until the case is decided. Workers run
the threads pool with 8 threads, so the six checks of a case run at the same time.
Each test has its own queue (see ``tests/worker.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountState, User
from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.extensions import db
from app.verification import operations, queries, runtime, tasks
from app.verification.models import Case, CaseState, Check, CheckState, VerifiedFact
from tests.factories import make_user
from tests.verification_helpers import id_number
from tests.worker import (
    WorkerProcess,
    worker_environment,
)
from verification.departments import Department

pytestmark = pytest.mark.worker

NAME = "林晓雨"
DECIDED = (CaseState.approved, CaseState.rejected, CaseState.review)
# Fast retries; a dead worker's tasks come back within seconds.
FAST = {
    "VERIFICATION_RETRY_BACKOFF": 0.2,
    "VERIFICATION_RETRY_BACKOFF_MAX": 1.0,
    "CELERY_VISIBILITY_TIMEOUT": 3,
}


@pytest.fixture
def start_worker(
    migrated: str, broker: str, queue: str, tmp_path: Path
) -> Iterator[Callable[..., WorkerProcess]]:
    """Start a worker with ``settings`` (environment variables) on top of ``FAST``."""
    workers: list[WorkerProcess] = []

    def start(**settings: object) -> WorkerProcess:
        env = worker_environment(migrated, broker, queue, **{**FAST, **settings})
        worker = WorkerProcess(env, tmp_path / f"worker-{len(workers) + 1}.log")
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.kill()  # the test is over: no warm shutdown (~1.5 s) to wait for


@pytest.fixture
def app(app_factory, broker: str, queue: str) -> Flask:
    """The application as the web process runs it: tasks go to the broker."""
    return app_factory(CELERY_BROKER_URL=broker, CELERY_TASK_DEFAULT_QUEUE=queue)


def submit(
    app: Flask,
    scenario: str = "12",
    dispatch: bool = True,
    birth: date = date(1996, 5, 20),
    user_id: int | None = None,
) -> int:
    """Open a case (for a new user unless ``user_id``), commit, then queue it; returns
    the case id."""
    user_id = user_id or make_user(app).id
    with app.app_context():
        case = operations.open_case(
            db.session.get(User, user_id),
            NAME,
            id_number(scenario, birth),
            "2026-11",
            runtime.protector(),
            runtime.policy(),
        )
        db.session.commit()
        if dispatch:
            tasks.dispatch_case.delay(case.id)
        return case.id


def checks_of(app: Flask, case_id: int) -> dict[Department, Check]:
    with app.app_context():
        checks = db.session.scalars(select(Check).where(Check.case_id == case_id)).all()
        db.session.expunge_all()
    return {check.department: check for check in checks}


def wait_for_decision(
    app: Flask, case_id: int, workers: list[WorkerProcess] | None = None, timeout: float = 30
) -> Case:
    """Poll until the case is decided (or fail, showing its checks and the worker logs)."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            case = db.session.get(Case, case_id)
            if case.state in DECIDED:
                db.session.expunge(case)
                return case
        if time.monotonic() > deadline:
            checks = {
                d.value: (c.state.value, c.attempts) for d, c in checks_of(app, case_id).items()
            }
            logs = "\n".join(worker.tail() for worker in workers or [])
            pytest.fail(f"case {case_id} undecided after {timeout:g} s: {checks}\n{logs}")
        time.sleep(0.02)


def audit_actions(app: Flask, case_id: int) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.subject_type == "case", AuditEntry.subject_id == case_id
            )
        ).all()


def user_of(app: Flask, case_id: int) -> User:
    with app.app_context():
        user = db.session.scalar(
            select(User).join(Case, Case.user_id == User.id).where(Case.id == case_id)
        )
        db.session.expunge(user)
        return user


def test_all_six_pass_the_applicant_becomes_a_member_decided_once(app, start_worker):
    worker = start_worker()
    case_id = submit(app)
    case = wait_for_decision(app, case_id, [worker])
    assert case.state is CaseState.approved
    assert case.decided_by_id is None and case.decided_at is not None
    assert user_of(app, case_id).state is AccountState.member
    with app.app_context():
        facts = db.session.scalars(select(VerifiedFact).where(VerifiedFact.case_id == case_id))
        assert {fact.department for fact in facts} == set(Department)
    assert all(c.state is CheckState.passed for c in checks_of(app, case_id).values())
    # Six checks finished concurrently; the case was decided exactly once.
    assert audit_actions(app, case_id) == ["verification.approve"]


def test_the_checks_run_in_parallel(app, start_worker):
    worker = start_worker(VERIFICATION_STUB_LATENCY_MIN=0.3, VERIFICATION_STUB_LATENCY_MAX=0.5)
    # The worker's first case also pays for its cold start (connections, first queries).
    wait_for_decision(app, submit(app, birth=date(1990, 1, 1)), [worker])
    user_id = make_user(app).id
    started = time.monotonic()
    case_id = submit(app, user_id=user_id)
    case = wait_for_decision(app, case_id, [worker])
    wall = time.monotonic() - started
    checks = checks_of(app, case_id).values()
    serial = sum((c.answered_at - c.dispatched_at).total_seconds() for c in checks)
    print(f"\ncase wall time {wall:.3f} s; the six latencies add up to {serial:.3f} s")
    assert case.state is CaseState.approved
    assert wall < 0.6 * serial
    # The checks overlapped: each one started before any other had answered.
    assert max(c.dispatched_at for c in checks) < min(c.answered_at for c in checks)


def test_a_failed_check_rejects_the_case_with_the_reason(app, start_worker):
    worker = start_worker()
    case_id = submit(app, scenario="92")
    case = wait_for_decision(app, case_id, [worker])
    assert case.state is CaseState.rejected
    assert case.decision_reason == "married"
    civil = checks_of(app, case_id)[Department.civil_affairs]
    assert (civil.state, civil.reason) == (CheckState.failed, "married")
    assert user_of(app, case_id).state is AccountState.registered
    assert audit_actions(app, case_id) == ["verification.reject"]


def test_review_then_an_administrator_approves_and_the_applicant_becomes_a_member(
    app, start_worker
):
    worker = start_worker()
    admin_id = make_user(app, "admin").id
    case_id = submit(app, scenario="93")
    assert wait_for_decision(app, case_id, [worker]).state is CaseState.review
    education = checks_of(app, case_id)[Department.education]
    assert (education.state, education.reason) == (CheckState.review, "degree_unverified")
    assert user_of(app, case_id).state is AccountState.verifying
    with app.app_context():
        case = db.session.get(Case, case_id)
        admin = db.session.get(User, admin_id)
        operations.review(case, admin, True, "外国学历认证书已核对", runtime.policy())
        db.session.commit()
    assert user_of(app, case_id).state is AccountState.member
    assert audit_actions(app, case_id) == ["verification.approve"]


def test_a_flaky_department_is_retried_with_backoff_until_it_answers(app, start_worker):
    worker = start_worker()
    case_id = submit(app, scenario="99")
    assert wait_for_decision(app, case_id, [worker]).state is CaseState.approved
    hr = checks_of(app, case_id)[Department.hr_social_security]
    assert hr.state is CheckState.passed
    assert hr.attempts >= 3  # unavailable twice, then it answered
    assert "retry in" in worker.output()


def test_a_department_that_stays_down_ends_in_error_and_the_case_in_review(app, start_worker):
    worker = start_worker(VERIFICATION_MAX_ATTEMPTS=3)
    case_id = submit(app, scenario="97")
    assert wait_for_decision(app, case_id, [worker]).state is CaseState.review
    checks = checks_of(app, case_id)
    police = checks[Department.public_security]
    assert (police.state, police.reason, police.attempts) == (CheckState.error, "unavailable", 3)
    others = [c for d, c in checks.items() if d is not Department.public_security]
    assert all(c.state is CheckState.passed for c in others)


def test_a_department_slower_than_the_time_limit_counts_as_unavailable(app, start_worker):
    # Celery's time limits don't apply in the threads pool; the check's own limit does.
    worker = start_worker(VERIFICATION_CHECK_TIME_LIMIT=1, VERIFICATION_MAX_ATTEMPTS=2)
    started = time.monotonic()
    case_id = submit(app, scenario="98")  # education answers after 8 s
    assert wait_for_decision(app, case_id, [worker]).state is CaseState.review
    assert time.monotonic() - started < 8
    education = checks_of(app, case_id)[Department.education]
    assert (education.state, education.reason, education.attempts) == (
        CheckState.error,
        "unavailable",
        2,
    )
    assert "education gave no answer within 1 s" in worker.output()


def test_a_worker_killed_mid_case_loses_nothing(app, start_worker):
    slow = {"VERIFICATION_STUB_LATENCY_MIN": 1.5, "VERIFICATION_STUB_LATENCY_MAX": 2.0}
    first = start_worker(**slow)
    case_id = submit(app)
    # Kill it while all six checks are with departments. (Killed while it is taking a
    # message off the queue, Redis can lose that message: the reconciler's case.)
    deadline = time.monotonic() + 10
    while any(c.state is not CheckState.running for c in checks_of(app, case_id).values()):
        assert time.monotonic() < deadline, first.tail()
        time.sleep(0.02)
    first.kill()
    assert all(not c.is_final for c in checks_of(app, case_id).values())

    second = start_worker(**slow)
    case = wait_for_decision(app, case_id, [first, second])
    assert case.state is CaseState.approved
    # Every check was asked again after the kill: nothing was lost.
    assert all(c.attempts >= 2 for c in checks_of(app, case_id).values())
    assert audit_actions(app, case_id) == ["verification.approve"]


def test_the_reconciler_redispatches_stuck_checks_and_lost_dispatches(app, start_worker):
    worker = start_worker()
    stuck = submit(app, dispatch=False)  # its worker died long ago, the message is lost
    lost = submit(app, dispatch=False, birth=date(1993, 8, 1))  # its dispatch was lost
    with app.app_context():
        long_ago = utcnow() - timedelta(minutes=10)
        for check in db.session.scalars(select(Check).where(Check.case_id == stuck)):
            check.state, check.attempts = CheckState.running, 1
            check.dispatched_at, check.deadline_at = long_ago, long_ago + timedelta(minutes=2)
        db.session.get(Case, lost).created_at = long_ago
        db.session.commit()
        tasks.reconcile.delay()
    for case_id in (stuck, lost):
        assert wait_for_decision(app, case_id, [worker]).state is CaseState.approved
    assert {c.attempts for c in checks_of(app, stuck).values()} == {2}
    assert {c.attempts for c in checks_of(app, lost).values()} == {1}
    with app.app_context():
        pending = select(func.count()).where(Check.state.in_(queries.PENDING))
        assert db.session.scalar(pending) == 0


def test_a_duplicate_waits_for_review_and_its_holder_gets_a_text(app, start_worker):
    worker = start_worker()
    holder = make_user(app)
    assert wait_for_decision(app, submit(app, user_id=holder.id), [worker]).state is (
        CaseState.approved
    )
    duplicate = wait_for_decision(app, submit(app), [worker])  # the same ID number
    assert duplicate.state is CaseState.review
    assert audit_actions(app, duplicate.id) == ["verification.identity_held"]
    deadline = time.monotonic() + 30
    while f"SMS to {holder.phone}" not in worker.output():  # the development sender logs it
        assert time.monotonic() < deadline, worker.tail()
        time.sleep(0.05)
