"""Quick match's part of My data (我的数据): the daily lists and suggestions, the likes
and passes, and the "did you meet?" answers. Matches are the relations' part."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, distinct, func, or_, select

from app.accounts.models import User
from app.extensions import db
from app.features import count_rows, exported_rows
from app.quickmatch.models import DailyList, DailySuggestion, MeetingFeedback, Reaction


class QuickMatchData:
    tables = ("daily_list", "daily_suggestion", "reaction", "meeting_feedback")

    def summary(self, user: User) -> dict[str, Any]:
        mine = DailySuggestion.viewer_id == user.id
        days = select(func.count(distinct(DailySuggestion.day))).where(mine)
        return {
            "counts": {
                "suggestions": count_rows(DailySuggestion, mine),
                "suggestion_days": db.session.scalar(days) or 0,
                "reactions": count_rows(Reaction, Reaction.from_id == user.id),
            }
        }

    def export(self, user: User) -> dict[str, Any]:
        """The member's own lists, suggestions, reactions and answers; never who was
        shown the member, nor how others reacted to them."""
        return {
            "daily_lists": exported_rows(DailyList, DailyList.member_id == user.id),
            "suggestions": exported_rows(DailySuggestion, DailySuggestion.viewer_id == user.id),
            "reactions": exported_rows(Reaction, Reaction.from_id == user.id),
            "meeting_feedback": exported_rows(
                MeetingFeedback, MeetingFeedback.member_id == user.id
            ),
        }

    def erase(self, user: User) -> None:
        """Delete the member's lists and answers, and every suggestion and reaction with
        the member on either side: a row naming the member is about them too."""
        uid = user.id
        for statement in (
            delete(DailyList).where(DailyList.member_id == uid),
            delete(DailySuggestion).where(
                or_(DailySuggestion.viewer_id == uid, DailySuggestion.candidate_id == uid)
            ),
            delete(Reaction).where(or_(Reaction.from_id == uid, Reaction.to_id == uid)),
            delete(MeetingFeedback).where(MeetingFeedback.member_id == uid),
        ):
            db.session.execute(statement)
