"""Web plumbing: security headers, error pages, health, language, CSRF and rate limits."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from flask import abort
from limits import parse_many
from sqlalchemy import func, select

from app.accounts.models import SmsCode, User
from app.extensions import db
from tests.factories import PASSWORD, login_as, make_user

PHONE = "13912345678"
E164 = "+8613912345678"
GOOD_PASSWORD = "Lotus-harbour-2031"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def last_code(app) -> str:
    return re.search(r"\d{6}", app.extensions["sms_sender"].outbox[-1][1]).group(0)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def assert_site_page(page: str) -> None:
    """The page is rendered in the site's layout, in Chinese."""
    assert '<html lang="zh-CN">' in page
    assert 'class="site-header"' in page
    assert 'class="brand"' in page
    assert "鹊桥" in page
    assert re.search(r"/static/css/app\.[0-9a-f]{12}\.css", page)  # fingerprinted
    assert "返回首页" in page


# --- Security headers --------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", ["/", "/account/signin", "/no-such-page"])
def test_security_headers(client, path):
    response = client.get(path)
    csp = csp_directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_scripts_or_handlers(client):
    # With script-src 'self' an inline script would be blocked; make sure none is relied on.
    for path in ["/", "/account/signin", "/account/signup"]:
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
        assert not re.search(r"\son[a-z]+\s*=", page)


def test_session_cookie_is_http_only_and_same_site(client):
    response = client.get("/account/signin")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


# --- Error pages -------------------------------------------------------------------------


def test_a_second_app_does_not_change_the_first_ones_security_headers(app_factory):
    """Each app has its own Talisman: one built with FORCE_HTTPS in the same process
    (a test, a worker) must not make the first redirect to HTTPS."""
    first = app_factory()
    app_factory(FORCE_HTTPS=True)
    response = first.test_client().get("/")
    assert response.status_code == 200
    assert response.headers.get("Location") is None


def test_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert_site_page(page)
    assert "页面不存在" in page


def test_405_page(client):
    response = client.get("/account/signout")
    assert response.status_code == 405
    page = response.get_data(as_text=True)
    assert_site_page(page)
    assert "此页面不支持该操作方式" in page


def test_413_page_for_a_body_over_the_content_limit(app, client):
    body = "1" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/account/signin", data={"phone": body, "password": "x"})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert_site_page(page)
    assert "内容过大" in page


