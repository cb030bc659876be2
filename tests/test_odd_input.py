"""Odd input is a clear 4xx, never a 500: NUL bytes, ids no column can hold, and error
pages that render whatever state the failed request left the session in."""

from __future__ import annotations

import io
import json

import pytest
from flask import abort
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.accounts.models import User
from app.consult.models import Consultation
from app.extensions import db
from app.system.guards import ID_MAX, IdConverter
from tests.factories import login_as

NUL_MESSAGE = "The request contains characters we cannot accept"


def consultations(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Consultation.id)))


# --- Text PostgreSQL cannot hold ---------------------------------------------------------


def test_a_nul_byte_in_a_search_is_a_400_with_a_clear_message(app, client):
    login_as(app, client, "matchmaker")
    client.set_cookie("lang", "en")
    response = client.get("/console/introductions/new?q=a%00b")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert NUL_MESSAGE in page
    assert 'class="site-header"' in page and "Sign out" in page  # the signed-in layout


@pytest.mark.parametrize("body", ["a\x00b" * 10, "\x00" + "很好的问题" * 3])
def test_a_nul_byte_in_a_form_field_is_a_400_and_stores_nothing(app, client, body):
    login_as(app, client, "member")
    client.set_cookie("lang", "en")
    response = client.post("/consultations/new", data={"topic": "chatting", "body": body})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)
    assert consultations(app) == 0
    # The same request without the NUL goes through: only the character was refused.
    clean = client.post("/consultations/new", data={"topic": "chatting", "body": "x" * 30})
    assert clean.status_code == 302
    assert consultations(app) == 1


def test_a_nul_byte_in_a_field_name_or_a_file_name_is_refused(app, client):
    login_as(app, client, "member")
    assert client.post("/consultations/new", data={"to\x00pic": "x"}).status_code == 400
    upload = {"photo": (io.BytesIO(b"x"), "a\x00.png")}
    response = client.post("/profile/photos", data=upload, content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize("text", ["a\\u0000b", "\\ud800", "x\\udfff"])
def test_json_bodies_with_nul_or_a_lone_surrogate_are_refused(app, client, text):
    client.set_cookie("lang", "en")
    body = '{"lang": "en", "nested": [{"k": 1}, {"note": "' + text + '"}]}'
    response = client.post("/language", data=body, content_type="application/json")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_ordinary_json_and_unusual_but_storable_text_pass(app, client):
    body = json.dumps({"lang": "en", "note": "😀\u202e\ufeff𠜎"})
    response = client.post("/language", data=body, content_type="application/json")
    assert NUL_MESSAGE not in response.get_data(as_text=True)
    assert client.get("/?q=%F0%9F%98%80%E2%80%AE").status_code == 200


def test_a_nul_byte_in_the_path_is_refused_before_any_lookup(app, client):
    login_as(app, client, "member")
    assert client.get("/profile/photos/a%00b/full.jpg").status_code == 400
    assert client.get("/safety/appeal/x%00y").status_code == 400


def test_refused_input_does_not_count_against_a_rate_limit(app, client):
    # Sign-in is limited per address; refused requests must not use the allowance up.
    for _ in range(12):
        response = client.post("/account/signin", data={"phone": "1\x00", "password": "x"})
        assert response.status_code == 400
    user = login_as(app, client, "member")
    assert user.id


# --- Ids past what a column holds --------------------------------------------------------


@pytest.mark.parametrize("number", [ID_MAX + 1, 2**63, 99999999999999999999, 10**400])
def test_an_id_past_the_id_columns_is_a_404(app, client, number):
    login_as(app, client, "member")
    assert client.get(f"/lounge/{number}").status_code == 404
    assert client.post(f"/lounge/{number}/messages", data={"body": "你好"}).status_code == 404
    assert client.get(f"/events/{number}").status_code == 404


def test_the_largest_id_is_still_routed(app, client):
    login_as(app, client, "member")
    assert client.get(f"/lounge/{ID_MAX}").status_code == 404  # routed, no such match
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/lounge/{ID_MAX}")[1] == {"match_id": ID_MAX}


def test_every_int_segment_of_the_app_has_the_range(app):
    rules = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert rules  # the app has such routes
    for rule in rules:
        for name, converter in rule._converters.items():
            assert isinstance(converter, IdConverter), (rule.rule, name)
            assert converter.max == ID_MAX


# --- Error pages never fail --------------------------------------------------------------


def _broken_session_route(app) -> None:
    """A view that commits (expiring the signed-in user), then fails a flush."""

    def break_the_session():
        db.session.commit()
        taken = db.session.scalars(select(User)).first()
        db.session.add(User(phone=taken.phone, password_hash=taken.password_hash))
        db.session.flush()  # IntegrityError: the session now needs a rollback

    app.add_url_rule("/break", "break_the_session", break_the_session)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_500_page_renders_after_a_failed_flush(app_factory, lang):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)
    _broken_session_route(app)
    client = app.test_client()
    login_as(app, client, "member")
    client.set_cookie("lang", lang)
    response = client.get("/break")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert 'class="site-header"' in page
    assert ("Sign out" if lang == "en" else "退出登录") in page
    assert ("Something went wrong" if lang == "en" else "出错了") in page
    assert client.get("/account/password").status_code == 200  # the next request is fine


def test_the_bare_error_page_when_the_layout_cannot_reach_the_database(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    def database_gone(user):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app.context_processor(lambda: {"may_use_console": database_gone})
    app.add_url_rule("/missing", "missing", lambda: abort(404))
    client = app.test_client()
    login_as(app, client, "member")
    client.set_cookie("lang", "en")
    response = client.get("/missing")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert '<html lang="en">' in page
    assert 'class="site-header"' not in page


CODES = [400, 401, 403, 404, 405, 409, 410, 413, 418, 422, 429, 500, 502, 503]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_error_page_renders_signed_in_in_both_languages(app_factory, lang):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/fail/<int:code>", "fail", lambda code: abort(code))
    client = app.test_client()
    login_as(app, client, "member")
    client.set_cookie("lang", lang)
    for code in CODES:
        response = client.get(f"/fail/{code}")
        assert response.status_code == code
        page = response.get_data(as_text=True)
        assert f'<html lang="{lang.replace("_", "-")}">' in page
        assert 'class="site-header"' in page
        assert f'<p class="error-code">{code}</p>' in page
        assert ("Back to the home page" if lang == "en" else "返回首页") in page


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_refusal_and_the_expired_form_pages_render_in_both_languages(app_factory, lang):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.set_cookie("lang", lang)
    refused = client.get("/?q=%00")
    expired = client.post("/language", data={"lang": "en"})
    for response in (refused, expired):
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert f'<html lang="{lang.replace("_", "-")}">' in page
        assert 'class="site-header"' in page
