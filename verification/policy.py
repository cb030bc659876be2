"""Verification policy, read from configuration: who is asked, and what decides a case."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from verification.departments import Department

# How long a verified fact holds before it is checked again (days).
DEFAULT_FACT_LIFETIME_DAYS = {
    Department.public_security: 365,
    Department.civil_affairs: 365,  # marital status can change: yearly
    Department.education: 3650,
    Department.hr_social_security: 180,
    Department.justice: 180,
    Department.development_reform: 90,
}


def parse_lifetimes(setting: str | Mapping[str, int]) -> dict[Department, int]:
    """Per-department fact lifetimes in days, from a mapping or from the environment's
    ``"civil_affairs=365,justice=180"``. Raises ``ValueError`` naming a bad entry."""
    if isinstance(setting, Mapping):
        items = list(setting.items())
    else:
        items = []
        for entry in filter(None, (part.strip() for part in setting.split(","))):
            name, sep, days = entry.partition("=")
            if not sep:
                raise ValueError(f"fact lifetime {entry!r}: write department=days")
            items.append((name.strip(), days.strip()))
    lifetimes = {}
    for name, days in items:
        department = Department(name)
        if int(days) < 1:
            raise ValueError(f"fact lifetime of {department.value}: at least 1 day")
        lifetimes[department] = int(days)
    return lifetimes


@dataclass(frozen=True)
class BreakerSettings:
    """When a department's circuit breaker opens and when it tries again (see
    ``verification.health``)."""

    failures: int = 5  # consecutive failures that open it
    failure_share: float = 0.5  # or this share of the calls in the window ...
    min_calls: int = 10  # ... once the window holds this many calls
    window: timedelta = timedelta(seconds=60)
    cooldown: timedelta = timedelta(seconds=30)  # open this long before a trial
    trial_lease: timedelta = timedelta(seconds=40)  # a trial silent this long is lost

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> BreakerSettings:
        def seconds(key: str, default: float) -> timedelta:
            return timedelta(seconds=float(config.get(key, default)))

        time_limit = float(config.get("VERIFICATION_CHECK_TIME_LIMIT", 20))
        return cls(
            failures=max(1, int(config.get("VERIFICATION_BREAKER_FAILURES", 5))),
            failure_share=float(config.get("VERIFICATION_BREAKER_FAILURE_SHARE", 0.5)),
            min_calls=max(1, int(config.get("VERIFICATION_BREAKER_MIN_CALLS", 10))),
            window=seconds("VERIFICATION_BREAKER_WINDOW", 60),
            cooldown=seconds("VERIFICATION_BREAKER_COOLDOWN", 30),
            # A trial call ends within the time limit; twice that is a lost trial.
            trial_lease=timedelta(seconds=2 * time_limit),
        )


class Decision:
    approve = "approve"
    reject = "reject"
    review = "review"


@dataclass(frozen=True)
class Policy:
    required: tuple[Department, ...] = tuple(Department)
    min_age: int = 18
    check_deadline: timedelta = timedelta(minutes=2)
    max_attempts: int = 6
    fact_lifetime: Mapping[Department, timedelta] = field(
        default_factory=lambda: {
            d: timedelta(days=n) for d, n in DEFAULT_FACT_LIFETIME_DAYS.items()
        }
    )
    # How long a check waits for its department to recover before it goes to review.
    outage_patience: timedelta = timedelta(hours=24)
    breaker: BreakerSettings = field(default_factory=BreakerSettings)

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> Policy:
        required = config.get("VERIFICATION_REQUIRED_DEPARTMENTS") or tuple(Department)
        if isinstance(required, str):
            required = [name.strip() for name in required.split(",") if name.strip()]
        lifetimes = dict(DEFAULT_FACT_LIFETIME_DAYS)
        lifetimes.update(parse_lifetimes(config.get("VERIFICATION_FACT_LIFETIME_DAYS") or {}))
        return cls(
            required=tuple(Department(name) for name in required),
            min_age=int(config.get("VERIFICATION_MIN_AGE", 18)),
            check_deadline=timedelta(seconds=float(config.get("VERIFICATION_CHECK_DEADLINE", 120))),
            max_attempts=int(config.get("VERIFICATION_MAX_ATTEMPTS", 6)),
            fact_lifetime={Department(d): timedelta(days=int(n)) for d, n in lifetimes.items()},
            outage_patience=timedelta(
                seconds=float(config.get("VERIFICATION_OUTAGE_PATIENCE", 24 * 3600))
            ),
            breaker=BreakerSettings.from_config(config),
        )

    def decide(self, outcomes: Iterable[tuple[Department, str]]) -> str:
        """Approve when every required department passed; reject on any failure;
        anything else (review, error, a missing department) goes to an administrator."""
        by_department = dict(outcomes)
        if any(by_department.get(d) == "failed" for d in self.required):
            return Decision.reject
        if all(by_department.get(d) == "passed" for d in self.required):
            return Decision.approve
        return Decision.review
