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

from app.accounts.models import User
from app.extensions import db
from tests.browser.conftest import SCREENSHOTS, check_accessibility
from tests.factories import PASSWORD
from tests.quickmatch_helpers import add_members, population
from tests.test_today_page import (
    other_parts,  # noqa: F401 - the autouse fixture, for this module too
    suggest,
)

pytestmark = pytest.mark.browser

# Extra screenshots for a person to look at; SHOTS_DIR=/tmp/shots puts them there.
SHOTS = Path(os.environ.get("SHOTS_DIR", SCREENSHOTS))


@pytest.fixture
def built_apps() -> list:
    return []


@pytest.fixture
def app_factory(app_factory, built_apps):
    """Remember the live server's app, to put the members in its database."""

    def build(**overrides):
        app = app_factory(**overrides)
        built_apps.append(app)
        return app

    return build


def phone_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).phone.removeprefix("+86")


def sign_in(page: Page, base: str, phone: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base}])
    page.goto(base + "/account/signin")
    page.get_by_label("Mobile number").fill(phone)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/signin"))


def second_page(page: Page) -> Page:
    """A second phone-sized context in the same browser: no shared cookies."""
    context = page.context.browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="zh-CN",
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


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

        # B writes; A sees it without reloading.
        other.get_by_label("Your message").fill("你好，周末一起喝咖啡吗？")
        other.get_by_role("button", name="Send").click()
        theirs = page.locator("#messages .lounge-message.theirs .lounge-body")
        expect(theirs).to_have_text(["你好，周末一起喝咖啡吗？"], timeout=15_000)
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
