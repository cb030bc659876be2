"""A member who mistypes the password gets a clear, accessible error and keeps what was
typed; keyboard users can skip straight to the main content."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_wrong_password_shows_an_error_summary_and_keeps_the_phone(
    page: Page, live_server: str, app_factory
):
    make_user(app_factory(), "member", phone="+8613800138000")
    page.goto(live_server + "/account/signin")
    page.get_by_label("手机号码").fill("138 0013 8000")
    page.get_by_label("密码", exact=True).fill(PASSWORD + "-typo")
    page.get_by_role("main").get_by_role("button", name="登录").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("请修改以下内容")
    expect(summary).to_contain_text("手机号码或密码不正确。")
    expect(page.get_by_label("手机号码")).to_have_value("138 0013 8000")
    password = page.get_by_label("密码", exact=True)
    expect(password).to_have_value("")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description("手机号码或密码不正确。")
    check_accessibility(page, "08-signin-wrong-password")

    # The message in the summary leads to the field to correct.
    summary.get_by_role("link", name="手机号码或密码不正确。").click()
    expect(password).to_be_focused()

    # And the corrected password works.
    password.fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("你好，138****8000")


def test_keyboard_users_can_skip_to_the_main_content(page: Page, live_server: str):
    page.goto(live_server + "/")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    check_accessibility(page, "09-skip-link-focused")

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    expect(page.get_by_role("main").get_by_role("link", name="注册")).to_be_focused()
