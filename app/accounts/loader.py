"""How Flask-Login finds the user behind a session or remember-me cookie."""

from __future__ import annotations

import hmac

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts import bp, devices
from app.accounts.models import DeviceSession, User
from app.extensions import db, login_manager

login_manager.login_message = _l("Please sign in to open that page.")
login_manager.login_message_category = "info"
login_manager.needs_refresh_message = _l("For your safety, enter your password again.")
login_manager.needs_refresh_message_category = "info"


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    """``login_id`` is ``"<user id>:<session token>:<device token>"``.

    A changed session token (suspension, deletion) ends every session of the account;
    an ended device session (sign-out) ends that device's. The device session found is
    kept for the request (``current_device``).
    """
    parts = login_id.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1] or not parts[2]:
        return None
    user_id, session_token, device_token = parts
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.session_token, session_token):
        return None
    device = devices.live(user.id, device_token)
    if device is None:
        return None
    user.device_token = device_token
    g.device_session = device
    return user


def current_device() -> DeviceSession | None:
    """The device session of the signed-in user of this request, if any."""
    if not current_user.is_authenticated:  # loads the user (and the device) once
        return None
    return g.get("device_session")


@bp.before_app_request
def note_device_seen() -> None:
    """Keep the device's "last seen" roughly current. At the start of the request,
    before any view writes, so the commit here holds nothing but that time."""
    if request.endpoint == "static":
        return
    device = current_device()
    if device is not None and devices.seen(device):
        db.session.commit()
