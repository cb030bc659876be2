"""Members' safety pages: block (拉黑) and unblock, report (举报), and the appeal (申诉)
of a member who was warned (signed in) or suspended (through the signed SMS link,
without signing in).

Thin: ``operations`` and ``moderation`` hold the rules, the view commits once. Every
page works without JavaScript: plain links and POST forms.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from app import limits
from app.auth import member_required
from app.db_types import utcnow
from app.extensions import db
from app.profiles.public import nickname, public_cards
from app.safety import admin, bp, moderation, operations  # noqa: F401 - admin adds routes
from app.safety.forms import REASON_LABELS, AppealForm, ConfirmForm, ReportForm
from app.safety.models import Report
from app.safety.settings import Settings

Page = str | tuple[str, int]


# -- block ----------------------------------------------------------------------------------


def _block_page(member_id: int, form: ConfirmForm, status: int = 200, **extra: object) -> Page:
    already = operations.has_blocked(current_user.id, member_id)
    page = render_template(
        "safety/block.html", member_id=member_id, name=nickname(member_id), form=form,
        already=already, **extra,
    )  # fmt: skip
    return page, status


@bp.route("/safety/members/<int:member_id>/block", methods=["GET", "POST"])
@member_required
def block(member_id: int) -> Response | Page:
    operations.known_member(current_user.id, member_id)
    form = ConfirmForm()
    if request.method == "GET":
        return _block_page(member_id, form)
    if not form.validate():
        return _block_page(member_id, form, 400)
    try:
        operations.block(current_user.id, member_id, utcnow())
    except operations.AlreadyBlocked:
        db.session.rollback()
        return _block_page(member_id, form, 409, problem=_("You have already blocked this member."))
    db.session.commit()
    flash(_("%(name)s is blocked. You will not see each other again.", name=nickname(member_id)))
    return redirect(url_for(".blocked"))


def _blocked_page(form: ConfirmForm, status: int = 200) -> Page:
    rows = operations.blocked_by(current_user.id)
    cards = public_cards(row.blocked_id for row in rows)
    names = {user_id: card.nickname for user_id, card in cards.items()}
    return render_template("safety/blocked.html", rows=rows, names=names, form=form), status


@bp.get("/safety/blocked")
@member_required
def blocked() -> Page:
    return _blocked_page(ConfirmForm())


@bp.post("/safety/blocked/<int:member_id>/unblock")
@member_required
def unblock(member_id: int) -> Response | Page:
    form = ConfirmForm()
    if not form.validate():
        return _blocked_page(form, 400)
    operations.unblock(current_user.id, member_id)
    db.session.commit()
    flash(_("%(name)s is unblocked.", name=nickname(member_id)), "success")
    return redirect(url_for(".blocked"))


# -- report ---------------------------------------------------------------------------------


def _report_page(member_id: int, form: ReportForm, status: int = 200, problem: str = "") -> Page:
    return render_template(
        "safety/report.html", member_id=member_id, name=nickname(member_id), form=form,
        problem=problem,
    ), status  # fmt: skip


@bp.route("/safety/members/<int:member_id>/report", methods=["GET", "POST"])
@member_required
def report(member_id: int) -> Response | Page:
    operations.known_member(current_user.id, member_id)
    form = ReportForm()
    if request.method == "GET":
        return _report_page(member_id, form)
    if not form.validate():
        return _report_page(member_id, form, 400)
    if operations.open_report(current_user.id, member_id) is not None:
        problem = _(
            "You have already reported this member and we are still looking into it. "
            "You will be told when it is handled."
        )
        return _report_page(member_id, form, 409, problem)
    if not limits.hit(Settings.current().report_limit, "safety-report", current_user.id):
        problem = _("You have sent many reports today. Please try again tomorrow.")
        return _report_page(member_id, form, 429, problem)
    try:
        filed = operations.report(
            current_user.id, member_id, form.chosen_reason, form.note.data,
            form.also_block.data, utcnow(),
        )  # fmt: skip
        db.session.commit()
    except (operations.AlreadyReported, IntegrityError):  # a double submit
        db.session.rollback()
        problem = _("You have already reported this member and we are still looking into it.")
        return _report_page(member_id, form, 409, problem)
    return redirect(url_for(".report_sent", report_id=filed.id))


@bp.get("/safety/reports/<int:report_id>/sent")
@member_required
def report_sent(report_id: int) -> str:
    filed = db.session.get(Report, report_id)
    if filed is None or filed.reporter_id != current_user.id:
        raise NotFound()
    return render_template(
        "safety/report_sent.html",
        report=filed,
        name=nickname(filed.reported_id),
        reason=REASON_LABELS[filed.reason],
        blocked=operations.has_blocked(current_user.id, filed.reported_id),
    )


# -- appeal ---------------------------------------------------------------------------------


def _appeal_page(report: Report, form: AppealForm, status: int = 200, **extra: object) -> Page:
    return render_template(
        "safety/appeal.html", report=report, form=form,
        appeal=moderation.appeal_of(report.id), **extra,
    ), status  # fmt: skip


def _appeal(report: Report, member_id: int, action: str) -> Response | Page:
    """The appeal form of either way in; one appeal per decision."""
    form = AppealForm()
    if request.method == "GET":
        return _appeal_page(report, form, action=action)
    if moderation.appeal_of(report.id) is not None:
        return _appeal_page(report, form, 409, action=action, repeated=True)
    if not form.validate():
        return _appeal_page(report, form, 400, action=action)
    try:
        moderation.file_appeal(report, member_id, form.text.data, utcnow())
        db.session.commit()
    except (moderation.AlreadyAppealed, IntegrityError):
        db.session.rollback()
        return _appeal_page(report, form, 409, action=action, repeated=True)
    return _appeal_page(report, AppealForm(formdata=None), 200, action=action, sent=True)


@bp.route("/safety/decisions/<int:report_id>/appeal", methods=["GET", "POST"])
@member_required
def appeal(report_id: int) -> Response | Page:
    found = db.session.get(Report, report_id)
    if found is None or not moderation.appealable(found, current_user.id):
        raise NotFound()
    return _appeal(found, current_user.id, url_for(".appeal", report_id=report_id))


@bp.route("/safety/appeal/<token>", methods=["GET", "POST"])
def appeal_by_link(token: str) -> Response | Page:
    """The suspended member's way in: the signed link from the SMS, no sign-in."""
    try:
        found = moderation.read_appeal_token(token)
    except moderation.BadAppealLink as bad:
        return render_template("safety/appeal_link.html", expired=bad.expired), (
            400 if bad.expired else 404
        )
    if not found.state.acted_on:
        raise NotFound()
    return _appeal(found, found.reported_id, url_for(".appeal_by_link", token=token))
