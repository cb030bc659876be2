"""Safety: blocks, reports, fraud warnings, the administrators' reports queue, appeals."""

from flask import Blueprint

bp = Blueprint("safety", __name__, template_folder="templates")

from app.safety import routes  # noqa: E402, F401
