"""Celery wiring: in-process without a broker, a real worker process on Redis with one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from app.extensions import db
from app.system.tasks import ping
from tests.conftest import ROOT, service_missing
from tests.factories import make_user


def test_without_a_broker_tasks_run_in_process_inside_the_app_context(app):
    make_user(app)
    celery_app = app.extensions["celery"]
    assert celery_app.conf.task_always_eager is True
    with app.app_context():
        reply = ping.delay("hello").get(timeout=1)
    assert reply["token"] == "hello"
    assert reply["app"] == "app"
    assert reply["users"] == 1  # it queried the database through the app context
    assert reply["pid"] == os.getpid()


def test_with_a_broker_tasks_are_queued_not_run_in_process(app_factory):
    app = app_factory(CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert app.extensions["celery"].conf.task_always_eager is False
    assert app.extensions["celery"].conf.broker_url == "redis://127.0.0.1:6379/0"


def _redis_url(worker_id: str) -> str:
    base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
    index = 1 + (int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0)
    return f"{base}/{index}"


@pytest.fixture
def celery_worker_process(migrated: str, worker_id: str, tmp_path: Path) -> Iterator[str]:
    """A real ``celery worker`` process on Redis, started as production starts it."""
    broker = _redis_url(worker_id)
    try:
        client = redis.Redis.from_url(broker, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except redis.ConnectionError:
        service_missing(f"Redis at {broker}")
    env = {
        **os.environ,
        "QUEQIAO_ENV": "development",
        "DATABASE_URL": migrated,
        "CELERY_BROKER_URL": broker,
        "SECRET_KEY": "worker-test-secret-key-0123456789abcdef",
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "wsgi.celery_app", "worker",
        "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
        f"--hostname=test-{worker_id}@%h",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        yield broker
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.returncode not in (0, -15):
            print(log.read_text())


@pytest.mark.worker
def test_a_real_worker_runs_the_task_with_the_app_and_database(app_factory, celery_worker_process):
    app = app_factory(CELERY_BROKER_URL=celery_worker_process)
    make_user(app)
    make_user(app)
    with app.app_context():
        started = time.monotonic()
        result = ping.delay("over-redis")
        reply = result.get(timeout=60)
        backend = db.engine.url.get_backend_name()
    assert reply["token"] == "over-redis"
    assert reply["users"] == 2  # the worker read the same database
    assert reply["pid"] != os.getpid()  # and it was another process
    assert reply["database"] == backend
    assert time.monotonic() - started < 60
