"""On the embedded default (no broker, tasks in-process on the app's executor:
``CELERY_IN_PROCESS="thread"``) the applicant presses "Send my application", sees the
button working (busy, disabled, "Sending…") and unable to send twice, lands on the
progress page at once and watches the rows change there while Education's stub takes
4 s here (8 s by default), until the decision. Every page passes the axe-core check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app import background
from tests.browser.conftest import check_accessibility
from tests.browser.journeys import sign_in
from tests.factories import make_user
from verification.resident_id import check_character

pytestmark = pytest.mark.browser

SLOW_EDUCATION = "330106" + "19950612" + "98" + "1"  # Education is slow (4 s below)
ID_NUMBER = SLOW_EDUCATION + check_character(SLOW_EDUCATION)
QUICK = ["public_security", "civil_affairs", "hr_social_security", "justice", "development_reform"]


@pytest.fixture
def app_factory(app_factory):
    """The live server's app runs tasks off the request, as bin/serve does."""

    def build(**overrides):
        return app_factory(
            CELERY_IN_PROCESS="thread",
            VERIFICATION_STUB_LATENCY_MIN=0.3,
            VERIFICATION_STUB_LATENCY_MAX=1.5,
            VERIFICATION_STUB_SLOW_SECONDS=4.0,
            **overrides,
        )

    return build


def test_the_applicant_sees_the_button_work_and_the_rows_change(
    page: Page, live_server: str, built_apps
):
    (app,) = built_apps
    make_user(app, "registered", phone="+8613800138077")
    sign_in(page, live_server, "13800138077")
    page.goto(live_server + "/verify/apply")
    page.get_by_label("Real name", exact=True).fill("张三丰")
    page.get_by_label("Resident ID number", exact=True).fill(ID_NUMBER)
    page.get_by_label(re.compile("processing of my real name")).check()
    page.get_by_label(re.compile("shared with each of the six departments")).check()

    # Keep the page here once the script has seen the submit (a listener after
    # forms.js's), to look at the button; count the submits that would have gone.
    page.evaluate(
        """() => {
          window.sent = 0;
          window.holdSubmit = (event) => {
            if (!event.defaultPrevented) { window.sent += 1; }
            event.preventDefault();
          };
          document.addEventListener("submit", window.holdSubmit);
        }"""
    )
    page.get_by_role("button", name="Send my application").click()
    button = page.locator('form[data-busy-label] [type="submit"]')
    expect(button).to_have_attribute("aria-busy", "true")
    expect(button).to_be_disabled()
    expect(button).to_have_accessible_name("Sending…")
    check_accessibility(page, "80-verify-apply-sending")
    # A second press (or Enter) sends nothing more.
    page.locator("form[data-busy-label]").evaluate("form => form.requestSubmit()")
    assert page.evaluate("window.sent") == 1
    page.evaluate(
        """() => {
          document.removeEventListener("submit", window.holdSubmit);
          HTMLFormElement.prototype.submit.call(document.querySelector("form[data-busy-label]"));
        }"""
    )

    # The progress page at once, the checks still running; then the rows change in place.
    expect(page).to_have_url(re.compile(r"/verify/cases/\d+$"), timeout=2_000)
    expect(page.get_by_test_id("check-education")).to_contain_text("Checking…")
    page.evaluate("window.stillTheFirstPage = true")
    for department in QUICK:
        expect(page.get_by_test_id(f"check-{department}")).to_have_attribute(
            "data-state", "passed", timeout=8_000
        )
    expect(page.get_by_test_id("check-education")).to_contain_text("Checking…")
    assert page.evaluate("window.stillTheFirstPage") is True, "the page was reloaded"
    check_accessibility(page, "81-verify-progress-embedded")

    expect(page.get_by_test_id("decision")).to_have_attribute(
        "data-state", "approved", timeout=20_000
    )
    assert background.drain(app, timeout=10)
