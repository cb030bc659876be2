"""Verification settings: the departments, the policy, retries, time limits, outages.

The pure core reads its own keys from a mapping (``verification.policy.Policy``,
``verification.departments.build_departments``, which documents the department keys);
this class declares every ``VERIFICATION_*`` key once, with its default, so each is
read from the environment and checked when the app is built.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from app.settings import (
    FeatureSettings,
    at_least,
    between,
    optional,
    positive,
    rate_limit,
    setting,
)
from verification.departments.factory import MODES
from verification.policy import Policy

_SECONDS = "must be a positive number of seconds"
_NOT_NEGATIVE = "must be a number, not negative"


def _at_least_zero(value: Any) -> bool:
    return value is None or value >= 0


@dataclass(frozen=True)
class Settings(FeatureSettings):
    # Identity protection (finalised by the configuration's mode: generated under
    # instance/ in development, required in production).
    encryption_keys: str | None = setting("IDENTITY_ENCRYPTION_KEYS", None, optional(str))
    index_key: str | None = setting("IDENTITY_INDEX_KEY", None, optional(str))

    # The departments: in-process stubs or the gateway (verification/departments/).
    departments: str = setting(
        "VERIFICATION_DEPARTMENTS", "stub", str, lambda v: v in MODES, f"must be one of {MODES}"
    )
    gateway_url: str | None = setting("VERIFICATION_GATEWAY_URL", None, optional(str))
    gateway_token: str | None = setting("VERIFICATION_GATEWAY_TOKEN", None, optional(str))
    connect_timeout: float | None = setting(
        "VERIFICATION_CONNECT_TIMEOUT", None, optional(float), positive, _SECONDS
    )
    read_timeout: float | None = setting(
        "VERIFICATION_READ_TIMEOUT", None, optional(float), positive, _SECONDS
    )
    stub_latency_min: float | None = setting(
        "VERIFICATION_STUB_LATENCY_MIN", None, optional(float), _at_least_zero, _NOT_NEGATIVE
    )
    stub_latency_max: float | None = setting(
        "VERIFICATION_STUB_LATENCY_MAX", None, optional(float), _at_least_zero, _NOT_NEGATIVE
    )
    stub_failure_rate: float | None = setting(
        "VERIFICATION_STUB_FAILURE_RATE",
        None,
        optional(float),
        lambda v: v is None or 0 <= v <= 1,
        "must be a share from 0 to 1",
    )
    stub_outage: str | None = setting("VERIFICATION_STUB_OUTAGE", None, optional(str))
    # How long Education takes in the stubs' "slow" scenario (ID digits 15-16 = 98).
    stub_slow_seconds: float | None = setting(
        "VERIFICATION_STUB_SLOW_SECONDS", None, optional(float), positive, _SECONDS
    )

    # The policy (verification/policy.py).
    required_departments: str = setting(
        "VERIFICATION_REQUIRED_DEPARTMENTS",
        "public_security,civil_affairs,education,hr_social_security,justice,development_reform",
    )
    min_age: int = setting("VERIFICATION_MIN_AGE", 18, int, between(16, 120), "must be an age")
    # Days a verified fact holds before the nightly re-check, per department, e.g.
    # "civil_affairs=365,justice=180"; unnamed departments keep the policy's defaults.
    fact_lifetime_days: str = setting("VERIFICATION_FACT_LIFETIME_DAYS", "")
    # Seconds before a running check counts as stuck and is re-dispatched by the
    # reconciler; above check_hard_time_limit.
    check_deadline: float = setting("VERIFICATION_CHECK_DEADLINE", 120.0, float, positive, _SECONDS)
    max_attempts: int = setting(
        "VERIFICATION_MAX_ATTEMPTS", 6, int, at_least(1), "must be at least 1"
    )
    # A department call longer than this counts as unavailable and is retried (any pool).
    check_time_limit: float = setting(
        "VERIFICATION_CHECK_TIME_LIMIT", 20.0, float, positive, _SECONDS
    )
    # Celery's hard limit for one check task; prefork pools kill the process past it.
    check_hard_time_limit: float = setting(
        "VERIFICATION_CHECK_HARD_TIME_LIMIT", 60.0, float, positive, _SECONDS
    )
    # Retry delay after the n-th unavailable answer: backoff * 2**(n-1), at most _max.
    retry_backoff: float = setting("VERIFICATION_RETRY_BACKOFF", 2.0, float, positive, _SECONDS)
    retry_backoff_max: float = setting(
        "VERIFICATION_RETRY_BACKOFF_MAX", 60.0, float, positive, _SECONDS
    )
    # Department outages (verification/health.py): a department's circuit breaker opens
    # after BREAKER_FAILURES unavailable answers or time-outs in a row, or when at least
    # BREAKER_FAILURE_SHARE of BREAKER_MIN_CALLS+ calls in BREAKER_WINDOW seconds failed;
    # its checks then wait. After BREAKER_COOLDOWN seconds one trial (the probe, every
    # PROBE_INTERVAL seconds, or a real check) goes through; an answer closes it and the
    # waiting checks resume. A check waits OUTAGE_PATIENCE seconds before it goes to review.
    breaker_failures: int = setting(
        "VERIFICATION_BREAKER_FAILURES", 5, int, at_least(1), "must be at least 1"
    )
    breaker_failure_share: float = setting(
        "VERIFICATION_BREAKER_FAILURE_SHARE",
        0.5,
        float,
        between(0.01, 1),
        "must be a share up to 1",
    )
    breaker_min_calls: int = setting(
        "VERIFICATION_BREAKER_MIN_CALLS", 10, int, at_least(1), "must be at least 1"
    )
    breaker_window: float = setting("VERIFICATION_BREAKER_WINDOW", 60.0, float, positive, _SECONDS)
    breaker_cooldown: float = setting(
        "VERIFICATION_BREAKER_COOLDOWN", 30.0, float, at_least(0), "must be a number of seconds"
    )
    probe_interval: float = setting("VERIFICATION_PROBE_INTERVAL", 10.0, float, positive, _SECONDS)
    outage_patience: float = setting(
        "VERIFICATION_OUTAGE_PATIENCE", 24 * 3600.0, float, positive, _SECONDS
    )

    # The applicant's pages.
    consent_wording: str = setting("CONSENT_WORDING_VERSION", "2026-11")
    apply_limit: str = setting(
        "RATELIMIT_APPLY", "5 per day", rate_limit, rule="must be a rate limit"
    )

    def core_settings(self) -> dict[str, Any]:
        """The set values by key, as the pure core (policy, departments) reads them."""
        return {key: value for key, value in self.as_config().items() if value is not None}

    @cached_property
    def policy(self) -> Policy:
        return Policy.from_config(self.core_settings())

    def problems(self) -> Iterator[str]:
        try:
            self.policy  # noqa: B018 - built to check it
        except (KeyError, ValueError) as error:
            yield f"the verification policy cannot be used: {error}"
        if self.departments == "http" and not self.gateway_url:
            yield "VERIFICATION_GATEWAY_URL is required when VERIFICATION_DEPARTMENTS=http"
        if self.retry_backoff_max < self.retry_backoff:
            yield "VERIFICATION_RETRY_BACKOFF_MAX must not be below VERIFICATION_RETRY_BACKOFF"
        low, high = self.stub_latency_min or 0.0, self.stub_latency_max or 0.0
        if high and high < low:
            yield "VERIFICATION_STUB_LATENCY_MAX must not be below VERIFICATION_STUB_LATENCY_MIN"
