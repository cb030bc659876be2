"""我的 (Me): the member's own corner — profile, settings, data, sign out.

Any signed-in user has one (members, applicants, matchmakers, administrators); each
sees the entries their account allows. ``has_endpoint()`` lets the layout link pages
that a deployment may not have (the terms, the privacy policy)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user, login_required

from app.accounts.models import AccountState
from app.auth import may_use_console
from app.main import bp
from app.profiles.public import public_card


@bp.get("/me")
@login_required
def me() -> str:
    is_member = current_user.state is AccountState.member
    card = public_card(current_user.id) if is_member else None
    if card is not None and card.deleted:
        card = None
    return render_template(
        "main/me.html",
        card=card,
        is_member=is_member,
        console=may_use_console(current_user),
    )


@bp.app_context_processor
def inject_has_endpoint() -> dict:
    def has_endpoint(name: str) -> bool:
        return name in current_app.view_functions

    return {"has_endpoint": has_endpoint}
