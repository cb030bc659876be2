"""Health checks: liveness (the process answers) and readiness (database and broker).

Readiness is what a load balancer polls many times a second from every host, so each
process checks the database and the broker at most once per ``HEALTH_CHECK_INTERVAL``
seconds and answers from the last result in between.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import text

from app.extensions import db
from app.system.settings import Settings

OK = "ok"
IN_PROCESS = "in-process"  # no broker configured: tasks run in the web process
UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Readiness:
    """What one readiness check found, part by part."""

    database: str
    broker: str

    @property
    def ready(self) -> bool:
        return self.database == OK and self.broker in {OK, IN_PROCESS}

    def as_json(self) -> dict[str, str]:
        status = "ok" if self.ready else "unavailable"
        return {"status": status, "database": self.database, "broker": self.broker}


def database_status() -> str:
    """``ok`` when a pooled connection answers ``SELECT 1``."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.warning("health: database unreachable", exc_info=True)
        return UNREACHABLE
    return OK


def broker_status() -> str:
    """``ok`` when the Celery broker accepts a connection, ``in-process`` without one."""
    if not Settings.current().broker_url:
        return IN_PROCESS
    celery_app = current_app.extensions["celery"]
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        current_app.logger.warning("health: broker unreachable", exc_info=True)
        return UNREACHABLE
    return OK


def check_readiness() -> Readiness:
    """Check the database and the broker now (needs an app context)."""
    return Readiness(database=database_status(), broker=broker_status())


@dataclass
class ReadinessCache:
    """The last readiness result of this process, renewed when older than ``interval``.

    The lock makes concurrent requests wait for one check instead of each making one.
    """

    interval: float
    check: Callable[[], Readiness] = check_readiness
    clock: Callable[[], float] = time.monotonic
    _last: Readiness | None = field(default=None, init=False)
    _checked_at: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def get(self) -> Readiness:
        with self._lock:
            now = self.clock()
            if self._last is None or now - self._checked_at >= self.interval:
                self._last = self.check()
                self._checked_at = now
            return self._last


def readiness() -> Readiness:
    """This process's readiness, checked at most once per ``HEALTH_CHECK_INTERVAL``."""
    return current_app.extensions["readiness"].get()


def init_app(app: Flask) -> None:
    app.extensions["readiness"] = ReadinessCache(interval=Settings.of(app).check_interval)
