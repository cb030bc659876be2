"""Introductions (红娘牵线): a matchmaker proposes two verified members to each other;
each accepts or declines privately; both accepting makes a match."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.console.sections import register_section

bp = Blueprint("introductions", __name__, template_folder="templates")

register_section("introductions.console_list", _l("Introductions"), "introductions", 30)

from app.introductions import console, routes  # noqa: E402, F401
