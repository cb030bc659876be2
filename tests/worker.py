"""A real ``celery -A wsgi.celery_app worker`` process on Redis, for tests.

Started as production starts it: its own process, configured only by environment
variables, on the test worker's database.

Isolation: each xdist worker uses its own Redis database index (``TEST_REDIS_URL``,
default ``redis://127.0.0.1:6379``; index 7 + n, apart from ``test_celery``'s 1 + n),
and each test its own queue (``CELERY_TASK_DEFAULT_QUEUE``), removed afterwards. The
database is not flushed: several test sessions may share this Redis at once, and a
flush would drop another session's tasks, while a foreign worker never reads our queue.
"""

from __future__ import annotations

import itertools
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis

from app.config import _ENVIRONMENT, TestingConfig
from app.features import setting_keys
from tests.conftest import ROOT, service_missing

READY_TIMEOUT = 30.0
_names = itertools.count(1)


def redis_url(worker_id: str) -> str:
    """The Redis database for this xdist worker (``gw3`` -> index 10; no xdist -> 7)."""
    base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
    number = int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0
    return f"{base}/{7 + number % 7}"


def new_queue(url: str) -> str:
    """A queue name of our own on the Redis at ``url`` (skip or fail if Redis is absent)."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
        client.close()
    except redis.ConnectionError:
        service_missing(f"Redis at {url}")
    return f"test-{os.getpid()}-{secrets.token_hex(4)}"


def remove_queue(url: str, queue: str) -> None:
    """Delete the queue's messages and bindings."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    keys = list(client.scan_iter(match=f"*{queue}*"))
    if keys:
        client.delete(*keys)
    client.close()


def worker_environment(
    database_url: str, broker: str, queue: str, **settings: object
) -> dict[str, str]:
    """The environment of a worker process: the test database, broker and queue, the
    testing identity keys (so it decrypts what the tests encrypt) and ``settings``.
    Settings the app would read from the caller's environment are dropped first."""
    read = {*_ENVIRONMENT, *setting_keys(TestingConfig.FEATURES)}
    env = {name: value for name, value in os.environ.items() if name not in read}
    env.update(
        QUEQIAO_ENV="development",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        SECRET_KEY="worker-test-secret-key-0123456789abcdef",
        IDENTITY_ENCRYPTION_KEYS=TestingConfig.IDENTITY_ENCRYPTION_KEYS,
        IDENTITY_INDEX_KEY=TestingConfig.IDENTITY_INDEX_KEY,
        PYTHONPATH=str(ROOT),
    )
    env.update({name: str(value) for name, value in settings.items()})
    return env


class WorkerProcess:
    """One ``celery worker`` process; ``start`` waits until it consumes. With
    ``beat_schedule`` (a file path) it also runs beat embedded (``-B``)."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        pool: str = "threads",
        concurrency: int = 8,
        beat_schedule: Path | None = None,
    ) -> None:
        self.env = env
        self.log = log
        self.name = f"test-{os.getpid()}-{next(_names)}@%h"
        self.command = [
            sys.executable, "-m", "celery", "-A", "wsgi.celery_app", "worker",
            f"--pool={pool}", f"--concurrency={concurrency}", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", f"--hostname={self.name}",
        ]  # fmt: skip
        if beat_schedule is not None:
            self.command += ["--beat", f"--schedule={beat_schedule}"]
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = READY_TIMEOUT) -> WorkerProcess:
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=output, stderr=output
            )
        deadline = time.monotonic() + timeout
        while " ready." not in self.output():
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited ({self.process.returncode}):\n{self.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the worker was not ready in {timeout:g} s:\n{self.tail()}")
            time.sleep(0.05)
        return self

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, nothing acknowledged or handed back."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), killed if it takes more than 20 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output().splitlines()[-lines:])
