"""Two verified members who are on each other's list today: A likes B on the Today page,
B (in a second browser) likes A back: it's a match, and B follows the link to the chat.
B writes in the love lounge and A sees it arrive without reloading (the page polls
``messages.json``); A replies and B sees it too. Today, the lounge list and the
conversation pass the axe-core accessibility check at 360x740."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.extensions import db
from app.lounge.models import Message
from tests.browser.conftest import SCREENSHOTS, check_accessibility
from tests.browser.journeys import phone_of, second_page, sign_in
from tests.quickmatch_helpers import add_members, population
from tests.test_today_page import suggest

pytestmark = pytest.mark.browser

# Extra screenshots for a person to look at; SHOTS_DIR=/tmp/shots puts them there.
SHOTS = Path(os.environ.get("SHOTS_DIR", SCREENSHOTS))


def unread_messages(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(Message.read_at.is_(None)))


def test_two_members_match_and_chat(page: Page, live_server: str, built_apps):
    (app,) = built_apps
    a, b = add_members(app, population(40, seed=3)[:2])
    suggest(app, a, [b])
    suggest(app, b, [a])
    SHOTS.mkdir(parents=True, exist_ok=True)

    # A sees B's card with the reasons, and likes B.
    sign_in(page, live_server, phone_of(app, a))
    page.goto(live_server + "/today/")
    card = page.get_by_test_id("today-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(f"会员{b}")
    expect(card.locator(".today-reasons li")).to_have_count(2)
    page.screenshot(path=str(SHOTS / "today-a.png"), full_page=True)
    check_accessibility(page, "30-today")
    card.get_by_role("button", name=re.compile(r"^Like")).click()
    expect(card.locator(".today-result")).to_be_visible()  # liked in place, no reload

    # B, in a second browser, likes A back: a match, and B lands in the conversation.
    other = second_page(page)
    errors: list[str] = []
    other.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(other, live_server, phone_of(app, b))
        other.goto(live_server + "/today/")
        other.get_by_test_id("today-card").get_by_role("button", name=re.compile(r"^Like")).click()
        result = other.get_by_test_id("today-card").locator(".today-result")
        expect(result).to_contain_text("It's a match!")
        result.get_by_role("link").click()
        expect(other).to_have_url(re.compile(r"/lounge/\d+$"))
        conversation = other.url

        # Both were notified.
        expect(other.get_by_test_id("nav-notifications")).to_contain_text("unread")
        page.goto(live_server + "/today/")
        expect(page.get_by_test_id("nav-notifications")).to_contain_text("unread")

        # A opens the lounge list, then the conversation.
        page.goto(live_server + "/lounge/")
        expect(page.get_by_role("main")).to_contain_text(f"会员{b}")
        check_accessibility(page, "31-lounge")
        page.goto(conversation)
        page.evaluate("window.stillTheFirstPage = true")

        # B writes; A sees it without reloading, and A's page tells the server it was read
        # (a POST beacon: opening and polling change nothing).
        other.get_by_label("Your message").fill("你好，周末一起喝咖啡吗？")
        with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/read")) as read:
            other.get_by_role("button", name="Send").click()
            theirs = page.locator("#messages .lounge-message.theirs .lounge-body")
            expect(theirs).to_have_text(["你好，周末一起喝咖啡吗？"], timeout=15_000)
        assert read.value.response().status == 204
        assert unread_messages(app) == 0
        assert page.evaluate("window.stillTheFirstPage") is True, "A's page was reloaded"

        # A replies; B sees it.
        page.get_by_label("Your message").fill("好呀，周六下午见。")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#messages .lounge-message.mine .lounge-body")).to_contain_text(
            ["好呀，周六下午见。"]
        )
        expect(other.locator("#messages .lounge-message.theirs .lounge-body")).to_have_text(
            ["好呀，周六下午见。"], timeout=15_000
        )
        page.screenshot(path=str(SHOTS / "conversation-a.png"), full_page=True)
        other.screenshot(path=str(SHOTS / "conversation-b.png"), full_page=True)
        check_accessibility(page, "32-conversation")
        check_accessibility(other, "33-conversation-other")
    finally:
        other.context.close()
    assert errors == [], "B's page reported errors:\n" + "\n".join(errors)
