"""Love school (爱情学堂): courses of lessons written by matchmakers in Markdown.

One blueprint: members read under ``/school``, matchmakers write under
``/console/school`` (a section of the matchmakers' console).
"""

from flask import Blueprint

bp = Blueprint("school", __name__, template_folder="templates")

from app.school import console, routes  # noqa: E402, F401
