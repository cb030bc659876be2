"""The console's introductions: the matchmaker's introductions with their outcome,
choosing two members (search by nickname or city, public cards), a member's details
(written to the member's access log) and the proposal. Administrators see every
introduction, read-only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth import matchmaker_required
from app.extensions import db
from app.introductions import bp, operations
from app.introductions.forms import ProposeForm, SearchForm
from app.introductions.models import Introduction
from app.privacy.operations import record_access
from app.profiles.public import public_card, public_cards
from app.profiles.queries import profile_of
from app.system.guards import ID_MAX

ACCESS_PURPOSE = "introduction"
LIST_LIMIT = 200


def _refusal(code: str) -> str:
    return {
        "same_member": _("Choose two different members."),
        "yourself": _("You cannot introduce yourself."),
        "not_member": _("Both must be verified members."),
        "apart": _("These two members cannot be introduced to each other."),
        "matched": _("These two members are already matched."),
        "pending": _("These two members already have an introduction waiting for answers."),
    }.get(code, _("This introduction is not possible."))


@bp.get("/console/introductions/")
@matchmaker_required
def console_list() -> str:
    query = select(Introduction).order_by(Introduction.created_at.desc(), Introduction.id.desc())
    if not current_user.is_admin:
        query = query.where(Introduction.matchmaker_id == current_user.id)
    introductions = db.session.scalars(query.limit(LIST_LIMIT)).all()
    ids = [i.member_a_id for i in introductions] + [i.member_b_id for i in introductions]
    return render_template(
        "introductions/console/list.html", introductions=introductions, cards=public_cards(ids)
    )


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    if value is None or not 0 < value <= ID_MAX:
        return None  # no member has that id, and PostgreSQL could not even compare it
    return value if operations.introducible(value) else None


def _new_page(form: ProposeForm, problem: str | None = None) -> str:
    search = SearchForm(formdata=request.args)
    found: list[int] = []
    if search.q.data and search.validate():
        found = operations.search(search.q.data)
    chosen = {"a": form.a.data, "b": form.b.data}
    cards = public_cards([*found, *(v for v in chosen.values() if v)])
    return render_template(
        "introductions/console/new.html",
        search=search,
        found=found,
        chosen=chosen,
        cards=cards,
        form=form,
        problem=problem,
    )


@bp.get("/console/introductions/new")
@matchmaker_required
def console_new() -> str:
    form = ProposeForm(formdata=None, data={"a": _int_arg("a"), "b": _int_arg("b")})
    return _new_page(form)


@bp.post("/console/introductions/new")
@matchmaker_required
def console_propose() -> Response | tuple[str, int]:
    if not current_user.is_matchmaker:
        abort(403)  # administrators read, they do not introduce
    form = ProposeForm()
    if not form.validate():
        return _new_page(form), 400
    try:
        operations.propose(current_user.id, form.a.data, form.b.data, form.note.data)
    except operations.Refused as refused:
        db.session.rollback()
        return _new_page(form, _refusal(refused.code)), refused.status
    db.session.commit()
    flash(_("Both members were told. Each answers privately."), "success")
    return redirect(url_for(".console_list"))


@bp.get("/console/introductions/members/<int:member_id>")
@matchmaker_required
def console_member(member_id: int) -> str:
    if not operations.introducible(member_id):
        abort(404)
    record_access(current_user.id, member_id, ACCESS_PURPOSE)
    page = render_template(
        "introductions/console/member.html",
        card=public_card(member_id),
        profile=profile_of(member_id),
        member_id=member_id,
        back={k: request.args.get(k, "") for k in ("q", "a", "b")},
    )
    db.session.commit()
    return page
