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
