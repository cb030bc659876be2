"""A department outage on a real worker: its checks wait, then finish by themselves.

The departments are reached over HTTP through the gateway (served from this test
process, so the test starts and ends the outage). The worker runs beat embedded, so
the probe finds the recovery as it would in production; the outage is compressed to
the seconds the test needs (a breaker that opens after 3 failures, a 0.5 s cool-down,
a probe every 0.3 s). No case may go to review, and every case is decided as its ID
number says once the department is back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from app.extensions import db
from app.verification.health import DepartmentHealth
from app.verification.models import Case, CaseState, CheckState
from tests.test_verification_workflow_worker import FAST, checks_of, submit, wait_for_decision
from tests.worker import WorkerProcess, worker_environment
from verification.departments import Department, Outage
from verification.gateway import Gateway, create_gateway
from verification.health import BreakerState

pytestmark = pytest.mark.worker

OUTAGE = {
    "VERIFICATION_BREAKER_FAILURES": 3,
    "VERIFICATION_BREAKER_COOLDOWN": 0.5,
    "VERIFICATION_PROBE_INTERVAL": 0.3,
    "VERIFICATION_READ_TIMEOUT": 3,
}
# (scenario, birth) -> expected decision; none needs an administrator.
APPLICANTS = [("12", date(1990 + n, 3, 1 + n), CaseState.approved) for n in range(6)] + [
    ("92", date(1994, 7, 7), CaseState.rejected),
    ("88", date(1991, 9, 9), CaseState.approved),
]


@pytest.fixture
def gateway() -> Iterator[tuple[Gateway, str]]:
    served = create_gateway()
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{server.port}"
    finally:
        for department in Department:
            served.registry.end_outage(department)  # wakes stalled requests
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def app(app_factory, broker: str, queue: str) -> Flask:
    return app_factory(CELERY_BROKER_URL=broker, CELERY_TASK_DEFAULT_QUEUE=queue)


@pytest.fixture
def worker(migrated, broker, queue, tmp_path: Path, gateway) -> Iterator[WorkerProcess]:
    _, url = gateway
    env = worker_environment(
        migrated,
        broker,
        queue,
        **{**FAST, **OUTAGE},
        VERIFICATION_DEPARTMENTS="http",
        VERIFICATION_GATEWAY_URL=url,
        VERIFICATION_CHECK_TIME_LIMIT=1,
    )
    process = WorkerProcess(env, tmp_path / "worker.log", beat_schedule=tmp_path / "beat")
    yield process.start()
    process.stop()  # warm: its embedded beat is a child process that a kill would orphan


def wait_until(condition, worker: WorkerProcess, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not reached in {timeout:g} s\n{worker.tail()}")
        time.sleep(0.05)


def the_outage_holds_the_checks(app, gateway, worker, department, kind) -> None:
    served, _ = gateway
    served.registry.start_outage(department, kind)
    case_ids = [submit(app, scenario, birth=birth) for scenario, birth, _ in APPLICANTS]

    def all_waiting() -> bool:
        checks = [checks_of(app, case_id) for case_id in case_ids]
        others_done = all(c.is_final for by in checks for d, c in by.items() if d is not department)
        return others_done and all(by[department].state is CheckState.waiting for by in checks)

    # Every check of the failing department waits; the others answered meanwhile.
    wait_until(all_waiting, worker, f"every {department} check waiting")
    with app.app_context():
        health = db.session.get(DepartmentHealth, department)
        assert health.state is not BreakerState.closed
        states = db.session.scalars(select(Case.state).where(Case.id.in_(case_ids))).all()
        assert states == [CaseState.checking] * len(case_ids)
    assert all(checks_of(app, case_id)[department].attempts <= 2 for case_id in case_ids), (
        "a waiting check spent its attempts"
    )

    served.registry.end_outage(department)
    for case_id, (_, _, expected) in zip(case_ids, APPLICANTS, strict=True):
        case = wait_for_decision(app, case_id, [worker])
        assert case.state is expected, (case_id, checks_of(app, case_id))
        answered = checks_of(app, case_id)[department]
        assert answered.state in (CheckState.passed, CheckState.failed), answered.state
    with app.app_context():
        assert db.session.get(DepartmentHealth, department).state is BreakerState.closed
    assert "answers again; resuming its checks" in worker.output()


def test_a_department_down_for_a_while_sends_no_case_to_review(app, gateway, worker):
    the_outage_holds_the_checks(app, gateway, worker, Department.civil_affairs, Outage.down)


def test_a_department_hanging_past_the_time_limit_sends_no_case_to_review(app, gateway, worker):
    the_outage_holds_the_checks(app, gateway, worker, Department.education, Outage.hang)
    assert "education gave no answer within 1 s" in worker.output()
