"""Love school for members (爱情学堂): published courses with the member's progress, a
course's lessons, a lesson's text, and "Mark as done".

Unpublished courses are not found (404) here, whoever asks: authors preview theirs
in the console.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth import member_required
from app.db_types import utcnow
from app.extensions import db
from app.school import bp, reading
from app.school.forms import ConfirmForm
from app.school.models import Course, Lesson

# The events feature's page of one event (its name has varied while it was written).
EVENT_ENDPOINTS = ("events.detail", "events.show")


def event_url(event_id: int | None) -> str | None:
    """The event's page, when the events feature serves one (else None: no link)."""
    if event_id is None:
        return None
    for endpoint in EVENT_ENDPOINTS:
        if endpoint not in current_app.view_functions:
            continue
        rule = next(iter(current_app.url_map.iter_rules(endpoint)))
        if len(rule.arguments) == 1:
            (argument,) = rule.arguments
            return url_for(endpoint, **{argument: event_id})
    return None


def _course(course_id: int) -> Course:
    course = reading.published_course(course_id)
    if course is None:
        abort(404)
    return course


def _lesson(course: Course, lesson_id: int) -> Lesson:
    lesson = reading.lesson_of(course, lesson_id)
    if lesson is None:
        abort(404)
    return lesson


@bp.get("/school/")
@member_required
def index() -> str:
    courses = reading.published_courses()
    progress = reading.progress(current_user.id, [c.id for c in courses])
    return render_template("school/index.html", courses=courses, progress=progress)


@bp.get("/school/<int:course_id>")
@member_required
def course(course_id: int) -> str:
    course = _course(course_id)
    done = reading.done_lesson_ids(current_user.id, course)
    progress = reading.progress(current_user.id, [course.id])[course.id]
    return render_template("school/course.html", course=course, done=done, progress=progress)


def _lesson_page(course: Course, lesson: Lesson, form: ConfirmForm, status: int = 200):
    before, after = reading.neighbours(course, lesson)
    done = lesson.id in reading.done_lesson_ids(current_user.id, course)
    return render_template(
        "school/lesson.html",
        course=course,
        lesson=lesson,
        before=before,
        after=after,
        done=done,
        form=form,
        event_link=event_url(lesson.event_id),
    ), status


@bp.get("/school/<int:course_id>/lessons/<int:lesson_id>")
@member_required
def lesson(course_id: int, lesson_id: int) -> tuple[str, int]:
    course = _course(course_id)
    return _lesson_page(course, _lesson(course, lesson_id), ConfirmForm())


@bp.post("/school/<int:course_id>/lessons/<int:lesson_id>/done")
@member_required
def mark_done(course_id: int, lesson_id: int) -> Response | tuple[str, int]:
    course = _course(course_id)
    lesson = _lesson(course, lesson_id)
    form = ConfirmForm()
    if not form.validate():
        return _lesson_page(course, lesson, form, 400)
    reading.mark_done(current_user.id, lesson, utcnow())
    db.session.commit()
    flash(_("Lesson marked as done."), "success")
    return redirect(url_for("school.lesson", course_id=course.id, lesson_id=lesson.id))
