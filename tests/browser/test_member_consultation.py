"""A member asks a matchmaker for help (红娘一对一): the request goes to the matchmaker,
who (in a second browser) reads it, answers and marks it resolved; the member reads
the answer and rates it. Each page passes the axe-core check at 360x740."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility
from tests.browser.journeys import phone_of, second_page, sign_in
from tests.factories import make_user
from tests.quickmatch_helpers import add_members, population

pytestmark = pytest.mark.browser

QUESTION = "第一次约会去哪里比较好？我们都喜欢安静的地方。"
ANSWER = "可以选一家安静的书店咖啡馆，白天见面，聊聊彼此喜欢的书。"


def test_member_asks_matchmaker_answers_member_rates(page: Page, live_server: str, built_apps):
    (app,) = built_apps
    (member,) = add_members(app, population(20, seed=5)[:1])
    matchmaker = make_user(app, "matchmaker")

    # The member asks from "Matchmaker help" on the Me page (我的).
    sign_in(page, live_server, phone_of(app, member))
    page.goto(live_server + "/me")
    page.get_by_role("link", name=re.compile("Matchmaker help")).first.click()
    expect(page).to_have_url(re.compile(r"/consultations/$"))
    check_accessibility(page, "60-consultations")
    page.get_by_role("link", name="Ask a matchmaker").click()
    page.get_by_label("What is it about?").select_option("first_date")
    page.get_by_label("Your question").fill("太短")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator(".error-summary")).to_be_visible()  # too short: a clear message
    check_accessibility(page, "61-ask-error")
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Send my request").click()
    expect(page).to_have_url(re.compile(r"/consultations/\d+$"))
    expect(page.get_by_test_id("consultation-state")).to_have_text("Open")
    request_url = page.url
    check_accessibility(page, "62-request")

    # The matchmaker, in a second browser, answers and resolves.
    other = second_page(page)
    try:
        sign_in(other, live_server, matchmaker.phone.removeprefix("+86"))
        other.goto(live_server + "/console/consultations/")
        check_accessibility(other, "63-console-consultations")
        other.get_by_test_id("console-consultation").get_by_role("link").click()
        expect(other.get_by_role("main")).to_contain_text(QUESTION)
        other.get_by_label("Your reply").fill(ANSWER)
        other.get_by_role("button", name="Send reply").click()
        expect(other.get_by_test_id("consult-message")).to_contain_text([ANSWER])
        check_accessibility(other, "64-console-thread")
        other.get_by_role("button", name="Mark as resolved").click()
        expect(other.get_by_test_id("consultation-state")).to_have_text("Resolved")
    finally:
        other.context.close()

    # The member reads the answer and rates it.
    page.goto(request_url)
    expect(page.get_by_test_id("consult-message")).to_contain_text([ANSWER])
    expect(page.get_by_test_id("consultation-state")).to_have_text("Resolved")
    check_accessibility(page, "65-rate")
    page.get_by_role("button", name="Send my rating").click()  # no rating chosen
    expect(page.locator(".error-summary")).to_be_visible()
    stars = page.get_by_role("group", name=re.compile("How helpful was it"))
    stars.get_by_label("5 stars", exact=True).check()
    expect(stars.get_by_label("5 stars", exact=True)).to_be_checked()
    page.keyboard.press("ArrowLeft")  # arrow keys move along the stars
    expect(stars.get_by_label("4 stars", exact=True)).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(stars.get_by_label("5 stars", exact=True)).to_be_checked()
    expect(stars).to_contain_text("5 stars")  # the chosen rating in words
    page.get_by_label("A comment (optional)").fill("老师很耐心，谢谢！")
    page.get_by_role("button", name="Send my rating").click()
    expect(page.get_by_test_id("consult-rated")).to_contain_text("5 of 5")
    check_accessibility(page, "66-rated")
