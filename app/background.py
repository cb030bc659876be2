"""Tasks off the request without a broker: a small in-process executor per app.

With no ``CELERY_BROKER_URL`` Celery runs tasks eagerly, in the process that sends them.
Sent from a request, an eager task runs *inside* it: the real-name application's six
department checks held its POST for as long as the slowest department (8.7 s with a
slow one). With ``CELERY_IN_PROCESS = "thread"`` (the development default) a task sent
with ``apply_async``/``delay`` from a request, or from a task already running here, runs
instead on one of a few threads of this executor, inside an app context as
``FlaskTask`` runs it, with the eager semantics otherwise kept (``request.is_eager``,
retries at once). The request answers at once.

Elsewhere (a CLI command such as ``flask demo seed``, a script) tasks still run eagerly
where they are sent, so a command has finished its work when it returns; and
``CELERY_IN_PROCESS = "eager"`` (the tests' default) keeps every task eager, so a test
reads a task's effect right after the request. A test opts in with
``CELERY_IN_PROCESS="thread"`` and waits for the work with ``drain(app)``.

A task that fails here is logged with its traceback (nobody waits for it); at exit the
process waits for the tasks still running (``atexit``) before it stops.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from celery.result import _set_task_join_will_block
from flask import Flask, has_request_context

log = logging.getLogger(__name__)

THREAD = "thread"
EAGER = "eager"
MODES = (THREAD, EAGER)
DEFAULT_THREADS = 8  # the six department checks of an application at once, and a little more
EXTENSION = "background"

_local = threading.local()  # .running: this thread runs a background task
_executors: weakref.WeakSet[InProcessExecutor] = weakref.WeakSet()


class BackgroundResult:
    """What ``apply_async`` answers for a task handed to the executor: its id, and its
    result once run (``get``), like Celery's ``AsyncResult``."""

    def __init__(self, task_id: str, future: Future) -> None:
        self.id = task_id
        self._future = future

    def ready(self) -> bool:
        return self._future.done()

    def successful(self) -> bool:
        return self._future.done() and self._future.exception() is None

    def get(self, timeout: float | None = None, propagate: bool = True) -> Any:
        if not propagate:
            try:
                return self._future.result(timeout)
            except Exception as error:  # the task's failure, handed back
                return error
        return self._future.result(timeout)

    def __repr__(self) -> str:
        return f"<BackgroundResult {self.id} {'done' if self.ready() else 'pending'}>"


class InProcessExecutor:
    """A few threads that run the tasks handed over; counts what is pending, so ``drain``
    can wait for tasks and for the tasks those send in turn."""

    def __init__(self, name: str, threads: int = DEFAULT_THREADS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"{name}-task")
        self._pending = 0
        self._idle = threading.Condition()
        self._closed = False
        _executors.add(self)

    def submit(self, name: str, call: Callable[[], Any]) -> Future:
        """Run ``call()`` on a thread of the pool; its failure is logged, not lost."""
        with self._idle:
            self._pending += 1
        try:
            return self._pool.submit(self._run, name, call)
        except RuntimeError:  # shut down: run it here instead of dropping it
            future: Future = Future()
            future.set_result(self._run(name, call))
            return future

    def _run(self, name: str, call: Callable[[], Any]) -> Any:
        _local.running = True
        try:
            return call()
        except Exception:
            log.exception("background task %s failed", name)
            raise
        finally:
            _local.running = False
            with self._idle:
                self._pending -= 1
                if self._pending == 0:
                    # Celery's eager ``apply`` sets a process-wide "a result.get() would
                    # block" flag while it runs and restores the value it found: tasks
                    # run side by side can leave it set. No worker pool runs in a process
                    # with this executor (no broker), so with nothing running it is off.
                    _set_task_join_will_block(False)
                    self._idle.notify_all()

    @property
    def pending(self) -> int:
        return self._pending

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until no task is pending (those sent by running tasks included);
        whether that happened within ``timeout`` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def shutdown(self, wait: bool = True) -> None:
        self._closed = True
        self._pool.shutdown(wait=wait)


def init_app(app: Flask, mode: str, threads: int = DEFAULT_THREADS) -> InProcessExecutor | None:
    """The app's executor in ``thread`` mode (kept in ``app.extensions``), else ``None``."""
    if mode not in MODES:
        raise ValueError(f"CELERY_IN_PROCESS={mode!r}: use one of {', '.join(MODES)}")
    executor = InProcessExecutor(app.name, threads) if mode == THREAD else None
    app.extensions[EXTENSION] = executor
    return executor


def executor_for(app: Flask) -> InProcessExecutor | None:
    """The executor a task sent now should run on: the app's in ``thread`` mode when
    sent from a request or from a background task, else ``None`` (run it eagerly here)."""
    executor = app.extensions.get(EXTENSION)
    if executor is None or executor._closed:
        return None
    if has_request_context() or getattr(_local, "running", False):
        return executor
    return None


def drain(app: Flask, timeout: float | None = 30.0) -> bool:
    """Wait for the app's background tasks (tests, a script); True when none is left."""
    executor = app.extensions.get(EXTENSION)
    return True if executor is None else executor.drain(timeout)


@atexit.register
def _wait_for_running_tasks() -> None:
    """At exit, let the tasks that are running or queued finish (a check half-asked is
    asked again by the reconciler anyway, but a finished one should be kept)."""
    for executor in list(_executors):
        executor.shutdown(wait=True)
