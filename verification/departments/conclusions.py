"""How each department reduces its raw records to a conclusion and one verified fact.

Each function sees only its own department's records and returns ``(outcome, reason,
facts)``; facts are filled only when the check passed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

from verification.departments.base import Applicant, Department, Outcome
from verification.departments.records import DEGREES, Records

Conclusion = tuple[Outcome, str | None, dict[str, str]]
PASSED: Conclusion = (Outcome.passed, None, {})
NO_RECORD: Conclusion = (Outcome.review, "no_record", {})


def conclude(
    department: Department, records: Records, applicant: Applicant, today: date
) -> Conclusion:
    """The department's conclusion about ``applicant`` from ``records``."""
    if records.household is None and department is not Department.public_security:
        return NO_RECORD
    return RULES[department](records, applicant, today)


def same_name(a: str, b: str) -> bool:
    """Names compare after NFKC, ignoring spaces and which interpunct (·•・) was typed."""

    def canonical(name: str) -> str:
        text = unicodedata.normalize("NFKC", name)
        return "".join(text.replace("•", "·").replace("・", "·").split())

    return canonical(a) == canonical(b)


def _public_security(records: Records, applicant: Applicant, today: date) -> Conclusion:
    household = records.household
    if household is None:
        return (Outcome.failed, "id_not_found", {})
    if household.status == "cancelled":
        return (Outcome.failed, "id_cancelled", {})
    if not same_name(household.name, applicant.name):
        return (Outcome.failed, "name_mismatch", {})
    return PASSED


def _civil_affairs(records: Records, applicant: Applicant, today: date) -> Conclusion:
    events = sorted((e for e in records.marriages if e.on <= today), key=lambda e: e.on)
    status = events[-1].kind if events else "unmarried"
    if status == "married":
        return (Outcome.failed, "married", {})
    return (Outcome.passed, None, {"marital_status": status})


def _education(records: Records, applicant: Applicant, today: date) -> Conclusion:
    verified = [DEGREES.index(s.level) for s in records.schooling if s.verified]
    unverified = [DEGREES.index(s.level) for s in records.schooling if not s.verified]
    highest = max(verified, default=-1)
    if any(rank > highest for rank in unverified):
        return (Outcome.review, "degree_unverified", {})
    if highest < 0:
        return (Outcome.review, "no_education_record", {})
    return (Outcome.passed, None, {"degree": DEGREES[highest]})


def _hr_social_security(records: Records, applicant: Applicant, today: date) -> Conclusion:
    if not records.insurance:
        return (Outcome.review, "no_insurance_record", {})
    current = [s for s in records.insurance if s.ended_on is None and s.started_on <= today]
    if not current:
        return (Outcome.passed, None, {"employment": "not_employed"})
    latest = max(current, key=lambda s: s.started_on)
    return (Outcome.passed, None, {"employment": "employed", "employer": latest.employer})


def _justice(records: Records, applicant: Applicant, today: date) -> Conclusion:
    current = (r for r in records.judicial if r.started_on <= today <= r.ends_on)
    if any(r.kind == "community_correction" for r in current):
        return (Outcome.failed, "community_correction", {})
    return PASSED


def _development_reform(records: Records, applicant: Applicant, today: date) -> Conclusion:
    if any(d.removed_on is None or d.removed_on > today for d in records.debts):
        return (Outcome.failed, "dishonest_debtor", {})
    return PASSED


RULES: dict[Department, Callable[[Records, Applicant, date], Conclusion]] = {
    Department.public_security: _public_security,
    Department.civil_affairs: _civil_affairs,
    Department.education: _education,
    Department.hr_social_security: _hr_social_security,
    Department.justice: _justice,
    Department.development_reform: _development_reform,
}
