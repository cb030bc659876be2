"""Department health (部门系统状态): one circuit breaker per department.

::

    closed ──N failures in a row, or a failure share over a window──▶ open
    open ──after the cool-down──▶ half-open: one trial goes through (the probe's ping
                                  or one real check); every other check waits
    half-open ──the trial answers──▶ closed: the waiting checks resume
    half-open ──the trial fails or times out──▶ open: the cool-down starts again

Failures are unavailable answers and time-outs (no answer within the check time
limit); a refusal (``DepartmentError``) is an answer and counts as neither.

The state is a row per department in ``department_health``, not a Redis key: every
web and worker process already shares the database, in every mode (the embedded
default has no Redis); a transition is one short transaction under that row's lock,
serialised with the checks it makes wait or resume (a check's state lives in the same
database, so "wait" and "resume" can't pass each other); and it survives a broker
restart, which must not forget that a department is down.

The transitions are methods taking ``now`` (tests pass it in); ``lock``, ``admit``,
``record_failure`` and ``record_success`` load the row and flush, the caller commits.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import cast

from sqlalchemy import String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.locking import lock_row
from verification.departments import Department
from verification.policy import BreakerSettings


class BreakerState(enum.StrEnum):
    closed = "closed"  # calls go through
    open = "open"  # the department is down: checks wait
    half_open = "half_open"  # one trial call decides


class Admission(enum.StrEnum):
    call = "call"  # closed: ask the department
    trial = "trial"  # half-open: this call is the one trial
    wait = "wait"  # open, or a trial is under way: don't call


class DepartmentHealth(db.Model):
    """A department's circuit breaker, shared by every process."""

    __tablename__ = "department_health"

    department: Mapped[Department] = mapped_column(str_enum(Department), primary_key=True)
    state: Mapped[BreakerState] = mapped_column(str_enum(BreakerState), default=BreakerState.closed)
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_calls: Mapped[int] = mapped_column(default=0)
    window_failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure: Mapped[str | None] = mapped_column(String(200))
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    trial_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def admit(self, now: datetime, settings: BreakerSettings) -> Admission:
        """May a call go to the department now? Past the cool-down the first caller
        becomes the half-open trial; everyone else waits for its outcome."""
        if self.state is BreakerState.closed:
            return Admission.call
        if not self.trial_due(now, settings):
            return Admission.wait
        if self.state is not BreakerState.half_open:
            self.state, self.since = BreakerState.half_open, now
        self.trial_started_at = now
        return Admission.trial

    def trial_due(self, now: datetime, settings: BreakerSettings) -> bool:
        """Open past the cool-down, or half-open with no trial under way (a trial whose
        worker died is given up after the lease)."""
        if self.state is BreakerState.open:
            return now >= self.since + settings.cooldown
        if self.state is BreakerState.half_open:
            started = self.trial_started_at
            return started is None or now >= started + settings.trial_lease
        return False

    def failed(self, now: datetime, settings: BreakerSettings, what: str) -> None:
        """An unavailable answer or a time-out. Opens a closed breaker past the
        threshold, and re-opens a half-open one (its trial failed)."""
        self._count(now, settings, failed=True)
        self.consecutive_failures += 1
        self.last_failure_at, self.last_failure = now, what[:200]
        if self.state is BreakerState.half_open or (
            self.state is BreakerState.closed and self._tripped(settings)
        ):
            self.state, self.since, self.trial_started_at = BreakerState.open, now, None

    def succeeded(self, now: datetime, settings: BreakerSettings) -> bool:
        """An answer. Closes a half-open breaker; returns whether it did (the waiting
        checks are then resumed). A late answer while open changes no state."""
        self._count(now, settings, failed=False)
        self.consecutive_failures = 0
        self.last_success_at = now
        if self.state is not BreakerState.half_open:
            return False
        self.state, self.since, self.trial_started_at = BreakerState.closed, now, None
        self.window_started_at, self.window_calls, self.window_failures = now, 0, 0
        return True

    def release_trial(self) -> None:
        """The trial ended without telling (a refusal): let the next one through."""
        self.trial_started_at = None

    def _count(self, now: datetime, settings: BreakerSettings, failed: bool) -> None:
        start = self.window_started_at
        if start is None or now >= start + settings.window:
            self.window_started_at, self.window_calls, self.window_failures = now, 0, 0
        self.window_calls = (self.window_calls or 0) + 1
        self.window_failures = (self.window_failures or 0) + int(failed)

    def _tripped(self, settings: BreakerSettings) -> bool:
        if self.consecutive_failures >= settings.failures:
            return True
        calls, failures = self.window_calls, self.window_failures
        return calls >= settings.min_calls and failures >= settings.failure_share * calls


def lock(department: Department) -> DepartmentHealth:
    """The department's row, created if missing, locked until the transaction ends, so
    concurrent transitions take turns."""
    department = Department(department)
    row = lock_row(DepartmentHealth, department)
    if row is None:
        _insert_missing(department)
        row = lock_row(DepartmentHealth, department)
    return cast(DepartmentHealth, row)  # inserted above, or by a concurrent transaction


def _insert_missing(department: Department) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(DepartmentHealth.__table__)
        .values(department=department, state=BreakerState.closed, since=utcnow())
        .on_conflict_do_nothing(index_elements=["department"])
    )


def admit(department: Department, now: datetime, settings: BreakerSettings) -> Admission:
    """May a check call ``department`` now? A closed breaker is read without a lock
    (the common case costs one read); otherwise the row is locked. Flushes."""
    row = db.session.get(DepartmentHealth, Department(department), populate_existing=True)
    if row is None or row.state is BreakerState.closed:
        return Admission.call
    admission = lock(department).admit(now, settings)
    db.session.flush()
    return admission


def record_failure(
    department: Department, now: datetime, settings: BreakerSettings, what: str
) -> BreakerState:
    """Count an unavailable answer or a time-out; returns the breaker's state after it."""
    row = lock(department)
    row.failed(now, settings, what)
    db.session.flush()
    return row.state


def record_success(department: Department, now: datetime, settings: BreakerSettings) -> bool:
    """Count an answer; returns whether it closed the breaker. Flushes."""
    row = lock(department)
    closed = row.succeeded(now, settings)
    db.session.flush()
    return closed


def states() -> dict[Department, DepartmentHealth]:
    """Every department's row that exists (a department never failed has none)."""
    return {row.department: row for row in db.session.scalars(db.select(DepartmentHealth))}


def is_down(department: Department) -> bool:
    """Whether the department's breaker is open or half-open (a plain read)."""
    row = db.session.get(DepartmentHealth, Department(department))
    return row is not None and row.state is not BreakerState.closed
