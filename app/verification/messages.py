"""What the applicant reads about verification: department names, check states, the
departments' reason codes and verified facts, each as a translated message.

Shared by the applicant's pages and the notifications, so one code reads the same
everywhere. Codes come from ``verification/departments/README.md``.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.verification.models import CheckState
from verification.departments import Department

DEPARTMENT_NAMES = {
    Department.public_security: _l("Public Security"),
    Department.civil_affairs: _l("Civil Affairs"),
    Department.education: _l("Education"),
    Department.hr_social_security: _l("Human Resources & Social Security"),
    Department.justice: _l("Justice"),
    Department.development_reform: _l("Development & Reform"),
}

CHECK_LABELS = {
    CheckState.queued: _l("Checking…"),
    CheckState.running: _l("Checking…"),
    # 系统繁忙，恢复后自动继续
    CheckState.waiting: _l(
        "The department's system is busy; the check continues by itself when it recovers."
    ),
    CheckState.passed: _l("Passed"),
    CheckState.failed: _l("Not passed"),
    CheckState.review: _l("An administrator will look at this"),
    CheckState.error: _l("Department unavailable, an administrator will decide"),
}

# Each reason says what happened and what the applicant can do about it.
REASONS = {
    "name_mismatch": _l(
        "The name does not match the one registered for this ID number. Enter your name "
        "exactly as it is on your ID card, then apply again."
    ),
    "id_cancelled": _l(
        "This ID number has been cancelled. Apply again with the number on your current ID "
        "card; your local police station can help."
    ),
    "married": _l(
        "Civil affairs records show you as married; only unmarried, divorced or widowed "
        "people can join. If the record is out of date, ask your marriage registry to "
        "correct it, then apply again."
    ),
    "degree_unverified": _l(
        "A degree could not be confirmed automatically. An administrator will check it; "
        "you need to do nothing now."
    ),
    "no_insurance_record": _l(
        "No social insurance record was found. An administrator will look at your "
        "application; you need to do nothing now."
    ),
    "community_correction": _l(
        "Justice records show a community correction order in force. You can apply again "
        "after it ends."
    ),
    "dishonest_debtor": _l(
        "You are on the list of dishonest judgment debtors. You can apply again once you "
        "have been removed from it."
    ),
    "id_not_found": _l(
        "No household registration was found for this ID number. Check the number on your "
        "ID card and apply again."
    ),
    "no_record": _l(
        "The department found no record for this ID number. An administrator will look at it."
    ),
    "no_education_record": _l(
        "No completed education was found. An administrator will look at it; you need to "
        "do nothing now."
    ),
    "unavailable": _l(
        "The department did not answer after several tries. An administrator will decide."
    ),
    "department_error": _l(
        "The department could not process the request. An administrator will decide."
    ),
}
UNKNOWN_REASON = _l("The department gave no further details.")

FACT_VALUES = {
    "degree": {
        "high_school": _l("High school"),
        "associate": _l("Associate degree"),
        "bachelor": _l("Bachelor's degree"),
        "master": _l("Master's degree"),
        "doctorate": _l("Doctorate"),
    },
    "marital_status": {
        "unmarried": _l("Unmarried"),
        "divorced": _l("Divorced"),
        "widowed": _l("Widowed"),
    },
    "employment": {
        "employed": _l("Employed"),
        "not_employed": _l("Not currently employed"),
    },
}

# What a pass means for departments that verify no fact of their own.
PASS_MEANING = {
    Department.public_security: _l("Real name and ID number match; the ID is valid"),
    Department.justice: _l("No disqualifying judicial record"),
    Department.development_reform: _l("Not on the list of dishonest judgment debtors"),
}


def department_name(department: str) -> str:
    """The department's name in the reader's language (the key itself if unknown)."""
    try:
        return str(DEPARTMENT_NAMES[Department(department)])
    except ValueError:
        return str(department)


def reason_text(code: str | None) -> str:
    return str(REASONS.get(code or "", UNKNOWN_REASON))


def decision_reasons(reason: str | None) -> tuple[list[str], str | None]:
    """Split a case's decision reason into translated reason messages, or, when an
    administrator wrote it, return it as free text: ``(messages, free_text)``."""
    codes = [code.strip() for code in (reason or "").split(",") if code.strip()]
    if codes and all(code in REASONS for code in codes):
        return [reason_text(code) for code in codes], None
    return [], (reason or "").strip() or None


def check_label(state: CheckState) -> str:
    return str(CHECK_LABELS[CheckState(state)])


def fact_lines(department: str, facts: dict[str, str]) -> list[str]:
    """The verified fact(s) of one department, in words."""
    lines = []
    for key in ("degree", "marital_status", "employment"):
        value = facts.get(key)
        if value:
            lines.append(str(FACT_VALUES[key].get(value, value)))
    if facts.get("employer"):
        lines.append(_("Employer: %(employer)s", employer=facts["employer"]))
    if not lines and Department(department) in PASS_MEANING:
        lines.append(str(PASS_MEANING[Department(department)]))
    return lines


def age_and_gender(birth_date: date, gender: str, today: date) -> str:
    """Age and gender as read from the ID number, e.g. "Age 30, female"."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    age = today.year - birth_date.year - before_birthday
    if gender == "F":
        return _("Age %(age)d, female", age=age)
    return _("Age %(age)d, male", age=age)


# What each department is asked, for the consent to share with it.
DEPARTMENT_QUESTIONS = {
    Department.public_security: _l("whether your name matches your ID number, and the ID is valid"),
    Department.civil_affairs: _l("your marital status"),
    Department.education: _l("your highest degree"),
    Department.hr_social_security: _l("your employment, from social insurance records"),
    Department.justice: _l("that you have no disqualifying judicial record"),
    Department.development_reform: _l("that you are not on the list of dishonest judgment debtors"),
}

CASE_STATES = {
    "checking": _l("Being checked by the departments"),
    "review": _l("Waiting for an administrator's decision"),
    "approved": _l("Approved"),
    "rejected": _l("Not approved"),
    "lapsed": _l("Member access paused after a re-check"),
}
