"""The six government departments a verification case asks (多部门认证).

Every department is reached through a ``DepartmentAdapter``: ``StubDepartment``
in-process, or ``HttpDepartment`` over HTTP (to ``verification.gateway`` in
development). ``build_departments(settings)`` picks one from configuration. See
README.md here for the scenarios testers can trigger.
"""

from verification.departments.base import (
    Answer,
    Applicant,
    Department,
    DepartmentAdapter,
    DepartmentError,
    DepartmentUnavailable,
    Outcome,
)
from verification.departments.factory import build_departments, close_departments
from verification.departments.http import HttpDepartment
from verification.departments.registry import (
    Outage,
    Scenario,
    SimulatedRegistry,
    parse_outages,
    scenario_of,
)
from verification.departments.stub import StubDepartment

__all__ = [
    "Answer",
    "Applicant",
    "Department",
    "DepartmentAdapter",
    "DepartmentError",
    "DepartmentUnavailable",
    "HttpDepartment",
    "Outage",
    "Outcome",
    "Scenario",
    "SimulatedRegistry",
    "StubDepartment",
    "build_departments",
    "close_departments",
    "parse_outages",
    "scenario_of",
]
