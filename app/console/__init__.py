"""The matchmakers' console (红娘工作台): events, consultations, introductions and the
love school, each a section its own feature declares (``Feature.console_sections``).

Matchmakers and administrators may enter; everyone else gets 403 (anonymous visitors
are sent to sign in).
"""

from flask import Blueprint

bp = Blueprint("console", __name__, template_folder="templates", url_prefix="/console")

from app.console import routes  # noqa: E402, F401
