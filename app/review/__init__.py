"""The administrators' console for verification: review queue, cases, audit log."""

from flask import Blueprint

bp = Blueprint("review", __name__, template_folder="templates", url_prefix="/admin")

from app.review import departments, routes  # noqa: E402, F401
