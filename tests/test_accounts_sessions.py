"""Device sessions: each sign-in is one; signing out ends it (copied cookies too), or
every one at once; a password change ends the others; "last seen" is written rarely."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts import devices
from app.accounts.models import DeviceSession
from app.extensions import db
from tests.factories import PASSWORD, make_user

E164 = "+8613912345678"
MY_DATA = "/me/data/"
SIGN_IN_FOR_MY_DATA = "/account/signin?next=%2Fme%2Fdata%2F"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


def sign_in(client, remember: bool = False, **headers):
    data = {"phone": E164, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/account/signin", data=data, headers=headers)
    assert response.status_code == 302, response.status_code
    return response


def opens_my_data(client) -> bool:
    response = client.get(MY_DATA)
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response.headers["Location"] == SIGN_IN_FOR_MY_DATA
    return False


def with_cookie(app, name: str, value: str):
    """A new browser that has only this one cookie."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def device_rows(app) -> list[DeviceSession]:
    with app.app_context():
        rows = list(db.session.scalars(select(DeviceSession).order_by(DeviceSession.id)))
        db.session.expunge_all()
        return rows


def test_a_session_cookie_copied_before_sign_out_is_refused_after_it(app, client):
    make_user(app, phone=E164)
    sign_in(client)
    copied = client.get_cookie("session").value
    assert opens_my_data(with_cookie(app, "session", copied))
    assert client.post("/account/signout").status_code == 302
    assert not opens_my_data(client)
    assert not opens_my_data(with_cookie(app, "session", copied))


def test_a_remember_cookie_copied_before_sign_out_is_refused_after_it(app, client):
    make_user(app, phone=E164)
    sign_in(client, remember=True)
    copied = client.get_cookie("remember_token").value
    assert opens_my_data(with_cookie(app, "remember_token", copied))
    assert client.post("/account/signout").status_code == 302
    assert not opens_my_data(with_cookie(app, "remember_token", copied))


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, client):
    make_user(app, phone=E164)
    sign_in(client)
    phone = app.test_client()
    sign_in(phone, remember=True)
    client.post("/account/signout")
    assert opens_my_data(phone)
    assert opens_my_data(
        with_cookie(app, "remember_token", phone.get_cookie("remember_token").value)
    )
    assert [row.revoked_at is None for row in device_rows(app)] == [False, True]


def test_each_sign_in_is_a_device_session_stored_as_a_hash(app, client):
    user = make_user(app, phone=E164)
    sign_in(client, remember=True, **{"User-Agent": ANDROID_CHROME})
    (row,) = device_rows(app)
    assert row.user_id == user.id
    assert row.device == "Chrome · Android"
    assert row.revoked_at is None
    # The cookie's token is not in the database, only its hash.
    with app.test_request_context():
        login_id = app.session_interface.get_signing_serializer(app).loads(
            client.get_cookie("session").value
        )["_user_id"]
    user_id, _session_token, token = login_id.split(":")
    assert int(user_id) == user.id
    assert token not in row.token_hash
    assert devices.token_hash(token) == row.token_hash


def test_sign_out_on_every_device_ends_them_all(app, client):
    make_user(app, phone=E164)
    sign_in(client, remember=True)
    own_remember = client.get_cookie("remember_token").value
    laptop = app.test_client()
    sign_in(laptop)
    phone = app.test_client()
    sign_in(phone, remember=True)
    copies = [
        with_cookie(app, "session", laptop.get_cookie("session").value),
        with_cookie(app, "remember_token", phone.get_cookie("remember_token").value),
    ]
    assert all(opens_my_data(c) for c in [laptop, phone, *copies])

    response = laptop.post("/account/signout/everywhere")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    for browser in [
        client,
        laptop,
        phone,
        *copies,
        with_cookie(app, "remember_token", own_remember),
    ]:
        assert not opens_my_data(browser)
    assert all(row.revoked_at is not None for row in device_rows(app))
    # Signing in again works as before.
    sign_in(laptop)
    assert opens_my_data(laptop)


