"""Members read published courses, mark lessons done (once, whatever the repeats) and
see their progress; drafts are not found; a lecture links to its event when there is an
events page to link to."""

from __future__ import annotations

import pytest
from flask import Blueprint
from sqlalchemy import func, select

from app.extensions import db
from app.school import reading
from app.school.models import Lesson, LessonKind, LessonProgress
from app.school.routes import EVENT_ENDPOINTS
from tests.factories import login_as, make_user
from tests.school_helpers import add_course


@pytest.fixture(autouse=True)
def english(app):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def _progress_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(LessonProgress.id)))


def test_the_list_shows_published_courses_with_the_members_progress(app, client):
    author = make_user(app, "matchmaker")
    dating, dating_lessons = add_course(app, author.id, lessons=5)
    fraud, _ = add_course(app, author.id, lessons=3, title="如何识别婚恋诈骗")
    add_course(app, author.id, lessons=2, published=False, title="草稿课程")
    member = login_as(app, client, "member")
    for lesson_id in dating_lessons[:2]:
        response = client.post(f"/school/{dating}/lessons/{lesson_id}/done")
        assert response.status_code == 302
    page = client.get("/school/").get_data(as_text=True)
    assert "2 of 5 lessons done" in page and "0 of 3 lessons done" in page
    assert "草稿课程" not in page
    with app.app_context():
        counts = reading.progress(member.id, [dating, fraud])
    assert (counts[dating].done, counts[dating].total) == (2, 5)
    assert (counts[fraud].done, counts[fraud].total) == (0, 3)
    # Another member's progress is their own.
    other = app.test_client()
    login_as(app, other, "member")
    assert "0 of 5 lessons done" in other.get("/school/").get_data(as_text=True)


def test_marking_done_twice_changes_nothing_and_is_not_an_error(app, client):
    course_id, (lesson_id, *_rest) = add_course(app, make_user(app, "matchmaker").id)
    login_as(app, client, "member")
    path = f"/school/{course_id}/lessons/{lesson_id}"
    assert "Mark as done" in client.get(path).get_data(as_text=True)
    first = client.post(f"{path}/done")
    assert first.status_code == 302 and first.headers["Location"] == path
    with app.app_context():
        done_at = db.session.scalar(select(LessonProgress.done_at))
    second = client.post(f"{path}/done")
    assert second.status_code == 302
    assert _progress_rows(app) == 1
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.done_at)) == done_at
    page = client.get(path).get_data(as_text=True)
    assert "You have finished this lesson." in page and "Mark as done" not in page
    assert "1 of 3 lessons done" in client.get(f"/school/{course_id}").get_data(as_text=True)


def test_finishing_every_lesson_says_so(app, client):
    course_id, lessons = add_course(app, make_user(app, "matchmaker").id, lessons=2)
    login_as(app, client, "member")
    for lesson_id in lessons:
        client.post(f"/school/{course_id}/lessons/{lesson_id}/done")
    assert "Finished: all 2 lessons done" in client.get("/school/").get_data(as_text=True)


def test_lesson_pages_link_previous_and_next_in_the_course_order(app, client):
    course_id, (one, two, three) = add_course(app, make_user(app, "matchmaker").id)
    login_as(app, client, "member")
    first = client.get(f"/school/{course_id}/lessons/{one}").get_data(as_text=True)
    assert f'href="/school/{course_id}/lessons/{two}" rel="next"' in first
    assert 'rel="prev"' not in first and "Lesson 1 of 3" in first
    middle = client.get(f"/school/{course_id}/lessons/{two}").get_data(as_text=True)
    assert f'href="/school/{course_id}/lessons/{one}" rel="prev"' in middle
    assert f'href="/school/{course_id}/lessons/{three}" rel="next"' in middle
    last = client.get(f"/school/{course_id}/lessons/{three}").get_data(as_text=True)
    assert 'rel="next"' not in last


def test_drafts_are_not_found_by_members_even_by_their_author(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, (lesson_id, *_rest) = add_course(app, author.id, published=False)
    assert client.get(f"/school/{course_id}").status_code == 404
    assert client.get(f"/school/{course_id}/lessons/{lesson_id}").status_code == 404
    assert client.post(f"/school/{course_id}/lessons/{lesson_id}/done").status_code == 404
    assert _progress_rows(app) == 0
    member = app.test_client()
    login_as(app, member, "member")
    assert member.get(f"/school/{course_id}").status_code == 404


def test_a_lesson_is_found_only_through_its_own_course(app, client):
    author = make_user(app, "matchmaker")
    course_id, _ = add_course(app, author.id)
    _other, (foreign, *_rest) = add_course(app, author.id, title="另一门")
    login_as(app, client, "member")
    assert client.get(f"/school/{course_id}/lessons/{foreign}").status_code == 404
    assert client.post(f"/school/{course_id}/lessons/{foreign}/done").status_code == 404


def _make_lecture(app, lesson_id: int, event_id: int) -> None:
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        lesson.kind, lesson.event_id = LessonKind.lecture, event_id
        db.session.commit()


def test_a_lecture_links_to_its_event_page_only_when_there_is_one(app, app_factory):
    course_id, (lesson_id, *_rest) = add_course(app, make_user(app, "matchmaker").id)
    _make_lecture(app, lesson_id, 42)
    path = f"/school/{course_id}/lessons/{lesson_id}"
    client = app.test_client()
    login_as(app, client, "member")
    page = client.get(path).get_data(as_text=True)
    assert "Lecture" in page
    if not any(endpoint in app.view_functions for endpoint in EVENT_ENDPOINTS):
        assert 'data-testid="event-link"' not in page
        # An app that serves event pages gets the link.
        stand_in = Blueprint("events", __name__)
        stand_in.add_url_rule("/events/<int:event_id>", "show", lambda event_id: "")
        with_events = app_factory()
        with_events.register_blueprint(stand_in)
        client = with_events.test_client()
        login_as(with_events, client, "member")
        page = client.get(path).get_data(as_text=True)
    assert 'href="/events/42" data-testid="event-link"' in page
