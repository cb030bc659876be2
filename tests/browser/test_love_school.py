"""Love school in a browser at 360x740: a matchmaker writes a course in the console,
adds a lesson in Markdown (a script tag in it stays text), previews and saves it, and
publishes the course; a member finds it under Love school, reads the lesson, marks it
done, and the list shows the progress. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility
from tests.browser.journeys import phone_of, second_page, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser

LESSON = """先在资料里找一个共同点，比如**徒步**或者*咖啡*。

- 约在白天的公共场所
- 告诉朋友你去哪里

<script>window.hacked = true</script>

[反诈专线说明](https://www.example.org/96110)
"""


def test_a_matchmaker_publishes_a_course_and_a_member_finishes_a_lesson(
    page: Page,
    live_server: str,
    built_apps,
):
    (app,) = built_apps
    matchmaker = make_user(app, "matchmaker")
    member = make_user(app, "member")

    # The matchmaker writes a course from the console.
    sign_in(page, live_server, phone_of(app, matchmaker.id))
    page.goto(live_server + "/console/")
    page.get_by_role("navigation", name="Matchmaker console").get_by_role(
        "link", name="Love school"
    ).click()
    expect(page).to_have_url(re.compile(r"/console/school/$"))
    check_accessibility(page, "60-school-console-empty")
    page.get_by_role("link", name="New course").click()
    page.get_by_role("button", name="Save course").click()  # empty: told what to fix
    expect(page.locator(".error-summary")).to_contain_text("Give the course a title.")
    check_accessibility(page, "61-school-course-errors")
    page.get_by_label("Title").fill("第一次约会")
    page.get_by_label("Summary").fill("让第一次见面轻松、安全又愉快。")
    page.get_by_role("button", name="Save course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第一次约会")

    # A course without lessons cannot be published.
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("problem")).to_contain_text("Add at least one lesson")
    check_accessibility(page, "62-school-course-no-lessons")

    # The lesson: previewed (the script stays text), then saved.
    page.get_by_role("link", name="Add a lesson").click()
    page.get_by_label("Title").fill("怎样开场")
    page.get_by_label("Reading").check()
    page.get_by_label("Text (Markdown)").fill(LESSON)
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("preview")
    expect(preview.locator("strong")).to_have_text("徒步")
    expect(preview).to_contain_text("<script>window.hacked = true</script>")
    expect(preview.get_by_role("link", name="反诈专线说明")).to_have_attribute(
        "rel", "nofollow noopener"
    )
    assert page.evaluate("window.hacked === undefined")
    check_accessibility(page, "63-school-lesson-preview")
    page.get_by_role("button", name="Save lesson").click()
    expect(page.get_by_test_id("console-lessons")).to_contain_text("怎样开场")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("course-state")).to_have_text("Published")
    check_accessibility(page, "64-school-course-published")

    # A member reads it and marks the lesson done.
    other = second_page(page)
    try:
        sign_in(other, live_server, phone_of(app, member.id))
        other.get_by_role("navigation", name="Main").get_by_role("link", name="School").click()
        course = other.get_by_test_id("course").filter(has_text="第一次约会")
        expect(course.get_by_test_id("progress")).to_have_text("0 of 1 lesson done")
        check_accessibility(other, "65-school-list")
        course.get_by_role("link", name="第一次约会").click()
        check_accessibility(other, "66-school-course")
        other.get_by_role("link", name="怎样开场").click()
        body = other.get_by_test_id("lesson-body")
        expect(body).to_contain_text("约在白天的公共场所")
        expect(body).to_contain_text("<script>")
        assert other.evaluate("window.hacked === undefined")
        check_accessibility(other, "67-school-lesson")
        other.get_by_role("button", name="Mark as done").click()
        expect(other.get_by_test_id("done")).to_be_visible()
        expect(other.get_by_role("button", name="Mark as done")).to_have_count(0)
        other.get_by_role("navigation", name="Main").get_by_role("link", name="School").click()
        progress = other.get_by_test_id("course").filter(has_text="第一次约会")
        expect(progress.get_by_test_id("progress")).to_have_text("Finished: the lesson is done")
        check_accessibility(other, "68-school-list-progress")
    finally:
        other.context.close()
