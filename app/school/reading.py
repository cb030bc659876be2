"""What members read: published courses, their lessons, and each member's progress.

Operations flush; the request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.school.models import Course, CourseState, Lesson, LessonProgress


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done >= self.total


def published_courses() -> list[Course]:
    """Published courses, the most recently published first."""
    return list(
        db.session.scalars(
            select(Course)
            .where(Course.state == CourseState.published)
            .order_by(Course.published_at.desc(), Course.id.desc())
        )
    )


def published_course(course_id: int) -> Course | None:
    """The course if members may read it (published), else None."""
    course = db.session.get(Course, course_id)
    return course if course is not None and course.is_published else None


def lesson_of(course: Course, lesson_id: int) -> Lesson | None:
    """The lesson if it belongs to ``course``, else None (another course's id is no
    different from a missing one)."""
    lesson = db.session.get(Lesson, lesson_id)
    return lesson if lesson is not None and lesson.course_id == course.id else None


def progress(member_id: int, course_ids: list[int]) -> dict[int, Progress]:
    """Lessons done and lessons in all, per course (two grouped queries)."""
    if not course_ids:
        return {}
    totals = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Lesson.id))
            .where(Lesson.course_id.in_(course_ids))
            .group_by(Lesson.course_id)
        ).all()
    )
    done = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(LessonProgress.id))
            .join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
            .where(Lesson.course_id.in_(course_ids), LessonProgress.member_id == member_id)
            .group_by(Lesson.course_id)
        ).all()
    )
    return {cid: Progress(done.get(cid, 0), totals.get(cid, 0)) for cid in course_ids}


def done_lesson_ids(member_id: int, course: Course) -> set[int]:
    return set(
        db.session.scalars(
            select(LessonProgress.lesson_id)
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.member_id == member_id, Lesson.course_id == course.id)
        )
    )


def mark_done(member_id: int, lesson: Lesson, now: datetime) -> bool:
    """Record that the member finished the lesson. True when newly recorded; a repeat
    (even a concurrent one, which the unique constraint refuses) changes nothing."""
    exists = db.session.scalar(
        select(LessonProgress.id).where(
            LessonProgress.member_id == member_id, LessonProgress.lesson_id == lesson.id
        )
    )
    if exists is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(LessonProgress(member_id=member_id, lesson_id=lesson.id, done_at=now))
    except IntegrityError:
        return False
    return True


def neighbours(course: Course, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The previous and next lesson in the course's order."""
    lessons = list(course.lessons)
    index = lessons.index(lesson)
    before = lessons[index - 1] if index > 0 else None
    after = lessons[index + 1] if index + 1 < len(lessons) else None
    return before, after
