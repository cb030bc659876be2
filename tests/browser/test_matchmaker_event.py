"""A matchmaker creates an event with one seat. Two members sign up: A gets the seat, B
waits. A cancels; B is offered the seat (a notification) and accepts. A signs up again
and waits; the matchmaker adds a seat, A is offered it and accepts. At the event B
checks in with the code the matchmaker shows, and the matchmaker ticks A on the list.
After the event (its time moved into the past in the database) A and B choose each
other: a match, and the love lounge opens. Every page passes axe-core at 360x740."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.db_types import utcnow
from app.events.models import Event
from app.extensions import db
from tests.browser.conftest import check_accessibility
from tests.browser.journeys import phone_of, second_page, sign_in
from tests.events_helpers import move
from tests.factories import make_user
from tests.quickmatch_helpers import add_members, population

pytestmark = pytest.mark.browser


def local(moment) -> str:
    """As a datetime-local input takes it, in Beijing time."""
    return (moment + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")


def create_event(page: Page, base: str) -> int:
    page.goto(base + "/console/events/")
    check_accessibility(page, "60-console-events")
    page.get_by_role("link", name="New event").click()
    start = utcnow() + timedelta(days=2)
    page.get_by_label("Title").fill("周六西湖飞盘·新手局")
    page.get_by_label("Kind of event").select_option("frisbee")
    page.get_by_label("City").select_option("杭州")
    page.get_by_label("Place").fill("西湖文化广场东侧草坪")
    page.get_by_label("Description").fill("从传接盘练起，带上水。")
    page.get_by_label("Starts at").fill(local(start))
    page.get_by_label("Ends at").fill(local(start + timedelta(hours=2)))
    page.get_by_label("Seats", exact=True).fill("1")
    page.get_by_label("Sign-up closes at").fill(local(start - timedelta(hours=2)))
    page.get_by_label("Cancellation possible until").fill(local(start - timedelta(hours=3)))
    check_accessibility(page, "61-console-new-event")
    page.get_by_role("button", name="Publish").click()
    expect(page).to_have_url(re.compile(r"/console/events/\d+$"))
    check_accessibility(page, "62-console-event")
    return int(page.url.rsplit("/", 1)[1])


def test_matchmaker_runs_an_event_from_sign_up_to_mutual_choice(
    page: Page, live_server: str, built_apps
):
    (app,) = built_apps
    host = make_user(app, "matchmaker")
    a, b = add_members(app, population(40, seed=3)[:2])
    sign_in(page, live_server, host.phone.removeprefix("+86"))
    event_id = create_event(page, live_server)
    event_url = f"{live_server}/events/{event_id}"

    member_a, member_b = second_page(page), second_page(page)
    try:
        sign_in(member_a, live_server, phone_of(app, a))
        sign_in(member_b, live_server, phone_of(app, b))

        # A takes the only seat; B joins the waitlist.
        member_a.goto(live_server + "/events/")
        check_accessibility(member_a, "63-events-list")
        member_a.get_by_role("link", name="周六西湖飞盘·新手局").click()
        member_a.get_by_role("button", name="Sign up for this event").click()
        expect(member_a.get_by_test_id("my-state")).to_contain_text("You have a seat")
        check_accessibility(member_a, "64-event-page-seated")
        member_b.goto(event_url)
        member_b.get_by_role("button", name="Join the waitlist").click()
        expect(member_b.get_by_test_id("my-state")).to_contain_text("On the waitlist")
        expect(member_b.get_by_test_id("my-state")).to_contain_text("number 1 in line")
        check_accessibility(member_b, "65-event-page-waiting")

        # A cancels; B is offered the seat, is told, and accepts.
        member_a.get_by_role("button", name="Cancel my seat").click()
        expect(member_a.get_by_test_id("my-state")).to_contain_text("Cancelled")
        member_b.goto(live_server + "/notifications")
        expect(member_b.get_by_role("main")).to_contain_text("A seat has become free")
        member_b.get_by_role("link", name="Answer the offer").click()
        expect(member_b.get_by_test_id("my-state")).to_contain_text("A seat is offered to you")
        check_accessibility(member_b, "66-event-page-offered")
        member_b.get_by_role("button", name="Accept the seat").click()
        expect(member_b.get_by_test_id("my-state")).to_contain_text("You have a seat")

        # A signs up again and waits; the matchmaker adds a seat; A accepts it.
        member_a.get_by_role("button", name="Join the waitlist").click()
        expect(member_a.get_by_test_id("my-state")).to_contain_text("On the waitlist")
        page.get_by_role("link", name="Edit").click()
        page.get_by_label("Seats", exact=True).fill("2")
        page.get_by_role("button", name="Save").click()
        expect(page).to_have_url(re.compile(rf"/console/events/{event_id}$"))
        member_a.reload()
        member_a.get_by_role("button", name="Accept the seat").click()
        expect(member_a.get_by_test_id("my-state")).to_contain_text("You have a seat")

        # The event begins: B checks in with the code; the matchmaker ticks A.
        move(app, event_id, utcnow() - timedelta(minutes=10))
        page.reload()
        code = page.get_by_test_id("checkin-code").inner_text().strip()
        member_b.goto(event_url)
        member_b.get_by_label("Check-in code").fill("000000" if code != "000000" else "111111")
        member_b.get_by_role("button", name="Check in").click()
        expect(member_b.get_by_role("alert")).to_contain_text("not the check-in code")
        check_accessibility(member_b, "67-event-page-wrong-code")
        member_b.get_by_label("Check-in code").fill(code)
        member_b.get_by_role("button", name="Check in").click()
        expect(member_b.get_by_test_id("checked-in")).to_be_visible()
        page.get_by_role("button", name=f"Check in 会员{a}").click()
        expect(page.get_by_test_id("attendees")).to_contain_text("checked in")
        expect(page.get_by_role("button", name=f"Undo check-in of 会员{a}")).to_be_visible()
        check_accessibility(page, "68-console-attendees")

        # After the event: A and B choose each other, and it's a match.
        move(app, event_id, utcnow() - timedelta(hours=3))
        member_a.goto(event_url)
        member_a.get_by_role("link", name="Choose whom you would like to see again").click()
        check_accessibility(member_a, "69-choose")
        member_a.get_by_label(f"会员{b}").check()
        member_a.get_by_role("button", name="Save my choice").click()
        expect(member_a.get_by_role("status")).to_contain_text("Only you can see it")
        member_b.goto(event_url + "/choose")
        member_b.get_by_label(f"会员{a}").check()
        member_b.get_by_role("button", name="Save my choice").click()
        expect(member_b.get_by_role("status")).to_contain_text("It's a match!")
        member_b.goto(live_server + "/lounge/")
        expect(member_b.get_by_role("main")).to_contain_text(f"会员{a}")
        with app.app_context():
            assert db.session.get(Event, event_id).capacity == 2
    finally:
        member_a.context.close()
        member_b.context.close()
