"""The nightly quick-match task on a real Redis broker and a real worker process: the
same rows as the batch in-process, in one task and as a chord over shards."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete

from app.extensions import db
from app.quickmatch import tasks
from app.quickmatch.models import DailyList, DailySuggestion
from tests.quickmatch_helpers import add_members, population, same_rows, suggestion_rows
from tests.worker import WorkerProcess, worker_environment

pytestmark = pytest.mark.worker

DAY = date(2026, 11, 28)


@pytest.fixture
def start_worker(
    migrated: str, broker: str, queue: str, tmp_path: Path
) -> Iterator[Callable[..., WorkerProcess]]:
    workers: list[WorkerProcess] = []

    def start(**settings: object) -> WorkerProcess:
        env = worker_environment(migrated, broker, queue, **settings)
        worker = WorkerProcess(env, tmp_path / f"worker-{len(workers) + 1}.log", concurrency=2)
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.kill()  # the test is over: no warm shutdown (~1.5 s) to wait for


@pytest.fixture
def expected(app_factory) -> list[tuple]:
    """A population, and the rows the batch writes for it in-process (then removed)."""
    local = app_factory()
    add_members(local, population(120, today=DAY))
    with local.app_context():
        tasks.run_daily.apply(args=[DAY.isoformat()]).get()
    rows = suggestion_rows(local)
    with local.app_context():
        db.session.execute(delete(DailySuggestion))
        db.session.execute(delete(DailyList))
        db.session.commit()
    assert rows
    return rows


@pytest.fixture
def remote(app_factory, broker: str, queue: str, expected: list[tuple]) -> Flask:
    """The application as the web process runs it: tasks go to the broker. Built after
    ``expected``'s in-process app, so that it is Celery's current app."""
    app = app_factory(CELERY_BROKER_URL=broker, CELERY_TASK_DEFAULT_QUEUE=queue)
    assert not app.extensions["celery"].conf.task_always_eager
    return app


def send_run_daily(app: Flask, day: date) -> None:
    """Queue the nightly task as beat does (nobody waits for its result), over a
    connection of our own that is closed at once."""
    celery = app.extensions["celery"]
    with app.app_context(), celery.connection_for_write() as connection:
        tasks.run_daily.apply_async((day.isoformat(),), connection=connection, ignore_result=True)


def wait_for(worker: WorkerProcess, task: str, times: int = 1, timeout: float = 90) -> str:
    """Wait until the worker logged ``times`` successes of ``task``; return its log."""
    deadline = time.monotonic() + timeout
    pattern = re.compile(rf"Task {re.escape(task)}\[[^\]]+\] succeeded in [^:]+: (.*)")
    while len(found := pattern.findall(worker.output())) < times:
        if time.monotonic() > deadline:
            pytest.fail(f"{task} did not succeed {times}x in {timeout:g} s\n{worker.tail()}")
        time.sleep(0.2)
    return found[times - 1]


def test_the_nightly_task_on_a_worker_writes_what_the_batch_writes_in_process(
    remote, expected, start_worker
):
    worker = start_worker()
    send_run_daily(remote, DAY)
    summary = wait_for(worker, "quickmatch.run_daily")
    assert suggestion_rows(remote) == expected
    assert f"'suggestions': {len(expected)}" in summary
    # Delivered again (a beat restart, a lost acknowledgement): nothing changes.
    send_run_daily(remote, DAY)
    again = wait_for(worker, "quickmatch.run_daily", times=2)
    assert "'suggestions': 0" in again
    assert suggestion_rows(remote) == expected


def test_the_chord_over_shards_on_a_worker_writes_the_same_rows(remote, expected, start_worker):
    worker = start_worker(QUICKMATCH_SHARDS=3)
    send_run_daily(remote, DAY)
    assert wait_for(worker, "quickmatch.run_daily") == "None"  # it started the chord
    summary = wait_for(worker, "quickmatch.assign")
    assert same_rows(suggestion_rows(remote), expected)
    assert f"'suggestions': {len(expected)}" in summary
    assert len(re.findall(r"Task quickmatch.candidates\[[^\]]+\] succeeded", worker.output())) == 3
