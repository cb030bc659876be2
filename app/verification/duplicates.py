"""Duplicates of an ID number (一证一号): another account applied with a number that a
member already holds.

An application never tells whether a number is held: anyone may apply, and the
six departments check the case as usual. Only when they confirm the name (the case
would be approved) is the duplicate settled: the case goes to the administrators
with the holder named on the administrators' page alone, the applicant reads that a
manual check is needed, and the holder is told in the app and by SMS. A case the
departments reject is rejected as usual and nobody is told about a holder.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import web
from app.accounts import sms
from app.accounts.models import User
from app.audit.models import record as audit
from app.extensions import db
from app.notifications.models import notify
from app.verification.models import HOLDING_CASE_STATES, Case, CaseState

# What ``operations.decide`` returns for a case held for review as a duplicate.
HELD = "held"
# The reason given to the applicant: neutral, it says nothing about a holder.
MANUAL_CHECK = "manual_check"


@dataclass(frozen=True)
class Holder:
    """The account holding an ID number, and the case that made it hold it."""

    user_id: int
    case_id: int
    state: CaseState


def holder_of(case: Case) -> Holder | None:
    """The other account that holds ``case``'s ID number (approved, or lapsed after a
    re-check), if any. Erased accounts hold nothing (their index is emptied)."""
    if not case.id_number_index:
        return None
    row = db.session.execute(
        select(Case.user_id, Case.id, Case.state)
        .where(
            Case.id_number_index == case.id_number_index,
            Case.user_id != case.user_id,
            Case.state.in_(HOLDING_CASE_STATES),
        )
        .order_by(Case.state == CaseState.lapsed, Case.id.desc())
        .limit(1)
    ).first()
    return Holder(*row) if row is not None else None


def hold_for_review(case: Case, holder: Holder | None) -> None:
    """Send a duplicate whose name the departments confirmed to the administrators.

    The applicant is notified with the neutral reason; the holder gets an in-app
    notification (the SMS goes after the commit: ``tasks.tell_identity_holder``); the
    audit log names the holder. ``holder`` is None only when the approval that beat
    this one is already gone again: the case still waits for an administrator.
    Flushes; the caller commits.
    """
    case.state = CaseState.review
    notify(case.user_id, "verification.review", case_id=case.id, reason=MANUAL_CHECK)
    if holder is not None:
        audit(
            "verification.identity_held",
            "case",
            case.id,
            holder_id=holder.user_id,
            holder_case_id=holder.case_id,
        )
        notify(holder.user_id, "verification.identity_used")
    db.session.flush()


def tell_holder_by_sms(case_id: int) -> bool:
    """Text the holder of case ``case_id``'s ID number that someone else applied with
    it, in the holder's language. Returns whether a message was sent."""
    case = db.session.get(Case, case_id)
    holder = holder_of(case) if case is not None else None
    if holder is None:
        return False
    user = db.session.get(User, holder.user_id)
    with force_locale(web.language_of(user)):
        text = _(
            "[Queqiao] Someone applied for real-name verification with your ID number from "
            "another account. Your account is not affected. If it was not you, contact the "
            "service desk."
        )
    sms.sender().send(user.phone, text)
    return True
