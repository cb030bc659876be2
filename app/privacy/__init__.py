"""My data (PIPL): what is stored, who viewed it, export, withdrawal, deletion."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, template_folder="templates", url_prefix="/me/data")

from app.privacy import routes  # noqa: E402, F401
