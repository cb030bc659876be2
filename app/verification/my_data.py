"""Verification's part of My data (我的数据): the cases with their checks and consents,
and the verified facts.

The page shows the masked name and ID number, worded here (states, departments,
consents in the reader's language); the export decrypts the real name and ID number,
which are the member's own data. Neither is ever logged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from app.accounts.models import User
from app.extensions import db
from app.features import exported
from app.verification import labels, runtime
from app.verification.models import Case, Check, Consent, VerifiedFact

# Never exported as stored: the ciphertexts and the blind index.
SECRET_COLUMNS = ("name_encrypted", "id_number_encrypted", "id_number_index")


def _cases(user: User) -> list[Case]:
    query = select(Case).where(Case.user_id == user.id).order_by(Case.id)
    return list(db.session.scalars(query))


def _shown_case(case: Case) -> dict[str, Any]:
    return {
        "name_masked": case.name_masked,
        "id_number_masked": case.id_number_masked,
        "decision": labels.case_state(case.state.value),
        "decided_at": case.decided_at,
        "checks": [
            (labels.department(check.department.value), labels.check_state(check.state.value))
            for check in case.checks
        ],
    }


def _shown_consent(consent: Consent) -> dict[str, Any]:
    return {
        "kind": labels.consent(consent.kind.value),
        "wording_version": consent.wording_version,
        "given_at": consent.given_at,
    }


def _exported_case(case: Case, protector: Any) -> dict[str, Any]:
    row = exported(case, skip=SECRET_COLUMNS)
    row["real_name"] = protector.decrypt(case.name_encrypted) if case.name_encrypted else None
    row["id_number"] = (
        protector.decrypt(case.id_number_encrypted) if case.id_number_encrypted else None
    )
    row["checks"] = [exported(check) for check in case.checks]
    row["consents"] = [exported(consent) for consent in case.consents]
    return row


class VerificationData:
    tables = ("verification_case", "verification_check", "consent", "verified_fact")

    def summary(self, user: User) -> dict[str, Any]:
        cases = _cases(user)
        consents = sorted((c for case in cases for c in case.consents), key=lambda c: c.given_at)
        return {
            "cases": [_shown_case(case) for case in cases],
            "consents": [_shown_consent(consent) for consent in consents],
        }

    def export(self, user: User) -> dict[str, Any]:
        protector = runtime.protector()
        facts = select(VerifiedFact).where(VerifiedFact.user_id == user.id)
        return {
            "verification_cases": [_exported_case(case, protector) for case in _cases(user)],
            "verified_facts": [
                exported(fact) for fact in db.session.scalars(facts.order_by(VerifiedFact.id))
            ],
        }

    def erase(self, user: User) -> None:
        """Blank the real name and ID number (encrypted, masked, and the blind index, so
        the number can hold an account again) and what the departments answered. The
        decisions, the checks' states and the consents stay: that the member was
        checked, the outcome and when consent was given are the record."""
        for case in _cases(user):
            case.name_encrypted = ""
            case.id_number_encrypted = ""
            case.id_number_index = ""
            case.name_masked = ""
            case.id_number_masked = ""
        cases = select(Case.id).where(Case.user_id == user.id)
        db.session.execute(
            update(Check).where(Check.case_id.in_(cases)).values(facts={}),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            update(VerifiedFact).where(VerifiedFact.user_id == user.id).values(facts={}),
            execution_options={"synchronize_session": False},
        )
