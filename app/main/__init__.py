"""Home page, language switch and health endpoint."""

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

from app.main import legal, me, routes  # noqa: E402, F401
