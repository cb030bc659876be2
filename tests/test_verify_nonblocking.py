"""The application never blocks: on the embedded default (no broker) the six department
checks run off the request, on the app's in-process executor (``CELERY_IN_PROCESS =
"thread"``, app/background.py), so the POST answers at once even when a department takes
8 s, and the checks finish afterwards. Outside a request (a CLI command) tasks still run
eagerly; a background task's failure is logged; ``drain`` waits for tasks sent by tasks."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from celery import shared_task
from sqlalchemy import select

from app import background
from app.accounts.models import User
from app.extensions import db
from app.system.tasks import ping
from app.verification.models import Case
from tests.applicants import apply, id_number
from tests.factories import login_as

pytestmark = pytest.mark.commits

SLOW_EDUCATION = "98"  # the stub's Education answers after 8 s
FAST_STUB = {"VERIFICATION_STUB_LATENCY_MIN": 0.05, "VERIFICATION_STUB_LATENCY_MAX": 0.1}


def _case_of(app, user_id: int) -> Case:
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.user_id == user_id)).one()
        states = {check.department.value: check.state.value for check in case.checks}
        db.session.expunge(case)
        case.states = states
        return case


def test_the_application_post_answers_at_once_with_a_department_at_8_s(app_factory):
    app = app_factory(CELERY_IN_PROCESS="thread", **FAST_STUB)
    client = app.test_client()
    user = login_as(app, client)

    started = time.perf_counter()
    response = apply(client, number=id_number(SLOW_EDUCATION))
    elapsed = time.perf_counter() - started
    print(f"\napplication POST answered in {elapsed:.3f} s (Education stub at 8 s)")

    assert response.status_code == 302 and "/verify/cases/" in response.headers["Location"]
    assert elapsed < 1.0
    case = _case_of(app, user.id)
    assert case.decided_at is None  # still checking: Education takes 8 s
    assert case.states["education"] in {"queued", "running"}

    # The progress page and its JSON status answer while the checks run.
    status = client.get(f"/verify/cases/{case.id}/status")
    assert status.status_code == 200 and status.get_json()["decided"] is False

    assert background.drain(app, timeout=30)
    case = _case_of(app, user.id)
    assert set(case.states.values()) == {"passed"}
    assert case.state.value == "approved"
    with app.app_context():
        assert db.session.get(User, user.id).state.value == "member"
    assert client.get(f"/verify/cases/{case.id}/status").get_json()["decided"] is True


def test_a_second_press_while_checking_goes_to_the_open_case(app_factory):
    """The button cannot be pressed twice in the browser (forms.js); the server refuses a
    second application anyway: it redirects to the case already being checked."""
    app = app_factory(CELERY_IN_PROCESS="thread", VERIFICATION_STUB_SLOW_SECONDS=2, **FAST_STUB)
    client = app.test_client()
    user = login_as(app, client)
    first = apply(client, number=id_number(SLOW_EDUCATION))
    second = apply(client, number=id_number(SLOW_EDUCATION))
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert background.drain(app, timeout=30)
    with app.app_context():
        count = len(db.session.scalars(select(Case).where(Case.user_id == user.id)).all())
    assert count == 1


def test_eager_mode_runs_the_checks_inside_the_request(app_factory):
    """The tests' default, and what the embedded default did before: the decision is
    made before the POST answers."""
    app = app_factory(**FAST_STUB)
    assert app.extensions["background"] is None
    client = app.test_client()
    user = login_as(app, client)
    apply(client)
    assert _case_of(app, user.id).state.value == "approved"


def test_outside_a_request_tasks_still_run_eagerly_where_they_are_sent(app_factory):
    app = app_factory(CELERY_IN_PROCESS="thread")
    assert app.extensions["background"] is not None
    with app.app_context():
        result = ping.delay("cli")
    assert type(result).__name__ == "EagerResult"
    assert result.get(timeout=1)["token"] == "cli"


ran: list[str] = []


@shared_task(name="tests.background.child")
def child(token: str) -> str:
    time.sleep(0.2)
    ran.append(f"{token}@{threading.current_thread().name}")
    return token


@shared_task(name="tests.background.parent")
def parent(token: str) -> str:
    child.delay(token + "-child")  # sent from a background task: off this thread too
    ran.append(f"{token}@{threading.current_thread().name}")
    return token


@shared_task(name="tests.background.broken")
def broken() -> None:
    raise RuntimeError("this task is broken on purpose")


def test_a_task_sent_from_a_request_runs_on_the_executor_and_drain_waits(app_factory):
    app = app_factory(CELERY_IN_PROCESS="thread")
    ran.clear()
    with app.test_request_context("/"):
        result = parent.delay("p")
    assert isinstance(result, background.BackgroundResult)
    assert background.drain(app, timeout=10)
    assert result.get(timeout=1) == "p"
    assert sorted(entry.split("@")[0] for entry in ran) == ["p", "p-child"]
    assert all("-task" in entry.split("@")[1] for entry in ran)  # the executor's threads
    assert threading.current_thread().name not in {entry.split("@")[1] for entry in ran}


def test_a_failing_background_task_is_logged_not_lost(app_factory, caplog):
    app = app_factory(CELERY_IN_PROCESS="thread")
    with caplog.at_level(logging.ERROR, logger="app.background"):
        with app.test_request_context("/"):
            result = broken.delay()
        assert background.drain(app, timeout=10)
    assert not result.successful()
    with pytest.raises(RuntimeError, match="broken on purpose"):
        result.get(timeout=1)
    assert "background task tests.background.broken failed" in caplog.text
    assert "broken on purpose" in caplog.text  # the traceback is in the log


def test_an_unknown_in_process_mode_is_refused(app_factory):
    with pytest.raises(ValueError, match="CELERY_IN_PROCESS"):
        app_factory(CELERY_IN_PROCESS="sometimes")


def test_development_runs_tasks_off_the_request_by_default():
    from app.config import DevelopmentConfig, TestingConfig

    assert DevelopmentConfig.CELERY_IN_PROCESS == "thread"
    assert TestingConfig.CELERY_IN_PROCESS == "eager"
