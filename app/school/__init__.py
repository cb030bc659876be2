"""Love school (爱情学堂): courses of lessons written by matchmakers in Markdown.

One blueprint: members read under ``/school``, matchmakers write under
``/console/school`` (a section of the matchmakers' console).
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.console.sections import register_section

bp = Blueprint("school", __name__, template_folder="templates")

register_section("school.console_courses", _l("Love school"), "school", 40)

from app.school import console, routes  # noqa: E402, F401
