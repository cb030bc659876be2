"""The light probe (探测): while a department is down, ask it a cheap question.

``probe_departments`` runs on beat every ``VERIFICATION_PROBE_INTERVAL`` seconds (its
entry is declared here, ``BEAT_ENTRIES``). It sends one ``probe_department`` per
department whose breaker is due for a trial (open past the cool-down, or half-open
with its trial lost); that task takes the trial, pings the department within the check
time limit and records the outcome. An answer closes the breaker and resumes the
department's waiting checks; a failure opens it again for another cool-down. It also
resumes departments that have waiting checks though their breaker is closed (a resume
lost with its worker), so no check waits longer than one probe interval past a
recovery.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from celery import shared_task

from app.db_types import utcnow
from app.extensions import db
from app.periodic import periodic_task
from app.transactions import after_commit
from app.verification import health, outage, runtime, tasks
from app.verification.settings import Settings
from verification.departments import Department, DepartmentError, DepartmentUnavailable
from verification.health import Admission

log = logging.getLogger(__name__)

BEAT_ENTRY = "verification-probe-departments"


def probe_interval(config: Mapping[str, object]) -> float:
    """The probe runs every ``VERIFICATION_PROBE_INTERVAL`` seconds."""
    return Settings.from_config(config).probe_interval


@periodic_task(
    BEAT_ENTRY, every=probe_interval, name="verification.probe_departments", ignore_result=True
)
def probe_departments() -> list[str]:
    """Queue a probe of every department due for a trial, and a resume of every
    department with stranded waiting checks. Reads only; returns the departments probed."""
    now, settings = utcnow(), runtime.policy().breaker
    due = [str(d) for d, row in health.states().items() if row.trial_due(now, settings)]
    stranded = [str(d) for d in outage.stranded()]
    db.session.rollback()
    for department in due:
        probe_department.delay(department)
    for department in stranded:
        tasks.resume_department.delay(department)
    return due


@shared_task(name="verification.probe_department", acks_late=True, ignore_result=True)
def probe_department(department: str) -> str:
    """Take the department's half-open trial (unless it is closed or another trial is
    under way), ping it and record the outcome. Commits; returns the breaker's state."""
    which, settings = Department(department), runtime.policy().breaker
    row = health.lock(which)
    if row.admit(utcnow(), settings) is not Admission.trial:
        state = row.state
        db.session.rollback()
        return str(state)
    db.session.commit()  # the trial is taken; no lock is held while the department answers
    try:
        tasks.bounded(runtime.department(which).ping, f"{which} probe")
    except (DepartmentUnavailable, DepartmentError) as error:
        state = health.record_failure(which, utcnow(), settings, f"probe: {error}")
        db.session.commit()
        log.info("probe: department %s still down (%s)", which, error)
        return str(state)
    recovered = health.record_success(which, utcnow(), settings)
    if recovered:
        log.info("probe: department %s answers again; resuming its checks", which)
        after_commit(tasks.resume_department.delay, department)
    db.session.commit()
    return "closed"
