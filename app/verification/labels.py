"""Words for the codes the verification workflow stores: departments, states, reasons,
facts, consents and audit actions, in the reader's language.

Unknown codes are shown as they are, so a new reason code never breaks a page.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.verification import messages

CHECK_STATES = {
    "queued": _l("Waiting"),
    "running": _l("Being checked"),
    "waiting": _l("Waiting for the department to recover"),
    "passed": _l("Passed"),
    "failed": _l("Failed"),
    "review": _l("Needs review"),
    "error": _l("Error"),
}

CASE_STATES = {
    "checking": _l("Being checked"),
    "review": _l("Waiting for review"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "lapsed": _l("Lapsed after a re-check"),
}

REASONS = {
    "name_mismatch": _l("The name does not match the ID number"),
    "id_cancelled": _l("The ID number has been cancelled"),
    "id_not_found": _l("The ID number is not in the register"),
    "married": _l("Registered as married"),
    "degree_unverified": _l("A degree could not be verified"),
    "no_education_record": _l("No education record"),
    "no_insurance_record": _l("No social insurance record"),
    "no_record": _l("No record for this person"),
    "community_correction": _l("Currently under community correction"),
    "dishonest_debtor": _l("On the list of dishonest judgment debtors"),
    "unavailable": _l("The department could not be reached after every retry"),
    "department_error": _l("The department refused the request or answered unusably"),
    "failed": _l("Failed"),
}

FACT_NAMES = {
    "marital_status": _l("Marital status"),
    "degree": _l("Degree"),
    "employment": _l("Employment"),
    "employer": _l("Employer"),
}

# Fact values are worded once, for applicants and administrators alike.
FACT_VALUES = {
    value: label for values in messages.FACT_VALUES.values() for value, label in values.items()
}

CONSENTS = {
    "sensitive_information": _l("Processing of sensitive personal information"),
    "share_with_departments": _l("Sharing with the six departments"),
}

GENDERS = {"F": _l("Female"), "M": _l("Male")}

ACTIONS = {
    "verification.approve": _l("Verification approved"),
    "verification.reject": _l("Verification rejected"),
    "verification.recheck_failed": _l("Member access withdrawn after a re-check"),
    "verification.resumed": _l("Checked again: the department recovered"),
    "verification.identity_held": _l("Sent to review: the ID number is held by another account"),
    "case.view": _l("Verification case viewed"),
    "role.granted": _l("Matchmaker role granted"),
    "role.revoked": _l("Matchmaker role revoked"),
}


def department(code: str) -> str:
    return messages.department_name(code)


def check_state(code: str) -> str:
    return str(CHECK_STATES.get(code, code))


def case_state(code: str) -> str:
    return str(CASE_STATES.get(code, code))


def reason(code: str | None) -> str:
    """A reason code, or the system's comma-separated list of codes, in words."""
    if not code:
        return ""
    return "; ".join(str(REASONS.get(part.strip(), part.strip())) for part in code.split(","))


def decision_reason(text: str | None, by_system: bool) -> str:
    """Administrators write reasons in words; the system writes reason codes."""
    return reason(text) if by_system else (text or "")


def facts(verified: dict[str, str]) -> list[tuple[str, str]]:
    """Verified facts as (name, value) in words, known ones first in a fixed order;
    the employer's name is shown as the department gave it."""
    order = list(FACT_NAMES)
    names = sorted(verified, key=lambda n: (order.index(n) if n in order else len(order), n))
    return [
        (
            str(FACT_NAMES.get(name, name)),
            verified[name]
            if name == "employer"
            else str(FACT_VALUES.get(verified[name], verified[name])),
        )
        for name in names
    ]


def consent(code: str) -> str:
    return str(CONSENTS.get(code, code))


def gender(code: str) -> str:
    return str(GENDERS.get(code, code))


def action(code: str) -> str:
    return str(ACTIONS.get(code, code))


def subject(kind: str, subject_id: int) -> str:
    if kind == "case":
        return _("Case %(id)s", id=subject_id)
    if kind == "user":
        return _("User %(id)s", id=subject_id)
    return f"{kind} {subject_id}"


TEMPLATE_HELPERS = {
    "department_label": department,
    "check_state_label": check_state,
    "case_state_label": case_state,
    "reason_label": reason,
    "decision_reason_label": decision_reason,
    "facts_label": facts,
    "consent_label": consent,
    "gender_label": gender,
    "action_label": action,
    "subject_label": subject,
}
