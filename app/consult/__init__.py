"""Consultations (红娘一对一): members ask a matchmaker for help; the console's queue
and measures; the administrators' People page (the matchmaker role) and measures."""

from flask import Blueprint

bp = Blueprint("consult", __name__, template_folder="templates")

from app.consult import admin, console, routes  # noqa: E402, F401