def test_the_account_page_lists_the_devices_and_offers_sign_out_everywhere(app, client):
    make_user(app, phone=E164)
    sign_in(app.test_client(), **{"User-Agent": ANDROID_CHROME})
    sign_in(client)
    client.set_cookie("lang", "en")
    page = client.get("/account/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Chrome · Android" in text
    assert "this device" in text
    assert 'action="/account/signout/everywhere"' in text
    assert "This signs you out everywhere, on this device too." in text
    assert "139****5678" in text
    assert 'href="/account/' in client.get("/me").get_data(as_text=True)  # from 我的 (Me)


def test_sign_out_everywhere_needs_the_csrf_token_and_a_post(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    make_user(app, phone=E164)
    client = app.test_client()
    page = client.get("/account/signin").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/account/signin", data={"phone": E164, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.get("/account/signout/everywhere").status_code == 405
    assert client.post("/account/signout/everywhere").status_code == 400
    assert opens_my_data(client)
    assert all(row.revoked_at is None for row in device_rows(app))


def test_last_seen_is_written_at_most_once_per_interval(app, client):
    make_user(app, phone=E164)
    sign_in(client)
    (row,) = device_rows(app)
    for _ in range(3):
        assert opens_my_data(client)
    assert device_rows(app)[0].last_seen_at == row.last_seen_at
    with app.app_context():
        stored = db.session.get(DeviceSession, row.id)
        stored.last_seen_at -= app.config["DEVICE_SEEN_INTERVAL"] + timedelta(seconds=1)
        db.session.commit()
        earlier = db.session.get(DeviceSession, row.id).last_seen_at
    assert opens_my_data(client)
    assert device_rows(app)[0].last_seen_at > earlier


def test_a_device_session_unused_for_as_long_as_a_remember_cookie_lasts_ends(app, client):
    make_user(app, phone=E164)
    sign_in(client, remember=True)
    with app.app_context():
        stored = db.session.scalar(select(DeviceSession))
        stored.last_seen_at -= app.config["REMEMBER_COOKIE_DURATION"] + timedelta(minutes=1)
        db.session.commit()
    assert not opens_my_data(client)


def test_a_login_id_without_a_live_device_session_is_refused(app, client):
    """The old form ``<id>:<session token>`` (before device sessions) opens nothing."""
    user = make_user(app, phone=E164)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_token}"
        session["_fresh"] = True
    assert not opens_my_data(client)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_token}:made-up-token"
    assert not opens_my_data(client)


def test_a_changed_session_token_still_ends_every_device(app, client):
    """Suspension and account deletion end every session by changing the token."""
    from app.accounts.models import User, new_session_token

    user = make_user(app, phone=E164)
    sign_in(client, remember=True)
    remembered = client.get_cookie("remember_token").value
    with app.app_context():
        db.session.get(User, user.id).session_token = new_session_token()
        db.session.commit()
    assert not opens_my_data(client)
    assert not opens_my_data(with_cookie(app, "remember_token", remembered))


def test_signing_in_again_replaces_this_browsers_device_session(app, client):
    """A kept-signed-in browser asked for the password (non-fresh) signs in again: the
    old device session ends, and the browser stays kept signed in under the new one."""
    make_user(app, phone=E164)
    sign_in(client, remember=True)
    browser = with_cookie(app, "remember_token", client.get_cookie("remember_token").value)
    old_cookie = browser.get_cookie("remember_token").value
    assert browser.get("/account/password").status_code == 302  # not fresh
    sign_in(browser)  # without ticking "keep me signed in"
    rows = device_rows(app)
    assert [row.revoked_at is None for row in rows] == [False, True]
    assert not opens_my_data(with_cookie(app, "remember_token", old_cookie))
    restarted = with_cookie(app, "remember_token", browser.get_cookie("remember_token").value)
    assert opens_my_data(restarted)
