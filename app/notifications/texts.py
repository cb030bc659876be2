"""A notification's words, rendered from its ``kind`` and ``params`` in the reader's
language at display time."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _

from app.notifications.models import Notification
from app.verify import messages


@dataclass
class Shown:
    text: str
    details: list[str] = field(default_factory=list)
    link: str | None = None
    link_text: str | None = None


def _case_link(params: dict) -> str | None:
    case_id = params.get("case_id")
    return url_for("verify.progress", case_id=case_id) if isinstance(case_id, int) else None


def _approved(params: dict) -> Shown:
    return Shown(
        _("Your identity is verified: you are now a member of Queqiao."),
        link=url_for("verify.facts"),
        link_text=_("See my verified facts"),
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


def _other_nickname(params: dict) -> str:
    from app.quickmatch.today import nickname  # quick match imports the notifications

    other_id = params.get("other_id")
    return nickname(other_id) if isinstance(other_id, int) else _("deleted user")


def _new_match(params: dict) -> Shown:
    from app.quickmatch.routes import conversation_url

    match_id = params.get("match_id")
    return Shown(
        _("It's a match: you and %(name)s like each other.", name=_other_nickname(params)),
        link=conversation_url(match_id) if isinstance(match_id, int) else None,
        link_text=_("Say hello"),
    )


def _did_you_meet(params: dict) -> Shown:
    match_id = params.get("match_id")
    link = url_for("quickmatch.meeting", match_id=match_id) if isinstance(match_id, int) else None
    return Shown(
        _(
            "You have been chatting with %(name)s for a while. Did you meet? Only you see "
            "your answer.",
            name=_other_nickname(params),
        ),
        link=link,
        link_text=_("Tell us privately"),
    )


def _new_message(params: dict) -> Shown:
    match_id = params.get("match_id")
    link = url_for("lounge.conversation", match_id=match_id) if isinstance(match_id, int) else None
    return Shown(
        _("%(name)s sent you a message in the love lounge.", name=_other_nickname(params)),
        link=link,
        link_text=_("Read it"),
    )


def _match_ended(params: dict) -> Shown:
    return Shown(
        _("One of your matches has ended. The conversation is closed."),
        link=url_for("lounge.index"),
        link_text=_("Love lounge"),
    )


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


def _event_link(params: dict) -> str | None:
    event_id = params.get("event_id")
    return url_for("events.show", event_id=event_id) if isinstance(event_id, int) else None


def _event_title(params: dict) -> str:
    title = params.get("title")
    return title if isinstance(title, str) else _("an event")


def _event_seat_offered(params: dict) -> Shown:
    return Shown(
        _(
            "A seat has become free at %(title)s and is offered to you. Please accept or "
            "decline it in time, or it goes to the next in line.",
            title=_event_title(params),
        ),
        link=_event_link(params),
        link_text=_("Answer the offer"),
    )


def _event_offer_expired(params: dict) -> Shown:
    return Shown(
        _(
            "The seat offered to you at %(title)s was not taken in time and went to the "
            "next in line.",
            title=_event_title(params),
        ),
        link=_event_link(params),
        link_text=_("See the event"),
    )


def _event_changed(params: dict) -> Shown:
    return Shown(
        _("The time or place of %(title)s has changed.", title=_event_title(params)),
        link=_event_link(params),
        link_text=_("See the new details"),
    )


def _event_cancelled(params: dict) -> Shown:
    return Shown(
        _("%(title)s has been cancelled by the matchmaker.", title=_event_title(params)),
        link=_event_link(params),
        link_text=_("See the event"),
    )


def consult_kinds() -> dict:
    """Consultations, the matchmaker role and introductions (app.consult.texts)."""
    from app.consult.texts import KINDS as consult

    return consult


KINDS = {
    "verification.approved": _approved,
    "verification.rejected": _rejected,
    "verification.review": _review,
    "verification.access_lost": _access_lost,
    "verification.identity_used": _identity_used,
    "new_match": _new_match,
    "did_you_meet": _did_you_meet,
    "new_message": _new_message,
    "match_ended": _match_ended,
    "moderation_warned": _moderation_warned,
    "moderation_suspended": _moderation_suspended,
    "report_handled": _report_handled,
    "appeal_decided": _appeal_decided,
    **consult_kinds(),
    "event_seat_offered": _event_seat_offered,
    "event_offer_expired": _event_offer_expired,
    "event_changed": _event_changed,
    "event_cancelled": _event_cancelled,
}


def show(notification: Notification) -> Shown:
    render = KINDS.get(notification.kind)
    if render is None:
        return Shown(_("You have a new notification."))
    return render(dict(notification.params or {}))
