"""Department health (部门系统状态): each department's circuit breaker, kept in the database.

The rule is ``verification.health`` (plain Python); here it is a row per department in
``department_health``, not a Redis key: every web and worker process already shares the
database, in every mode (the embedded default has no Redis); a transition is one short
transaction under that row's lock, serialised with the checks it makes wait or resume
(a check's state lives in the same database, so "wait" and "resume" can't pass each
other); and it survives a broker restart, which must not forget that a department is
down.

``lock``, ``admit``, ``record_failure`` and ``record_success`` load the row and flush,
the caller commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.locking import lock_row
from verification.departments import Department
from verification.health import Admission, BreakerState, CircuitBreaker
from verification.policy import BreakerSettings


class DepartmentHealth(CircuitBreaker, db.Model):
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
