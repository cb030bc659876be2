"""A simulated department answering in-process from the ``SimulatedRegistry``."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from verification.departments.base import (
    Answer,
    Applicant,
    Department,
    DepartmentUnavailable,
    utcnow,
)
from verification.departments.conclusions import conclude
from verification.departments.registry import SimulatedRegistry


class StubDepartment:
    """A department that takes ``latency`` seconds (drawn uniformly), fails transiently
    with probability ``failure_rate``, and otherwise answers from ``registry`` — which
    may add its own scenarios (down, slow, flaky; see ``registry``)."""

    def __init__(
        self,
        department: Department | str,
        registry: SimulatedRegistry,
        latency: tuple[float, float] = (0.0, 0.0),
        failure_rate: float = 0.0,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        low, high = latency
        if not 0 <= low <= high:
            raise ValueError("latency must be (min, max) with 0 <= min <= max")
        if not 0 <= failure_rate <= 1:
            raise ValueError("failure_rate must be between 0 and 1")
        self.department = Department(department)
        self.registry = registry
        self.latency = (low, high)
        self.failure_rate = failure_rate
        self._rng = rng or random.Random()  # noqa: S311 - simulation, not security
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"StubDepartment({self.department!s})"

    def check(self, applicant: Applicant) -> Answer:
        """Answer as the department would, after the simulated delay."""
        self._wait(self._rng.uniform(*self.latency))
        if self.failure_rate and self._rng.random() < self.failure_rate:
            raise DepartmentUnavailable(f"{self.department} did not answer (simulated)")
        self._wait(self.registry.admit(self.department, applicant.id_number))
        records = self.registry.records(applicant)
        today = self.registry.today()
        outcome, reason, facts = conclude(self.department, records, applicant, today)
        return Answer(self.department, outcome, reason, dict(facts), self.source, utcnow())

    def ping(self) -> None:
        """A probe: nothing looked up; raises ``DepartmentUnavailable`` while the
        department is down (see ``SimulatedRegistry.start_outage``)."""
        self.registry.ping(self.department)

    @property
    def source(self) -> str:
        return f"stub:{self.department}"

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds)
