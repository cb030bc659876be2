"""The love school's rules: who edits a course, publishing, lesson order, progress.

Operations flush; the request commits once.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import record
from app.db_types import utcnow
from app.events.queries import event_exists
from app.extensions import db
from app.school import rendering
from app.school.models import Course, CourseState, Lesson, LessonKind, LessonProgress


class NoLessons(Exception):
    """A course without lessons cannot be published."""


class LastLesson(Exception):
    """The only lesson of a published course cannot be deleted."""


def may_edit(user: User, course: Course) -> bool:
    """The course's author, or an administrator."""
    return user.is_admin or course.author_id == user.id


def console_courses(user: User) -> list[Course]:
    """The courses a user works on in the console: administrators see every course."""
    query = select(Course).order_by(Course.updated_at.desc(), Course.id.desc())
    if not user.is_admin:
        query = query.where(Course.author_id == user.id)
    return list(db.session.scalars(query))


def create_course(author_id: int, title: str, summary: str) -> Course:
    """A new draft course. Flushes."""
    course = Course(author_id=author_id, title=title, summary=summary, state=CourseState.draft)
    db.session.add(course)
    db.session.flush()
    return course


def update_course(course: Course, title: str, summary: str) -> None:
    course.title, course.summary = title, summary
    db.session.flush()


def event_problem(kind: LessonKind, event_id: int | None) -> LazyString | None:
    """Why ``event_id`` cannot be linked from a lesson of ``kind``; None when it can."""
    if event_id is None:
        return None
    if kind is not LessonKind.lecture:
        return _l("Only a lecture can link to an event. Leave the number empty.")
    if not event_exists(event_id):
        return _l("There is no event with this number.")
    return None


def _fill(lesson: Lesson, title: str, kind: LessonKind, body: str, event_id: int | None) -> None:
    lesson.title, lesson.kind, lesson.event_id = title, kind, event_id
    lesson.body_markdown = body
    lesson.body_html = rendering.render(body)  # rendered once, here, not per view


def add_lesson(
    course: Course, title: str, kind: LessonKind, body: str, event_id: int | None = None
) -> Lesson:
    """A lesson at the end of the course, its HTML rendered now. Flushes."""
    last = db.session.scalar(select(func.max(Lesson.position)).where(Lesson.course_id == course.id))
    lesson = Lesson(course=course, position=(last or 0) + 1)
    _fill(lesson, title, kind, body, event_id)
    db.session.add(lesson)
    course.updated_at = utcnow()
    db.session.flush()
    return lesson


def update_lesson(
    lesson: Lesson, title: str, kind: LessonKind, body: str, event_id: int | None = None
) -> None:
    _fill(lesson, title, kind, body, event_id)
    lesson.course.updated_at = utcnow()
    db.session.flush()


def _renumber(course: Course) -> None:
    for position, lesson in enumerate(course.lessons, start=1):
        lesson.position = position


def move_lesson(lesson: Lesson, step: int) -> bool:
    """Swap the lesson with its neighbour (``step`` -1: earlier, 1: later). False when it
    is already first or last. Flushes."""
    lessons = list(lesson.course.lessons)
    index = lessons.index(lesson)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(lessons):
        return False
    lessons[index], lessons[other] = lessons[other], lessons[index]
    for position, item in enumerate(lessons, start=1):
        item.position = position
    db.session.flush()
    db.session.expire(lesson.course, ["lessons"])
    return True


def delete_lesson(lesson: Lesson) -> None:
    """Delete a lesson and the progress on it. A published course keeps at least one
    lesson (raises ``LastLesson``). Flushes."""
    course = lesson.course
    if course.is_published and len(course.lessons) == 1:
        raise LastLesson(course.id)
    db.session.execute(db.delete(LessonProgress).where(LessonProgress.lesson_id == lesson.id))
    db.session.delete(lesson)
    db.session.flush()
    db.session.expire(course, ["lessons"])
    _renumber(course)
    course.updated_at = utcnow()
    db.session.flush()


def publish(course: Course, actor_id: int, now: datetime) -> None:
    """Members can read the course from now. Raises ``NoLessons``. Audit-logged."""
    if not course.lessons:
        raise NoLessons(course.id)
    if course.is_published:
        return
    course.state, course.published_at = CourseState.published, now
    record("school.course_published", "school_course", course.id, actor_id=actor_id)


def unpublish(course: Course, actor_id: int) -> None:
    """Back to a draft: members no longer see it (their progress is kept). Audit-logged."""
    if not course.is_published:
        return
    course.state, course.published_at = CourseState.draft, None
    record("school.course_unpublished", "school_course", course.id, actor_id=actor_id)
