"""Members' introductions: the list, one introduction (the other's public card and the
matchmaker's note) and the private answer. Only the two introduced members reach an
introduction; anyone else gets 404."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from app.auth import member_required
from app.extensions import db
from app.introductions import bp, operations
from app.introductions.forms import AnswerForm
from app.introductions.models import Introduction
from app.profiles.public import public_card, public_cards


@bp.get("/introductions/")
@member_required
def index() -> str:
    me = current_user.id
    mine = db.session.scalars(
        select(Introduction)
        .where(or_(Introduction.member_a_id == me, Introduction.member_b_id == me))
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())
    ).all()
    cards = public_cards(i.other(me) for i in mine)
    return render_template("introductions/index.html", introductions=mine, cards=cards)


def _render(introduction: Introduction, problem: str | None = None) -> str:
    other = introduction.other(current_user.id)
    return render_template(
        "introductions/show.html",
        introduction=introduction,
        card=public_card(other),
        mine=introduction.answer_of(current_user.id),
        form=AnswerForm(formdata=None),
        problem=problem,
    )


def _own(introduction_id: int) -> Introduction:
    try:
        return operations.of_member(introduction_id, current_user.id)
    except operations.NotFound:
        abort(404)


@bp.get("/introductions/<int:introduction_id>")
@member_required
def show(introduction_id: int) -> str:
    return _render(_own(introduction_id))


@bp.post("/introductions/<int:introduction_id>/answer")
@member_required
def answer(introduction_id: int) -> Response | tuple[str, int]:
    introduction = _own(introduction_id)
    form = AnswerForm()
    if not form.validate():
        return _render(introduction, _("Choose to accept or decline.")), 400
    try:
        operations.answer(introduction_id, current_user.id, form.answer.data == "accept")
    except operations.Refused:
        db.session.rollback()
        problem = _("You have already answered this introduction.")
        return _render(_own(introduction_id), problem), 409
    db.session.commit()
    flash(_("Your answer is saved. Only you see it."), "success")
    return redirect(url_for(".show", introduction_id=introduction_id))
