"""Notification words for consultations, the matchmaker role and introductions,
rendered in the reader's language at display time (see app.notifications.texts)."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask_babel import gettext as _

from app.notifications.texts import Shown


def _shown(text: str, link: str | None = None, link_text: str | None = None) -> Shown:
    return Shown(text, link=link, link_text=link_text)


def _id(params: dict, key: str) -> int | None:
    value = params.get(key)
    return value if isinstance(value, int) else None


def _member_link(params: dict) -> str | None:
    cid = _id(params, "consultation_id")
    return url_for("consult.show", consultation_id=cid) if cid else None


def _console_link(params: dict) -> str | None:
    cid = _id(params, "consultation_id")
    return url_for("consult.console_show", consultation_id=cid) if cid else None


def _assigned(params: dict) -> Shown:
    return _shown(
        _("A member asked you for help (红娘一对一)."), _console_link(params), _("Read the request")
    )


def _taken(params: dict) -> Shown:
    return _shown(
        _("A matchmaker has taken your waiting request and will answer soon."),
        _member_link(params),
        _("See the request"),
    )


def _reply(params: dict) -> Shown:
    if params.get("to") == "matchmaker":
        return _shown(_("A member replied in a consultation."), _console_link(params), _("Read it"))
    return _shown(_("Your matchmaker replied to your request."), _member_link(params), _("Read it"))


def _resolved(params: dict) -> Shown:
    return _shown(
        _("Your matchmaker marked your request as resolved. How helpful was it?"),
        _member_link(params),
        _("Rate it"),
    )


def _reassigned(params: dict) -> Shown:
    if params.get("waiting"):
        text = _("Your matchmaker stepped down. Your request waits for another matchmaker.")
    else:
        text = _("Your matchmaker stepped down. Another matchmaker now looks after your request.")
    return _shown(text, _member_link(params), _("See the request"))


def _role_granted(params: dict) -> Shown:
    return _shown(
        _("You are now a volunteer matchmaker (红娘). Thank you!"),
        url_for("console.index"),
        _("Open the console"),
    )


def _role_revoked(params: dict) -> Shown:
    return _shown(_("Your matchmaker role has ended. Thank you for your help."))


def _introduced(params: dict) -> Shown:
    iid = _id(params, "introduction_id")
    link = url_for("introductions.show", introduction_id=iid) if iid else None
    return _shown(
        _("A matchmaker would like to introduce you to someone. Only you see your answer."),
        link,
        _("See the introduction"),
    )


KINDS: dict[str, Callable] = {
    "consultation_assigned": _assigned,
    "consultation_taken": _taken,
    "consultation_reply": _reply,
    "consultation_resolved": _resolved,
    "consultation_reassigned": _reassigned,
    "role_granted": _role_granted,
    "role_revoked": _role_revoked,
    "introduction_proposed": _introduced,
}
