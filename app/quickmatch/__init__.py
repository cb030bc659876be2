"""Quick match (每日速配): every morning each verified member gets a few suggestions.

``service`` loads members and history and stores the matcher's suggestions, ``tasks``
runs it nightly on Celery beat, ``flask quickmatch run`` runs it by hand.

The pages: today's suggestions, like and pass, and the matches they make.
"""

from flask import Blueprint

bp = Blueprint("quickmatch", __name__, template_folder="templates", url_prefix="/today")

from app.quickmatch import routes  # noqa: E402, F401
