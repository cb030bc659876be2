"""The applicant's side of verification: apply, watch progress, see verified facts."""

from flask import Blueprint

bp = Blueprint("verify", __name__, template_folder="templates", url_prefix="/verify")

from app.verify import routes  # noqa: E402, F401
