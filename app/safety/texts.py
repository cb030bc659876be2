"""Notification words of safety: moderation decisions, reports handled, appeals."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from app.notifications.texts import Shown


def _statement(params: dict) -> list[str]:
    statement = params.get("statement")
    return [_("Statement of reasons:") + " " + statement] if isinstance(statement, str) else []


def _moderation_warned(params: dict) -> Shown:
    report_id = params.get("report_id")
    link = url_for("safety.appeal", report_id=report_id) if isinstance(report_id, int) else None
    return Shown(
        _(
            "An administrator looked into a report about you and is giving you a warning. "
            "You can appeal once if you think this is wrong."
        ),
        details=_statement(params),
        link=link,
        link_text=_("Appeal this decision"),
    )


def _moderation_suspended(params: dict) -> Shown:
    return Shown(
        _(
            "Your account was suspended after a report. We sent you a text message with a "
            "link to appeal."
        ),
        details=_statement(params),
    )


def _report_handled(params: dict) -> Shown:
    return Shown(_("Thank you for your report: an administrator has handled it."))


def _appeal_decided(params: dict) -> Shown:
    if params.get("outcome") == "overturned":
        text = _("Your appeal succeeded: the decision against you was reversed.")
    else:
        text = _("Your appeal was reviewed: the decision stands.")
    return Shown(text, details=_statement(params))


NOTIFICATIONS = {
    "moderation_warned": _moderation_warned,
    "moderation_suspended": _moderation_suspended,
    "report_handled": _report_handled,
    "appeal_decided": _appeal_decided,
}
