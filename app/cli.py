"""Flask commands: ``flask users create-admin``, ``flask demo seed``, ``flask quickmatch
run``.

Database migrations are Flask-Migrate's ``flask db upgrade``.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app import demo
from app.accounts import operations
from app.accounts.forms import ACCOUNT_MESSAGES
from app.accounts.models import AccountState, Role
from app.accounts.phone import InvalidPhone, normalise_mobile
from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demo data for the embedded default.")
identity_cli = AppGroup("identity", help="Protection of real names and ID numbers.")
quickmatch_cli = AppGroup("quickmatch", help="Quick match (每日速配), the daily suggestions.")


@identity_cli.command("rotate-keys")
@click.option("--batch", default=500, show_default=True, help="Rows re-encrypted per commit.")
def rotate_keys(batch: int) -> None:
    """Re-encrypt every stored name and ID number under the newest key.

    Put the new key first in IDENTITY_ENCRYPTION_KEYS, run this, then drop the old key.
    """
    from app.verification import runtime
    from app.verification.models import Case

    protector = runtime.protector()
    done, last_id = 0, 0
    while True:
        cases = db.session.scalars(
            select(Case).where(Case.id > last_id).order_by(Case.id).limit(batch)
        ).all()
        if not cases:
            break
        for case in cases:
            case.name_encrypted = protector.rotate(case.name_encrypted)
            case.id_number_encrypted = protector.rotate(case.id_number_encrypted)
        last_id = cases[-1].id
        db.session.commit()
        done += len(cases)
    click.echo(f"Re-encrypted {done} verification cases under the newest key.")


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
    """Fill the database with demo users of every role and state (idempotent).

    Refused in production: the demo accounts share a published password."""
    try:
        results = demo.seed()
    except demo.DemoRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    reported = demo.seed_features()
    click.echo(f"Demo accounts (password for all: {demo.DEMO_PASSWORD}):")
    for user, is_new in results:
        mark = "new " if is_new else "kept"
        click.echo(f"  [{mark}] {user.phone.removeprefix('+86')}  {user.note}")
    for line in reported:
        click.echo(line)


@quickmatch_cli.command("run")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to suggest for, YYYY-MM-DD (default: today in QUICKMATCH_TIMEZONE).",
)
def quickmatch_run(day: datetime | None) -> None:
    """Write the day's suggestions for every verified member without a list yet, in
    this process (as the nightly task does; the shards run one after another)."""
    from app.quickmatch import service
    from app.quickmatch.settings import Settings

    settings = Settings.current()
    the_day = day.date() if day else settings.today()
    label = f"Quick match for {the_day.isoformat()}"
    with click.progressbar(length=service.phases(settings.shards), label=label) as bar:
        summary = service.run(the_day, settings, progress=lambda _phase: bar.update(1))
    db.session.commit()
    for line in service.summary_lines(summary):
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(identity_cli)
    app.cli.add_command(quickmatch_cli)
