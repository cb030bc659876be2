"""The words of the notifications verification sends (``verification.*`` kinds),
rendered in the reader's language at display time (``Feature.notifications``)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from app.notifications.texts import Shown
from app.verification import messages


def _case_link(params: dict) -> str | None:
    case_id = params.get("case_id")
    return url_for("verify.progress", case_id=case_id) if isinstance(case_id, int) else None


def _approved(params: dict) -> Shown:
    return Shown(
        _("Your identity is verified: you are now a member of Queqiao."),
        # The next step is 完善资料 (profiles' welcome; it says so when all is done).
        link=url_for("profiles.onboarding_start"),
        link_text=_("Complete my profile"),
    )


def _rejected(params: dict) -> Shown:
    reasons, free_text = messages.decision_reasons(params.get("reason"))
    if free_text:
        reasons = [_("The administrator's reason:") + " " + free_text]
    return Shown(
        _("Your verification application was not approved."),
        details=reasons,
        link=_case_link(params) or url_for("verify.index"),
        link_text=_("See the details and apply again"),
    )


def _review(params: dict) -> Shown:
    if params.get("reason") == "manual_check":  # neutral: says nothing about why
        text = _(
            "Your verification application needs a manual check by the service desk. You "
            "will be told here."
        )
    else:
        text = _(
            "An administrator will decide on your verification application. You will be told here."
        )
    return Shown(text, link=_case_link(params), link_text=_("See each department's answer"))


def _identity_used(params: dict) -> Shown:
    return Shown(
        _(
            "Someone applied for real-name verification with your ID number from another "
            "account. Your account is not affected: one ID number can hold only one account."
        ),
        details=[
            _("If it was you, you need to do nothing. If it was not you, contact the service desk.")
        ],
    )


def _access_lost(params: dict) -> Shown:
    name = messages.department_name(str(params.get("department") or ""))
    return Shown(
        _(
            "Your member access is paused: the re-check by %(department)s did not pass.",
            department=name,
        ),
        details=[messages.reason_text(params.get("reason"))],
        link=url_for("verify.index"),
        link_text=_("Real-name verification"),
    )


NOTIFICATIONS = {
    "verification.approved": _approved,
    "verification.rejected": _rejected,
    "verification.review": _review,
    "verification.access_lost": _access_lost,
    "verification.identity_used": _identity_used,
}
