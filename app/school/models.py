"""Love school (爱情学堂): courses, their lessons and members' progress.

A lesson's Markdown is rendered and sanitised when it is saved (``body_html``), so a
page view never renders Markdown and never trusts what an author typed.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db

TITLE_MAX = 120
SUMMARY_MAX = 500
BODY_MAX = 20_000


class CourseState(enum.StrEnum):
    draft = "draft"  # 草稿: only its author and administrators see it
    published = "published"  # 已发布: members read it


class LessonKind(enum.StrEnum):
    reading = "reading"  # 阅读
    lecture = "lecture"  # 讲座: may link to an offline event


class Course(db.Model):
    """A course (课程) written by a matchmaker."""

    __tablename__ = "school_course"
    __table_args__ = (Index("ix_school_course_state_published_at", "state", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX), default="")
    state: Mapped[CourseState] = mapped_column(str_enum(CourseState), default=CourseState.draft)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="(Lesson.position, Lesson.id)"
    )

    @property
    def is_published(self) -> bool:
        return self.state is CourseState.published


class Lesson(db.Model):
    """One lesson (课时) of a course, in the author's order (``position``, from 1).

    ``event_id`` names an event (a lecture's offline session). It is a plain column, not
    a foreign key: the events table is added separately; the operations check it.
    """

    __tablename__ = "school_lesson"
    __table_args__ = (Index("ix_school_lesson_course_id_position", "course_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("school_course.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    kind: Mapped[LessonKind] = mapped_column(str_enum(LessonKind), default=LessonKind.reading)
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    event_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")


class LessonProgress(db.Model):
    """A member finished a lesson (已学完). One row per member and lesson."""

    __tablename__ = "school_lesson_progress"
    __table_args__ = (UniqueConstraint("member_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("school_lesson.id", ondelete="CASCADE"), index=True
    )
    done_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
