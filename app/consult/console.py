"""The console's consultations: a matchmaker's queue (their own requests only) with
their measures, a request's thread, replying and resolving. Administrators see every
request, read-only. Opening a request shows the member's details: it is written to the
member's access log (My data)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, select
from werkzeug.wrappers import Response

from app.auth import matchmaker_required
from app.consult import assignment, bp, measures, operations
from app.consult.forms import ReplyForm, ResolveForm
from app.consult.models import Consultation, ConsultationState
from app.extensions import db
from app.privacy.operations import record_access
from app.profiles.public import public_card, public_cards

ACCESS_PURPOSE = "consultation"
LIST_LIMIT = 200


def _queue(matchmaker_id: int | None) -> list[Consultation]:
    """Open requests first (oldest first), then the others (newest first)."""
    is_open = case((Consultation.state == ConsultationState.open, 0), else_=1)
    query = select(Consultation).order_by(is_open, Consultation.created_at, Consultation.id)
    if matchmaker_id is not None:
        query = query.where(Consultation.matchmaker_id == matchmaker_id)
    return list(db.session.scalars(query.limit(LIST_LIMIT)))


@bp.get("/console/consultations/")
@matchmaker_required
def console_list() -> str:
    if current_user.is_matchmaker and assignment.has_waiting():
        assignment.assign_waiting()  # a matchmaker appeared without a grant (restored)
        db.session.commit()
    own = None if current_user.is_admin else current_user.id
    consultations = _queue(own)
    return render_template(
        "consult/console/list.html",
        consultations=consultations,
        cards=public_cards(c.member_id for c in consultations),
        mine=measures.of_matchmaker(current_user.id) if own else None,
    )


def _visible(consultation_id: int, for_update: bool = False) -> Consultation:
    """The matchmaker's own request, or any request for an administrator; else 404."""
    if current_user.is_admin:
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None:
            abort(404)
        return consultation
    try:
        return operations.of_matchmaker(consultation_id, current_user.id, for_update)
    except operations.NotFound:
        abort(404)


def _render(
    consultation: Consultation, form: ReplyForm | None = None, problem: str | None = None
) -> str:
    record_access(current_user.id, consultation.member_id, ACCESS_PURPOSE)
    page = render_template(
        "consult/console/show.html",
        consultation=consultation,
        card=public_card(consultation.member_id),
        messages=operations.thread(consultation.id),
        form=form or ReplyForm(formdata=None),
        resolve_form=ResolveForm(),
        may_write=consultation.matchmaker_id == current_user.id,
        problem=problem,
    )
    db.session.commit()
    return page


@bp.get("/console/consultations/<int:consultation_id>")
@matchmaker_required
def console_show(consultation_id: int) -> str:
    return _render(_visible(consultation_id))


def _writable(consultation_id: int) -> Consultation:
    if not current_user.is_matchmaker:
        abort(403)  # administrators read, they do not answer
    return _visible(consultation_id, for_update=True)


@bp.post("/console/consultations/<int:consultation_id>/messages")
@matchmaker_required
def console_reply(consultation_id: int) -> Response | tuple[str, int]:
    consultation = _writable(consultation_id)
    form = ReplyForm()
    if not form.validate():
        return _render(consultation, form), 400
    try:
        operations.reply(consultation, current_user.id, form.body.data)
    except operations.Conflict:
        db.session.rollback()
        problem = _("This consultation is resolved: it takes no more replies.")
        return _render(_visible(consultation_id), form, problem), 409
    db.session.commit()
    return redirect(url_for(".console_show", consultation_id=consultation_id) + "#thread-end")


@bp.post("/console/consultations/<int:consultation_id>/resolve")
@matchmaker_required
def console_resolve(consultation_id: int) -> Response | tuple[str, int]:
    consultation = _writable(consultation_id)
    if not ResolveForm().validate():
        return _render(consultation, problem=_("The form expired; please try again.")), 400
    try:
        operations.resolve(consultation)
    except operations.Conflict:
        db.session.rollback()
        problem = _("This consultation is already resolved.")
        return _render(_visible(consultation_id), problem=problem), 409
    db.session.commit()
    flash(_("Marked as resolved. The member is asked to rate it."), "success")
    return redirect(url_for(".console_show", consultation_id=consultation_id))
