"""A registered user meets the member gate, applies, is refused by Civil Affairs (the
stub's "married" scenario) and is told why and how to apply again; and, with
JavaScript off, the progress page still reaches the decision by refreshing itself.

Here the checks run in-process (the embedded default: no broker), so the decision is
made before the progress page first shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import User
from app.extensions import db
from app.verification import operations, runtime
from app.verification.models import Case, CheckState
from tests.applicants import MARRIED, id_number, open_case_directly
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server: str, phone: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page.goto(live_server + "/account/signin")
    page.get_by_label("Mobile number").fill(phone)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("home")).to_be_visible()


def test_a_refused_applicant_is_told_why_and_can_apply_again(
    page: Page, live_server: str, app_factory
):
    make_user(app_factory(), "registered", phone="+8613800138002")
    sign_in(page, live_server, "13800138002")

    # Member pages explain that verification comes first, and lead there.
    page.goto(live_server + "/verify/facts")
    expect(page.get_by_role("heading", level=1)).to_have_text("For verified members")
    check_accessibility(page, "16-member-gate")
    page.get_by_role("link", name="Go to real-name verification").click()
    expect(page).to_have_url(re.compile(r"/verify/$"))
    check_accessibility(page, "17-verify-home")
    page.get_by_role("link", name="Start real-name verification").click()

    page.get_by_label("Real name", exact=True).fill("李秀兰")
    page.get_by_label("Resident ID number", exact=True).fill(id_number(MARRIED))
    page.get_by_label(re.compile("processing of my real name")).check()
    page.get_by_label(re.compile("shared with each of the six departments")).check()
    page.get_by_role("button", name="Send my application").click()

    decision = page.get_by_test_id("decision")
    expect(decision).to_have_attribute("data-state", "rejected")
    expect(decision).to_contain_text("Civil affairs records show you as married")
    civil_affairs = page.get_by_test_id("check-civil_affairs")
    expect(civil_affairs).to_have_attribute("data-state", "failed")
    expect(civil_affairs).to_contain_text("Not passed")
    check_accessibility(page, "18-verify-rejected")

    page.get_by_role("link", name="Apply again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Real-name verification")
    expect(page.get_by_label("Real name", exact=True)).to_have_value("")

    page.goto(live_server + "/verify/")
    expect(page.get_by_test_id("case-state")).to_have_text("Not approved")
    check_accessibility(page, "19-verify-home-rejected")


def decide_all_passed(app, case_id: int) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        for check in case.checks:
            check.state = CheckState.passed
        operations.decide(case, runtime.policy())
        db.session.commit()


def test_without_javascript_the_progress_page_refreshes_to_the_decision(
    browser, live_server: str, app_factory
):
    app = app_factory()
    user = make_user(app, "registered", phone="+8613800138003")
    case_id = open_case_directly(app, user.id)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="zh-CN", java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, "13800138003")
        page.goto(f"{live_server}/verify/cases/{case_id}")
        expect(page.get_by_test_id("check-education")).to_contain_text("Checking…")
        decide_all_passed(app, case_id)
        expect(page.get_by_test_id("decision")).to_have_attribute(
            "data-state", "approved", timeout=12_000
        )
        expect(page.get_by_test_id("check-education")).to_contain_text("Passed")
    finally:
        context.close()
    with app.app_context():
        assert db.session.get(User, user.id).state.value == "member"
