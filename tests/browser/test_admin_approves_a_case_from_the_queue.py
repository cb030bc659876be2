"""An administrator signs in, opens the review queue, opens the case the education
department could not decide, first forgets the reason, then approves with one, and finds
the queue empty and the decision in the audit log. Every page passes axe-core at 360 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_user
from tests.review_helpers import NAME, id_number, open_case

pytestmark = pytest.mark.browser

REASON = "Saw the original bachelor's diploma at the service desk; the number matches."


def test_admin_approves_a_case_from_the_queue(page: Page, live_server: str, app_factory):
    setup = app_factory()
    case_id = open_case(setup, birth="19950612", sequence="93")  # education: needs review
    admin = make_user(setup, "admin", phone="+8613800138000")
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])

    page.goto(live_server + "/account/signin")
    page.get_by_label("Mobile number").fill("138 0013 8000")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()

    # The header leads administrators to the console, which opens on the queue.
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Administration"
    ).click()
    expect(page).to_have_url(live_server + "/admin/reviews")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    item = page.get_by_test_id("queue-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("欧***")
    expect(item).to_contain_text("3301**********9313")
    expect(item).to_contain_text("Education: Needs review")
    check_accessibility(page, "admin-01-queue")

    item.get_by_role("link", name=f"Case {case_id}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case_id}")
    expect(page.get_by_test_id("identity")).to_contain_text("3301**********9313")
    expect(page.get_by_test_id("check-education")).to_contain_text("A degree could not be verified")
    content = page.content()
    assert NAME not in content
    assert id_number("19950612") not in content
    check_accessibility(page, "admin-02-case")

    # Sent without a decision or a reason: both errors, linked from the summary.
    page.get_by_role("button", name="Record the decision").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose whether to approve or reject.")
    expect(summary).to_contain_text("Write the reason for your decision.")
    reason = page.get_by_label("Reason", exact=True)
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(re.compile("Write the reason for your decision"))
    approve = page.get_by_role("radio", name="Approve: the applicant becomes a member")
    expect(approve).to_have_accessible_description("Choose whether to approve or reject.")
    check_accessibility(page, "admin-03-case-errors")
    summary.get_by_role("link", name="Write the reason for your decision.").click()
    expect(reason).to_be_focused()

    approve.check()
    reason.fill(REASON)
    page.get_by_role("button", name="Record the decision").click()

    expect(page).to_have_url(live_server + "/admin/reviews")
    expect(page.get_by_role("status")).to_contain_text(
        f"Case {case_id} approved. The applicant is now a member."
    )
    expect(page.get_by_test_id("queue-empty")).to_have_text("No cases are waiting for review.")
    check_accessibility(page, "admin-04-queue-empty")

    # The audit log: the decision (who, what, when, why) above the case view.
    page.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Audit log"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    entries = page.get_by_test_id("audit-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Verification approved")
    expect(entries.first).to_contain_text(admin.masked_phone)
    expect(entries.first).to_contain_text(REASON)
    expect(entries.nth(1)).to_contain_text("Verification case viewed")
    check_accessibility(page, "admin-05-audit-log")
