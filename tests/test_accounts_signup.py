"""Sign-up with an SMS code: the happy path and every kind of bad input."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import SmsCode, User
from app.db_types import utcnow
from app.extensions import db

PHONE = "13912345678"
E164 = "+8613912345678"
GOOD_PASSWORD = "Lotus-harbour-2031"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def request_code(client, phone: str = PHONE):
    return client.post("/account/signup", data={"phone": phone})


def last_code(outbox) -> str:
    return re.search(r"\d{6}", outbox[-1][1]).group(0)


def finish(client, code: str, password: str = GOOD_PASSWORD, **extra):
    data = {"code": code, "password": password, "confirm": password, "agree": "y"}
    data.update(extra)
    return client.post("/account/signup/verify", data=data)


def test_signup_with_sms_code_creates_a_signed_in_account(app, client, outbox):
    response = request_code(client, "+86 139-1234-5678")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/signup/verify")
    assert outbox[-1][0] == E164
    page = client.get("/account/signup/verify").get_data(as_text=True)
    assert "139****5678" in page
    assert last_code(outbox) in page  # development mode shows the code
    response = finish(client, last_code(outbox))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.phone == E164
        assert user.password_hash.startswith("$argon2id$")
        assert GOOD_PASSWORD not in user.password_hash
    home = client.get("/").get_data(as_text=True)
    assert "139****5678" in home


def test_code_is_not_shown_on_the_page_outside_development(app_factory):
    app = app_factory(SMS_SHOW_CODE_ON_PAGE=False)
    client = app.test_client()
    request_code(client)
    code = last_code(app.extensions["sms_sender"].outbox)
    assert code not in client.get("/account/signup/verify").get_data(as_text=True)


def test_only_a_hash_of_the_code_is_stored(app, client, outbox):
    request_code(client)
    with app.app_context():
        stored = db.session.scalar(select(SmsCode))
        assert last_code(outbox) not in stored.code_hash


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("12345", "以 1 开头的 11 位手机号码"),
        ("1391234567x", "手机号码格式不正确"),
        ("+1 415 555 2671", "仅支持中国大陆手机号码"),
        ("+44 7911 123456", "仅支持中国大陆手机号码"),
        ("0571-88888888", "不支持固定电话"),
        ("", "请输入手机号码"),
        ("1" * 40, "手机号码过长"),
    ],
)
def test_bad_phone_numbers_are_refused_with_a_message(app, client, outbox, phone, message):
    response = request_code(client, phone)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert outbox == []
    assert count(app, SmsCode) == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "至少 8 个字符"),
        ("90817263545", "加入字母或符号"),
        ("password123", "太容易被猜到"),
        ("a13912345678", "不能包含手机号码"),
        ("x" * 129, "最多 128 个字符"),
    ],
)
def test_weak_passwords_are_refused_with_a_message(app, client, outbox, password, message):
    request_code(client)
    response = finish(client, last_code(outbox), password)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, User) == 0


def test_mismatched_confirmation_is_refused(app, client, outbox):
    request_code(client)
    response = finish(client, last_code(outbox), confirm="Something-else-99")
    assert response.status_code == 400
    assert "两次输入的密码不一致" in response.get_data(as_text=True)
    assert count(app, User) == 0


def test_terms_must_be_accepted(app, client, outbox):
    request_code(client)
    data = {"code": last_code(outbox), "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
    response = client.post("/account/signup/verify", data=data)
    assert response.status_code == 400
    assert "请同意服务条款" in response.get_data(as_text=True)
    assert count(app, User) == 0


def test_wrong_code_is_refused_and_writes_nothing(app, client, outbox):
    request_code(client)
    wrong = f"{(int(last_code(outbox)) + 1) % 10**6:06d}"
    response = finish(client, wrong)
    assert response.status_code == 400
    assert "验证码不正确" in response.get_data(as_text=True)
    assert count(app, User) == 0
    with app.app_context():
        assert db.session.scalar(select(SmsCode)).consumed_at is None


@pytest.mark.parametrize("code", ["12345", "abcdef", "1234567", ""])
def test_malformed_code_is_refused(app, client, outbox, code):
    request_code(client)
    response = finish(client, code)
    assert response.status_code == 400
    assert count(app, User) == 0


def test_expired_code_is_refused(app, client, outbox):
    request_code(client)
    with app.app_context():
        stored = db.session.scalar(select(SmsCode))
        stored.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = finish(client, last_code(outbox))
    assert response.status_code == 400
    assert "验证码已过期" in response.get_data(as_text=True)
    assert count(app, User) == 0


def test_a_used_code_cannot_be_used_again(app, client, outbox):
    request_code(client)
    code = last_code(outbox)
    assert finish(client, code).status_code == 302
    other = app.test_client()
    with other.session_transaction() as session:
        session["signup_phone"] = E164
    response = finish(other, code, password="Another-strong-pass-7")
    assert response.status_code == 400
    assert "验证码已使用" in response.get_data(as_text=True)
    assert count(app, User) == 1


def test_an_older_code_stops_working_when_a_new_one_is_sent(app, client, outbox):
    request_code(client)
    first = last_code(outbox)
    with app.app_context():
        stored = db.session.scalar(select(SmsCode))
        stored.created_at -= timedelta(minutes=2)
        db.session.commit()
    assert client.post("/account/signup/resend").status_code == 302
    second = last_code(outbox)
    if first != second:
        response = finish(client, first)
        assert response.status_code == 400
        assert "验证码已使用" in response.get_data(as_text=True)
    assert finish(client, second).status_code == 302


def test_resending_within_a_minute_is_refused(app, client, outbox):
    request_code(client)
    response = client.post("/account/signup/resend")
    assert response.status_code == 429
    assert "一分钟后" in response.get_data(as_text=True)
    assert len(outbox) == 1
    assert count(app, SmsCode) == 1


def page_shape(text: str) -> str:
    """A page without the masked number and the CSRF tokens (which differ per browser)."""
    text = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', text)
    return re.sub(r"\d{3}\*{4}\d{4}", "<phone>", text)


def signup_answers(app, phone: str, address: str) -> list[tuple]:
    """What whoever types ``phone`` sees: step one, the code page, asking again, a
    resend a minute later, and a code tried."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address  # each number its own per-address limit
    seen = []
    for step in ("first", "again", "resend", "verify"):
        if step == "resend":
            with app.app_context():
                for stored in db.session.scalars(select(SmsCode).where(SmsCode.phone == phone)):
                    stored.created_at -= timedelta(minutes=2)
                db.session.commit()
            response = client.post("/account/signup/resend")
        elif step == "verify":
            response = finish(client, "000000")
        else:
            response = request_code(client, phone)
        page = client.get("/account/signup/verify")
        seen.append(
            (
                step,
                response.status_code,
                response.headers.get("Location"),
                page_shape(response.get_data(as_text=True)),
                page.status_code,
                page_shape(page.get_data(as_text=True)),
            )
        )
    return seen


