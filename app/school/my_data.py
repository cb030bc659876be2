"""The love school's part of My data (我的数据): the lessons the member finished."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from app.accounts.models import User
from app.extensions import db
from app.features import exported
from app.school.models import LessonProgress


class SchoolData:
    # Courses refer to their author, a matchmaker: see ``erase``.
    tables = ("school_course", "school_lesson_progress")

    def summary(self, user: User) -> dict[str, Any]:
        done = select(func.count()).select_from(LessonProgress)
        done = done.where(LessonProgress.member_id == user.id)
        return {"counts": {"lessons_done": db.session.scalar(done) or 0}}

    def export(self, user: User) -> dict[str, Any]:
        done = select(LessonProgress).where(LessonProgress.member_id == user.id)
        return {
            "lessons_done": [
                exported(row) for row in db.session.scalars(done.order_by(LessonProgress.id))
            ]
        }

    def erase(self, user: User) -> None:
        """Delete the member's progress. The courses a matchmaker wrote stay: they are
        teaching for every member, and name their author by account only (a deleted
        user)."""
        db.session.execute(delete(LessonProgress).where(LessonProgress.member_id == user.id))
