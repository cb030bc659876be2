"""Wrong passwords for one number make it wait, from any address; the SMS sign-in code
is the way back (and is itself limited, and tells nobody who has an account)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.accounts import throttle
from app.extensions import limiter
from tests.factories import PASSWORD, make_user

E164 = "+8613912345678"
WRONG = "Not-the-password-1"


def address(number: int) -> dict:
    return {"REMOTE_ADDR": f"10.9.{number // 250}.{number % 250 + 1}"}


def browser(app, number: int):
    """A client on its own address, reading English."""
    client = app.test_client()
    client.environ_base.update(address(number))
    client.set_cookie("lang", "en")
    return client


def sign_in(client, password: str, phone: str = E164):
    return client.post("/account/signin", data={"phone": phone, "password": password})


def last_code(app) -> str:
    return re.search(r"\d{6}", app.extensions["sms_sender"].outbox[-1][1]).group(0)


def sign_in_with_code(client, app, phone: str = E164):
    assert client.post("/account/signin/code", data={"phone": phone}).status_code == 302
    return client.post("/account/signin/code/verify", data={"code": last_code(app)})


def test_wrong_passwords_from_three_addresses_make_the_number_wait(app):
    make_user(app, "member", phone=E164)
    free = app.config["SIGNIN_FREE_FAILURES"]
    assert free == 5
    for attempt in range(free):  # spread over three addresses, within each one's limit
        assert sign_in(browser(app, attempt % 3), WRONG).status_code == 401
    owner = browser(app, 3)
    response = sign_in(owner, PASSWORD)  # even the right password, from a fourth
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many wrong passwords for this number. Wait 1 min" in page
    assert 'href="/account/signin/code"' in page
    assert "Retry-After" in response.headers
    assert owner.get("/me/data/").status_code == 302  # not signed in

    # The way back: a code by SMS signs in at once and clears the count.
    response = sign_in_with_code(owner, app)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert owner.get("/me/data/").status_code == 200
    owner.post("/account/signout")
    assert sign_in(browser(app, 4), PASSWORD).status_code == 302


def test_the_wait_doubles_and_stops_growing_at_the_cap(app):
    config = app.config
    with app.test_request_context():
        waits = []
        for _ in range(config["SIGNIN_FREE_FAILURES"] - 1):
            assert throttle.admit(E164) == 0
        for _ in range(8):
            assert throttle.admit(E164) == 0  # this attempt's turn: it starts the wait
            waits.append(throttle.admit(E164))  # the next one is told to wait
            limiter.storage.clear(throttle._keys(E164)[1])  # as if the wait had passed
    expected = [30, 60, 120, 240, 480, 900, 900, 900]  # the default settings
    for wait, full in zip(waits, expected, strict=True):
        assert full - 1 <= wait <= full


def test_a_right_password_clears_the_count(app):
    make_user(app, "member", phone=E164)
    for attempt in range(app.config["SIGNIN_FREE_FAILURES"] - 1):
        assert sign_in(browser(app, attempt), WRONG).status_code == 401
    signed = browser(app, 10)
    assert sign_in(signed, PASSWORD).status_code == 302
    signed.post("/account/signout")
    for attempt in range(app.config["SIGNIN_FREE_FAILURES"] - 1):  # a fresh count
        assert sign_in(browser(app, 20 + attempt), WRONG).status_code == 401


def test_a_number_without_an_account_waits_the_same(app):
    for attempt in range(app.config["SIGNIN_FREE_FAILURES"]):
        assert sign_in(browser(app, attempt), WRONG, "+8613800001111").status_code == 401
    response = sign_in(browser(app, 9), WRONG, "+8613800001111")
    assert response.status_code == 429
    assert "Too many wrong passwords for this number" in response.get_data(as_text=True)


def test_one_number_waiting_does_not_hold_up_another(app):
    make_user(app, "member", phone="+8613900001111")
    for attempt in range(app.config["SIGNIN_FREE_FAILURES"] + 1):
        sign_in(browser(app, attempt), WRONG)
    assert sign_in(browser(app, 30), PASSWORD, "+8613900001111").status_code == 302


@pytest.mark.commits  # threads
def test_a_burst_of_guesses_gets_no_more_tries_than_a_sequence(app):
    make_user(app, "member", phone=E164)
    n = 20
    start = threading.Barrier(n)
    clients = [browser(app, i) for i in range(n)]

    def guess(client) -> int:
        start.wait(30)
        return sign_in(client, WRONG).status_code

    with ThreadPoolExecutor(max_workers=n) as pool:
        statuses = list(pool.map(guess, clients))
    assert statuses.count(401) == app.config["SIGNIN_FREE_FAILURES"]
    assert statuses.count(429) == n - app.config["SIGNIN_FREE_FAILURES"]


def test_the_waits_follow_the_settings(app_factory):
    app = app_factory(SIGNIN_FREE_FAILURES=2, SIGNIN_DELAY_SECONDS=600)
    make_user(app, "member", phone=E164)
    assert [sign_in(browser(app, i), WRONG).status_code for i in range(3)] == [401, 401, 429]
    response = sign_in(browser(app, 5), PASSWORD)
    assert response.status_code == 429
    assert "Wait 10 min" in response.get_data(as_text=True)


def test_switching_limits_off_switches_the_waits_off(app_factory):
    app = app_factory(RATELIMIT_ENABLED=False)
    make_user(app, "member", phone=E164)
    for attempt in range(app.config["SIGNIN_FREE_FAILURES"] + 2):
        assert sign_in(browser(app, attempt), WRONG).status_code == 401


# --- Sign-in with an SMS code -----------------------------------------------------------


def code_request_answer(app, phone: str, number: int) -> tuple:
    client = browser(app, number)
    response = client.post("/account/signin/code", data={"phone": phone})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    page = re.sub(r"\d{3}\*{4}\d{4}", "<phone>", page)
    page = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)
    return response.status_code, response.headers["Location"], page


def test_asking_for_a_code_answers_the_same_whether_or_not_the_number_has_an_account(
    app_factory,
):
    app = app_factory(SMS_SHOW_CODE_ON_PAGE=False)
    make_user(app, "member", phone=E164)
    outbox = app.extensions["sms_sender"].outbox
    registered = code_request_answer(app, E164, 1)
    unknown = code_request_answer(app, "+8613800001111", 2)
    again = code_request_answer(app, E164, 3)  # within the minute: nothing sent, same words
    assert registered == unknown == again
    assert registered[:2] == (302, "/account/signin/code/verify")
    assert "has an account, a 6-digit sign-in code is on its way" in registered[2]
    assert [phone for phone, _text in outbox] == [E164]


def test_a_code_from_the_sms_signs_in_with_a_device_session(app):
    make_user(app, "member", phone=E164)
    client = browser(app, 1)
    response = sign_in_with_code(client, app)
    assert response.status_code == 302
    assert client.get("/me/data/").status_code == 200
    assert client.post("/account/signout").status_code == 302
    assert client.get("/me/data/").status_code == 302


def test_a_wrong_or_used_code_gets_one_answer(app):
    make_user(app, "member", phone=E164)
    client = browser(app, 1)
    client.post("/account/signin/code", data={"phone": E164})
    code = last_code(app)
    wrong = client.post(
        "/account/signin/code/verify", data={"code": f"{(int(code) + 1) % 10**6:06d}"}
    )
    assert wrong.status_code == 400
    message = "The code is not right or no longer valid."
    assert message in wrong.get_data(as_text=True)
    assert client.post("/account/signin/code/verify", data={"code": code}).status_code == 302
    other = browser(app, 2)
    other.post("/account/signin/code", data={"phone": E164})  # within the minute: no new code
    used = other.post("/account/signin/code/verify", data={"code": code})
    assert used.status_code == 400
    assert message in used.get_data(as_text=True)
    nobody = browser(app, 3)
    nobody.post("/account/signin/code", data={"phone": "+8613800001111"})
    none = nobody.post("/account/signin/code/verify", data={"code": code})
    assert none.status_code == 400
    assert message in none.get_data(as_text=True)


def test_a_suspended_account_cannot_sign_in_with_a_code(app):
    make_user(app, "suspended", phone=E164)
    client = browser(app, 1)
    response = sign_in_with_code(client, app)
    assert response.status_code == 403
    assert "This account is suspended" in response.get_data(as_text=True)
    assert client.get("/me/data/").status_code == 302


def test_codes_are_limited_per_number_across_addresses(app_factory):
    from datetime import timedelta

    app = app_factory(SMS_CODE_RESEND_AFTER=timedelta(0), RATELIMIT_SEND_CODE="2 per minute")
    make_user(app, "member", phone=E164)
    statuses = [
        browser(app, i).post("/account/signin/code", data={"phone": E164}).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(app.extensions["sms_sender"].outbox) == 2


def test_codes_are_limited_per_address(app_factory):
    app = app_factory(RATELIMIT_SEND_CODE="2 per minute")
    client = browser(app, 1)
    statuses = [
        client.post("/account/signin/code", data={"phone": f"1390000{i:04d}"}).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_code_guesses_are_limited_per_number(app_factory):
    app = app_factory(RATELIMIT_CODE_GUESSES="2 per 15 minutes")
    make_user(app, "member", phone=E164)
    client = browser(app, 1)
    client.post("/account/signin/code", data={"phone": E164})
    code = last_code(app)
    other = f"{(int(code) + 1) % 10**6:06d}"
    for i in range(2):
        client.environ_base.update(address(40 + i))  # a new address does not help
        assert client.post("/account/signin/code/verify", data={"code": other}).status_code == 400
    client.environ_base.update(address(50))
    response = client.post("/account/signin/code/verify", data={"code": code})
    assert response.status_code == 429
    assert client.get("/me/data/").status_code == 302