def test_signup_answers_a_registered_or_suspended_number_like_a_new_one(app_factory):
    from tests.factories import make_user

    app = app_factory(SMS_SHOW_CODE_ON_PAGE=False)  # development pages show new codes
    make_user(app, "member", phone="+8613900000001")
    make_user(app, "suspended", phone="+8613900000002")
    registered = signup_answers(app, "+8613900000001", "10.1.0.1")
    suspended = signup_answers(app, "+8613900000002", "10.1.0.2")
    new = signup_answers(app, "+8613900000003", "10.1.0.3")
    assert registered == suspended == new
    statuses = [(step, status, location) for step, status, location, *_ in new]
    assert statuses == [
        ("first", 302, "/account/signup/verify"),
        ("again", 302, "/account/signup/verify"),
        ("resend", 302, "/account/signup/verify"),
        ("verify", 400, None),
    ]
    assert "已注册" not in str(registered)
    assert count(app, User) == 2


def test_the_owner_of_a_registered_number_is_told_by_sms_and_gets_no_code(app, client, outbox):
    from app.accounts.operations import ALREADY_REGISTERED_SMS
    from tests.factories import make_user

    make_user(app, phone=E164)
    response = request_code(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/signup/verify"
    assert outbox == [(E164, ALREADY_REGISTERED_SMS)]
    assert "已经有账号" in ALREADY_REGISTERED_SMS and "短信验证码登录" in ALREADY_REGISTERED_SMS
    assert not re.search(r"\d{4,}", ALREADY_REGISTERED_SMS)  # no code in it
    # The stored row matches no code at all: every code is simply wrong.
    for code in ("000000", "123456", "999999"):
        answer = finish(client, code)
        assert answer.status_code == 400
        assert "验证码不正确" in answer.get_data(as_text=True)
    assert count(app, User) == 1


def test_phone_registered_meanwhile_is_answered_with_sign_in(app, client, outbox):
    from tests.factories import make_user

    client.set_cookie("lang", "en")  # the jar's cookies replace a Cookie header
    request_code(client)
    make_user(app, phone=E164)  # created meanwhile (the same person, another tap)
    response = finish(client, last_code(outbox))
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/signin"
    page = client.get("/account/signin").get_data(as_text=True)
    assert "Your account has already been created" in page
    assert count(app, User) == 1


@pytest.mark.commits  # threads
def test_a_double_tap_on_create_account_makes_one_account_and_no_error(app, outbox):
    """Ten requests with the same code at once (a double tap, a flaky network)."""
    first = app.test_client()
    request_code(first)
    code = last_code(outbox)
    taps = 10
    clients = [app.test_client() for _ in range(taps)]
    for client in clients:
        client.set_cookie("session", first.get_cookie("session").value)
    start = threading.Barrier(taps)

    def tap(client) -> tuple[int, str | None]:
        start.wait(30)
        response = finish(client, code)
        return response.status_code, response.headers.get("Location")

    with ThreadPoolExecutor(max_workers=taps) as pool:
        answers = list(pool.map(tap, clients))
    assert count(app, User) == 1
    assert all(status < 500 for status, _ in answers), answers
    assert answers.count((302, "/")) == 1  # the one that created it, signed in
    for answer in answers:
        assert answer in {(302, "/"), (302, "/account/signin"), (400, None)}, answer


def test_verify_step_without_a_phone_goes_back_to_step_one(client):
    response = client.get("/account/signup/verify")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/signup")


def test_overlong_fields_are_refused(app, client, outbox):
    request_code(client)
    response = finish(client, "1" * 5000, password="p" * 5000)
    assert response.status_code == 400
    assert count(app, User) == 0


def test_oversized_body_is_refused(app, client):
    body = "1" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/account/signup", data={"phone": body})
    assert response.status_code == 413
    assert "内容过大" in response.get_data(as_text=True)
    assert count(app, SmsCode) == 0


def test_entered_phone_is_kept_after_an_error(client):
    response = request_code(client, "+1 415 555 2671")
    assert 'value="+1 415 555 2671"' in response.get_data(as_text=True)
