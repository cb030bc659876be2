"""The administrators' reports queue (in the console, same guard and layout): open
reports and appeals oldest first, a report's page with its evidence and the member's
history, and the decisions on reports and appeals.

A decision locks the row; a report or appeal no longer open answers 409 and changes
nothing. Opening a report shows members' personal data, so it is written to the
access log and the audit log.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.audit.models import record as audit
from app.auth import admin_required
from app.db_types import utcnow
from app.extensions import db
from app.privacy.operations import record_access
from app.profiles.public import public_card, public_cards
from app.safety import bp, moderation
from app.safety.forms import REASON_LABELS, AppealDecisionForm, DecisionForm, QueueFilterForm
from app.safety.models import Appeal, AppealState, Report, ReportState
from app.verification.queries import users_by_id

PER_PAGE = 20
ACCESS_PURPOSE = "report review"


@bp.get("/admin/reports")
@admin_required
def queue() -> str | tuple[str, int]:
    form = QueueFilterForm(formdata=request.args)
    if not form.validate():
        return render_template("safety/admin/queue.html", form=form, pagination=None), 400
    filters = {"state": form.state.data, "source": form.source.data}
    pagination = db.paginate(moderation.report_queue(**filters), per_page=PER_PAGE)
    appeals = moderation.open_appeals()
    return render_template(
        "safety/admin/queue.html",
        form=form,
        pagination=pagination,
        filters=filters,
        appeals=appeals,
        reasons=REASON_LABELS,
        names=_names([r.reported_id for r in pagination.items] + [a.member_id for a in appeals]),
    )


def _names(ids: list[int | None]) -> dict[int, str]:
    """Nicknames for the administrator (the account number when there is no profile)."""
    cards = public_cards(i for i in ids if i is not None)  # one query batch, not one per id
    return {user_id: card.nickname for user_id, card in cards.items()}


def _render(
    report: Report,
    form: DecisionForm | None = None,
    appeal_form: AppealDecisionForm | None = None,
    conflict: bool = False,
) -> str:
    evidence = report.evidence or {}
    conversations = evidence.get("conversations", [])
    ids = [report.reporter_id, report.reported_id, *(c.get("with_id") for c in conversations)]
    history = moderation.history_of(report.reported_id, report.id)
    appeal = moderation.appeal_of(report.id)
    deciders = [report.decided_by_id, appeal.decided_by_id if appeal else None]
    return render_template(
        "safety/admin/report.html",
        report=report,
        card=public_card(report.reported_id),
        names=_names(ids),
        conversations=conversations,
        flagged=set(evidence.get("flagged_message_ids", [])),
        history=history,
        appeals=moderation.appeals_of([r.id for r in history]),
        appeal=appeal,
        people=users_by_id(deciders),
        reasons=REASON_LABELS,
        form=form or DecisionForm(formdata=None),
        appeal_form=appeal_form or AppealDecisionForm(formdata=None),
        conflict=conflict,
    )


@bp.get("/admin/reports/<int:report_id>")
@admin_required
def report_review(report_id: int) -> str:
    found = db.get_or_404(Report, report_id)
    page = _render(found)
    record_access(current_user.id, found.reported_id, ACCESS_PURPOSE)
    if found.reporter_id is not None:
        record_access(current_user.id, found.reporter_id, ACCESS_PURPOSE)
    audit("report.view", "report", report_id, actor_id=current_user.id)
    db.session.commit()
    return page


@bp.post("/admin/reports/<int:report_id>/decision")
@admin_required
def decide(report_id: int) -> Response | tuple[str, int]:
    form = DecisionForm()
    valid = form.validate_on_submit()
    found = moderation.lock_report(report_id) if valid else db.session.get(Report, report_id)
    if found is None:
        abort(404)
    if found.state is not ReportState.open:
        db.session.rollback()
        return _render(found, form, conflict=True), 409
    if not valid:
        return _render(found, form), 400
    decision = moderation.Decision(form.decision.data)
    moderation.decide(found, current_user.id, decision, form.reason.data, utcnow())
    db.session.commit()
    if decision is moderation.Decision.suspend:
        moderation.send_suspension_sms(found)
    flash(_("Report %(id)s decided.", id=report_id), "success")
    return redirect(url_for(".queue"))


@bp.post("/admin/appeals/<int:appeal_id>/decision")
@admin_required
def decide_appeal(appeal_id: int) -> Response | tuple[str, int]:
    form = AppealDecisionForm()
    valid = form.validate_on_submit()
    found = moderation.lock_appeal(appeal_id) if valid else db.session.get(Appeal, appeal_id)
    if found is None:
        abort(404)
    report = db.session.get(Report, found.report_id)
    if found.state is not AppealState.open:
        db.session.rollback()
        return _render(report, appeal_form=form, conflict=True), 409
    if not valid:
        return _render(report, appeal_form=form), 400
    moderation.decide_appeal(found, current_user.id, form.overturn, form.reason.data, utcnow())
    db.session.commit()
    if report.state is ReportState.suspended:
        moderation.send_appeal_decided_sms(found)
    flash(_("Appeal %(id)s decided.", id=appeal_id), "success")
    return redirect(url_for(".queue"))
