"""Steps the browser journeys share: a member's phone number, signing in, a second phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from app.accounts.models import User
from app.extensions import db
from tests.factories import PASSWORD


def phone_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).phone.removeprefix("+86")


def sign_in(page: Page, base: str, phone: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base}])
    page.goto(base + "/account/signin")
    page.get_by_label("Mobile number").fill(phone)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/signin"))


def second_page(page: Page) -> Page:
    """A second phone-sized context in the same browser: no shared cookies."""
    context = page.context.browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="zh-CN",
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    return context.new_page()
