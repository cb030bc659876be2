"""How Flask-Login finds the user behind a session or remember-me cookie."""

from __future__ import annotations

import hmac

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.extensions import db, login_manager

login_manager.login_message = _l("Please sign in to open that page.")
login_manager.login_message_category = "info"
login_manager.needs_refresh_message = _l("For your safety, enter your password again.")
login_manager.needs_refresh_message_category = "info"


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    """``login_id`` is ``"<user id>:<session token>"``; a changed token signs the user out."""
    user_id, _, token = login_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.session_token, token):
        return None
    return user
