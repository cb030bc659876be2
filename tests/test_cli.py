"""Commands: ``flask users create-admin`` and ``flask demo seed``."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import app as app_package
from app import create_app, demo
from app.accounts import passwords
from app.accounts.models import AccountState, Role, User
from app.demo import is_synthetic_phone
from app.extensions import db
from app.quickmatch.demo import SYNTHETIC_MEMBERS
from tests.factories import make_user
from tests.test_config import PRODUCTION, SETTINGS

ADMIN_PASSWORD = "Harbour-kite-lantern-88"


@pytest.fixture(autouse=True)
def no_password_in_environment(monkeypatch):
    monkeypatch.delenv("QUEQIAO_ADMIN_PASSWORD", raising=False)


def users(app) -> list[User]:
    with app.app_context():
        found = list(db.session.scalars(select(User).order_by(User.phone)))
        db.session.expunge_all()
        return found


def create_admin(runner, phone: str = "13700000000", password: str = ADMIN_PASSWORD, confirm=None):
    confirm = password if confirm is None else confirm
    return runner.invoke(
        args=["users", "create-admin", "--phone", phone], input=f"{password}\n{confirm}\n"
    )


def test_create_admin(app, runner):
    result = create_admin(runner)
    assert result.exit_code == 0, result.output
    assert "137****0000" in result.output
    assert ADMIN_PASSWORD not in result.output  # the prompt does not echo
    [admin] = users(app)
    assert admin.phone == "+8613700000000"
    assert admin.role is Role.admin
    assert admin.state is AccountState.member
    assert passwords.verify_password(admin.password_hash, ADMIN_PASSWORD)


def test_created_admin_can_sign_in(app, runner, client):
    create_admin(runner, "137 0000 0000")
    response = client.post(
        "/account/signin", data={"phone": "13700000000", "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 302
    assert "管理员" in client.get("/").get_data(as_text=True)


def test_create_admin_password_from_the_environment(app, runner, monkeypatch):
    monkeypatch.setenv("QUEQIAO_ADMIN_PASSWORD", ADMIN_PASSWORD)
    result = runner.invoke(args=["users", "create-admin", "--phone", "13700000000"])
    assert result.exit_code == 0, result.output
    [admin] = users(app)
    assert passwords.verify_password(admin.password_hash, ADMIN_PASSWORD)


@pytest.mark.parametrize("phone", ["12345", "+1 415 555 2671", "0571-88888888", "abc"])
def test_create_admin_refuses_a_bad_phone(app, runner, phone):
    result = create_admin(runner, phone)
    assert result.exit_code != 0
    assert "--phone" in result.output
    assert users(app) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "至少 8 个字符"),
        ("password123", "太容易被猜到"),
        ("Kite-13700000000", "密码中不能包含手机号码"),
    ],
)
def test_create_admin_refuses_a_weak_password(app, runner, password, message):
    result = create_admin(runner, password=password)
    assert result.exit_code == 1
    assert message in result.output
    assert users(app) == []


def test_create_admin_refuses_mismatched_confirmation(app, runner):
    result = create_admin(runner, confirm="Something-else-entirely-9")
    assert result.exit_code != 0
    assert users(app) == []


def test_create_admin_refuses_a_duplicate(app, runner):
    assert create_admin(runner).exit_code == 0
    result = create_admin(runner, "+86 137 0000 0000", password="Another-strong-pass-77")
    assert result.exit_code == 1
    assert "该手机号已注册" in result.output
    [admin] = users(app)
    assert passwords.verify_password(admin.password_hash, ADMIN_PASSWORD)


def test_create_admin_refuses_an_existing_member_number(app, runner):
    make_user(app, phone="+8613700000000")
    result = create_admin(runner)
    assert result.exit_code == 1
    [user] = users(app)
    assert user.role is Role.member


@pytest.fixture
def seeded(demo_app_factory, demo_template):
    """This test's copy of the demo, seeded once per worker, and what the seeding printed."""
    # Ten demo users sign in from one address; the default limit is ten a minute.
    app = demo_app_factory(RATELIMIT_SIGNIN="100 per minute")
    assert demo_template.result.exit_code == 0, demo_template.result.output
    return app, demo_template.result


def named_users(app) -> list[User]:
    """The demo accounts of DEMO_USERS, without quick match's synthetic members (see
    tests/test_quickmatch_demo.py)."""
    return [user for user in users(app) if not is_synthetic_phone(user.phone)]


def test_demo_seed_refuses_to_run_in_production(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(app_package, "load_dotenv", lambda **_kwargs: False)
    monkeypatch.setenv("QUEQIAO_ENV", "production")
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    production = create_app()
    result = production.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 1
    # A clear refusal before any database work (this app's database does not exist).
    assert "Refusing to add demo data in production (QUEQIAO_ENV=production)" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with production.app_context(), pytest.raises(demo.DemoRefused):
        demo.seed_features()


def test_demo_seed_creates_every_role_and_state(seeded):
    app, result = seeded
    created = named_users(app)
    assert {user.role for user in created} == set(Role)
    # Every state but "deleted": a deleted account is anonymised, nothing to show.
    assert {user.state for user in created} == set(AccountState) - {AccountState.deleted}
    assert {user.phone for user in created} == {entry.phone for entry in demo.DEMO_USERS}
    for entry in demo.DEMO_USERS:
        user = next(user for user in created if user.phone == entry.phone)
        assert (user.role, user.state) == (entry.role, entry.state)
    assert demo.DEMO_PASSWORD in result.output
    assert result.output.count("[new ]") == len(demo.DEMO_USERS)


def test_demo_seed_twice_creates_no_duplicates(seeded):
    app, _ = seeded
    before = {(user.phone, user.password_hash) for user in users(app)}
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert result.output.count("[kept]") == len(demo.DEMO_USERS)
    assert "[new ]" not in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == len(demo.DEMO_USERS) + (
            SYNTHETIC_MEMBERS
        )
    assert {(user.phone, user.password_hash) for user in users(app)} == before


def test_demo_seed_adds_only_what_is_missing(seeded):
    app, _ = seeded
    missing = next(e.phone for e in demo.DEMO_USERS if e.identity is None and e.role is Role.member)
    with app.app_context():
        db.session.delete(db.session.scalar(select(User).where(User.phone == missing)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.output.count("[new ]") == 1
    assert len(named_users(app)) == len(demo.DEMO_USERS)
    assert len(users(app)) == len(demo.DEMO_USERS) + SYNTHETIC_MEMBERS


def test_every_demo_user_can_sign_in(seeded):
    app, _ = seeded
    for entry in demo.DEMO_USERS:
        client = app.test_client()
        response = client.post(
            "/account/signin",
            data={"phone": entry.phone.removeprefix("+86"), "password": demo.DEMO_PASSWORD},
        )
        if entry.state is AccountState.suspended:
            assert response.status_code == 403, entry
            assert "该账号已被暂停使用" in response.get_data(as_text=True)
            assert client.get("/account/password").status_code == 302
        else:
            assert response.status_code == 302, entry
            assert client.get("/account/password").status_code == 200
