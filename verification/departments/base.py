"""The interface every department adapter implements, and what crosses it.

An adapter takes an ``Applicant`` (name and ID number, held only in memory for the
length of a check) and returns an ``Answer``: the department's conclusion and the one
fact it verified, never the records it looked at.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from verification.resident_id import mask


class Department(enum.StrEnum):
    public_security = "public_security"  # 公安
    civil_affairs = "civil_affairs"  # 民政
    education = "education"  # 教育
    hr_social_security = "hr_social_security"  # 人社
    justice = "justice"  # 司法
    development_reform = "development_reform"  # 发改 (social credit)


class Outcome(enum.StrEnum):
    passed = "passed"
    failed = "failed"
    review = "review"  # the department could not conclude; an administrator decides


class DepartmentUnavailable(Exception):
    """Transient: the department is down, slow, overloaded or unreachable; retry later."""


class DepartmentError(Exception):
    """Permanent: the department refused the request or answered something unusable."""


@dataclass(frozen=True)
class Applicant:
    """Who is being checked. The repr masks both fields so logs and tracebacks don't leak."""

    name: str = field(repr=False)
    id_number: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Applicant(name='*', id_number={mask(self.id_number)!r})"


@dataclass(frozen=True)
class Answer:
    """A department's conclusion.

    ``reason`` is a stable code (``name_mismatch``, ``married``...) the app translates;
    ``facts`` holds only the verified fact (``{"degree": "bachelor"}``) and is empty
    unless the check passed.
    """

    department: Department
    outcome: Outcome
    reason: str | None
    facts: dict[str, str]
    source: str
    answered_at: datetime

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict; ``answered_at`` as ISO 8601 with offset."""
        return {
            "department": str(self.department),
            "outcome": str(self.outcome),
            "reason": self.reason,
            "facts": dict(self.facts),
            "source": self.source,
            "answered_at": self.answered_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Answer:
        """Rebuild an answer from ``to_dict`` output; ``ValueError`` if anything is off."""
        if not isinstance(data, Mapping):
            raise ValueError("an answer is a JSON object")
        try:
            return cls(
                department=Department(_text(data, "department")),
                outcome=Outcome(_text(data, "outcome")),
                reason=_optional_text(data, "reason"),
                facts=_facts(data.get("facts")),
                source=_text(data, "source"),
                answered_at=_aware(_text(data, "answered_at")),
            )
        except (TypeError, KeyError) as error:
            raise ValueError(f"malformed answer: {error}") from None


class DepartmentAdapter(Protocol):
    department: Department

    def check(self, applicant: Applicant) -> Answer:
        """Ask the department; raise ``DepartmentUnavailable`` or ``DepartmentError``."""
        ...

    def ping(self) -> None:
        """A cheap question about nobody (the health probe): return if the department's
        system answers; raise ``DepartmentUnavailable`` or ``DepartmentError``."""
        ...


def utcnow() -> datetime:
    return datetime.now(UTC)


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} must be a non-empty string")
    return value


def _optional_text(data: Mapping[str, object], key: str) -> str | None:
    return None if data.get(key) is None else _text(data, key)


def _facts(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError("facts must be an object")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError("facts must map strings to strings")
    return dict(value)


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("answered_at must carry a UTC offset")
    return moment.astimezone(UTC)
