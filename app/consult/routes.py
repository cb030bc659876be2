"""Members' side of consultations: the list, asking, the thread, replying and rating.

Every route is behind the member gate; a request of someone else is a 404."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import limits
from app.auth import member_required
from app.consult import bp, operations
from app.consult.forms import TOPIC_LABELS, AskForm, RatingForm, ReplyForm
from app.consult.models import Consultation, ConsultationState, Topic
from app.consult.settings import Settings
from app.extensions import db


@bp.app_context_processor
def consult_helpers() -> dict:
    return {"topic_label": lambda topic: TOPIC_LABELS.get(topic, topic)}


def _own(consultation_id: int, for_update: bool = False) -> Consultation:
    try:
        return operations.of_member(consultation_id, current_user.id, for_update)
    except operations.NotFound:
        abort(404)


@bp.get("/consultations/")
@member_required
def index() -> str:
    mine = db.session.scalars(
        select(Consultation)
        .where(Consultation.member_id == current_user.id)
        .order_by(Consultation.created_at.desc(), Consultation.id.desc())
    ).all()
    return render_template("consult/index.html", consultations=mine)


@bp.route("/consultations/new", methods=["GET", "POST"])
@member_required
def ask() -> str | Response | tuple[str, int]:
    form = AskForm()
    if not form.is_submitted():
        return render_template("consult/ask.html", form=form)
    if not form.validate():
        return render_template("consult/ask.html", form=form), 400
    if not limits.hit(Settings.current().request_limit, "consultation", current_user.id):
        problem = _("You have asked for many consultations today. Please try again tomorrow.")
        return render_template("consult/ask.html", form=form, problem=problem), 429
    try:
        consultation = operations.ask(current_user.id, Topic(form.topic.data), form.body.data)
    except operations.TooManyUnresolved:
        db.session.rollback()
        return render_template("consult/ask.html", form=form, problem=_unresolved_problem()), 409
    db.session.commit()
    if consultation.state is ConsultationState.waiting:
        flash(_("Your request is waiting for a matchmaker; we will tell you when one takes it."))
    else:
        flash(_("Your request was sent to a matchmaker."), "success")
    return redirect(url_for(".show", consultation_id=consultation.id))


def _unresolved_problem() -> str:
    return _(
        "You already have %(n)d requests that are not resolved yet. A new one can be sent "
        "once a matchmaker has resolved one of them.",
        n=Settings.current().max_unresolved,
    )


def _render(
    consultation: Consultation,
    reply_form: ReplyForm | None = None,
    rating_form: RatingForm | None = None,
    problem: str | None = None,
) -> str:
    return render_template(
        "consult/show.html",
        consultation=consultation,
        messages=operations.thread(consultation.id),
        reply_form=reply_form or ReplyForm(formdata=None),
        rating_form=rating_form or RatingForm(formdata=None),
        problem=problem,
    )


@bp.get("/consultations/<int:consultation_id>")
@member_required
def show(consultation_id: int) -> str:
    return _render(_own(consultation_id))


@bp.post("/consultations/<int:consultation_id>/messages")
@member_required
def reply(consultation_id: int) -> Response | tuple[str, int]:
    consultation = _own(consultation_id, for_update=True)
    form = ReplyForm()
    if not form.validate():
        return _render(consultation, reply_form=form), 400
    try:
        operations.reply(consultation, current_user.id, form.body.data)
    except operations.Conflict:
        db.session.rollback()
        problem = _("This consultation is resolved: it takes no more replies.")
        return _render(_own(consultation_id), reply_form=form, problem=problem), 409
    db.session.commit()
    return redirect(url_for(".show", consultation_id=consultation_id) + "#thread-end")


@bp.post("/consultations/<int:consultation_id>/rating")
@member_required
def rate(consultation_id: int) -> Response | tuple[str, int]:
    consultation = _own(consultation_id, for_update=True)
    form = RatingForm()
    if not form.validate():
        return _render(consultation, rating_form=form), 400
    try:
        operations.rate(consultation, int(form.rating.data), form.comment.data)
    except operations.Conflict:
        db.session.rollback()
        consultation = _own(consultation_id)
        if consultation.rating is not None:
            problem = _("You have already rated this consultation.")
        else:
            problem = _("You can rate a consultation once the matchmaker has resolved it.")
        return _render(consultation, problem=problem), 409
    db.session.commit()
    flash(_("Thank you for your rating."), "success")
    return redirect(url_for(".show", consultation_id=consultation_id))
