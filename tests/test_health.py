"""Health checks: liveness touches nothing; readiness names what is down and checks the
database and the broker at most once per interval in each process."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event

from app.extensions import db
from app.system import health
from app.system.health import Readiness, ReadinessCache

DOWN_POSTGRESQL = "postgresql://postgres@127.0.0.1:1/queqiao"  # nothing listens on port 1
DOWN_SQLITE = "sqlite:////nonexistent-dir/queqiao.db"
DOWN_BROKER = "redis://127.0.0.1:1/0"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def build(app_factory):
    """Apps on other databases or brokers (the first, healthy app cleans the tables)."""
    app_factory()
    return app_factory


def count_calls(monkeypatch, name: str) -> list[int]:
    """Count the calls of ``health.<name>`` (still calling through)."""
    calls: list[int] = []
    real = getattr(health, name)

    def counted() -> str:
        calls.append(1)
        return real()

    monkeypatch.setattr(health, name, counted)
    return calls


# --- Liveness ----------------------------------------------------------------------------


def test_liveness_answers_with_database_and_broker_down_without_touching_them(build, monkeypatch):
    app = build(SQLALCHEMY_DATABASE_URI=DOWN_POSTGRESQL, CELERY_BROKER_URL=DOWN_BROKER)
    connects: list[int] = []
    with app.app_context():
        event.listen(db.engine, "do_connect", lambda *args: connects.append(1))
    checks = count_calls(monkeypatch, "database_status") + count_calls(monkeypatch, "broker_status")
    client = app.test_client()
    for _ in range(3):
        response = client.get("/healthz/live")
        assert response.status_code == 200
        assert response.get_json() == {"status": "ok"}
    assert connects == []
    assert checks == []
    # The same app's readiness does try, and fails: the probe above really was blind.
    assert client.get("/healthz/ready").status_code == 503
    assert connects


# --- Readiness ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/healthz/ready", "/healthz"])
def test_readiness_when_everything_is_up(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "broker": "in-process"}


@pytest.mark.parametrize("url", [DOWN_POSTGRESQL, DOWN_SQLITE])
@pytest.mark.parametrize("path", ["/healthz/ready", "/healthz"])
def test_readiness_names_a_down_database(build, url, path):
    app = build(SQLALCHEMY_DATABASE_URI=url)
    response = app.test_client().get(path)
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "unreachable",
        "broker": "in-process",
    }


def test_readiness_names_a_down_broker(build):
    app = build(CELERY_BROKER_URL=DOWN_BROKER)
    response = app.test_client().get("/healthz/ready")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
    }


def test_readiness_with_a_reachable_broker(build, broker, queue):  # queue: skip without Redis
    app = build(CELERY_BROKER_URL=broker)
    response = app.test_client().get("/healthz/ready")
    assert response.get_json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert response.status_code == 200


def test_probes_over_plain_http_are_answered_not_redirected(build):
    app = build(FORCE_HTTPS=True)
    client = app.test_client()
    assert client.get("/").status_code == 302  # pages go to HTTPS
    assert client.get("/healthz/live").status_code == 200
    assert client.get("/healthz/ready").status_code == 200
    assert client.get("/healthz").status_code == 200


# --- The readiness cache -----------------------------------------------------------------


def test_two_readiness_calls_within_the_interval_make_one_check(app, monkeypatch):
    clock = FakeClock()
    app.extensions["readiness"].clock = clock
    database = count_calls(monkeypatch, "database_status")
    broker = count_calls(monkeypatch, "broker_status")
    client = app.test_client()
    assert client.get("/healthz/ready").status_code == 200
    clock.now += 0.5
    assert client.get("/healthz").status_code == 200
    assert (len(database), len(broker)) == (1, 1)
    clock.now += 0.5  # a second after the check: it is made again
    assert client.get("/healthz/ready").status_code == 200
    assert (len(database), len(broker)) == (2, 2)


def test_the_cache_reports_a_recovery_after_the_interval():
    clock = FakeClock()
    answers = iter([Readiness("unreachable", "ok"), Readiness("ok", "ok")])
    cache = ReadinessCache(interval=1.0, check=lambda: next(answers), clock=clock)
    assert not cache.get().ready
    clock.now += 0.999
    assert not cache.get().ready
    clock.now += 0.001
    assert cache.get().ready


def test_concurrent_calls_wait_for_one_check():
    checks: list[int] = []
    barrier = threading.Barrier(16)

    def check() -> Readiness:
        checks.append(1)
        return Readiness("ok", "ok")

    cache = ReadinessCache(interval=1.0, check=check, clock=FakeClock())

    def call(_: int) -> bool:
        barrier.wait()
        return cache.get().ready

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert all(pool.map(call, range(16)))
    assert checks == [1]


def test_the_interval_is_a_setting(build):
    app = build(HEALTH_CHECK_INTERVAL=5.0)
    assert app.extensions["readiness"].interval == 5.0
