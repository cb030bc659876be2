"""In-app notifications (站内通知)."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, template_folder="templates", url_prefix="/notifications")

from app.notifications import routes  # noqa: E402, F401
