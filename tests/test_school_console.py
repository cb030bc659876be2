"""Writing courses in the console: validation per field, overlong lessons, the publish
rule, ordering and deleting lessons, and courses of other matchmakers refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.extensions import db
from app.school.models import BODY_MAX, Course, CourseState, Lesson
from app.school.routes import EVENT_ENDPOINTS
from tests.factories import login_as, make_user
from tests.school_helpers import add_course, course_state, sign_in


@pytest.fixture(autouse=True)
def english(app):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def lesson_data(**changes: str) -> dict[str, str]:
    return {
        "title": "怎样开场",
        "kind": "reading",
        "body_markdown": "先问候。",
        "save": "y",
    } | changes


def test_a_matchmaker_creates_a_course_adds_a_lesson_and_publishes(app, client):
    author = login_as(app, client, "matchmaker")
    response = client.post("/console/school/new", data={"title": "第一次约会", "summary": "准备"})
    assert response.status_code == 302
    with app.app_context():
        course = db.session.scalar(select(Course))
        assert (course.author_id, course.state) == (author.id, CourseState.draft)
    assert response.headers["Location"] == f"/console/school/{course.id}"
    assert (
        client.post(f"/console/school/{course.id}/lessons/new", data=lesson_data()).status_code
        == 302
    )
    assert client.post(f"/console/school/{course.id}/publish").status_code == 302
    saved = course_state(app, course.id)
    assert saved.state is CourseState.published and saved.published_at is not None
    assert [lesson.title for lesson in saved.lessons] == ["怎样开场"]
    listing = client.get("/console/school/").get_data(as_text=True)
    assert "第一次约会" in listing and "Published" in listing
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action)) == "school.course_published"


def test_course_fields_are_validated_one_by_one(app, client):
    login_as(app, client, "matchmaker")
    response = client.post("/console/school/new", data={"title": " ", "summary": "x" * 501})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give the course a title." in page
    assert "Write at most 500 characters." in page
    assert _count(app, Course) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the lesson a title."),
        ({"body_markdown": ""}, "Write the text of the lesson."),
        ({"kind": "podcast"}, "Not a valid choice"),
        ({"event_id": "abc"}, "An event number is a whole number from 1."),
        ({"event_id": "0"}, "An event number is a whole number from 1."),
        ({"event_id": "3"}, "Only a lecture can link to an event."),
    ],
)
def test_lesson_fields_are_validated_and_nothing_is_saved(app, client, changes, message):
    author = login_as(app, client, "matchmaker")
    course_id, _ = add_course(app, author.id, lessons=0, published=False)
    response = client.post(f"/console/school/{course_id}/lessons/new", data=lesson_data(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, Lesson) == 0


def test_a_lecture_links_only_to_an_event_that_exists(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, _ = add_course(app, author.id, lessons=0, published=False)
    data = lesson_data(kind="lecture", event_id="987654")
    response = client.post(f"/console/school/{course_id}/lessons/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is no event with this number." in page
    assert _count(app, Lesson) == 0
    # Without a number a lecture is saved.
    data = lesson_data(kind="lecture", event_id="")
    assert client.post(f"/console/school/{course_id}/lessons/new", data=data).status_code == 302


def test_an_overlong_lesson_is_refused_with_400_and_an_edit_keeps_the_old_text(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, (lesson_id,) = add_course(app, author.id, lessons=1, published=False)
    too_long = "长" * (BODY_MAX + 1)
    response = client.post(
        f"/console/school/{course_id}/lessons/new", data=lesson_data(body_markdown=too_long)
    )
    assert response.status_code == 400
    assert "A lesson can be at most 20000 characters long." in response.get_data(as_text=True)
    response = client.post(
        f"/console/school/{course_id}/lessons/{lesson_id}/edit",
        data=lesson_data(body_markdown=too_long),
    )
    assert response.status_code == 400
    assert _count(app, Lesson) == 1
    assert course_state(app, course_id).lessons[0].body_markdown == "第1课的内容"
    exactly = "长" * BODY_MAX
    response = client.post(
        f"/console/school/{course_id}/lessons/{lesson_id}/edit",
        data=lesson_data(body_markdown=exactly),
    )
    assert response.status_code == 302
    assert course_state(app, course_id).lessons[0].body_markdown == exactly


def test_a_course_without_lessons_cannot_be_published(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, _ = add_course(app, author.id, lessons=0, published=False)
    response = client.post(f"/console/school/{course_id}/publish")
    assert response.status_code == 400
    assert "Add at least one lesson before publishing." in response.get_data(as_text=True)
    assert course_state(app, course_id).state is CourseState.draft
    assert _count(app, AuditEntry) == 0


def test_unpublishing_hides_the_course_from_members_and_keeps_it(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, (lesson_id,) = add_course(app, author.id, lessons=1)
    member = app.test_client()
    sign_in(member, make_user(app, "member").phone)
    assert member.get(f"/school/{course_id}").status_code == 200
    assert client.post(f"/console/school/{course_id}/unpublish").status_code == 302
    state = course_state(app, course_id)
    assert state.state is CourseState.draft and state.published_at is None
    assert member.get(f"/school/{course_id}").status_code == 404
    assert member.get(f"/school/{course_id}/lessons/{lesson_id}").status_code == 404
    assert "第一次约会" not in member.get("/school/").get_data(as_text=True)


def test_lessons_move_up_and_down_and_deleting_renumbers(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, (one, two, three) = add_course(app, author.id, lessons=3, published=False)
    base = f"/console/school/{course_id}/lessons"
    assert client.post(f"{base}/{three}/move", data={"direction": "up"}).status_code == 302
    assert [x.id for x in course_state(app, course_id).lessons] == [one, three, two]
    assert client.post(f"{base}/{one}/move", data={"direction": "up"}).status_code == 302  # first
    assert client.post(f"{base}/{one}/move", data={"direction": "sideways"}).status_code == 400
    assert client.post(f"{base}/{one}/move", data={"direction": "down"}).status_code == 302
    assert [x.id for x in course_state(app, course_id).lessons] == [three, one, two]
    assert client.get(f"{base}/{one}/delete").status_code == 200
    assert client.post(f"{base}/{one}/delete").status_code == 302
    lessons = course_state(app, course_id).lessons
    assert [(x.id, x.position) for x in lessons] == [(three, 1), (two, 2)]


def test_the_last_lesson_of_a_published_course_is_kept(app, client):
    author = login_as(app, client, "matchmaker")
    course_id, (lesson_id,) = add_course(app, author.id, lessons=1)
    response = client.post(f"/console/school/{course_id}/lessons/{lesson_id}/delete")
    assert response.status_code == 409
    assert "Unpublish the course first." in response.get_data(as_text=True)
    assert _count(app, Lesson) == 1


def _course_routes(course_id: int, lesson_id: int) -> list[tuple[str, str, dict]]:
    base, lesson = (
        f"/console/school/{course_id}",
        f"/console/school/{course_id}/lessons/{lesson_id}",
    )
    return [
        ("GET", base, {}),
        ("GET", f"{base}/edit", {}),
        ("POST", f"{base}/edit", {"title": "改掉", "summary": "改掉"}),
        ("GET", f"{base}/lessons/new", {}),
        ("POST", f"{base}/lessons/new", lesson_data()),
        ("GET", f"{lesson}/edit", {}),
        ("POST", f"{lesson}/edit", lesson_data(title="改掉")),
        ("POST", f"{lesson}/move", {"direction": "down"}),
        ("GET", f"{lesson}/delete", {}),
        ("POST", f"{lesson}/delete", {}),
        ("POST", f"{base}/unpublish", {}),
        ("POST", f"{base}/publish", {}),
    ]


def test_another_matchmaker_cannot_open_or_change_a_course(app, client):
    author = make_user(app, "matchmaker")
    course_id, lessons = add_course(app, author.id, lessons=2)
    login_as(app, client, "matchmaker")
    assert "第一次约会" not in client.get("/console/school/").get_data(as_text=True)
    for method, path, data in _course_routes(course_id, lessons[0]):
        assert client.open(path, method=method, data=data).status_code == 403, (method, path)
    after = course_state(app, course_id)
    assert after.title == "第一次约会" and after.state is CourseState.published
    assert [x.title for x in after.lessons] == ["第1课", "第2课"]
    # A lesson of another course is not found through this course.
    _mine, (my_lesson,) = add_course(app, make_user(app, "matchmaker").id, lessons=1)
    assert client.get(f"/console/school/{course_id}/lessons/{my_lesson}/edit").status_code == 403


def test_an_administrator_sees_and_edits_every_course(app, client):
    author = make_user(app, "matchmaker")
    course_id, (lesson_id, _) = add_course(app, author.id, lessons=2)
    login_as(app, client, "admin")
    assert "第一次约会" in client.get("/console/school/").get_data(as_text=True)
    for method, path, data in _course_routes(course_id, lesson_id)[:9]:
        assert client.open(path, method=method, data=data).status_code in (200, 302), path


def test_a_lesson_of_another_course_is_not_found_through_mine(app, client):
    author = login_as(app, client, "matchmaker")
    mine, _ = add_course(app, author.id, lessons=1)
    _other, (their_lesson,) = add_course(app, author.id, lessons=1, title="另一门")
    assert client.get(f"/console/school/{mine}/lessons/{their_lesson}/edit").status_code == 404


def test_a_lecture_links_to_an_event_that_exists_and_members_follow_it(app, client):
    events = pytest.importorskip("app.events.models")
    author = login_as(app, client, "matchmaker")
    course_id, _ = add_course(app, author.id, lessons=0, published=False)
    start = utcnow() + timedelta(days=10)
    with app.app_context():
        event = events.Event(
            organiser_id=author.id,
            title="约会中的沟通",
            category=events.EventCategory.lecture,
            city="杭州",
            place="市青少年宫三楼报告厅",
            description="红娘讲座",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=40,
            signup_deadline=start - timedelta(days=1),
            cancel_deadline=start - timedelta(days=1),
            checkin_code="123456",
        )
        db.session.add(event)
        db.session.commit()
        event_id = event.id
    data = lesson_data(kind="reading", event_id=str(event_id))
    response = client.post(f"/console/school/{course_id}/lessons/new", data=data)
    assert response.status_code == 400  # a reading does not link to events
    data = lesson_data(kind="lecture", event_id=str(event_id))
    assert client.post(f"/console/school/{course_id}/lessons/new", data=data).status_code == 302
    lesson = course_state(app, course_id).lessons[0]
    assert lesson.event_id == event_id
    client.post(f"/console/school/{course_id}/publish")
    page = client.get(f"/school/{course_id}/lessons/{lesson.id}").get_data(as_text=True)
    if any(endpoint in app.view_functions for endpoint in EVENT_ENDPOINTS):
        assert f'href="/events/{event_id}" data-testid="event-link"' in page
