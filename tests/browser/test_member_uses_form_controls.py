"""The phone-fit controls with scripts on: the paired sliders keep the lowest at most the
highest and show their values as they move (keyboard too), a height slider at its end
reads "Any"; the chips toggle; what is saved is what was shown. Axe-clean at 360x740."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.profiles.models import MemberProfile
from tests.browser.conftest import check_accessibility
from tests.browser.journeys import phone_of, sign_in
from tests.quickmatch_helpers import add_members, population

pytestmark = pytest.mark.browser


def test_member_sets_preferences_with_sliders_and_chips(page: Page, live_server: str, built_apps):
    (app,) = built_apps
    (member,) = add_members(app, population(1, seed=41))
    with app.app_context():
        profile = db.session.get(MemberProfile, member)
        profile.age_min, profile.age_max, profile.height_min, profile.height_max = (
            25,
            30,
            None,
            None,
        )
        profile.cities = []
        db.session.commit()
    sign_in(page, live_server, phone_of(app, member))
    page.goto(live_server + "/profile/preferences")

    youngest, oldest = page.get_by_label("Youngest age"), page.get_by_label("Oldest age")
    low_out = page.locator('output[for="age_min"]')
    high_out = page.locator('output[for="age_max"]')
    expect(low_out).to_have_text("25")
    expect(high_out).to_have_text("30")
    check_accessibility(page, "90-preferences-sliders")

    # The youngest age pushed past the oldest takes the oldest along.
    youngest.focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    expect(youngest).to_have_value("33")
    expect(oldest).to_have_value("33")
    expect(low_out).to_have_text("33")
    expect(high_out).to_have_text("33")
    # And the oldest pulled below the youngest takes it down.
    oldest.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    expect(youngest).to_have_value("28")
    expect(high_out).to_have_text("28")
    oldest.focus()
    page.keyboard.press("End")
    expect(high_out).to_have_text("60")

    # Heights: at the ends they read "Any"; moved, they show centimetres.
    shortest = page.get_by_label("Shortest height (cm)")
    expect(page.locator('output[for="height_min"]')).to_have_text("Any")
    shortest.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    expect(page.locator('output[for="height_min"]')).to_have_text("160")
    expect(shortest).to_have_attribute("aria-valuetext", "160")
    expect(page.locator('output[for="height_max"]')).to_have_text("Any")

    cities = page.get_by_role("group", name="Cities (none chosen: any city)")
    cities.locator('input[value="杭州"]').check()
    cities.locator('input[value="温州"]').check()
    check_accessibility(page, "91-preferences-moved")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash, [role=status]").first).to_contain_text(
        "Your preferences are saved."
    )
    with app.app_context():
        profile = db.session.get(MemberProfile, member)
        assert (profile.age_min, profile.age_max) == (28, 60)
        assert (profile.height_min, profile.height_max) == (160, None)
        assert profile.cities == ["杭州", "温州"]


def test_without_javascript_every_control_still_works(browser, live_server: str, built_apps):
    """No script: every group of the questionnaire shows, with one Save; the sliders and
    chips are plain native inputs that submit."""
    (app,) = built_apps
    (member,) = add_members(app, population(1, seed=42))
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="zh-CN", java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, phone_of(app, member))
        page.goto(live_server + "/profile/values")
        for text in ("Do you want children one day?", "Could you accept a partner who smokes?"):
            expect(page.get_by_role("group", name=text)).to_be_visible()
        expect(page.get_by_role("button", name="Next")).to_have_count(0)  # hidden
        page.get_by_role("group", name="Is religious faith important in your life?").locator(
            'input[value="2"]'
        ).first.check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash, [role=status]").first).to_contain_text(
            "Your answers are saved."
        )

        page.goto(live_server + "/profile/preferences")
        page.get_by_label("Youngest age").fill("27")  # a range input takes a value
        page.get_by_role("group", name="Lowest degree").locator('input[value="4"]').check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash, [role=status]").first).to_contain_text(
            "Your preferences are saved."
        )
    finally:
        context.close()
    with app.app_context():
        profile = db.session.get(MemberProfile, member)
        assert profile.answers["religion_importance"] == 2
        assert (profile.age_min, profile.min_education) == (27, 4)
