"""The member gate: every route guarded by ``member_required`` turns away visitors and
signed-in non-members, and lets members through; the verified facts page behind it."""

from __future__ import annotations

from datetime import date
from functools import wraps

import pytest
from flask import Flask
from werkzeug.routing import Rule

from app import auth
from app.accounts.models import AccountState, User
from app.auth import GUARDED_VIEWS, guarded_endpoints
from app.extensions import db
from tests.applicants import apply
from tests.factories import login_as

NON_MEMBERS = ["anonymous", "registered", "verifying", "suspended_after_sign_in"]
MEMBERS = ["member", "matchmaker", "admin"]


def guarded_rules(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) whose view passes the member gate."""
    endpoints = guarded_endpoints(app)
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint in endpoints
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def path_of(rule: Rule) -> str:
    """A path for ``rule``, any arguments filled with made-up values: the gate answers
    before the view looks at them."""
    return rule.build(dict.fromkeys(rule.arguments, 1), append_unknown=False)[1]


def sign_in(app: Flask, client, who: str) -> None:
    if who == "anonymous":
        return
    if who == "suspended_after_sign_in":
        user = login_as(app, client, "member")
        with app.app_context():
            db.session.get(User, user.id).state = AccountState.suspended
            db.session.commit()
        return
    login_as(app, client, who)


def test_the_registry_is_not_empty_and_includes_the_verified_facts(app):
    assert GUARDED_VIEWS
    endpoints = guarded_endpoints(app)
    assert "verify.facts" in endpoints
    assert all(endpoint not in endpoints for endpoint in ("verify.apply", "verify.index"))
    assert guarded_rules(app)


@pytest.mark.parametrize("who", NON_MEMBERS)
def test_every_member_route_turns_away_non_members(app, client, who):
    client.set_cookie("lang", "en")
    sign_in(app, client, who)
    for rule, method in guarded_rules(app):
        path = path_of(rule)
        response = client.open(path, method=method)
        where = f"{method} {path} as {who}"
        if who in ("anonymous", "suspended_after_sign_in"):
            assert response.status_code == 302, where
            assert response.headers["Location"].startswith("/account/signin?next="), where
        else:
            assert response.status_code == 403, where
            page = response.get_data(as_text=True)
            assert "For verified members" in page, where
            assert 'href="/verify/"' in page, where


@pytest.mark.parametrize("who", MEMBERS)
def test_members_pass_the_gate(app, client, who):
    sign_in(app, client, who)
    for rule, method in guarded_rules(app):
        response = client.open(path_of(rule), method=method)
        if rule.arguments or method == "POST":
            # Made-up arguments, or an empty form: the view itself may refuse them (404,
            # 400), but the gate let the member through.
            assert response.status_code not in (302, 401, 403), rule.rule
            assert response.status_code != 500, rule.rule
        else:
            assert response.status_code == 200, rule.rule


def test_the_gate_is_found_under_other_decorators(monkeypatch):
    monkeypatch.setattr(auth, "GUARDED_VIEWS", list(GUARDED_VIEWS))

    def outer(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        return wrapper

    probe = Flask("probe")
    probe.add_url_rule("/probe", "probe", outer(auth.member_required(lambda: "ok")))
    probe.add_url_rule("/open", "open", outer(lambda: "ok"))
    assert guarded_endpoints(probe) == {"probe"}


def test_the_verified_facts_page_shows_each_departments_badge(app, client):
    client.set_cookie("lang", "en")
    login_as(app, client)
    apply(client)  # an ordinary number: all six departments pass
    response = client.get("/verify/facts")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for department in (
        "public_security",
        "civil_affairs",
        "education",
        "hr_social_security",
        "justice",
        "development_reform",
    ):
        assert f'data-testid="fact-{department}"' in page
    assert "Unmarried" in page
    assert "Employer: " in page
    degrees = ("High school", "Associate degree", "Bachelor", "Master", "Doctorate")
    assert any(degree in page for degree in degrees)
    today = date.today()
    age = today.year - 1995 - ((today.month, today.day) < (6, 12))
    assert f"Age {age}, male" in page  # from the ID number: born 1995-06-12, odd digit 17
    assert page.count("Verified on ") == 6
    assert "valid until" in page


def test_a_member_without_verified_facts_is_told_so(app, client):
    client.set_cookie("lang", "en")
    login_as(app, client, "member")
    page = client.get("/verify/facts").get_data(as_text=True)
    assert "There are no verified facts on your account yet." in page
