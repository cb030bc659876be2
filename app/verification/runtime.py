"""What the workflow needs from the running application: policy, keys, departments.

Built once per application from its configuration and kept in ``app.extensions``.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from app.verification.models import Case
from app.verification.settings import Settings
from verification.departments import (
    Applicant,
    Department,
    DepartmentAdapter,
    build_departments,
)
from verification.policy import Policy
from verification.protection import Protector

EXTENSION = "verification"


class Runtime:
    def __init__(self, app: Flask) -> None:
        settings = Settings.of(app)
        self.policy = settings.policy
        keys = [key.strip() for key in (settings.encryption_keys or "").split(",") if key.strip()]
        self.protector = Protector(keys, settings.index_key or "")
        self._settings = settings.core_settings()
        self._departments: dict[Department, DepartmentAdapter] | None = None
        self._building = threading.Lock()

    def departments(self) -> dict[Department, DepartmentAdapter]:
        """The adapters, built on first use (never at import), once even when threads
        of a worker pool ask at the same moment."""
        if self._departments is None:
            with self._building:
                if self._departments is None:
                    self._departments = build_departments(self._settings)
        return self._departments


def init_app(app: Flask) -> None:
    """Keep the runtime (policy, protector, departments) on ``app``."""
    app.extensions[EXTENSION] = Runtime(app)


def _runtime() -> Runtime:
    return current_app.extensions[EXTENSION]


def policy() -> Policy:
    return _runtime().policy


def protector() -> Protector:
    return _runtime().protector


def department(which: Department) -> DepartmentAdapter:
    return _runtime().departments()[Department(which)]


def applicant_for(case: Case) -> Applicant:
    """Decrypt the applicant's identity for the length of a department call."""
    guard = protector()
    return Applicant(
        name=guard.decrypt(case.name_encrypted), id_number=guard.decrypt(case.id_number_encrypted)
    )
