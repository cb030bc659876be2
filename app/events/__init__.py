"""Offline events (线下活动): matchmakers run them, members sign up, wait for a seat,
check in and, afterwards, privately choose whom they would like to see again."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.console.sections import register_section

bp = Blueprint("events", __name__, template_folder="templates")

register_section("events.console_list", _l("Events"), "events", 10)

from app.events import console, routes  # noqa: E402, F401
