"""Sign-in, sign-out, safe redirects, remember-me, password change and hash upgrades."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.accounts import passwords
from app.accounts.models import DeviceSession, User
from app.extensions import db, login_manager
from app.web import safe_next
from tests.factories import PASSWORD, login_as, make_user

PHONE = "13912345678"
E164 = "+8613912345678"
NEW_PASSWORD = "Walnut-lantern-4417"
WRONG_LOGIN = "手机号码或密码不正确"


def sign_in(
    client, phone: str = PHONE, password: str = PASSWORD, path: str = "/account/signin", **extra
):
    return client.post(path, data={"phone": phone, "password": password, **extra})


def signed_in(client) -> bool:
    """Whether the client is signed in: only signed-in pages carry the sign-out button."""
    return 'action="/account/signout"' in client.get("/").get_data(as_text=True)


def stored_user(app, phone: str = E164) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.phone == phone))
        db.session.expunge(user)
        return user


@pytest.mark.parametrize(
    "typed",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "0086 13912345678",
        "１３９１２３４５６７８",
    ],
)
def test_sign_in_with_any_accepted_phone_format(app, client, typed):
    make_user(app, "member", phone=E164)
    assert not signed_in(client)
    response = sign_in(client, typed)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)
    assert "139****5678" in client.get("/").get_data(as_text=True)


def test_sign_in_records_the_time(app, client):
    make_user(app, phone=E164)
    assert stored_user(app).last_login_at is None
    sign_in(client)
    assert stored_user(app).last_login_at is not None


def test_wrong_password_is_refused_and_keeps_the_phone(app, client):
    make_user(app, phone=E164)
    response = sign_in(client, "139 1234 5678", "Not-the-password-1")
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert WRONG_LOGIN in page
    assert 'value="139 1234 5678"' in page
    assert "Not-the-password-1" not in page  # the password is never echoed back
    assert not signed_in(client)


def test_unknown_phone_gets_the_same_answer_as_a_wrong_password(app, client):
    make_user(app, phone=E164)
    wrong_password = sign_in(client, PHONE, "Not-the-password-1")
    unknown = sign_in(client, "13800001111", "Not-the-password-1")
    assert unknown.status_code == wrong_password.status_code == 401
    assert WRONG_LOGIN in unknown.get_data(as_text=True)
    # No hint that one number is registered and the other is not.
    assert "已注册" not in unknown.get_data(as_text=True)
    assert "已注册" not in wrong_password.get_data(as_text=True)
    assert not signed_in(client)


def test_suspended_account_cannot_sign_in(app, client):
    make_user(app, "suspended", phone=E164)
    response = sign_in(client)
    assert response.status_code == 403
    assert "该账号已被暂停使用" in response.get_data(as_text=True)
    assert not signed_in(client)


def test_suspended_account_with_a_wrong_password_gets_the_generic_answer(app, client):
    make_user(app, "suspended", phone=E164)
    response = sign_in(client, password="Not-the-password-1")
    assert response.status_code == 401
    assert "暂停" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "", "password": PASSWORD}, "请输入手机号码"),
        ({"phone": PHONE, "password": ""}, "请输入密码"),
        ({"phone": "1391234567x", "password": PASSWORD}, "手机号码格式不正确"),
    ],
)
def test_incomplete_sign_in_form_is_refused(app, client, data, message):
    make_user(app, phone=E164)
    response = client.post("/account/signin", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert not signed_in(client)


def test_remember_me_sets_a_long_lived_cookie(app, client):
    make_user(app, phone=E164)
    response = sign_in(client, remember="y")
    assert response.status_code == 302
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    assert cookie.expires is not None
    assert "HttpOnly" in "; ".join(response.headers.getlist("Set-Cookie"))


def test_remember_me_cookie_signs_in_a_new_browser_session(app, client):
    make_user(app, phone=E164)
    sign_in(client, remember="y")
    remember = client.get_cookie("remember_token").value
    fresh = app.test_client()  # a browser restarted: no session cookie, only the remember one
    fresh.set_cookie("remember_token", remember)
    for _ in range(3):  # and it stays signed in, not just for one request
        assert signed_in(fresh)
    assert fresh.get_cookie("remember_token") is not None
    # A remembered session is not fresh: changing the password asks for it again.
    response = fresh.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/signin")


def test_without_remember_me_there_is_no_remember_cookie(app, client):
    make_user(app, phone=E164)
    response = sign_in(client)
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
    assert "remember_token" not in "; ".join(response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize(
    "target",
    ["/account/password", "/", "/account/password?tab=1"],
)
def test_safe_next_accepts_paths_on_this_site(target):
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "http://evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,hi",
        "evil.example/path",
        "/\t/evil.example",
        "/\n/evil.example",
        "https:evil.example",
    ],
)
def test_safe_next_refuses_anything_off_site(target):
    assert safe_next(target) is None


def test_sign_in_follows_a_next_path_on_this_site(app, client):
    make_user(app, phone=E164)
    response = sign_in(client, path="/account/signin?next=/account/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"],
)
def test_sign_in_ignores_an_off_site_next(app, client, target):
    make_user(app, phone=E164)
    response = client.post(
        "/account/signin",
        query_string={"next": target},
        data={"phone": PHONE, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)


def test_login_required_page_sends_back_after_sign_in(app, client):
    make_user(app, phone=E164)
    response = client.get("/account/password")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/account/signin?next=")
    response = sign_in(client, path=location)
    assert response.headers["Location"] == "/account/password"


def test_sign_out_needs_post(app, client):
    login_as(app, client)
    response = client.get("/account/signout")
    assert response.status_code == 405
    assert signed_in(client)


def test_sign_out_signs_out(app, client):
    login_as(app, client)
    response = client.post("/account/signout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "你已退出登录" in client.get("/").get_data(as_text=True)
    assert not signed_in(client)


def test_sign_out_also_forgets_the_remember_cookie(app, client):
    make_user(app, phone=E164)
    sign_in(client, remember="y")
    assert client.get_cookie("remember_token") is not None
    client.post("/account/signout")
    assert client.get_cookie("remember_token") is None
    assert not signed_in(client)


def change_password(client, current: str = PASSWORD, new: str = NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password",
        data={"current": current, "password": new, "confirm": new if confirm is None else confirm},
    )


def test_password_change_requires_sign_in(app, client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/signin")
    response = change_password(client)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/signin")


def test_password_page_is_shown_to_a_signed_in_user(app, client):
    login_as(app, client)
    response = client.get("/account/password")
    assert response.status_code == 200
    assert "修改密码后，其他所有设备上的登录都会失效" in response.get_data(as_text=True)


def test_wrong_current_password_is_refused(app, client):
    user = login_as(app, client)
    response = change_password(client, current="Not-the-password-1")
    assert response.status_code == 400
    assert "当前密码不正确" in response.get_data(as_text=True)
    assert stored_user(app, user.phone).password_hash == user.password_hash
    assert signed_in(client)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short1!", "至少 8 个字符"),
        ("password123", "太容易被猜到"),
        ("90817263545", "加入字母或符号"),
    ],
)
def test_weak_new_password_is_refused(app, client, new, message):
    user = login_as(app, client)
    response = change_password(client, new=new)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored_user(app, user.phone).password_hash == user.password_hash


def test_new_password_containing_the_phone_is_refused(app, client):
    user = login_as(app, client)
    digits = user.phone.removeprefix("+86")
    response = change_password(client, new=f"Kite-{digits}")
    assert response.status_code == 400
    assert "密码中不能包含手机号码" in response.get_data(as_text=True)


def test_mismatched_new_password_is_refused(app, client):
    user = login_as(app, client)
    response = change_password(client, confirm="Something-else-99")
    assert response.status_code == 400
    assert "两次输入的密码不一致" in response.get_data(as_text=True)
    assert stored_user(app, user.phone).password_hash == user.password_hash


def test_password_change_signs_out_other_sessions_only(app, client):
    user = make_user(app, phone=E164)
    assert sign_in(client, remember="y").status_code == 302
    own_cookie = client.get_cookie("remember_token").value
    other = app.test_client()
    assert sign_in(other, user.phone).status_code == 302
    remembered = app.test_client()
    assert sign_in(remembered, user.phone, remember="y").status_code == 302
    assert signed_in(client) and signed_in(other) and signed_in(remembered)

    response = change_password(client)
    assert response.status_code == 302
    with app.app_context():
        ended = db.session.scalars(select(DeviceSession.revoked_at)).all()
    assert sorted(when is None for when in ended) == [False, False, True]

    assert "其他设备上的登录已失效" in client.get("/").get_data(as_text=True)
    assert signed_in(client)
    # This device stays signed in, its remember-me cookie too (a browser restart).
    restarted = app.test_client()
    restarted.set_cookie("remember_token", own_cookie)
    assert signed_in(restarted)
    assert not signed_in(other)
    # Neither the session nor the old remember-me cookie of the other device works.
    assert not signed_in(remembered)
    old_cookie = app.test_client()
    old_cookie.set_cookie("remember_token", remembered.get_cookie("remember_token").value)
    assert not signed_in(old_cookie)


def test_new_password_works_and_the_old_one_does_not(app, client):
    user = login_as(app, client)
    change_password(client)
    client.post("/account/signout")
    assert sign_in(client, user.phone, PASSWORD).status_code == 401
    assert sign_in(client, user.phone, NEW_PASSWORD).status_code == 302
    assert signed_in(client)


def test_session_seen_from_another_browser_must_sign_in_again_for_sensitive_pages(app, client):
    assert login_manager.session_protection == "basic"
    login_as(app, client)
    assert signed_in(client)
    # The same session cookie from a different browser becomes non-fresh: the
    # password page asks for the password again.
    stolen = client.get("/account/password", headers={"User-Agent": "Thief/1.0"})
    assert stolen.status_code == 302
    assert stolen.headers["Location"].startswith("/account/signin")


def test_outdated_argon2_hash_is_upgraded_on_sign_in(app, client):
    old_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    with app.app_context():  # "outdated" and "upgraded" by this app's Argon2 parameters
        assert passwords.needs_rehash(old_hash)
    make_user(app, phone=E164, password_hash=old_hash)
    assert sign_in(client).status_code == 302
    new_hash = stored_user(app).password_hash
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$")
    with app.app_context():
        assert not passwords.needs_rehash(new_hash)
        assert passwords.verify_password(new_hash, PASSWORD)


def test_current_hash_is_left_alone_on_sign_in(app, client):
    user = make_user(app, phone=E164)
    sign_in(client)
    assert stored_user(app).password_hash == user.password_hash


def test_failed_sign_in_does_not_upgrade_the_hash(app, client):
    old_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    make_user(app, phone=E164, password_hash=old_hash)
    assert sign_in(client, password="Not-the-password-1").status_code == 401
    assert stored_user(app).password_hash == old_hash


def test_a_non_fresh_session_signs_in_again_then_reaches_the_password_page(app, client):
    make_user(app, phone=E164)
    sign_in(client, remember="y")
    remember = client.get_cookie("remember_token").value
    browser = app.test_client()
    browser.set_cookie("remember_token", remember)
    assert browser.get("/account/password").status_code == 302
    page = browser.get("/account/signin?next=/account/password")
    assert page.status_code == 200  # the form, not a bounce home
    assert "为了你的账号安全，请再次输入密码。" in page.get_data(as_text=True)
    response = browser.post(
        "/account/signin?next=/account/password", data={"phone": E164, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account/password"
    assert browser.get("/account/password").status_code == 200
