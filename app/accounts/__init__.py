"""Accounts: sign-up with an SMS code, sign-in, sign-out, password change."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/account")

from app.accounts import loader, routes  # noqa: E402, F401  (registers views, loader)
