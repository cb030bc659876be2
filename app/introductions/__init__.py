"""Introductions (红娘牵线): a matchmaker proposes two verified members to each other;
each accepts or declines privately; both accepting makes a match."""

from flask import Blueprint

bp = Blueprint("introductions", __name__, template_folder="templates")

from app.introductions import console, routes  # noqa: E402, F401
