"""Helpers for the love school's tests: courses straight into the database, signing in
as a given user."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.db_types import utcnow
from app.extensions import db
from app.school import operations
from app.school.models import Course, LessonKind
from tests.factories import PASSWORD


def add_course(
    app: Flask, author_id: int, lessons: int = 3, published: bool = True, title: str = "第一次约会"
) -> tuple[int, list[int]]:
    """A course with ``lessons`` reading lessons; returns its id and the lessons' ids."""
    with app.app_context():
        course = operations.create_course(author_id, title, "约会前后的小建议")
        ids = [
            operations.add_lesson(course, f"第{n}课", LessonKind.reading, f"第{n}课的内容").id
            for n in range(1, lessons + 1)
        ]
        if published:
            operations.publish(course, author_id, utcnow())
        db.session.commit()
        return course.id, ids


def course_state(app: Flask, course_id: int) -> Course:
    with app.app_context():
        course = db.session.get(Course, course_id)
        _ = [lesson.title for lesson in course.lessons]  # load before detaching
        db.session.expunge_all()
        return course


def sign_in(client: FlaskClient, phone: str, password: str = PASSWORD) -> None:
    response = client.post("/account/signin", data={"phone": phone, "password": password})
    assert response.status_code == 302, response.status_code
