"""Cases, checks and verified facts turned into what the pages and the status JSON show.

Only masked identity ever leaves here; the plain name and ID number are never read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.verification import messages
from app.verification.models import Case, CaseState, Check, CheckState, VerifiedFact
from verification.departments import Department


def check_row(check: Check) -> dict[str, Any]:
    """One department's row: its name, state, the state in words, and the reason when
    it did not pass."""
    state = CheckState(check.state)
    detail = None
    if state in (CheckState.failed, CheckState.review, CheckState.error) and check.reason:
        detail = messages.reason_text(check.reason)
    return {
        "department": str(check.department),
        "name": messages.department_name(check.department),
        "state": str(state),
        "final": state.is_final,
        "label": messages.check_label(state),
        "detail": detail,
    }


def case_status(case: Case) -> dict[str, Any]:
    """The JSON the progress page polls: the case state and each department's row."""
    return {
        "case": case.id,
        "state": str(case.state),
        "decided": case.state is not CaseState.checking,
        "checks": [check_row(check) for check in case.checks],
    }


def fact_rows(facts: list[VerifiedFact], case: Case | None, today: date) -> list[dict[str, Any]]:
    """One badge per department, in the departments' order, with what it verified."""
    order = list(Department)
    rows = []
    for fact in sorted(facts, key=lambda f: order.index(Department(f.department))):
        lines = messages.fact_lines(fact.department, fact.facts or {})
        if fact.department == Department.public_security and case is not None:
            lines.append(messages.age_and_gender(case.birth_date, case.gender, today))
        rows.append(
            {
                "department": str(fact.department),
                "name": messages.department_name(fact.department),
                "lines": lines,
                "verified_at": fact.verified_at,
                "expires_at": fact.expires_at,
            }
        )
    return rows
