"""Consultations (红娘一对一): members ask a matchmaker for help; the console's queue
and measures; the administrators' People page (the matchmaker role) and measures."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.console.sections import register_section

bp = Blueprint("consult", __name__, template_folder="templates")

register_section("consult.console_list", _l("Consultations"), "consult", 20)

from app.consult import admin, console, routes  # noqa: E402, F401
