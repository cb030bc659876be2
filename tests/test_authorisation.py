"""Who may open what: every route and method, for every kind of visitor.

The table must list every (endpoint, method) of the application, so a new route
without an entry fails the suite. Flask's automatic HEAD and OPTIONS are left out;
every other method counts. The cells sign in through the session (a real device session,
the login id where Flask-Login keeps it); the sign-in form has its own tests.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import AccountState, User
from app.extensions import db
from tests.authz import (
    AUTOMATIC_METHODS,
    HOME,
    ROLES,
    SIGN_IN_FOR_PASSWORD,
    SIGNED_IN,
    Case,
    administrators_only,
    anonymous_and_signed_in,
    everyone,
    feature_tables,
)
from tests.factories import PASSWORD, login_as, login_through_session_as

TABLE: dict[tuple[str, str], Case] = {
    ("main.home", "GET"): Case("/", everyone(200)),
    ("main.healthz", "GET"): Case("/healthz", everyone(200)),
    ("main.live", "GET"): Case("/healthz/live", everyone(200)),
    ("main.ready", "GET"): Case("/healthz/ready", everyone(200)),
    ("main.language", "POST"): Case("/language", everyone(HOME), data={"lang": "en"}),
    ("main.terms", "GET"): Case("/terms", everyone(200)),
    ("main.privacy_policy", "GET"): Case("/privacy-policy", everyone(200)),
    ("accounts.signup", "GET"): Case("/account/signup", anonymous_and_signed_in(200, HOME)),
    ("accounts.signup", "POST"): Case(
        "/account/signup",
        anonymous_and_signed_in((302, "/account/signup/verify"), HOME),
        data={"phone": "13900009999"},
    ),
    # Without a number from step one there is nothing to resend or verify.
    ("accounts.signup_resend", "POST"): Case(
        "/account/signup/resend", everyone((302, "/account/signup"))
    ),
    ("accounts.signup_verify", "GET"): Case(
        "/account/signup/verify", anonymous_and_signed_in((302, "/account/signup"), HOME)
    ),
    ("accounts.signup_verify", "POST"): Case(
        "/account/signup/verify",
        anonymous_and_signed_in((302, "/account/signup"), HOME),
        data={"code": "123456", "password": "Lotus-harbour-2031", "confirm": "Lotus-harbour-2031"},
    ),
    ("accounts.signin", "GET"): Case("/account/signin", anonymous_and_signed_in(200, HOME)),
    ("accounts.signin", "POST"): Case(
        "/account/signin",
        anonymous_and_signed_in(401, HOME),
        data={"phone": "13900009999", "password": "Not-the-password-1"},
    ),
    ("accounts.signout", "POST"): Case("/account/signout", everyone(HOME)),
    ("accounts.signout_everywhere", "POST"): Case(
        "/account/signout/everywhere",
        anonymous_and_signed_in(
            (302, "/account/signin?next=%2Faccount%2Fsignout%2Feverywhere"), HOME
        ),
    ),
    ("accounts.index", "GET"): Case(
        "/account/", anonymous_and_signed_in((302, "/account/signin?next=%2Faccount%2F"), 200)
    ),
    # 我的 (Me): every signed-in user has one (each sees the entries their account allows).
    ("main.me", "GET"): Case(
        "/me", anonymous_and_signed_in((302, "/account/signin?next=%2Fme"), 200)
    ),
    # Sign-in with an SMS code; without a number from step one there is nothing to check.
    ("accounts.signin_code", "GET"): Case(
        "/account/signin/code", anonymous_and_signed_in(200, HOME)
    ),
    ("accounts.signin_code", "POST"): Case(
        "/account/signin/code",
        anonymous_and_signed_in((302, "/account/signin/code/verify"), HOME),
        data={"phone": "13900009999"},
    ),
    ("accounts.signin_code_verify", "GET"): Case(
        "/account/signin/code/verify", anonymous_and_signed_in((302, "/account/signin/code"), HOME)
    ),
    ("accounts.signin_code_verify", "POST"): Case(
        "/account/signin/code/verify",
        anonymous_and_signed_in((302, "/account/signin/code"), HOME),
        data={"code": "123456"},
    ),
    ("accounts.password", "GET"): Case(
        "/account/password", anonymous_and_signed_in(SIGN_IN_FOR_PASSWORD, 200)
    ),
    ("accounts.password", "POST"): Case(
        "/account/password", anonymous_and_signed_in(SIGN_IN_FOR_PASSWORD, 400)
    ),
    # The applicant's verification; members have nothing to apply for, and there is no
    # case 1 in this table's database. "verifying" here has no open case.
    ("verify.index", "GET"): Case(
        "/verify/", anonymous_and_signed_in((302, "/account/signin?next=%2Fverify%2F"), 200)
    ),
    ("verify.apply", "GET"): Case(
        "/verify/apply",
        {
            **anonymous_and_signed_in((302, "/account/signin?next=%2Fverify%2Fapply"), 200),
            **dict.fromkeys(["member", "matchmaker", "admin"], (302, "/verify/")),
        },
    ),
    ("verify.apply", "POST"): Case(
        "/verify/apply",
        {
            **anonymous_and_signed_in((302, "/account/signin?next=%2Fverify%2Fapply"), 400),
            **dict.fromkeys(["member", "matchmaker", "admin"], (302, "/verify/")),
        },
    ),
    ("verify.progress", "GET"): Case(
        "/verify/cases/1",
        anonymous_and_signed_in((302, "/account/signin?next=%2Fverify%2Fcases%2F1"), 404),
    ),
    ("verify.status", "GET"): Case(
        "/verify/cases/1/status",
        anonymous_and_signed_in((302, "/account/signin?next=%2Fverify%2Fcases%2F1%2Fstatus"), 404),
    ),
    ("verify.facts", "GET"): Case(
        "/verify/facts",
        {
            **anonymous_and_signed_in((302, "/account/signin?next=%2Fverify%2Ffacts"), 200),
            **dict.fromkeys(["registered", "verifying"], 403),
        },
    ),
    ("notifications.index", "GET"): Case(
        "/notifications",
        anonymous_and_signed_in((302, "/account/signin?next=%2Fnotifications"), 200),
    ),
    ("notifications.read", "POST"): Case(
        "/notifications/read",
        anonymous_and_signed_in(
            (302, "/account/signin?next=%2Fnotifications%2Fread"), (302, "/notifications")
        ),
    ),
    # The administrators' console; there is no case 1 in this table's database.
    ("review.index", "GET"): Case(
        "/admin/", administrators_only("/admin/", (302, "/admin/reviews"))
    ),
    ("review.queue", "GET"): Case("/admin/reviews", administrators_only("/admin/reviews", 200)),
    ("review.case", "GET"): Case("/admin/cases/1", administrators_only("/admin/cases/1", 404)),
    ("review.decide", "POST"): Case(
        "/admin/cases/1/decision",
        administrators_only("/admin/cases/1/decision", 404),
        data={"decision": "approve", "reason": "Checked the papers in person"},
    ),
    ("review.audit_log", "GET"): Case("/admin/audit", administrators_only("/admin/audit", 200)),
    ("review.departments", "GET"): Case(
        "/admin/departments", administrators_only("/admin/departments", 200)
    ),
}

# Each feature's entries live in its own module under tests/authz/.
for _endpoint_method, _case in feature_tables().items():
    assert _endpoint_method not in TABLE, _endpoint_method
    TABLE[_endpoint_method] = _case

CELLS = [(endpoint, method, role) for (endpoint, method) in TABLE for role in ROLES]


def routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - AUTOMATIC_METHODS
    }


def test_the_table_covers_exactly_the_routes_of_the_app(app):
    in_app = routes(app)
    assert sorted(in_app - set(TABLE)) == [], "routes without an entry in the table"
    assert sorted(set(TABLE) - in_app) == [], "entries for routes that do not exist"


def test_every_entry_has_an_outcome_for_every_role():
    for key, case in TABLE.items():
        assert set(case.expected) == set(ROLES), key


@pytest.mark.parametrize(("endpoint", "method"), list(TABLE))
def test_every_entry_path_reaches_its_endpoint(app, endpoint, method):
    adapter = app.url_map.bind("localhost")
    assert adapter.match(TABLE[(endpoint, method)].path, method=method)[0] == endpoint


@pytest.mark.parametrize(
    ("endpoint", "method", "role"), CELLS, ids=[f"{e}-{m}-{r}" for e, m, r in CELLS]
)
def test_access(app, client, endpoint, method, role):
    case = TABLE[(endpoint, method)]
    if role != "anonymous":  # through the session: the sign-in form has its own tests
        login_through_session_as(app, client, role)
    response = client.open(case.path, method=method, data=case.data)
    expected = case.expected[role]
    status, location = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status
    if location is not None:
        assert response.headers["Location"] == location


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("path", ["/account/signin", "/account/signup"])
def test_signed_in_users_are_sent_home_from_sign_in_and_sign_up(app, client, role, path):
    login_through_session_as(app, client, role)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    # Still signed in afterwards.
    assert client.get("/account/password").status_code == 200


def suspend(app, user: User) -> None:
    with app.app_context():
        db.session.get(User, user.id).state = AccountState.suspended
        db.session.commit()


@pytest.mark.parametrize("role", SIGNED_IN)
def test_a_user_suspended_while_signed_in_is_signed_out_on_the_next_request(app, client, role):
    user = login_through_session_as(app, client, role)
    assert client.get("/account/password").status_code == 200
    suspend(app, user)
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/signin?next=%2Faccount%2Fpassword"
    home = client.get("/").get_data(as_text=True)
    assert user.masked_phone not in home
    assert "遇见真实的 TA" in home  # the page for visitors
    assert client.post("/account/password", data={}).status_code == 302


def test_a_suspended_user_is_not_signed_in_by_the_remember_me_cookie(app, client):
    user = login_as(app, client, "member")
    remembered = app.test_client()
    response = remembered.post(
        "/account/signin", data={"phone": user.phone, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    cookie = remembered.get_cookie("remember_token").value
    suspend(app, user)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", cookie)
    assert fresh.get("/account/password").status_code == 302


def test_suspension_does_not_touch_other_users(app, client):
    user = login_as(app, client, "member")
    other_client = app.test_client()
    other = login_as(app, other_client, "member")
    suspend(app, user)
    assert client.get("/account/password").status_code == 302
    assert other_client.get("/account/password").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User.state).where(User.id == other.id)) is (
            AccountState.member
        )


def test_signing_in_through_the_session_leaves_what_the_sign_in_form_leaves(app):
    """The table's shortcut (``login_through_session_as``) against the real form."""
    form, shortcut = app.test_client(), app.test_client()
    login_as(app, form, "member")
    login_through_session_as(app, shortcut, "member")
    with form.session_transaction() as by_form, shortcut.session_transaction() as by_session:
        assert set(by_session) == set(by_form)
        assert by_session["_id"] == by_form["_id"]
        assert by_session["_fresh"] is by_form["_fresh"] is True
        assert by_session["_user_id"].count(":") == by_form["_user_id"].count(":") == 2
    for client in (form, shortcut):
        assert client.get("/account/password").status_code == 200  # fresh, not re-asked
        assert client.get("/account/signin").headers["Location"] == "/"