def test_413_page_for_a_form_field_over_the_memory_limit(app, client):
    # Werkzeug applies the form memory limit to multipart fields only.
    body = "1" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)
    response = client.post(
        "/account/signup", data={"phone": body}, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert "内容过大" in response.get_data(as_text=True)
    assert count(app, SmsCode) == 0


def test_500_page(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert_site_page(page)
    assert "出错了" in page
    assert "这是我们的问题" in page
    assert "secret internal detail" not in page
    assert "Traceback" not in page


def test_403_page(app_factory):
    app = app_factory()
    app.add_url_rule("/forbidden", "forbidden", lambda: abort(403))
    response = app.test_client().get("/forbidden")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert_site_page(page)
    assert "你的账号无权打开此页面" in page


def test_error_page_follows_the_chosen_language(client):
    client.set_cookie("lang", "en")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Page not found" in page


# --- Health ------------------------------------------------------------------------------


def test_health_without_a_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "broker": "in-process"}


def test_health_with_an_unreachable_broker(app_factory):
    app_factory()  # the fixture cleans up through the first app; keep that one healthy
    app = app_factory(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    started = time.monotonic()
    response = app.test_client().get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
    }
    assert elapsed < 6


def test_health_with_an_unreachable_database(app_factory):
    app_factory()  # the fixture cleans up through the first app; keep that one healthy
    app = app_factory(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-dir/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["database"] == "unreachable"
    assert body["broker"] == "in-process"


# --- Language ----------------------------------------------------------------------------


def test_default_language_is_chinese(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "遇见真实的 TA" in page
    assert "Meet someone real" not in page


def test_switching_to_english(client):
    response = client.post("/language", data={"lang": "en", "next": "/account/signin"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/signin"
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "en"
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Meet someone real" in page
    assert "遇见真实的 TA" not in page
    response = client.post("/language", data={"lang": "zh_CN"})
    assert response.headers["Location"] == "/"
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("data", [{"lang": "fr"}, {"lang": ""}, {}, {"lang": "EN"}])
def test_invalid_language_is_refused(client, data):
    response = client.post("/language", data=data)
    assert response.status_code == 400
    assert "请求内容有误" in response.get_data(as_text=True)
    assert client.get_cookie("lang") is None
    assert "lang=" not in "; ".join(response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"]
)
def test_language_switch_ignores_an_off_site_next(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get_cookie("lang").value == "en"


def test_language_switch_is_remembered_for_a_signed_in_user(app, client):
    user = login_as(app, client)
    client.post("/language", data={"lang": "en"})
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"
    # Another device without the cookie gets English from the account.
    other = app.test_client()
    other.post("/account/signin", data={"phone": user.phone, "password": PASSWORD})
    assert other.get_cookie("lang") is None
    assert '<html lang="en">' in other.get("/").get_data(as_text=True)


def test_anonymous_language_switch_writes_no_user(app, client):
    user = make_user(app)
    client.post("/language", data={"lang": "en"})
    with app.app_context():
        assert db.session.get(User, user.id).locale is None


# --- CSRF --------------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


@pytest.fixture
def csrf_app(app_factory):
    return app_factory(WTF_CSRF_ENABLED=True)


def assert_csrf_refused(response) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert_site_page(page)
    assert "表单已过期" in page
    # Nothing is set (deleting an absent remember-me cookie changes nothing).
    assert not any(
        re.match(r"(lang|remember_token)=[^;]", cookie)
        for cookie in response.headers.getlist("Set-Cookie")
    )


def csrf_sign_in(client, phone: str) -> None:
    token = csrf_token(client, "/account/signin")
    response = client.post(
        "/account/signin", data={"phone": phone, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_csrf_signup_without_token(csrf_app):
    client = csrf_app.test_client()
    client.get("/account/signup")
    assert_csrf_refused(client.post("/account/signup", data={"phone": PHONE}))
    assert count(csrf_app, SmsCode) == 0
    assert csrf_app.extensions["sms_sender"].outbox == []


def test_csrf_signup_with_a_token_from_another_session(csrf_app):
    token = csrf_token(csrf_app.test_client(), "/account/signup")
    client = csrf_app.test_client()
    client.get("/account/signup")
    response = client.post("/account/signup", data={"phone": PHONE, "csrf_token": token})
    assert_csrf_refused(response)
    assert count(csrf_app, SmsCode) == 0


def test_csrf_signup_with_a_valid_token_sends_the_code(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token(client, "/account/signup")
    response = client.post("/account/signup", data={"phone": PHONE, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/signup/verify"
    assert count(csrf_app, SmsCode) == 1
    assert csrf_app.extensions["sms_sender"].outbox[-1][0] == E164


def test_csrf_signup_verify_without_token(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token(client, "/account/signup")
    client.post("/account/signup", data={"phone": PHONE, "csrf_token": token})
    data = {
        "code": last_code(csrf_app),
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "agree": "y",
    }
    assert_csrf_refused(client.post("/account/signup/verify", data=data))
    assert count(csrf_app, User) == 0
    with csrf_app.app_context():
        assert db.session.scalar(select(SmsCode)).consumed_at is None
    # With the token from the page the same data creates the account.
    data["csrf_token"] = csrf_token(client, "/account/signup/verify")
    assert client.post("/account/signup/verify", data=data).status_code == 302
    assert count(csrf_app, User) == 1


def test_csrf_signup_resend_without_token(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token(client, "/account/signup")
    client.post("/account/signup", data={"phone": PHONE, "csrf_token": token})
    assert_csrf_refused(client.post("/account/signup/resend"))
    assert count(csrf_app, SmsCode) == 1
    assert len(csrf_app.extensions["sms_sender"].outbox) == 1


def test_csrf_signin_without_token(csrf_app):
    user = make_user(csrf_app, phone=E164)
    client = csrf_app.test_client()
    client.get("/account/signin")
    response = client.post(
        "/account/signin", data={"phone": PHONE, "password": PASSWORD, "remember": "y"}
    )
    assert_csrf_refused(response)
    assert client.get("/account/password").status_code == 302  # not signed in
    with csrf_app.app_context():
        assert db.session.get(User, user.id).last_login_at is None


def test_csrf_signout_without_token(csrf_app):
    make_user(csrf_app, phone=E164)
    client = csrf_app.test_client()
    csrf_sign_in(client, E164)
    assert_csrf_refused(client.post("/account/signout"))
    assert client.get("/account/password").status_code == 200  # still signed in


def test_csrf_password_change_without_token(csrf_app):
    user = make_user(csrf_app, phone=E164)
    client = csrf_app.test_client()
    csrf_sign_in(client, E164)
    data = {
        "current": PASSWORD,
        "password": "Walnut-lantern-4417",
        "confirm": "Walnut-lantern-4417",
    }
    assert_csrf_refused(client.post("/account/password", data=data))
    with csrf_app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.password_hash == user.password_hash
        assert stored.session_token == user.session_token
    assert client.get("/account/password").status_code == 200


def test_csrf_language_without_token(csrf_app):
    user = make_user(csrf_app, phone=E164)
    client = csrf_app.test_client()
    csrf_sign_in(client, E164)
    assert_csrf_refused(client.post("/language", data={"lang": "en"}))
    assert client.get_cookie("lang") is None
    with csrf_app.app_context():
        assert db.session.get(User, user.id).locale is None
    # The footer form carries a token that works.
    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": "en", "csrf_token": token})
    assert response.status_code == 302
    assert client.get_cookie("lang").value == "en"


# --- Rate limits -------------------------------------------------------------------------


def first_limit(setting: str) -> int:
    """How many requests in a quick burst the limit lets through (the tightest amount)."""
    return min(item.amount for item in parse_many(setting))


def from_address(number: int) -> dict:
    return {"REMOTE_ADDR": f"10.0.{number // 250}.{number % 250 + 1}"}


def test_rate_limit_settings_are_what_the_tests_assume(app):
    assert first_limit(app.config["RATELIMIT_SIGNIN"]) == 10
    assert first_limit(app.config["RATELIMIT_SEND_CODE"]) == 3
    assert first_limit(app.config["RATELIMIT_CODE_GUESSES"]) == 10
    assert app.config["RATELIMIT_ENABLED"] is True


def test_sign_in_attempts_are_limited_with_the_default_setting(app, client):
    make_user(app, phone=E164)
    allowed = first_limit(app.config["RATELIMIT_SIGNIN"])
    for attempt in range(allowed):  # other numbers: this is the per-address limit
        other_phone = f"1380000{attempt:04d}"
        response = client.post("/account/signin", data={"phone": other_phone, "password": "x"})
        assert response.status_code == 401
    response = client.post("/account/signin", data={"phone": PHONE, "password": PASSWORD})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert_site_page(page)
    assert "尝试次数过多" in page
    assert "Retry-After" in response.headers
    assert client.get("/account/password").status_code == 302  # the right password did not help
    # Reading the form is not limited; another address is not affected.
    assert client.get("/account/signin").status_code == 200
    other = app.test_client()
    response = other.post(
        "/account/signin",
        data={"phone": PHONE, "password": PASSWORD},
        environ_overrides=from_address(1),
    )
    assert response.status_code == 302


def test_sign_in_limit_follows_the_setting(app_factory):
    app = app_factory(RATELIMIT_SIGNIN="3 per minute")
    make_user(app, phone=E164)
    client = app.test_client()
    statuses = [
        client.post("/account/signin", data={"phone": PHONE, "password": "Wrong-1x"}).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_codes_to_one_number_are_limited_across_addresses(app_factory):
    app = app_factory(SMS_CODE_RESEND_AFTER=timedelta(0))
    outbox = app.extensions["sms_sender"].outbox
    allowed = first_limit(app.config["RATELIMIT_SEND_CODE"])
    for attempt in range(allowed):
        client = app.test_client()
        response = client.post(
            "/account/signup", data={"phone": PHONE}, environ_overrides=from_address(attempt)
        )
        assert response.status_code == 302
    assert len(outbox) == allowed
    response = app.test_client().post(
        "/account/signup", data={"phone": PHONE}, environ_overrides=from_address(99)
    )
    assert response.status_code == 429
    assert "尝试次数过多" in response.get_data(as_text=True)
    assert len(outbox) == allowed
    assert count(app, SmsCode) == allowed
    # Another number is not affected.
    response = app.test_client().post(
        "/account/signup", data={"phone": "13900001111"}, environ_overrides=from_address(98)
    )
    assert response.status_code == 302
    assert outbox[-1][0] == "+8613900001111"


def test_codes_from_one_address_are_limited(app_factory):
    app = app_factory(RATELIMIT_SEND_CODE="2 per minute")
    outbox = app.extensions["sms_sender"].outbox
    client = app.test_client()
    for number in ["13900001111", "13900002222"]:
        assert client.post("/account/signup", data={"phone": number}).status_code == 302
    response = client.post("/account/signup", data={"phone": "13900003333"})
    assert response.status_code == 429
    assert len(outbox) == 2


def test_resending_is_limited_per_number_in_the_session(app_factory):
    app = app_factory(RATELIMIT_SEND_CODE="2 per minute", SMS_CODE_RESEND_AFTER=timedelta(0))
    outbox = app.extensions["sms_sender"].outbox
    client = app.test_client()
    assert client.post("/account/signup", data={"phone": PHONE}).status_code == 302
    statuses = [
        client.post(
            "/account/signup/resend",
            data={"phone": f"1390000{attempt:04d}"},  # must not pick another limit
            environ_overrides=from_address(attempt),
        ).status_code
        for attempt in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(outbox) == 3
    assert {phone for phone, _text in outbox} == {E164}


def guess(client, code: str, attempt: int, **extra):
    data = {"code": code, "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "agree": "y"}
    data.update(extra)
    return client.post("/account/signup/verify", data=data, environ_overrides=from_address(attempt))


def test_code_guesses_are_limited_with_the_default_setting(app):
    client = app.test_client()
    client.post("/account/signup", data={"phone": PHONE})
    code = last_code(app)
    allowed = first_limit(app.config["RATELIMIT_CODE_GUESSES"])
    for attempt in range(allowed):
        assert guess(client, other_code(code), attempt).status_code == 400
    response = guess(client, code, allowed)  # even the right code, from a fresh address
    assert response.status_code == 429
    assert "尝试次数过多" in response.get_data(as_text=True)
    assert count(app, User) == 0


def test_code_guesses_are_counted_per_number_whatever_the_form_says(app_factory):
    app = app_factory(RATELIMIT_CODE_GUESSES="3 per 15 minutes")
    client = app.test_client()
    client.post("/account/signup", data={"phone": PHONE})
    code = last_code(app)
    for attempt in range(3):
        # A posted phone field must not give each guess a limit of its own.
        response = guess(client, other_code(code), attempt, phone=f"1390000{attempt:04d}")
        assert response.status_code == 400
    response = guess(client, code, 3, phone="13900009999")
    assert response.status_code == 429
    assert count(app, User) == 0


def test_code_guesses_on_one_number_do_not_block_another(app_factory):
    app = app_factory(RATELIMIT_CODE_GUESSES="2 per 15 minutes")
    attacker = app.test_client()
    attacker.post("/account/signup", data={"phone": PHONE})
    attacker_code = last_code(app)
    for attempt in range(2):
        guess(attacker, other_code(attacker_code), attempt)
    assert guess(attacker, attacker_code, 2).status_code == 429
    someone = app.test_client()
    someone.post(
        "/account/signup", data={"phone": "13900001111"}, environ_overrides=from_address(9)
    )
    assert guess(someone, last_code(app), 9).status_code == 302
    assert count(app, User) == 1


def test_limits_can_be_switched_off(app_factory):
    app = app_factory(RATELIMIT_SIGNIN="1 per minute", RATELIMIT_ENABLED=False)
    client = app.test_client()
    for _ in range(3):
        response = client.post("/account/signin", data={"phone": PHONE, "password": "Wrong-1x"})
        assert response.status_code == 401
