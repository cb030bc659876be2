"""我的 (Me): the member's own corner — profile, settings, data, sign out.

Any signed-in user has one (members, applicants, matchmakers, administrators); each
sees the entries their account allows. ``has_endpoint()`` lets the layout link pages
that a deployment may not have (the terms, the privacy policy)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template
from flask_login import current_user, login_required

from app.accounts.models import AccountState, Role
from app.auth import may_use_console
from app.main import bp
from app.profiles.public import public_card
from app.verification.queries import verified_gender


def in_member_frame(user: Any) -> bool:
    """Does ``user`` get the members' frame (the tab bar, the profile entries)? Members
    do; matchmakers and administrators only when they are verified members too (an
    approved real-name case), so staff are not invited to fill in a dating profile."""
    if not getattr(user, "is_authenticated", False) or user.state is not AccountState.member:
        return False
    if user.role is Role.member:
        return True
    if "member_frame" not in g:
        g.member_frame = verified_gender(user.id) is not None
    return g.member_frame


@bp.get("/me")
@login_required
def me() -> str:
    is_member = in_member_frame(current_user)
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
def inject_frame_helpers() -> dict:
    def has_endpoint(name: str) -> bool:
        return name in current_app.view_functions

    return {"has_endpoint": has_endpoint, "member_frame": lambda: in_member_frame(current_user)}
