"""Administrators: People (find a user by mobile number; grant or revoke the
matchmaker role with a reason) and every matchmaker's measures.

The number searched for travels only in a POST body: a URL would put it in access
logs, proxies' logs and the next page's Referer. A result is addressed by user id.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts.models import Role, User
from app.auth import admin_required
from app.consult import bp, measures, roles
from app.consult.forms import PhoneSearchForm, RoleForm
from app.extensions import db
from app.privacy.operations import record_access
from app.profiles.public import public_cards

ACCESS_PURPOSE = "role management"


def _refusal(code: str) -> str:
    return {
        "own_role": _("You cannot change your own role."),
        "administrator": _("An administrator's role is not changed here."),
        "not_verified": _("Only verified members can become matchmakers."),
    }.get(code, _("This change is not allowed."))


def _page(
    search: PhoneSearchForm,
    user: User | None,
    form: RoleForm | None = None,
    problem: str | None = None,
    searched: bool = True,
) -> str:
    if user is not None:
        record_access(current_user.id, user.id, ACCESS_PURPOSE)
    page = render_template(
        "consult/admin/people.html",
        search=search,
        person=user,
        form=form or RoleForm(formdata=None),
        problem=problem,
        searched=searched,
    )
    db.session.commit()
    return page


def _empty_search() -> PhoneSearchForm:
    return PhoneSearchForm(formdata=None)


@bp.get("/admin/people")
@admin_required
def people() -> str:
    """The search form; a ``?phone=`` in the URL is ignored, never searched."""
    return _page(_empty_search(), None, searched=False)


@bp.post("/admin/people")
@admin_required
def find_person() -> str | tuple[str, int]:
    search = PhoneSearchForm()
    if not search.validate():
        return _page(search, None, searched=False), 400
    user = db.session.scalar(select(User).where(User.phone == search.phone.data))
    return _page(search, user)


@bp.get("/admin/people/<int:user_id>")
@admin_required
def person(user_id: int) -> str:
    """One user's role, by id (where a role change returns to)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return _page(_empty_search(), user)


@bp.post("/admin/people/<int:user_id>/role")
@admin_required
def change_role(user_id: int) -> Response | tuple[str, int]:
    user = roles.lock_user(user_id)
    if user is None:
        abort(404)
    search = _empty_search()
    form = RoleForm()
    if not form.validate():
        return _page(search, user, form), 400
    change = roles.grant if form.action.data == "grant" else roles.revoke
    try:
        change(current_user, user, Role(form.seen_role.data), form.reason.data)
    except roles.RoleRefused as refused:
        db.session.rollback()
        return _page(search, db.session.get(User, user_id), form, _refusal(refused.args[0])), 400
    except roles.Stale:
        db.session.rollback()
        problem = _("The role changed since this page was opened. Nothing was changed.")
        return _page(search, db.session.get(User, user_id), form, problem), 409
    db.session.commit()
    if form.action.data == "grant":
        flash(_("%(phone)s is now a matchmaker.", phone=user.masked_phone), "success")
    else:
        flash(_("%(phone)s is no longer a matchmaker.", phone=user.masked_phone), "success")
    return redirect(url_for(".person", user_id=user.id))


@bp.get("/admin/matchmakers")
@admin_required
def matchmakers() -> str:
    rows = measures.measures()
    cards = public_cards(row.matchmaker_id for row in rows)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.role == Role.matchmaker))}
    return render_template("consult/admin/matchmakers.html", rows=rows, cards=cards, users=users)
