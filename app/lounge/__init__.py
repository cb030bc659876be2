"""Love lounge (爱情会客厅): one private conversation per match."""

from flask import Blueprint

bp = Blueprint("lounge", __name__, template_folder="templates", url_prefix="/lounge")

from app.lounge import badge, routes  # noqa: E402, F401
