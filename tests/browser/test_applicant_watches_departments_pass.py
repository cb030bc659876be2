"""A registered user files the real-name application and watches the six departments
answer one by one on the progress page, without reloading it, then becomes a member
and sees the verified facts. Every page passes the axe-core accessibility check.

The checks run the way production runs them: the request commits the case and queues
the checks on a broker, and a Celery worker (in-process, in-memory broker, six threads)
asks the six stub departments in parallel while the browser polls. The ID number picks
the stub's "slow education" scenario (digits 15-16 = 98: Education answers after 4 s here),
so five rows turn to passed while Education is visibly still being checked.
"""

from __future__ import annotations

import re

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_user
from verification.resident_id import check_character

pytestmark = pytest.mark.browser

WORKER_SETTINGS = {
    "CELERY_BROKER_URL": "memory://",
    "CELERY_RESULT_BACKEND": "cache+memory://",
    "VERIFICATION_STUB_LATENCY_MIN": 0.2,
    "VERIFICATION_STUB_LATENCY_MAX": 0.6,
    "VERIFICATION_STUB_SLOW_SECONDS": 4.0,  # 8 s by default: long enough to watch at 4
}
SLOW_EDUCATION = "330106" + "19950612" + "98" + "1"
ID_NUMBER = SLOW_EDUCATION + check_character(SLOW_EDUCATION)
QUICK = ["public_security", "civil_affairs", "hr_social_security", "justice", "development_reform"]


@pytest.fixture
def app_factory(app_factory):
    """Every app of this test queues tasks on the in-memory broker instead of running
    them in-process."""

    def build(**overrides):
        app = app_factory(**{**WORKER_SETTINGS, **overrides})
        app.extensions["celery"].conf.broker_transport_options = {"polling_interval": 0.1}
        return app

    return build


@pytest.fixture
def celery_worker(live_server, built_apps):
    """A real Celery worker for the live server's app, six threads, in this process."""
    (app,) = built_apps
    with start_worker(
        app.extensions["celery"],
        pool="threads",
        concurrency=6,
        perform_ping_check=False,
        shutdown_timeout=30,
    ):
        yield app


def test_applicant_watches_the_six_departments_pass(page: Page, live_server: str, celery_worker):
    make_user(celery_worker, "registered", phone="+8613800138001")
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])

    page.goto(live_server + "/account/signin")
    page.get_by_label("Mobile number").fill("13800138001")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.get_by_test_id("next-step").click()

    # The form: nothing ticked for the applicant; the wording version is shown.
    expect(page.get_by_role("heading", level=1)).to_have_text("Real-name verification")
    expect(page.get_by_role("group")).to_contain_text("wording of November 2026")
    check_accessibility(page, "10-verify-apply")

    # A first try with a mistyped ID number and no consents keeps what was typed.
    page.get_by_label("Real name", exact=True).fill("张三丰")
    page.get_by_label("Resident ID number", exact=True).fill(ID_NUMBER[:-1] + "0")
    page.get_by_role("button", name="Send my application").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The last character does not fit the other digits")
    expect(summary).to_contain_text("Tick this box to consent to sharing with the departments.")
    expect(page.get_by_label("Real name", exact=True)).to_have_value("张三丰")
    expect(page.get_by_label("Resident ID number", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    check_accessibility(page, "11-verify-apply-errors")

    page.get_by_label("Resident ID number", exact=True).fill(
        " " + ID_NUMBER[:6] + " " + ID_NUMBER[6:] + " "
    )
    page.get_by_label(re.compile("processing of my real name")).check()
    page.get_by_label(re.compile("shared with each of the six departments")).check()
    page.get_by_role("button", name="Send my application").click()

    # The progress page: six rows, all being checked at first, the identity masked.
    expect(page).to_have_url(re.compile(r"/verify/cases/\d+$"))
    expect(page.get_by_test_id("id-number-masked")).to_have_text("3301**********" + ID_NUMBER[-4:])
    expect(page.get_by_test_id("check-education")).to_contain_text("Checking…")
    page.evaluate("window.stillTheFirstPage = true")

    # Five departments answer while Education is still checking: the rows change in place.
    for department in QUICK:
        row = page.get_by_test_id(f"check-{department}")
        expect(row).to_have_attribute("data-state", "passed", timeout=6_000)
        expect(row).to_contain_text("Passed")
    expect(page.get_by_test_id("check-education")).to_contain_text("Checking…")
    assert page.evaluate("window.stillTheFirstPage") is True, "the page was reloaded"
    expect(page.locator("#checks-announcer")).to_contain_text(": Passed")
    check_accessibility(page, "12-verify-progress")

    # Education answers; the page reloads once to show the decision.
    expect(page.get_by_test_id("decision")).to_have_attribute(
        "data-state", "approved", timeout=20_000
    )
    assert page.evaluate("window.stillTheFirstPage") is None
    for department in [*QUICK, "education"]:
        expect(page.get_by_test_id(f"check-{department}")).to_have_attribute("data-state", "passed")
    expect(page.get_by_test_id("decision")).to_contain_text("You are a verified member")
    check_accessibility(page, "13-verify-approved")

    page.get_by_role("link", name="See my verified facts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My verified facts")
    expect(page.get_by_test_id("fact-civil_affairs")).to_contain_text("Unmarried")
    check_accessibility(page, "14-verified-facts")

    # The decision also arrived as a notification, counted in the header.
    notifications = page.get_by_test_id("nav-notifications")
    expect(notifications).to_contain_text("(1 unread)")
    notifications.click()
    expect(page.get_by_test_id("notification")).to_contain_text("you are now a member")
    check_accessibility(page, "15-notifications")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_test_id("nav-notifications")).not_to_contain_text("unread")

    page.goto(live_server + "/")
    expect(page.get_by_test_id("home")).to_have_attribute("data-kind", "member")
