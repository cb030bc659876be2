"""Flask commands: ``flask users create-admin`` and ``flask demo seed``.

Database migrations are Flask-Migrate's ``flask db upgrade``.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app import demo
from app.accounts import operations
from app.accounts.forms import ACCOUNT_MESSAGES
from app.accounts.models import AccountState, Role
from app.accounts.phone import InvalidPhone, normalise_mobile
from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demo data for the embedded default.")


@users_cli.command("create-admin")
@click.option("--phone", required=True, help="Mainland mobile number of the administrator.")
@click.password_option(envvar="QUEQIAO_ADMIN_PASSWORD", help="Asked for when not given.")
def create_admin(phone: str, password: str) -> None:
    """Create an administrator account."""
    try:
        normalised = normalise_mobile(phone)
    except InvalidPhone as error:
        message = f"not a mainland mobile number ({error})"
        raise click.BadParameter(message, param_hint="--phone") from None
    try:
        user = operations.create_user(normalised, password, Role.admin, AccountState.member)
    except operations.AccountError as error:
        raise click.ClickException(str(ACCOUNT_MESSAGES[error.reason])) from None
    db.session.commit()
    click.echo(f"Administrator {user.masked_phone} created (id {user.id}).")


@demo_cli.command("seed")
def seed() -> None:
    """Fill the database with demo users of every role and state (idempotent)."""
    results = demo.seed()
    db.session.commit()
    click.echo(f"Demo accounts (password for all: {demo.DEMO_PASSWORD}):")
    for user, is_new in results:
        mark = "new " if is_new else "kept"
        click.echo(f"  [{mark}] {user.phone.removeprefix('+86')}  {user.note}")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
