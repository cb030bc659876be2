"""A newcomer signs up with a mobile number and an SMS code, signs out, signs in again and
switches the interface to English and back, on a phone-sized screen under the real
content security policy; every page passes the axe-core accessibility check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser

PHONE = "13912345678"
MASKED = "139****5678"
PASSWORD = "Lotus-harbour-2031"


def test_newcomer_signs_up_signs_in_and_switches_language(page: Page, live_server: str):
    # The home page speaks Chinese by default, under a strict content security policy.
    response = page.goto(live_server + "/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("遇见真实的 TA")
    check_accessibility(page, "01-home-anonymous")

    # Step 1: the mobile number.
    page.get_by_role("link", name="注册").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("创建账号")
    check_accessibility(page, "02-signup-phone")
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()

    # Step 2: the development page shows the code instead of sending an SMS.
    expect(page).to_have_url(re.compile(r"/account/signup/verify$"))
    expect(page.get_by_role("status")).to_contain_text(MASKED)
    code = page.get_by_test_id("dev-code").inner_text().strip()
    assert re.fullmatch(r"\d{6}", code), code
    check_accessibility(page, "03-signup-verify")

    # A first try with different passwords and no consent is refused, with clear errors.
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD + "!")
    page.get_by_role("button", name="创建账号").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("两次输入的密码不一致。")
    expect(summary).to_contain_text("请同意服务条款后继续。")
    expect(page.get_by_label("确认密码")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page, "04-signup-verify-errors")

    # The second try succeeds.
    expect(page.get_by_label("短信验证码")).to_have_value(code)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意服务条款和隐私政策").check()
    page.get_by_role("button", name="创建账号").click()

    # Signed in: the home page greets the member by the masked number.
    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"你好，{MASKED}")
    expect(page.get_by_role("status")).to_contain_text("欢迎来到鹊桥！你的账号已创建。")
    expect(page.get_by_test_id("home")).to_have_attribute("data-kind", "registered")
    expect(page.get_by_test_id("next-step")).to_be_visible()  # the real-name application
    check_accessibility(page, "05-home-signed-in")

    # Sign out from 我的 (Me), which the header leads to.
    account_nav = page.get_by_role("navigation", name="账号")
    account_nav.get_by_role("link", name="我的").click()
    page.get_by_role("main").get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("status")).to_contain_text("你已退出登录。")
    expect(page.get_by_role("heading", level=1)).to_have_text("遇见真实的 TA")

    # Sign in again with the number and the password.
    account_nav.get_by_role("link", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    check_accessibility(page, "06-signin")
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"你好，{MASKED}")

    # Switch to English with the footer switch, and back to Chinese.
    language = page.get_by_role("contentinfo").get_by_role("form", name="语言")
    expect(language.get_by_role("button", name="中文")).to_have_attribute("aria-pressed", "true")
    language.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {MASKED}")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Me")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    check_accessibility(page, "07-home-english")

    page.get_by_role("form", name="Language").get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"你好，{MASKED}")
    expect(page.get_by_role("button", name="中文")).to_have_attribute("aria-pressed", "true")
