"""Accounts: sign-up with an SMS code, sign-in (password or SMS code), device sessions,
sign-out (here or everywhere), password change."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/account")

from app.accounts import code_signin, loader, routes  # noqa: E402, F401  (views, loader)
