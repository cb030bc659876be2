"""A newcomer on the sign-up form opens the terms of service and the privacy policy from
the consent box (each in a new tab, so the form keeps what was typed) and from the
footer; both pages pass axe-core at 360x740, in Chinese and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser


def test_the_consent_box_and_the_footer_lead_to_the_terms_and_the_policy(
    page: Page, live_server: str
):
    page.goto(f"{live_server}/account/signup")
    page.get_by_label("手机号").fill("13912345602")
    page.get_by_label("手机号").press("Enter")
    page.wait_for_url("**/account/signup/verify")
    consent = page.get_by_label("我已阅读并同意服务条款和隐私政策")
    expect(consent).not_to_be_checked()
    with page.context.expect_page() as opened:
        page.get_by_test_id("terms-link").click()
    terms = opened.value
    terms.wait_for_load_state()
    expect(terms.get_by_role("heading", level=1)).to_have_text("服务条款")
    expect(terms.get_by_text("六个政府部门", exact=False).first).to_be_visible()
    check_accessibility(terms, "h4-terms-zh")
    terms.close()
    expect(page).to_have_url(f"{live_server}/account/signup/verify")  # the form stays

    page.get_by_role("link", name="隐私政策").last.click()  # the footer's
    expect(page.get_by_role("heading", level=1)).to_have_text("隐私政策")
    check_accessibility(page, "h4-privacy-zh")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy policy")
    expect(page.get_by_text("encrypted at rest", exact=False)).to_be_visible()
    check_accessibility(page, "h4-privacy-en")
    page.get_by_role("link", name="Terms of service").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terms of service")
    expect(page.get_by_text("support@queqiao.example.cn", exact=False)).to_be_visible()
    check_accessibility(page, "h4-terms-en")
