"""factory_boy factories for users in each role and state."""

from __future__ import annotations

import factory
from flask import Flask, request
from flask.testing import FlaskClient

from app.accounts import devices, passwords
from app.accounts.models import AccountState, Role, User
from app.db_types import utcnow
from app.extensions import db

PASSWORD = "Lotus-harbour-2031"
_HASH: dict[tuple[int, int, int], str] = {}


def password_hash() -> str:
    """One real Argon2 hash of ``PASSWORD`` under the current app's parameters (the
    test config's are the cheapest), computed once per set of parameters, so signing in
    never upgrades it."""
    key = passwords.parameters()
    if key not in _HASH:
        _HASH[key] = passwords.hash_password(PASSWORD)
    return _HASH[key]


class UserFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    phone = factory.Sequence(lambda n: f"+86139{n:08d}")
    password_hash = factory.LazyFunction(password_hash)
    role = Role.member
    state = AccountState.registered


ROLES: dict[str, dict] = {
    "registered": {"role": Role.member, "state": AccountState.registered},
    "verifying": {"role": Role.member, "state": AccountState.verifying},
    "member": {"role": Role.member, "state": AccountState.member},
    "suspended": {"role": Role.member, "state": AccountState.suspended},
    "matchmaker": {"role": Role.matchmaker, "state": AccountState.member},
    "admin": {"role": Role.admin, "state": AccountState.member},
}


def make_user(app: Flask, kind: str = "registered", **fields: object) -> User:
    with app.app_context():
        user = UserFactory(**{**ROLES[kind], **fields})
        db.session.refresh(user)  # the commit expired it; load the columns before detaching
        db.session.expunge(user)
        return user


def make_member(app: Flask, seed: int = 7) -> User:
    """A verified member with a profile, in one line: an approved case with its verified
    education, and a member profile, from one synthetic person (``seed`` picks who)."""
    from tests.quickmatch_helpers import add_members, population  # it imports this module

    person = next(p for p in population(20, seed=seed) if p.education)
    [user_id] = add_members(app, [person])
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def login_as(app: Flask, client: FlaskClient, kind: str = "registered") -> User:
    """Create a user of ``kind`` and sign in through the real sign-in form."""
    user = make_user(app, kind)
    response = client.post(
        "/account/signin",
        data={"phone": user.phone, "password": PASSWORD},
    )
    assert response.status_code == 302, response.status_code
    return user


def sign_in_through_session(app: Flask, client: FlaskClient, user: User) -> None:
    """Sign ``user`` in on ``client`` as the sign-in form does, without the form.

    The device session comes from the real operation and the login id goes into the
    session cookie where ``flask_login.login_user`` keeps it (``_user_id``, ``_fresh``,
    ``_id`` for this client's address and browser), so every later request loads the
    user through the real user loader. For tables that sign in hundreds of times; the
    sign-in tests themselves use the form (``login_as``).
    """
    with app.test_request_context(environ_base=client.environ_base):
        stored = db.session.get(User, user.id)
        token = devices.start(stored, request.headers.get("User-Agent", ""))
        stored.last_login_at = utcnow()  # as a sign-in with the password does
        db.session.commit()
        stored.device_token = token
        login_id = stored.get_id()
        identifier = app.login_manager._session_identifier_generator()
    with client.session_transaction() as session:
        session["_user_id"] = login_id
        session["_fresh"] = True
        session["_id"] = identifier


def login_through_session_as(app: Flask, client: FlaskClient, kind: str = "registered") -> User:
    """Create a user of ``kind`` and sign in through the session (see above)."""
    user = make_user(app, kind)
    sign_in_through_session(app, client, user)
    return user
