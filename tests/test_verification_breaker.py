"""The circuit breaker's rule is plain Python: it runs on any object holding its state,
without the application or a database (its table is ``app.verification.health``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from verification.health import Admission, BreakerState, CircuitBreaker
from verification.policy import BreakerSettings

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SETTINGS = BreakerSettings(
    failures=3,
    failure_share=0.5,
    min_calls=6,
    window=timedelta(seconds=60),
    cooldown=timedelta(seconds=30),
    trial_lease=timedelta(seconds=40),
)


class Breaker(CircuitBreaker):
    """A breaker kept in memory, with the defaults of a fresh department."""

    def __init__(self) -> None:
        self.state, self.since = BreakerState.closed, T0
        self.consecutive_failures = self.window_calls = self.window_failures = 0
        self.window_started_at = self.trial_started_at = None
        self.last_failure_at = self.last_failure = self.last_success_at = None


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_failures_in_a_row_open_it_and_checks_wait_through_the_cool_down():
    breaker = Breaker()
    for second in range(3):
        assert breaker.admit(at(second), SETTINGS) is Admission.call
        breaker.failed(at(second), SETTINGS, "unavailable")
    assert breaker.state is BreakerState.open
    assert breaker.last_failure == "unavailable"
    assert breaker.admit(at(10), SETTINGS) is Admission.wait


def test_after_the_cool_down_one_trial_goes_through_and_its_answer_closes_it():
    breaker = Breaker()
    for second in range(3):
        breaker.failed(at(second), SETTINGS, "unavailable")
    assert breaker.admit(at(40), SETTINGS) is Admission.trial
    assert breaker.state is BreakerState.half_open
    assert breaker.admit(at(41), SETTINGS) is Admission.wait  # the trial is under way
    assert breaker.succeeded(at(42), SETTINGS) is True
    assert breaker.state is BreakerState.closed
    assert breaker.admit(at(43), SETTINGS) is Admission.call


def test_a_failed_trial_opens_it_again_and_a_lost_trial_is_given_up_after_its_lease():
    breaker = Breaker()
    for second in range(3):
        breaker.failed(at(second), SETTINGS, "unavailable")
    assert breaker.admit(at(40), SETTINGS) is Admission.trial
    breaker.failed(at(41), SETTINGS, "time limit")
    assert (breaker.state, breaker.since) == (BreakerState.open, at(41))
    assert breaker.admit(at(75), SETTINGS) is Admission.trial
    assert breaker.admit(at(114), SETTINGS) is Admission.wait
    assert breaker.admit(at(116), SETTINGS) is Admission.trial  # the first one's lease ran out


def test_a_failure_share_over_the_window_opens_it_and_a_late_answer_changes_nothing():
    breaker = Breaker()
    for second, failed in enumerate([False, True, False, True, False, True]):
        if failed:
            breaker.failed(at(second), SETTINGS, "unavailable")
        else:
            breaker.succeeded(at(second), SETTINGS)
    assert breaker.state is BreakerState.open  # 3 of 6 calls, never 3 in a row
    assert breaker.succeeded(at(7), SETTINGS) is False
    assert breaker.state is BreakerState.open
