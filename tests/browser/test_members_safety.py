"""Safety in a browser at 360x740: a member blocks a match from the conversation and the
conversation is gone for the other side; the member reports another match with a note;
an administrator finds the report in the queue and warns; the warned member reads the
statement of reasons in the notifications and appeals. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility
from tests.browser.journeys import phone_of, second_page, sign_in
from tests.factories import make_user
from tests.safety_helpers import make_match, members, write

pytestmark = pytest.mark.browser
STATEMENT = "You asked a member to move to another app and invest. Please do not."
APPEAL = "I was sharing a tip with a friend, not asking for money. Please look again."


def test_block_report_warn_and_appeal(page: Page, live_server: str, built_apps):
    (app,) = built_apps
    a, b, c = members(app, 3)
    blocked_match = make_match(app, a, b)
    reported_match = make_match(app, a, c)
    write(app, blocked_match, b, "周末有空吗？")
    write(app, reported_match, c, "加我微信，带你投资稳赚")
    admin = make_user(app, "admin")

    # A blocks B from their conversation.
    sign_in(page, live_server, phone_of(app, a))
    page.goto(f"{live_server}/lounge/{blocked_match}")
    page.get_by_test_id("safety-menu").get_by_role("link", name=re.compile(r"^Block")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"会员{b}")
    check_accessibility(page, "40-block-confirm")
    page.get_by_role("button", name="Yes, block").click()
    expect(page).to_have_url(re.compile(r"/safety/blocked$"))
    expect(page.get_by_test_id("blocked-member")).to_contain_text(f"会员{b}")
    check_accessibility(page, "41-blocked-list")

    other = second_page(page)
    try:
        # For B the conversation is gone.
        sign_in(other, live_server, phone_of(app, b))
        other.goto(f"{live_server}/lounge/{blocked_match}")
        expect(other.get_by_role("heading", level=1)).to_contain_text("Page not found")
        other.goto(f"{live_server}/lounge/")
        expect(other.get_by_role("main")).not_to_contain_text(f"会员{a}")
    finally:
        other.context.close()

    # A reports C with a note.
    page.goto(f"{live_server}/lounge/{reported_match}")
    page.get_by_test_id("safety-menu").get_by_role("link", name=re.compile(r"^Report")).click()
    check_accessibility(page, "42-report-form")
    page.get_by_label("What happened?").select_option("fraud_or_money")
    page.get_by_label("Anything else we should know (optional)").fill("让我加微信投资")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_test_id("report-sent")).to_contain_text("Your report is sent")
    check_accessibility(page, "43-report-sent")

    # The administrator finds it in the queue and warns C.
    console = second_page(page)
    try:
        sign_in(console, live_server, admin.phone.removeprefix("+86"))
        console.goto(live_server + "/admin/reports")
        expect(console.get_by_test_id("nav-reports")).to_contain_text("1")
        item = console.get_by_test_id("report-item")
        expect(item).to_have_count(1)
        check_accessibility(console, "44-reports-queue")
        item.get_by_role("link").click()
        expect(console.get_by_test_id("report-note")).to_have_text("让我加微信投资")
        expect(console.get_by_test_id("evidence-message")).to_contain_text(["带你投资稳赚"])
        check_accessibility(console, "45-report-page")
        console.get_by_role("radio", name=re.compile(r"Warn")).check()
        console.get_by_label("Statement of reasons").fill(STATEMENT)
        console.get_by_role("button", name="Record the decision").click()
        expect(console).to_have_url(re.compile(r"/admin/reports$"))
    finally:
        console.context.close()

    # C reads the statement of reasons and appeals.
    warned = second_page(page)
    try:
        sign_in(warned, live_server, phone_of(app, c))
        warned.goto(live_server + "/notifications")
        notice = warned.locator('[data-kind="moderation_warned"]')
        expect(notice).to_contain_text(STATEMENT)
        check_accessibility(warned, "46-warning-notification")
        notice.get_by_role("link", name="Appeal this decision").click()
        expect(warned.get_by_test_id("statement")).to_have_text(STATEMENT)
        warned.get_by_label("Why should the decision be reconsidered?").fill(APPEAL)
        warned.get_by_role("button", name="Send my appeal").click()
        expect(warned.get_by_test_id("appeal-sent")).to_be_visible()
        check_accessibility(warned, "47-appeal-sent")
    finally:
        warned.context.close()
