"""Department health (部门系统状态): the rule of one circuit breaker per department.

::

    closed ──N failures in a row, or a failure share over a window──▶ open
    open ──after the cool-down──▶ half-open: one trial goes through (the probe's ping
                                  or one real check); every other check waits
    half-open ──the trial answers──▶ closed: the waiting checks resume
    half-open ──the trial fails or times out──▶ open: the cool-down starts again

Failures are unavailable answers and time-outs (no answer within the check time
limit); a refusal (``DepartmentError``) is an answer and counts as neither.

Plain Python: ``CircuitBreaker`` holds the transitions, methods taking ``now`` (tests
pass it in). The state is kept by the application, a row per department in
``department_health`` (``app.verification.health``), whose model is a breaker.
"""

from __future__ import annotations

import enum
from datetime import datetime

from verification.policy import BreakerSettings


class BreakerState(enum.StrEnum):
    closed = "closed"  # calls go through
    open = "open"  # the department is down: checks wait
    half_open = "half_open"  # one trial call decides


class Admission(enum.StrEnum):
    call = "call"  # closed: ask the department
    trial = "trial"  # half-open: this call is the one trial
    wait = "wait"  # open, or a trial is under way: don't call


class CircuitBreaker:
    """A department's circuit breaker: its state and counts, and the transitions.

    Mixed into the application's ``DepartmentHealth`` row, which stores the attributes
    below; the transitions only change them (the caller loads, locks and flushes).
    """

    state: BreakerState
    since: datetime
    consecutive_failures: int
    window_started_at: datetime | None
    window_calls: int
    window_failures: int
    last_failure_at: datetime | None
    last_failure: str | None
    last_success_at: datetime | None
    trial_started_at: datetime | None

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
