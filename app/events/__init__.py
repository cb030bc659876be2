"""Offline events (线下活动): matchmakers run them, members sign up, wait for a seat,
check in and, afterwards, privately choose whom they would like to see again."""

from flask import Blueprint

bp = Blueprint("events", __name__, template_folder="templates")

from app.events import console, routes  # noqa: E402, F401
